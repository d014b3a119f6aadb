package whatsapp

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// fenceEnv is a migrated database with a device store on it, a user and two
// cluster nodes.
type fenceEnv struct {
	db   *persistence.DB
	p    *Provider
	uid  juta.UserID
	a, b juta.Holder
}

func newFenceEnv(t *testing.T) *fenceEnv {
	t.Helper()
	dbURL := pgtest.MustURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := persistence.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	p, err := NewProvider(ctx, dbURL, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	if err := p.Upgrade(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, "+60123450001", "x", "user")
	if err != nil {
		t.Fatal(err)
	}
	e := &fenceEnv{db: db, p: p, uid: u.ID}
	s := juta.ClusterSettings{LeaseTTL: 30 * time.Second}
	if e.a, err = db.JoinCluster(ctx, "node-a", "127.0.0.1:0", s); err != nil {
		t.Fatal(err)
	}
	if e.b, err = db.JoinCluster(ctx, "node-b", "127.0.0.1:0", s); err != nil {
		t.Fatal(err)
	}
	return e
}

// claim gives the user's lease to h and returns a context fenced with it.
func (e *fenceEnv) claim(t *testing.T, h juta.Holder) (context.Context, juta.Lease) {
	t.Helper()
	l, err := e.db.ClaimLease(context.Background(), e.uid, h, 30*time.Second)
	if err != nil {
		t.Fatalf("claim for %s: %v", h.Node, err)
	}
	return juta.WithFence(context.Background(), e.uid, l.Token), l
}

// handOver moves the user's lease from the holder of l to h.
func (e *fenceEnv) handOver(t *testing.T, l juta.Lease, h juta.Holder) context.Context {
	t.Helper()
	if err := e.db.ReleaseLease(context.Background(), e.uid, l.Token); err != nil {
		t.Fatal(err)
	}
	ctx, _ := e.claim(t, h)
	return ctx
}

func (e *fenceEnv) device(t *testing.T, ctx context.Context, jid types.JID) *store.Device {
	t.Helper()
	c, err := e.p.NewClient(ctx, 1, jid.String(), (&recorder{}).handle)
	if err != nil {
		t.Fatal(err)
	}
	return c.(*Client).wa.Store
}

func assertStale(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, juta.ErrStaleLease) {
		t.Fatalf("%s with a stale token: err = %v, want ErrStaleLease", what, err)
	}
}

// A node that lost the user's lease cannot change the device's encryption
// state: each write is refused by the database and the rows stay as they
// were; the new holder's writes go through.
func TestDeviceStoreStaleTokenRefused(t *testing.T) {
	e := newFenceEnv(t)
	jid := types.NewADJID("60123450001", 0, 7)
	saved := mustStoreDevice(t, e.p, jid)
	bg := context.Background()

	ctxA, la := e.claim(t, e.a)
	old := e.device(t, ctxA, jid)
	if err := old.Sessions.PutSession(bg, "peer.0", []byte("a1")); err != nil {
		t.Fatalf("holder's session write: %v", err)
	}
	if err := old.Identities.PutIdentity(bg, "peer.0", [32]byte{1}); err != nil {
		t.Fatalf("holder's identity write: %v", err)
	}

	ctxB := e.handOver(t, la, e.b)
	assertStale(t, "session write", old.Sessions.PutSession(bg, "peer.0", []byte("stale")))
	assertStale(t, "identity write", old.Identities.PutIdentity(bg, "peer.0", [32]byte{2}))
	assertStale(t, "sender key write", old.SenderKeys.PutSenderKey(bg, "g", "peer.0", []byte("stale")))
	assertStale(t, "app-state key write", old.AppStateKeys.PutAppStateSyncKey(bg, []byte("k"), store.AppStateSyncKey{Data: []byte("stale")}))
	assertStale(t, "app-state version write", old.AppState.PutAppStateVersion(bg, "regular", 9, [128]byte{9}))
	_, err := old.PreKeys.GetOrGenPreKeys(bg, 5)
	assertStale(t, "pre-key generation", err)
	// Inside whatsmeow's decryption transaction: the whole transaction fails.
	err = old.EventBuffer.DoDecryptionTxn(bg, func(ctx context.Context) error {
		return old.Sessions.PutSession(ctx, "peer.0", []byte("stale in txn"))
	})
	assertStale(t, "session write in a decryption transaction", err)
	old.PushName = "stale name"
	assertStale(t, "device save", old.Save(bg))
	assertStale(t, "device delete", old.Container.DeleteDevice(bg, old))

	cur := e.device(t, ctxB, jid)
	if got, err := cur.Sessions.GetSession(bg, "peer.0"); err != nil || string(got) != "a1" {
		t.Fatalf("session after stale writes = %q, %v; want a1", got, err)
	}
	if ok, err := cur.Identities.IsTrustedIdentity(bg, "peer.0", [32]byte{1}); err != nil || !ok {
		t.Fatalf("identity changed by a stale write (trusted=%v, %v)", ok, err)
	}
	if sk, _ := cur.SenderKeys.GetSenderKey(bg, "g", "peer.0"); sk != nil {
		t.Fatalf("stale sender key stored: %q", sk)
	}
	if k, _ := cur.AppStateKeys.GetAppStateSyncKey(bg, []byte("k")); k != nil {
		t.Fatal("stale app-state key stored")
	}
	if n, _ := cur.PreKeys.UploadedPreKeyCount(bg); n != 0 {
		t.Fatalf("pre-keys: %d uploaded", n)
	}
	if v, _, _ := cur.AppState.GetAppStateVersion(bg, "regular"); v != 0 {
		t.Fatalf("app-state version = %d after a stale write", v)
	}
	if cur.PushName != saved.PushName || !bytes.Equal(cur.Account.AccountSignature, saved.Account.AccountSignature) {
		t.Fatalf("device row changed by a stale save: push name %q", cur.PushName)
	}

	// The holder's writes go through.
	if err := cur.Sessions.PutSession(bg, "peer.0", []byte("b1")); err != nil {
		t.Fatalf("holder's session write: %v", err)
	}
	if got, _ := cur.Sessions.GetSession(bg, "peer.0"); string(got) != "b1" {
		t.Fatalf("session = %q, want b1", got)
	}
	if _, err := cur.PreKeys.GetOrGenPreKeys(bg, 3); err != nil {
		t.Fatalf("holder's pre-key generation: %v", err)
	}
	cur.PushName = "new name"
	if err := cur.Save(bg); err != nil {
		t.Fatalf("holder's device save: %v", err)
	}
	// A save of a stored device keeps its stores as they were (one fence).
	if s, ok := cur.Sessions.(*fencedStore); !ok {
		t.Fatalf("sessions store after a save: %T", cur.Sessions)
	} else if _, twice := s.inner.(*fencedStore); twice {
		t.Fatal("a save wrapped the fenced stores again")
	}
}

// A device linked under a fence (QR pairing saves it for the first time)
// gets fenced stores: whatsmeow's container would hand it unfenced ones.
func TestDeviceStoreLinkedUnderFence(t *testing.T) {
	e := newFenceEnv(t)
	bg := context.Background()
	ctxA, la := e.claim(t, e.a)
	c, err := e.p.NewClient(ctxA, 1, "", (&recorder{}).handle)
	if err != nil {
		t.Fatal(err)
	}
	dev := c.(*Client).wa.Store
	jid := types.NewADJID("60123450001", 0, 8)
	dev.ID = &jid
	dev.Account = mustStoreDevice(t, e.p, types.NewADJID("60123450009", 0, 1)).Account
	if err := dev.Save(bg); err != nil {
		t.Fatalf("pairing save under the lease: %v", err)
	}
	e.handOver(t, la, e.b)
	assertStale(t, "session write of a device linked under the old lease", dev.Sessions.PutSession(bg, "peer.0", []byte("x")))
	assertStale(t, "second save", dev.Save(bg))
}
