package api

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// codeMethodNotAllowed is the api's own code for a known path called with the
// wrong method; it has no domain meaning, so it is not a juta code.
const codeMethodNotAllowed = "method_not_allowed"

// problem is an RFC 9457 problem document. Code is the stable machine code
// clients branch on; Detail is caller-safe text.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Code   string `json:"code"`
}

// statusOf maps an error code to its HTTP status. It is the only place where
// that mapping lives.
func statusOf(code string) int {
	switch code {
	case juta.EINVALID:
		return http.StatusBadRequest
	case juta.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case juta.EFORBIDDEN, juta.EQUOTA:
		return http.StatusForbidden
	case juta.ENOTFOUND:
		return http.StatusNotFound
	case codeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case juta.ECONFLICT, juta.ESTATE:
		return http.StatusConflict
	case juta.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case juta.EMEDIATYPE:
		return http.StatusUnsupportedMediaType
	case juta.ERANGE:
		return http.StatusRequestedRangeNotSatisfiable
	case juta.ERATELIMITED:
		return http.StatusTooManyRequests
	case juta.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case juta.ENOTIMPL:
		return http.StatusNotImplemented
	default:
		return http.StatusInternalServerError
	}
}

// codeOfFiberStatus turns the statuses fiber and fasthttp produce on their own
// (unknown route, wrong method, body over the limit, ...) into error codes, so
// they go through statusOf like everything else.
func codeOfFiberStatus(status int) string {
	switch status {
	case http.StatusBadRequest:
		return juta.EINVALID
	case http.StatusUnauthorized:
		return juta.EUNAUTHORIZED
	case http.StatusForbidden:
		return juta.EFORBIDDEN
	case http.StatusNotFound:
		return juta.ENOTFOUND
	case http.StatusMethodNotAllowed:
		return codeMethodNotAllowed
	case http.StatusConflict:
		return juta.ECONFLICT
	case http.StatusRequestEntityTooLarge, http.StatusRequestHeaderFieldsTooLarge:
		return juta.ETOOLARGE
	case http.StatusTooManyRequests:
		return juta.ERATELIMITED
	case http.StatusRequestTimeout, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return juta.EUNAVAILABLE
	default:
		return juta.EINTERNAL
	}
}

// toProblem builds the caller-safe problem for err. Internal causes never reach
// the detail.
func toProblem(err error) problem {
	code, detail := juta.ErrorCode(err), juta.ErrorMessage(err)
	var fe *fiber.Error
	var je *juta.Error
	switch {
	case errors.As(err, &je):
		// The domain error wins over anything it wraps.
	case errors.As(err, &fe):
		code, detail = codeOfFiberStatus(fe.Code), http.StatusText(fe.Code)
	case errors.Is(err, context.DeadlineExceeded):
		code, detail = juta.EUNAVAILABLE, "the request timed out"
	}
	if code == juta.EINTERNAL {
		detail = "internal error"
	}
	status := statusOf(code)
	return problem{
		Type:   "about:blank",
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
		Code:   code,
	}
}

// handleError is fiber's ErrorHandler: every error, whether from a handler or
// from fiber itself, leaves as application/problem+json.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	p := toProblem(err)
	switch {
	case p.Code == juta.EINTERNAL:
		s.log.Error("request failed", "request_id", requestID(c), "code", p.Code, "error", err)
	case p.Status >= http.StatusInternalServerError:
		// Expected and transient (a QR code on its way, a node at its cap,
		// shutting down) or a feature this node lacks: not an error of ours.
		s.log.Info("request not served", "request_id", requestID(c), "code", p.Code, "error", err)
	}
	if p.Status == http.StatusUnauthorized {
		c.Set(fiber.HeaderWWWAuthenticate, "Bearer")
	}
	if p.Status == http.StatusTooManyRequests || p.Status == http.StatusServiceUnavailable {
		setRetryAfter(c, retryAfterOf(err))
	}
	return writeProblem(c, p)
}

func writeProblem(c *fiber.Ctx, p problem) error {
	// c.JSON replaces whatever body a handler had started to write.
	c.Status(p.Status)
	if err := c.JSON(p); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/problem+json")
	return nil
}

// setRetryAfter writes the Retry-After header in whole seconds, rounded up so
// a client that obeys it is not refused again.
func setRetryAfter(c *fiber.Ctx, wait time.Duration) {
	if wait <= 0 {
		return
	}
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Seconds()))))
}
