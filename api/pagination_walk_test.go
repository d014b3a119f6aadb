package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/juta-app/juta"
)

// pageOf is one page of any list route.
type pageOf struct {
	Items      []map[string]json.RawMessage `json:"items"`
	NextCursor *string                      `json:"nextCursor"`
}

// walkPages follows a list route two rows at a time, passing each page's
// nextCursor back as param, and returns the keys of every row in the order
// the pages gave them.
func walkPages(t *testing.T, e *testEnv, headers map[string]string, path, param string, key func(map[string]json.RawMessage) string) []string {
	t.Helper()
	var keys []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatalf("%s: more than 100 pages of 2 rows", path)
		}
		u := path + sep(path) + "limit=2"
		if cursor != "" {
			u += "&" + param + "=" + url.QueryEscape(cursor)
		}
		p := getPage(t, e, headers, u)
		if len(p.Items) > 2 {
			t.Fatalf("%s: a page of %d rows with limit=2", u, len(p.Items))
		}
		for _, it := range p.Items {
			keys = append(keys, key(it))
		}
		if p.NextCursor == nil {
			return keys
		}
		if len(p.Items) == 0 && param == "cursor" {
			t.Fatalf("%s: an empty page with a nextCursor", u)
		}
		cursor = *p.NextCursor
	}
}

func getPage(t *testing.T, e *testEnv, headers map[string]string, u string) pageOf {
	t.Helper()
	res := e.do(t, http.MethodGet, u, headers, "")
	if res.status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", u, res.status, res.body)
	}
	var p pageOf
	if err := json.Unmarshal(res.body, &p); err != nil {
		t.Fatalf("GET %s: %v: %s", u, err, res.body)
	}
	return p
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// field is a key function reading one top-level field of a row.
func field(name string) func(map[string]json.RawMessage) string {
	return func(it map[string]json.RawMessage) string { return string(it[name]) }
}

// Every paginated route, walked two rows at a time, yields each row exactly
// once and in the order one big page gives them.
func TestPaginationWalksEveryRowOnce(t *testing.T) {
	t.Parallel()
	e := newRestEnv(t, nil)
	e.useActions(nil)
	e.srv.deps.Webhooks = WebhookDeps{Store: e.db}
	ctx := context.Background()
	root := e.mustCreate(t, "+60177777777", juta.RoleAdmin)
	for i := range 3 {
		if _, err := e.db.CreateUser(ctx, fmt.Sprintf("+6019555000%d", i), "hash", juta.RoleUser); err != nil {
			t.Fatal(err)
		}
	}
	shop := e.mustSession(t, e.alice.id, "shop")
	for i := range 3 {
		e.mustSession(t, e.bob.id, fmt.Sprintf("bob %d", i))
	}
	var msgs []juta.Message
	for i := range 7 {
		msgs = append(msgs, e.storeMsg(t, shop, fmt.Sprintf("+6011100000%d", i%5), fmt.Sprintf("W%d", i), fmt.Sprintf("note %d: send the report", i)))
	}
	for _, m := range msgs[:5] {
		if _, _, _, err := e.db.SaveDetection(ctx, juta.Detection{Message: m, Actions: []juta.Action{
			{Type: juta.ActionTask, Title: "Send the report", Confidence: 0.8}}}); err != nil {
			t.Fatal(err)
		}
	}
	wh, err := e.db.CreateWebhook(ctx, e.alice.id, juta.Webhook{URL: "https://example.com/h", Events: []string{"*"}, Secret: "s"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := e.db.Pool().Exec(ctx, `INSERT INTO webhook_deliveries (id, user_id, webhook_id, cursor, event_type, status, attempts)
			VALUES (nextval('webhook_delivery_seq'), $1, $2, $3, 'message', 'dead', 1)`, e.alice.id, wh.ID, i+1); err != nil {
			t.Fatal(err)
		}
	}
	alice := bearerHeader(e.alice.token)
	admin := bearerHeader(root.token)
	lastID := func(it map[string]json.RawMessage) string {
		var m struct {
			ID int64 `json:"id"`
		}
		_ = json.Unmarshal(it["lastMessage"], &m)
		return fmt.Sprint(m.ID)
	}
	sessionPath := fmt.Sprintf("/api/sessions/%d", shop.ID)
	for _, r := range []struct {
		path, param string
		key         func(map[string]json.RawMessage) string
		headers     map[string]string
		want        int // rows in all
	}{
		{sessionPath + "/messages", "cursor", field("id"), alice, 7},
		{sessionPath + "/messages?q=report", "cursor", field("id"), alice, 7},
		{sessionPath + "/chats", "cursor", lastID, alice, 5},
		{"/api/actions", "cursor", field("id"), alice, 5},
		{"/api/actions?type=task", "cursor", field("id"), alice, 5},
		{"/api/events", "after", field("cursor"), alice, 7 + 5},
		{fmt.Sprintf("/api/webhooks/%d/deliveries", wh.ID), "cursor", field("id"), alice, 5},
		{"/api/admin/users", "cursor", field("id"), admin, 6},
		{"/api/admin/sessions", "cursor", field("id"), admin, 4},
	} {
		t.Run(r.path, func(t *testing.T) {
			full := getPage(t, e.testEnv, r.headers, r.path+sep(r.path)+"limit=200")
			if full.NextCursor != nil {
				t.Fatalf("one page of 200 has a nextCursor %q", *full.NextCursor)
			}
			var want []string
			for _, it := range full.Items {
				want = append(want, r.key(it))
			}
			if len(want) != r.want {
				t.Fatalf("one big page has %d rows %v, want %d", len(want), want, r.want)
			}
			got := walkPages(t, e.testEnv, r.headers, r.path, r.param, r.key)
			if !slices.Equal(got, want) {
				t.Fatalf("walked two at a time: %v\nwant (one big page):   %v", got, want)
			}
			seen := map[string]bool{}
			for _, k := range got {
				if seen[k] || k == "" || k == "0" {
					t.Fatalf("row %q twice or without a key in %v", k, got)
				}
				seen[k] = true
			}
		})
	}
}
