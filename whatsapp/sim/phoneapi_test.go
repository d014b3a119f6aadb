package sim

import (
	"fmt"
	"strings"
	"testing"

	juta "github.com/juta-app/juta"
)

// apiScenario is one phone API request and what must come back.
type apiScenario struct {
	name   string
	method string
	path   string
	body   string
	status int
	code   string                     // problem code, for errors
	expect func(map[string]any) error // checks a success body
}

func runScenarios(t *testing.T, addr string, scenarios []apiScenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			status, hdr, body := call(t, addr, sc.method, sc.path, sc.body)
			if status != sc.status {
				t.Fatalf("status %d, want %d; body %v", status, sc.status, body)
			}
			if sc.code != "" {
				if ct := hdr.Get("Content-Type"); ct != "application/problem+json" {
					t.Fatalf("content type %q", ct)
				}
				for _, k := range []string{"type", "title", "status", "detail", "code"} {
					if _, ok := body[k]; !ok {
						t.Fatalf("problem lacks %q: %v", k, body)
					}
				}
				if body["code"] != sc.code || body["status"] != float64(sc.status) {
					t.Fatalf("problem %v, want code %s", body, sc.code)
				}
				return
			}
			if ct := hdr.Get("Content-Type"); ct != "application/json" {
				t.Fatalf("content type %q", ct)
			}
			if sc.expect != nil {
				if err := sc.expect(body); err != nil {
					t.Fatalf("%v; body %v", err, body)
				}
			}
		})
	}
}

func TestPhoneAPIBadInput(t *testing.T) {
	_, addr := mustRunServer(t, Options{})
	big := `{"to":"` + bob + `","text":"` + strings.Repeat("a", maxBody) + `"}`
	runScenarios(t, addr, []apiScenario{
		{"scan bad phone", "POST", "/sim/phones/60123/scan", `{"qr":"x"}`, 400, juta.EINVALID, nil},
		{"scan phone with letters", "POST", "/sim/phones/+60abc45678/scan", `{"qr":"x"}`, 400, juta.EINVALID, nil},
		{"scan bad json", "POST", "/sim/phones/" + alice + "/scan", `{"qr":`, 400, juta.EINVALID, nil},
		{"scan two objects", "POST", "/sim/phones/" + alice + "/scan", `{"qr":"a"}{"qr":"b"}`, 400, juta.EINVALID, nil},
		{"scan no qr", "POST", "/sim/phones/" + alice + "/scan", `{}`, 400, juta.EINVALID, nil},
		{"scan unknown qr", "POST", "/sim/phones/" + alice + "/scan", `{"qr":"2@sim,nope"}`, 404, juta.ENOTFOUND, nil},
		{"scan wrong method", "GET", "/sim/phones/" + alice + "/scan", ``, 405, juta.EINVALID, nil},
		{"pair unknown code", "POST", "/sim/phones/" + alice + "/pair", `{"code":"ABCD-EFGH"}`, 404, juta.ENOTFOUND, nil},
		{"pair no code", "POST", "/sim/phones/" + alice + "/pair", `{"code":""}`, 400, juta.EINVALID, nil},
		{"pair bad json", "POST", "/sim/phones/" + alice + "/pair", `[1,2]`, 400, juta.EINVALID, nil},
		{"send bad recipient", "POST", "/sim/phones/" + alice + "/messages", `{"to":"bob","text":"hi"}`, 400, juta.EINVALID, nil},
		{"send empty text", "POST", "/sim/phones/" + alice + "/messages", `{"to":"` + bob + `","text":""}`, 400, juta.EINVALID, nil},
		{"send bad sender", "POST", "/sim/phones/+0123456789/messages", `{"to":"` + bob + `","text":"hi"}`, 400, juta.EINVALID, nil},
		{"send too long phone", "POST", "/sim/phones/+1234567890123456/messages", `{"to":"` + bob + `","text":"hi"}`, 400, juta.EINVALID, nil},
		{"send body too large", "POST", "/sim/phones/" + alice + "/messages", big, 413, juta.ETOOLARGE, nil},
		{"send bad json", "POST", "/sim/phones/" + alice + "/messages", `not json`, 400, juta.EINVALID, nil},
		{"inbox bad phone", "GET", "/sim/phones/abc/inbox", ``, 400, juta.EINVALID, nil},
		{"inbox wrong method", "POST", "/sim/phones/" + alice + "/inbox", `{}`, 405, juta.EINVALID, nil},
		{"logout unknown device", "POST", "/sim/phones/" + alice + "/logout?device=60111111111:9@sim", ``, 404, juta.ENOTFOUND, nil},
		{"logout bad phone", "POST", "/sim/phones/123/logout", ``, 400, juta.EINVALID, nil},
		{"stats wrong method", "POST", "/sim/stats", ``, 405, juta.EINVALID, nil},
		{"unknown route", "GET", "/sim/nothing", ``, 404, juta.ENOTFOUND, nil},
	})
}

func TestPhoneAPIRoutes(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	c, r := linkDevice(t, s, addr, alice)

	var sentID string
	runScenarios(t, addr, []apiScenario{
		{"send", "POST", "/sim/phones/" + bob + "/messages", `{"to":"` + alice + `","text":"hello alice"}`, 200, "",
			func(b map[string]any) error {
				sentID, _ = b["id"].(string)
				if sentID == "" {
					return fmt.Errorf("no id")
				}
				return nil
			}},
		{"empty inbox", "GET", "/sim/phones/" + bob + "/inbox", ``, 200, "",
			func(b map[string]any) error {
				if items, ok := b["items"].([]any); !ok || len(items) != 0 {
					return fmt.Errorf("items %v, want []", b["items"])
				}
				return nil
			}},
	})
	in := waitCount[juta.WAIncoming](t, r, 1)[0]
	if in.WAID != sentID || in.Text != "hello alice" || in.Chat != bob {
		t.Fatalf("device got %+v, want id %s", in, sentID)
	}
	waID, _, err := c.SendText(t.Context(), bob, "hello bob", "")
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "acked", func() bool { return s.Stats().Delivered == 1 })
	runScenarios(t, addr, []apiScenario{
		{"inbox", "GET", "/sim/phones/" + bob + "/inbox", ``, 200, "",
			func(b map[string]any) error {
				items, _ := b["items"].([]any)
				if len(items) != 1 {
					return fmt.Errorf("want 1 item")
				}
				it := items[0].(map[string]any)
				if it["from"] != alice || it["text"] != "hello bob" || it["id"] != waID || it["sentAt"] == "" {
					return fmt.Errorf("item %v", it)
				}
				return nil
			}},
		{"stats", "GET", "/sim/stats", ``, 200, "",
			func(b map[string]any) error {
				want := map[string]float64{"connections": 1, "maxConnectionsPerDevice": 1, "queued": 0,
					"delivered": 1, "redelivered": 0, "duplicates": 0}
				for k, v := range want {
					if b[k] != v {
						return fmt.Errorf("%s = %v, want %v", k, b[k], v)
					}
				}
				return nil
			}},
		{"logout", "POST", "/sim/phones/" + alice + "/logout", ``, 200, "",
			func(b map[string]any) error {
				if devs, _ := b["devices"].([]any); len(devs) != 1 || devs[0] != c.DeviceJID() {
					return fmt.Errorf("devices %v", b["devices"])
				}
				return nil
			}},
		{"logout again", "POST", "/sim/phones/" + alice + "/logout", ``, 200, "",
			func(b map[string]any) error {
				if devs, _ := b["devices"].([]any); len(devs) != 0 {
					return fmt.Errorf("devices %v, want none", b["devices"])
				}
				return nil
			}},
	})
	waitCount[juta.WALoggedOut](t, r, 1)
}
