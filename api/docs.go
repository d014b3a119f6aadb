package api

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// docsPage renders /api/openapi.json in the browser with an inline script:
// nothing is fetched from elsewhere, so it works offline and behind strict
// networks.
//
//go:embed openapi/docs.html
var docsPage []byte

// docsCSP allows the page's own inline script and style and a fetch of the
// document from this origin, nothing else.
const docsCSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"

func (s *Server) docs(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderContentSecurityPolicy, docsCSP)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(docsPage)
}
