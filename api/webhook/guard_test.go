package webhook_test

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/webhook"
)

func TestValidateURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url          string
		ok           bool
		okIfPrivate  bool // accepted when private destinations are allowed
		wantInDetail string
	}{
		{url: "https://hooks.example.com/juta", ok: true, okIfPrivate: true},
		{url: "http://hooks.example.com:8080/a?b=c", ok: true, okIfPrivate: true},
		{url: "https://93.184.216.34/hook", ok: true, okIfPrivate: true},
		{url: "https://[2606:2800:220:1::]/hook", ok: true, okIfPrivate: true},
		{url: "https://example.cafe/", ok: true, okIfPrivate: true},

		{url: "", wantInDetail: "characters"},
		{url: "https://example.com/" + strings.Repeat("a", webhook.MaxURLLength), wantInDetail: "characters"},
		{url: "ftp://example.com/", wantInDetail: "scheme"},
		{url: "file:///etc/passwd", wantInDetail: "scheme"},
		{url: "gopher://example.com/", wantInDetail: "scheme"},
		{url: "javascript:alert(1)", wantInDetail: "absolute"},
		{url: "//example.com/hook", wantInDetail: "absolute"},
		{url: "/relative", wantInDetail: "absolute"},
		{url: "https://user:pass@example.com/", wantInDetail: "credentials"},
		{url: "https://user@example.com/", wantInDetail: "credentials"},
		{url: "https://example.com/#frag", wantInDetail: "fragment"},
		{url: "https:///nohost", wantInDetail: "host"},
		{url: "https://example.com:0/", wantInDetail: "port"},
		{url: "https://example.com:99999/", wantInDetail: "port"},
		{url: "https://exa mple.com/", wantInDetail: "absolute"},
		{url: "https://-bad-.com/", wantInDetail: "host name"},

		{url: "http://127.0.0.1/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://127.1.2.3:9000/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://[::1]/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://[::ffff:127.0.0.1]/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://[::ffff:169.254.169.254]/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://0.0.0.0/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://[::]/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://10.1.2.3/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://172.16.0.1/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://192.168.1.1/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://169.254.169.254/latest/meta-data/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://100.100.100.200/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://[fd00:ec2::254]/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://[fe80::1]/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://224.0.0.1/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://[ff02::1]/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://255.255.255.255/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://[64:ff9b::7f00:1]/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://[2002:7f00:1::]/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://[fe80::1%25eth0]/", wantInDetail: "zone"},
		{url: "http://localhost:8080/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://LOCALHOST./", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://api.localhost/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://metadata.google.internal/", okIfPrivate: true, wantInDetail: "private"},
		{url: "http://db.internal/", okIfPrivate: true, wantInDetail: "public"},
		{url: "http://printer.local/", okIfPrivate: true, wantInDetail: "public"},
		{url: "http://intranet/", okIfPrivate: true, wantInDetail: "public"},
		{url: "http://2130706433/", wantInDetail: "host name"},
		{url: "http://0x7f000001/", wantInDetail: "host name"},
		{url: "http://0x7f.1/", wantInDetail: "host name"},
		{url: "http://017700000001/", wantInDetail: "host name"},
		{url: "http://127.1/", wantInDetail: "host name"},
	}
	for _, tt := range tests {
		for _, allowPrivate := range []bool{false, true} {
			want := tt.ok || (allowPrivate && tt.okIfPrivate)
			_, err := webhook.ValidateURL(tt.url, allowPrivate)
			if want != (err == nil) {
				t.Errorf("ValidateURL(%q, allowPrivate=%v) = %v, want ok=%v", tt.url, allowPrivate, err, want)
				continue
			}
			if err == nil {
				continue
			}
			if juta.ErrorCode(err) != juta.EINVALID {
				t.Errorf("ValidateURL(%q): code %q, want invalid", tt.url, juta.ErrorCode(err))
			}
			if !strings.Contains(juta.ErrorMessage(err), tt.wantInDetail) {
				t.Errorf("ValidateURL(%q) = %q, want it to mention %q", tt.url, juta.ErrorMessage(err), tt.wantInDetail)
			}
		}
	}
}

func TestBlockedAddr(t *testing.T) {
	t.Parallel()
	for addr, blocked := range map[string]bool{
		"8.8.8.8": false, "93.184.216.34": false, "2606:4700:4700::1111": false, "1.1.1.1": false,
		"127.0.0.1": true, "10.0.0.1": true, "172.31.255.255": true, "192.168.0.1": true, "169.254.169.254": true,
		"100.64.0.1": true, "0.0.0.0": true, "0.1.2.3": true, "224.0.0.251": true, "::1": true, "::": true,
		"fe80::1": true, "fc00::1": true, "ff05::2": true, "::ffff:10.0.0.1": true, "::ffff:8.8.8.8": false,
		"64:ff9b::a00:1": true, "64:ff9b::808:808": false, "2002:c0a8:101::1": true, "::127.0.0.1": true,
		"198.18.0.1": true, "240.0.0.1": true,
	} {
		if got := webhook.BlockedAddr(netip.MustParseAddr(addr)); got != blocked {
			t.Errorf("BlockedAddr(%s) = %v, want %v", addr, got, blocked)
		}
	}
}

// Delivery re-checks every address it connects to: a webhook stored with a
// loopback URL (allowed then, or rebound since) never reaches the receiver.
func TestDeliveryRefusesPrivateAddresses(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	uid := mustUser(t, db)
	rcv := newReceiver(t)
	byIP := mustWebhook(t, db, uid, 0, rcv.srv.URL)
	byName := mustWebhook(t, db, uid, 0, strings.Replace(rcv.srv.URL, "127.0.0.1", "localhost", 1))
	mustAppend(t, db, uid, 0, "account.test", 1)
	startWorker(t, db, func(c *webhook.Config) {
		c.AllowPrivate = false
		c.MaxAttempts = 1
	})

	for _, wh := range []juta.Webhook{byIP, byName} {
		eventually(t, "a dead letter", func() bool {
			p, err := db.WebhookDeliveries(testCtx(t), uid, wh.ID, juta.DeliveryDead, "", 10)
			return err == nil && len(p.Items) == 1
		})
		p, _ := db.WebhookDeliveries(testCtx(t), uid, wh.ID, juta.DeliveryDead, "", 10)
		if d := p.Items[0]; d.LastError != "destination address is not allowed" || d.LastStatus != 0 {
			t.Errorf("webhook %s: dead letter %+v", wh.URL, d)
		}
	}
	if n := rcv.count(); n != 0 {
		t.Fatalf("the private receiver got %d requests", n)
	}
}

func FuzzWebhookURL(f *testing.F) {
	for _, s := range []string{
		"https://hooks.example.com/juta", "http://127.0.0.1/", "http://[::ffff:127.0.0.1]/",
		"http://0x7f.1/", "https://user:pw@example.com/", "http://[fe80::1%25eth0]/", "http://localhost./",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := webhook.ValidateURL(raw, false)
		if err != nil {
			if juta.ErrorCode(err) != juta.EINVALID {
				t.Fatalf("ValidateURL(%q): code %q", raw, juta.ErrorCode(err))
			}
			return
		}
		if u.Scheme != "http" && u.Scheme != "https" || u.User != nil || u.Hostname() == "" {
			t.Fatalf("ValidateURL(%q) accepted %#v", raw, u)
		}
		if ip, err := netip.ParseAddr(u.Hostname()); err == nil && webhook.BlockedAddr(ip) {
			t.Fatalf("ValidateURL(%q) accepted blocked address %s", raw, ip)
		}
		// What was accepted must make a request as it is.
		if _, err := http.NewRequest(http.MethodPost, raw, nil); err != nil {
			t.Fatalf("ValidateURL(%q) accepted a URL net/http refuses: %v", raw, err)
		}
	})
}
