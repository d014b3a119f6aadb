package api

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// uiReserved are the path prefixes the dashboard never answers, so an unknown
// API, simulator or probe path stays a 404 problem instead of a page.
var uiReserved = []string{"/api", "/sim", "/healthz", "/readyz", "/metrics"}

// uiAssetCache is the Cache-Control of Vite's content-hashed assets (their
// name changes whenever their bytes do); everything else is revalidated.
const (
	uiAssetCache = "public, max-age=31536000, immutable"
	uiPageCache  = "no-cache"
)

// uiFile is one file of the dashboard, with its gzip form when that is smaller.
type uiFile struct {
	body, gz    []byte
	contentType string
	cache       string
}

// ServeUI serves the dashboard in files (index.html at its root) at "/":
// files by their path, and index.html for every other GET that is not under
// a reserved prefix, so the dashboard's own routes survive a reload. Call it
// after every other route and mount. A nil files (the no_ui build) serves
// nothing.
func (s *Server) ServeUI(files fs.FS) {
	if files == nil {
		return
	}
	byPath, err := loadUI(files)
	if err != nil {
		s.log.Error("dashboard not served", "error", err)
		return
	}
	index, ok := byPath["index.html"]
	if !ok {
		s.log.Error("dashboard not served: no index.html")
		return
	}
	// Use rather than Get: a handler that is only middleware does not turn
	// other methods on unknown paths into 405s.
	s.app.Use(func(c *fiber.Ctx) error {
		p := c.Path()
		if (c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead) || uiIsReserved(p) {
			return c.Next()
		}
		name := strings.TrimPrefix(path.Clean("/"+p), "/")
		f, ok := byPath[name]
		switch {
		case ok && name != "index.html":
		case path.Ext(name) != "" && name != "index.html":
			return c.Next() // a missing file is a 404, never the page
		default:
			f = index
			c.Set("Content-Security-Policy", uiCSP(c))
			c.Set("Referrer-Policy", "no-referrer")
			c.Set("X-Frame-Options", "DENY")
		}
		return sendUIFile(c, f)
	})
}

func uiIsReserved(p string) bool {
	for _, r := range uiReserved {
		if p == r || strings.HasPrefix(p, r+"/") {
			return true
		}
	}
	return false
}

// uiCSP is the page's Content-Security-Policy: scripts, styles and every
// connection from its own origin only (the WebSocket to this host), no
// inline script, no framing, no plugins.
func uiCSP(c *fiber.Ctx) string {
	connect := "'self'"
	if host := c.Hostname(); uiHostOK(host) {
		connect += " ws://" + host + " wss://" + host
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self'; " +
		"connect-src " + connect + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

// uiHostOK accepts a host[:port] made only of the characters a host name,
// an IPv6 literal or a port may hold, so the header cannot be bent.
func uiHostOK(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for _, r := range h {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-:[]", r)
		if !ok {
			return false
		}
	}
	return true
}

func sendUIFile(c *fiber.Ctx, f *uiFile) error {
	c.Set(fiber.HeaderContentType, f.contentType)
	c.Set(fiber.HeaderCacheControl, f.cache)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Vary(fiber.HeaderAcceptEncoding)
	if f.gz != nil && strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(f.gz)
	}
	return c.Send(f.body)
}

// loadUI reads every file once and compresses the ones gzip shrinks.
func loadUI(files fs.FS) (map[string]*uiFile, error) {
	out := map[string]*uiFile{}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		f := &uiFile{body: body, contentType: mime.TypeByExtension(path.Ext(name)), cache: uiPageCache}
		if f.contentType == "" {
			f.contentType = "application/octet-stream"
		}
		if strings.HasPrefix(name, "assets/") {
			f.cache = uiAssetCache
		}
		f.gz = gzipIfSmaller(body)
		out[name] = f
		return nil
	})
	return out, err
}

func gzipIfSmaller(b []byte) []byte {
	if len(b) < 512 {
		return nil
	}
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = w.Write(b)
	_ = w.Close()
	if buf.Len() >= len(b) {
		return nil
	}
	return buf.Bytes()
}
