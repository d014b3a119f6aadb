package persistence_test

import (
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// shareFixture is an owner with a session shared with a grantee, and a
// stranger who has nothing to do with it.
type shareFixture struct {
	db                       *persistence.DB
	owner, grantee, stranger juta.User
	sess                     juta.Session
	share                    juta.Share
	grantEvent               juta.Event
}

func newShareFixture(t *testing.T) shareFixture {
	t.Helper()
	db := pgtest.MustOpenDB(t)
	f := shareFixture{db: db, owner: mustUser(t, db), grantee: mustUser(t, db), stranger: mustUser(t, db)}
	f.sess = mustSession(t, db, f.owner.ID)
	var err error
	f.share, f.grantEvent, err = db.ShareSession(testCtx(t), f.owner.ID, f.sess.ID, f.grantee.Phone, juta.ShareViewer)
	if err != nil {
		t.Fatalf("share: %v", err)
	}
	return f
}

func TestShareGrantListAndRevoke(t *testing.T) {
	t.Parallel()
	f := newShareFixture(t)
	ctx := testCtx(t)
	if f.share.UserID != f.grantee.ID || f.share.Role != juta.ShareViewer || f.share.Phone != f.grantee.Phone {
		t.Fatalf("share = %+v", f.share)
	}
	// The grantee's log says so, in the grantee's cursor sequence.
	evs, err := f.db.EventsAfter(ctx, f.grantee.ID, 0, 0)
	if err != nil || len(evs) != 1 || evs[0].Type != juta.EventShareGranted || evs[0].SessionID != f.sess.ID {
		t.Fatalf("grantee events = %+v, %v", evs, err)
	}
	// Sharing again changes the role.
	if sh, _, err := f.db.ShareSession(ctx, f.owner.ID, f.sess.ID, f.grantee.Phone, juta.ShareAgent); err != nil || sh.Role != juta.ShareAgent {
		t.Fatalf("re-share = %+v, %v", sh, err)
	}
	got, err := f.db.ShareOf(ctx, f.grantee.ID, f.sess.ID)
	if err != nil || got.OwnerID != f.owner.ID || got.Role != juta.ShareAgent {
		t.Fatalf("share of grantee = %+v, %v", got, err)
	}
	shared, err := f.db.SharedWith(ctx, f.grantee.ID)
	if err != nil || len(shared) != 1 || shared[0].OwnerPhone != f.owner.Phone || shared[0].Name != f.sess.Name {
		t.Fatalf("shared with grantee = %+v, %v", shared, err)
	}
	list, err := f.db.Shares(ctx, f.owner.ID, f.sess.ID)
	if err != nil || len(list) != 1 || list[0].Phone != f.grantee.Phone {
		t.Fatalf("shares = %+v, %v", list, err)
	}

	ev, err := f.db.RevokeShare(ctx, f.owner.ID, f.sess.ID, f.grantee.ID)
	if err != nil || ev.Type != juta.EventShareRevoked || ev.UserID != f.grantee.ID {
		t.Fatalf("revoke = %+v, %v", ev, err)
	}
	_, err = f.db.ShareOf(ctx, f.grantee.ID, f.sess.ID)
	wantCode(t, err, juta.ENOTFOUND)
	_, err = f.db.RevokeShare(ctx, f.owner.ID, f.sess.ID, f.grantee.ID)
	wantCode(t, err, juta.ENOTFOUND)
}

func TestShareRefusals(t *testing.T) {
	t.Parallel()
	f := newShareFixture(t)
	ctx := testCtx(t)
	cases := []struct {
		name  string
		owner juta.UserID
		phone string
		role  juta.ShareRole
		code  string
	}{
		{"unknown phone", f.owner.ID, "+60100000000", juta.ShareViewer, juta.ENOTFOUND},
		{"someone else's session", f.stranger.ID, f.grantee.Phone, juta.ShareAgent, juta.ENOTFOUND},
		{"grantee re-shares", f.grantee.ID, f.stranger.Phone, juta.ShareViewer, juta.ENOTFOUND},
		{"own phone", f.owner.ID, f.owner.Phone, juta.ShareViewer, juta.EINVALID},
		{"own phone on someone else's session", f.stranger.ID, f.stranger.Phone, juta.ShareViewer, juta.ENOTFOUND},
		{"unknown role", f.owner.ID, f.stranger.Phone, "admin", juta.EINVALID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := f.db.ShareSession(ctx, c.owner, f.sess.ID, c.phone, c.role)
			wantCode(t, err, c.code)
		})
	}
	_, err := f.db.Shares(ctx, f.grantee.ID, f.sess.ID)
	wantCode(t, err, juta.ENOTFOUND)
	_, err = f.db.RevokeShare(ctx, f.grantee.ID, f.sess.ID, f.grantee.ID)
	wantCode(t, err, juta.ENOTFOUND)
}

// Row-level security on session_shares: the owner and the grantee see the
// share, a stranger does not, and only the owner may write it.
func TestRLSShares(t *testing.T) {
	t.Parallel()
	f := newShareFixture(t)
	ctx := testCtx(t)
	count := func(uid juta.UserID) int {
		var n int
		err := f.db.UserTxForTest(ctx, uid, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(*) FROM session_shares`).Scan(&n)
		})
		if err != nil {
			t.Fatalf("count as %d: %v", uid, err)
		}
		return n
	}
	if o, g, s := count(f.owner.ID), count(f.grantee.ID), count(f.stranger.ID); o != 1 || g != 1 || s != 0 {
		t.Fatalf("visible shares: owner %d, grantee %d, stranger %d; want 1, 1, 0", o, g, s)
	}
	for name, uid := range map[string]juta.UserID{"grantee": f.grantee.ID, "stranger": f.stranger.ID} {
		err := f.db.UserTxForTest(ctx, uid, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, `UPDATE session_shares SET role = 'agent'`)
			if err == nil && tag.RowsAffected() != 0 {
				t.Errorf("%s updated %d shares", name, tag.RowsAffected())
			}
			tag, err2 := tx.Exec(ctx, `DELETE FROM session_shares`)
			if err2 == nil && tag.RowsAffected() != 0 {
				t.Errorf("%s deleted %d shares", name, tag.RowsAffected())
			}
			if err != nil {
				return err
			}
			return err2
		})
		if err != nil {
			t.Fatalf("%s writes: %v", name, err)
		}
		err = f.db.UserBatchForTest(ctx, uid, func(b *pgx.Batch) {
			b.Queue(`INSERT INTO session_shares (session_id, owner_id, user_id, role) VALUES ($1, $2, $3, 'agent')`,
				f.sess.ID, f.owner.ID, f.stranger.ID)
		})
		wantRefused(t, name+" inserting a share of the owner's session", err)
	}
	if sh, err := f.db.ShareOf(ctx, f.grantee.ID, f.sess.ID); err != nil || sh.Role != juta.ShareViewer {
		t.Fatalf("share after others' writes = %+v, %v", sh, err)
	}
}

// Deleting the session ends its shares.
func TestShareCascadesWithSession(t *testing.T) {
	t.Parallel()
	f := newShareFixture(t)
	ctx := testCtx(t)
	if _, err := f.db.DeleteSession(ctx, f.owner.ID, f.sess.ID); err != nil {
		t.Fatal(err)
	}
	_, err := f.db.ShareOf(ctx, f.grantee.ID, f.sess.ID)
	wantCode(t, err, juta.ENOTFOUND)
	if shared, err := f.db.SharedWith(ctx, f.grantee.ID); err != nil || len(shared) != 0 {
		t.Fatalf("shared after delete = %+v, %v", shared, err)
	}
}
