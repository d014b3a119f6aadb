package api

import (
	"context"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// noteLoginClient records what a new login signed in from: a summary of its
// user agent and its address. Best effort: the login stands without it.
func (s *Server) noteLoginClient(ctx context.Context, c *fiber.Ctx, uid juta.UserID, family int64) {
	if s.deps.Auth.Logins == nil {
		return
	}
	client, ip := summarizeAgent(string(c.Request().Header.UserAgent())), c.IP()
	if len(ip) > 64 {
		ip = ip[:64]
	}
	if err := s.deps.Auth.Logins.NoteLoginClient(ctx, uid, family, client, ip); err != nil {
		s.log.Warn("note login client failed", "request_id", requestID(c), "user_id", int64(uid), "err", err)
	}
}

// agentBrowsers and agentSystems are matched in order: the first product
// token found names the browser (Edge and Opera also say Chrome, Chrome also
// says Safari), the first system token the system.
var agentBrowsers = []struct{ token, name string }{
	{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"HeadlessChrome/", "Headless Chrome"},
	{"Chrome/", "Chrome"}, {"Chromium/", "Chromium"}, {"Safari/", "Safari"},
}

var agentSystems = []struct{ token, name string }{
	{"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Windows", "Windows"},
	{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
}

// maxAgentName bounds the product name of an agent that is no known browser.
const maxAgentName = 24

// summarizeAgent sums up a User-Agent header as "Browser on System", or the
// product name of another client ("curl"); "" when there is nothing to say.
// The header itself is never kept: it can be long and identifying.
func summarizeAgent(ua string) string {
	browser := ""
	for _, b := range agentBrowsers {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	if browser == "" {
		product, _, _ := strings.Cut(ua, "/")
		product = strings.TrimSpace(product)
		if len(product) > maxAgentName || strings.IndexFunc(product, notNameRune) >= 0 {
			return ""
		}
		return product
	}
	for _, s := range agentSystems {
		if strings.Contains(ua, s.token) {
			return browser + " on " + s.name
		}
	}
	return browser
}

func notNameRune(r rune) bool {
	return r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.')
}
