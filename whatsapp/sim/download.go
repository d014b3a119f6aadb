package sim

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	juta "github.com/juta-app/juta"
)

// Download fetches a file the simulator serves, by the path it handed out,
// into into, and checks its checksum. The simulator's media needs no
// connection.
func (c *Client) Download(ctx context.Context, _ juta.MessageKind, ref juta.MediaRef, size int64, into *os.File) error {
	if !strings.HasPrefix(ref.DirectPath, mediaPathPrefix) {
		return juta.Errorf(juta.ENOTFOUND, "this message has no media")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+c.p.addr+ref.DirectPath, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("download media: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusNotFound {
		return juta.Errorf(juta.ENOTFOUND, "WhatsApp no longer has this media")
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("download media: HTTP %d", res.StatusCode)
	}
	limit := int64(maxDeviceFile)
	if size > 0 {
		limit = min(limit, size)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(into, h), io.LimitReader(res.Body, limit+1))
	if err != nil {
		return fmt.Errorf("download media: %w", err)
	}
	if n > limit || !bytes.Equal(h.Sum(nil), ref.FileSHA256) {
		return fmt.Errorf("download media: the file does not match its checksum")
	}
	return nil
}
