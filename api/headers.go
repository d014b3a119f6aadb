package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// securityHeaders sets what every answer carries, errors and mounted
// handlers included: no MIME sniffing (a JSON body holding user text must
// never be read as HTML) and no Referer to other sites. HTML answers then go
// through htmlHeaders.
func securityHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	err := c.Next()
	if strings.HasPrefix(string(c.Response().Header.ContentType()), fiber.MIMETextHTML) {
		htmlHeaders(c)
	}
	return err
}

// htmlHeaders is the hook for HTML pages (the API docs, the dashboard): each
// page sets its own Content-Security-Policy where it is served; what every
// page gets is set here, without overriding a page's own choice.
func htmlHeaders(c *fiber.Ctx) {
	if len(c.Response().Header.Peek(fiber.HeaderXFrameOptions)) == 0 {
		c.Set(fiber.HeaderXFrameOptions, "DENY")
	}
}

// noStore keeps authenticated answers out of every cache (browser, proxy):
// they hold a user's data, keys or tokens.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}
