//go:build !no_ui

package ui

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// The embedded build is whole and fits the page's Content-Security-Policy:
// index.html loads only files that are embedded, and holds no inline script
// or style.
func TestEmbeddedBuild(t *testing.T) {
	files := Files()
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		t.Fatalf("index.html: %v", err)
	}
	page := string(index)
	for _, tag := range regexp.MustCompile(`(?is)<script\b[^>]*>(.*?)</script>`).FindAllStringSubmatch(page, -1) {
		if strings.TrimSpace(tag[1]) != "" || !strings.Contains(tag[0], "src=") {
			t.Errorf("inline script: %s", tag[0])
		}
	}
	if regexp.MustCompile(`(?i)<style\b|\sstyle=`).MatchString(page) {
		t.Error("inline style in index.html")
	}
	refs := regexp.MustCompile(`(?:src|href)="/([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(refs) == 0 {
		t.Fatal("index.html references no files")
	}
	for _, r := range refs {
		if _, err := fs.Stat(files, r[1]); err != nil {
			t.Errorf("index.html references %s, which is not embedded", r[1])
		}
	}
}
