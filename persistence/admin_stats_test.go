package persistence_test

import (
	"context"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// The overview counts users active in the last hour against resting ones,
// sessions by state, messages stored per minute, and webhook lag: the oldest
// waiting event and the delays of deliveries.
func TestAdminStatsAggregates(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	active, resting := mustUser(t, db), mustUser(t, db)
	disabled := mustUser(t, db)
	if _, err := db.SetUserDisabled(ctx, disabled.ID, true); err != nil {
		t.Fatal(err)
	}
	s := mustSession(t, db, active.ID)
	mustSession(t, db, resting.ID)
	w := mustWebhook(t, db, active.ID, 0)
	for _, id := range []string{"W1", "W2", "W3"} {
		storeMsg(t, db, msg(s, id, "hello"))
	}
	st := adminStats(ctx, t, db)
	if st.Users.Total != 3 || st.Users.Disabled != 1 || st.Users.Active != 1 || st.Users.Resting != 1 {
		t.Fatalf("users = %+v", st.Users)
	}
	if st.Count(juta.StateNew) != 2 {
		t.Fatalf("sessions by state = %v", st.SessionsByState)
	}
	if len(st.Ingest.PerMinute) != 60 || st.Ingest.LastHour != 3 || st.Ingest.PerMinute[59]+st.Ingest.PerMinute[58] != 3 {
		t.Fatalf("ingest = %+v", st.Ingest)
	}
	if st.Webhooks.Webhooks != 1 || st.Webhooks.PendingEvents != 3 || st.Webhooks.OldestPendingSeconds <= 0 {
		t.Fatalf("webhook backlog = %+v", st.Webhooks)
	}
	// Delivering the first event records one delay sample; the oldest
	// waiting event is then a later one.
	claims, err := db.ClaimWebhooks(ctx, time.Minute, 10)
	if err != nil || len(claims) != 1 || claims[0].Webhook.ID != w.ID {
		t.Fatalf("claim: %+v, %v", claims, err)
	}
	if err := db.AdvanceWebhook(ctx, &claims[0], 1); err != nil {
		t.Fatal(err)
	}
	after := adminStats(ctx, t, db)
	if after.Webhooks.PendingEvents != 2 || after.Webhooks.DeliveredLastHour != 1 || after.Webhooks.DelayP99Seconds <= 0 ||
		after.Webhooks.DelayP50Seconds > after.Webhooks.DelayP99Seconds {
		t.Fatalf("webhook lag after a delivery = %+v", after.Webhooks)
	}
	// Advancing to where the cursor already is records nothing.
	if err := db.AdvanceWebhook(ctx, &claims[0], 1); err != nil {
		t.Fatal(err)
	}
	if again := adminStats(ctx, t, db); again.Webhooks.DeliveredLastHour != 1 {
		t.Fatalf("a repeated advance was sampled: %+v", again.Webhooks)
	}
}

func adminStats(ctx context.Context, t *testing.T, db interface {
	AdminStats(context.Context, time.Time) (juta.AdminStats, error)
}) juta.AdminStats {
	t.Helper()
	st, err := db.AdminStats(ctx, time.Now().Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return st
}
