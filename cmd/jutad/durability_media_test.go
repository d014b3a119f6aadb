package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"
)

// slipPhoto is the file of the i-th photo the kill test's contact sends:
// distinct bytes per photo, so each is its own file.
func slipPhoto(i int) []byte {
	return bytes.Repeat([]byte(fmt.Sprintf("transfer slip %04d;", i)), 64)
}

// checkPhotosIntact proves every photo sent across the kill was stored once as
// a photo and that its file comes back byte for byte through the media route.
func checkPhotosIntact(t *testing.T, c *client, sid int64, total int) {
	t.Helper()
	type item struct {
		ID   int64  `json:"id"`
		Kind string `json:"kind"`
		Text string `json:"text"`
	}
	var items []item
	for cursor := ""; ; {
		var page struct {
			Items      []item `json:"items"`
			NextCursor string `json:"nextCursor"`
		}
		url := fmt.Sprintf("%s/api/sessions/%d/messages?limit=100&cursor=%s", c.base, sid, cursor)
		if code := call(t, "GET", url, c.token, nil, &page); code != 200 {
			t.Fatalf("messages: status %d", code)
		}
		items = append(items, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	photos := 0
	for _, m := range items {
		var i int
		if _, err := fmt.Sscanf(m.Text, "message %04d:", &i); err != nil || i%5 != 0 {
			continue
		}
		if m.Kind != "image" {
			t.Fatalf("message %d stored as %q, want image", i, m.Kind)
		}
		if got := fetchMedia(t, c, sid, m.ID); !bytes.Equal(got, slipPhoto(i)) {
			t.Fatalf("photo %d: file of %d bytes differs from the %d sent", i, len(got), len(slipPhoto(i)))
		}
		photos++
	}
	if want := (total + 4) / 5; photos != want {
		t.Fatalf("found %d photos, want %d", photos, want)
	}
}

func fetchMedia(t *testing.T, c *client, sid, id int64) []byte {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/sessions/%d/messages/%d/media", c.base, sid, id), nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("media %d: status %d, %v", id, resp.StatusCode, err)
	}
	return body
}
