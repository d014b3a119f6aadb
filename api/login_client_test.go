package api

import "testing"

func TestSummarizeAgent(t *testing.T) {
	t.Parallel()
	for ua, want := range map[string]string{
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36":                     "Chrome on Linux",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0":     "Edge on Windows",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/604.1": "Safari on iOS",
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36":         "Chrome on Android",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14.0; rv:133.0) Gecko/20100101 Firefox/133.0":                                       "Firefox on macOS",
		"curl/8.5.0":                  "curl",
		"":                            "",
		"<script>alert(1)</script>/1": "",
		"a-very-long-product-name-that-goes-on/1.0": "",
	} {
		if got := summarizeAgent(ua); got != want {
			t.Errorf("summarizeAgent(%q) = %q, want %q", ua, got, want)
		}
	}
}
