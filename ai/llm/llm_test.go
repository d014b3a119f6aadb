package llm

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai"
)

func TestGoodAnswer(t *testing.T) {
	fake := newFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, goodAnswer) })
	rules := &stubRules{}
	d := New(fake.config(), rules)

	acts, err := d.Detect(context.Background(), input(meetingText))
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) != 2 || rules.calls.Load() != 0 {
		t.Fatalf("got %+v (fallback calls %d), want the model's two actions", acts, rules.calls.Load())
	}
	m, p := acts[0], acts[1]
	want := time.Date(2025, 3, 7, 15, 0, 0, 0, kl)
	if m.Type != juta.ActionMeeting || m.DueAt == nil || !m.DueAt.Equal(want) || m.DueAt.Location().String() != "Asia/Kuala_Lumpur" ||
		len(m.People) != 1 || m.People[0] != "Aisyah" || m.Span != "Meeting with Aisyah esok 3pm" || m.Confidence != 0.92 {
		t.Errorf("meeting = %+v", m)
	}
	if p.Type != juta.ActionPayment || p.Amount != "250.00" || p.Currency != "MYR" || p.Draft != "" {
		t.Errorf("payment = %+v", p)
	}

	reqs := fake.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.method != http.MethodPost || r.path != "/v1/chat/completions" || r.contentType != "application/json" {
		t.Errorf("request %s %s (%s)", r.method, r.path, r.contentType)
	}
	if r.auth != "Bearer "+testKey {
		t.Errorf("Authorization = %q, want the bearer key", r.auth)
	}
	req, doc := sentRequest(t, r.body)
	if req["model"] != "test-model" {
		t.Errorf("model = %v", req["model"])
	}
	if rf, _ := req["response_format"].(map[string]any); rf["type"] != "json_object" {
		t.Errorf("response_format = %v", req["response_format"])
	}
	sys := req["messages"].([]any)[0].(map[string]any)
	if sys["role"] != "system" || sys["content"] != systemPrompt {
		t.Errorf("first message is not our system prompt: %v", sys["role"])
	}
	if doc.Message.Text != meetingText || doc.ReferenceTime != "2025-03-06T10:00:00+08:00" ||
		doc.TimeZone != "Asia/Kuala_Lumpur" || doc.Message.From != "contact" {
		t.Errorf("chat data = %+v", doc)
	}
	if strings.Contains(string(r.body), "60123456789") {
		t.Error("the peer's phone number was sent to the model")
	}

	st := d.Stats()
	if st.Calls != 1 || st.Requests != 1 || st.Successes != 1 || st.Fallbacks != 0 || st.Dropped != 0 {
		t.Errorf("stats = %+v", st)
	}
}

func TestStrictSchemaRequest(t *testing.T) {
	fake := newFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, `{"actions":[]}`) })
	cfg := fake.config()
	cfg.StrictSchema = true
	cfg.APIKey = ""
	temp := 0.0
	cfg.Temperature = &temp
	cfg.MaxTokens = 500
	acts, err := New(cfg, &stubRules{}).Detect(context.Background(), input("ok noted"))
	if err != nil || len(acts) != 0 {
		t.Fatalf("Detect = %v, %v; want no actions", acts, err)
	}
	r := fake.requests()[0]
	if r.auth != "" {
		t.Errorf("Authorization sent without a key: %q", r.auth)
	}
	req, _ := sentRequest(t, r.body)
	rf, _ := req["response_format"].(map[string]any)
	js, _ := rf["json_schema"].(map[string]any)
	if rf["type"] != "json_schema" || js["strict"] != true || js["name"] != "actions" || js["schema"] == nil {
		t.Errorf("response_format = %v", rf)
	}
	if req["temperature"] != 0.0 || req["max_tokens"] != 500.0 {
		t.Errorf("temperature %v, max_tokens %v", req["temperature"], req["max_tokens"])
	}
}

func TestFallbackOnBadAnswers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer func(w http.ResponseWriter)
		reason Reason
	}{
		{"malformed JSON", func(w http.ResponseWriter) { reply(w, `{"actions":[{"type":"meeting",`) }, ReasonMalformed},
		{"prose", func(w http.ResponseWriter) { reply(w, "Sure! Here are the actions: a meeting tomorrow.") }, ReasonMalformed},
		{"wrong shape", func(w http.ResponseWriter) { reply(w, `{"actions":[],"note":"x"}`) }, ReasonMalformed},
		{"not a completion", func(w http.ResponseWriter) { _, _ = w.Write([]byte(`<html>proxy</html>`)) }, ReasonMalformed},
		{"no choices", func(w http.ResponseWriter) { _, _ = w.Write([]byte(`{"choices":[]}`)) }, ReasonMalformed},
		{"cut off", func(w http.ResponseWriter) {
			replyChoice(w, map[string]any{"content": `{"actions":[`}, "length")
		}, ReasonMalformed},
		{"refusal", func(w http.ResponseWriter) {
			replyChoice(w, map[string]any{"content": nil, "refusal": "I can't help with that."}, "stop")
		}, ReasonRefusal},
		{"content filter", func(w http.ResponseWriter) {
			replyChoice(w, map[string]any{"content": ""}, "content_filter")
		}, ReasonRefusal},
		{"bad request", func(w http.ResponseWriter) {
			http.Error(w, `{"error":{"message":"model not found"}}`, http.StatusNotFound)
		}, ReasonClient},
		{"every action invalid", func(w http.ResponseWriter) {
			reply(w, `{"actions":[{"type":"meeting","title":"Meet","dueAt":null,"people":[],"amount":null,`+
				`"currency":null,"confidence":0.9,"span":"lunch on Friday","draft":""}]}`)
		}, ReasonInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := newFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) { tc.answer(w) })
			rules := &stubRules{}
			d := New(fake.config(), rules)
			acts, err := d.Detect(context.Background(), input(meetingText))
			if err != nil || len(acts) != 1 || acts[0].Title != fromRules.Title {
				t.Fatalf("Detect = %+v, %v; want the fallback's action", acts, err)
			}
			st := d.Stats()
			if st.Failures[tc.reason] != 1 || st.Fallbacks != 1 || st.Successes != 0 {
				t.Errorf("stats = %+v, want one %s failure and one fallback", st, tc.reason)
			}
			if n := len(fake.requests()); n != 1 {
				t.Errorf("%d requests, want 1 (this failure is not retried)", n)
			}
		})
	}
}

func TestSlowAnswerTimesOut(t *testing.T) {
	var fake *fakeLLM
	fake = newFake(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-fake.release:
		}
	})
	cfg := fake.config()
	cfg.Timeout = 50 * time.Millisecond
	rules := &stubRules{}
	d := New(cfg, rules)
	acts, err := d.Detect(context.Background(), input(meetingText))
	if err != nil || len(acts) != 1 || rules.calls.Load() != 1 {
		t.Fatalf("Detect = %+v, %v; want the fallback's action", acts, err)
	}
	if st := d.Stats(); st.Failures[ReasonTimeout] != 1 || st.Requests != 1 {
		t.Errorf("stats = %+v, want one timeout and no retry", st)
	}
}

func TestCallerCancelIsNotAFailure(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var fake *fakeLLM
	fake = newFake(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		cancel()
		select {
		case <-r.Context().Done():
		case <-fake.release:
		}
	})
	rules := &stubRules{}
	d := New(fake.config(), rules)
	_, err := d.Detect(ctx, input(meetingText))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if rules.calls.Load() != 0 || d.Stats().Fallbacks != 0 {
		t.Error("a cancelled caller was handed to the fallback")
	}
}

func TestFallbackIsTheRealRules(t *testing.T) {
	fake := newFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, "{") })
	d := New(fake.config(), ai.NewRules(ai.Options{}))
	acts, err := d.Detect(context.Background(), input("boleh transfer RM250 before Friday?"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range acts {
		found = found || a.Type == juta.ActionPayment && a.Amount == "250.00"
	}
	if !found {
		t.Errorf("rules fallback gave %+v, want the RM250 payment", acts)
	}
}

func TestContextIsTrimmedAndAnonymous(t *testing.T) {
	fake := newFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, `{"actions":[]}`) })
	cfg := fake.config()
	cfg.ContextMessages = 2
	in := input("ok jumpa esok")
	for i, text := range []string{"first", "second", "third"} {
		in.Context = append(in.Context, juta.Message{Text: text, FromMe: i == 2, Sender: "60199999999",
			SentAt: sentAt.Add(time.Duration(i-3) * time.Minute)})
	}
	if _, err := New(cfg, &stubRules{}).Detect(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	body := fake.requests()[0].body
	_, doc := sentRequest(t, body)
	if len(doc.Context) != 2 || doc.Context[0].Text != "second" || doc.Context[0].From != "contact" ||
		doc.Context[1].Text != "third" || doc.Context[1].From != "me" || doc.Context[1].SentAt != "2025-03-06T09:59:00+08:00" {
		t.Errorf("context = %+v", doc.Context)
	}
	if strings.Contains(string(body), "60199999999") {
		t.Error("a sender's phone number was sent to the model")
	}
}

func TestEmptyMessageSpendsNoCall(t *testing.T) {
	fake := newFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, goodAnswer) })
	d := New(fake.config(), &stubRules{})
	acts, err := d.Detect(context.Background(), input(" \n "))
	if err != nil || len(acts) != 0 || len(fake.requests()) != 0 {
		t.Errorf("Detect = %+v, %v after %d requests; want nothing and no call", acts, err, len(fake.requests()))
	}
}
