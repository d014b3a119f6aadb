package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"go.mau.fi/util/dbutil"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/util/keys"

	"github.com/juta-app/juta"
)

// Cluster mode: whatsmeow writes a device's encryption state (identities,
// Signal sessions, pre-keys, sender keys, app-state keys and versions) and
// the device row itself through these wrappers when the client was created
// under a lease fence. Each write runs in a transaction that first calls the
// database's fence check (juta_fence, the same check as every other fenced
// write), so a node whose lease ended cannot overwrite or delete the keys the
// new holder uses: its write fails with juta.ErrStaleLease and changes
// nothing. Reads pass through. The LID map is global (facts about WhatsApp
// users, not one device's keys) and stays unfenced.

// fence runs writes for one device under one lease token.
type fence struct {
	db *dbutil.Database // the container's own: a transaction in ctx is joined
	f  juta.Fence
}

// write runs fn in a transaction (or the one ctx carries: whatsmeow wraps a
// decryption in one) after the fence check has passed in it.
func (fe *fence) write(ctx context.Context, fn func(context.Context) error) error {
	return fe.db.DoTxn(ctx, nil, func(ctx context.Context) error {
		if _, err := fe.db.Exec(ctx, `SELECT juta_fence($1, $2)`, int64(fe.f.UserID), fe.f.Token); err != nil {
			return fenceError(err)
		}
		return fn(ctx)
	})
}

// fenceError turns the fence's refusal into juta.ErrStaleLease.
func fenceError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == juta.StaleLeaseSQLState {
		return fmt.Errorf("device store: %s: %w", pe.Message, juta.ErrStaleLease)
	}
	return err
}

// fenceDevice makes every write of dev's stores (and of dev itself) go
// through fe. A device that is not stored yet (being linked) gets its stores
// when pairing saves it: the fenced container wraps them then.
func fenceDevice(dev *store.Device, inner *sqlstore.Container, fe *fence) {
	dev.Container = &fencedContainer{inner: inner, fe: fe}
	if !dev.Initialized {
		return
	}
	s := &fencedStore{inner: dev.Identities.(store.AllSessionSpecificStores), fe: fe}
	dev.Identities, dev.Sessions, dev.PreKeys, dev.SenderKeys = s, s, s, s
	dev.AppStateKeys, dev.AppState, dev.Contacts, dev.ChatSettings = s, s, s, s
	dev.MsgSecrets, dev.PrivacyTokens, dev.EventBuffer = s, s, s
}

// fencedContainer fences saving and deleting the device row.
type fencedContainer struct {
	inner *sqlstore.Container
	fe    *fence
}

var _ store.DeviceContainer = (*fencedContainer)(nil)

// PutDevice saves dev under the fence. whatsmeow's container gives a device
// saved for the first time its (unfenced) stores and itself as container:
// wrap them then (a later save leaves the fenced stores as they are).
func (c *fencedContainer) PutDevice(ctx context.Context, dev *store.Device) error {
	first := !dev.Initialized
	err := c.fe.write(ctx, func(ctx context.Context) error { return c.inner.PutDevice(ctx, dev) })
	if first && dev.Initialized {
		fenceDevice(dev, c.inner, c.fe)
	}
	return err
}

func (c *fencedContainer) DeleteDevice(ctx context.Context, dev *store.Device) error {
	return c.fe.write(ctx, func(ctx context.Context) error { return c.inner.DeleteDevice(ctx, dev) })
}

// fencedStore implements every per-device store of whatsmeow by delegation,
// spelled out so that a store method added by a whatsmeow upgrade fails the
// build here instead of bypassing the fence.
type fencedStore struct {
	inner store.AllSessionSpecificStores
	fe    *fence
}

var _ store.AllSessionSpecificStores = (*fencedStore)(nil)

func (s *fencedStore) w(ctx context.Context, fn func(context.Context) error) error {
	return s.fe.write(ctx, fn)
}

// IdentityStore

func (s *fencedStore) PutIdentity(ctx context.Context, address string, key [32]byte) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutIdentity(ctx, address, key) })
}
func (s *fencedStore) DeleteAllIdentities(ctx context.Context, phone string) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.DeleteAllIdentities(ctx, phone) })
}
func (s *fencedStore) DeleteIdentity(ctx context.Context, address string) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.DeleteIdentity(ctx, address) })
}
func (s *fencedStore) IsTrustedIdentity(ctx context.Context, address string, key [32]byte) (bool, error) {
	return s.inner.IsTrustedIdentity(ctx, address, key)
}

// SessionStore

func (s *fencedStore) GetSession(ctx context.Context, address string) ([]byte, error) {
	return s.inner.GetSession(ctx, address)
}
func (s *fencedStore) HasSession(ctx context.Context, address string) (bool, error) {
	return s.inner.HasSession(ctx, address)
}
func (s *fencedStore) GetManySessions(ctx context.Context, addresses []string) (map[string][]byte, error) {
	return s.inner.GetManySessions(ctx, addresses)
}
func (s *fencedStore) PutSession(ctx context.Context, address string, session []byte) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutSession(ctx, address, session) })
}
func (s *fencedStore) PutManySessions(ctx context.Context, sessions map[string][]byte) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutManySessions(ctx, sessions) })
}
func (s *fencedStore) DeleteAllSessions(ctx context.Context, phone string) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.DeleteAllSessions(ctx, phone) })
}
func (s *fencedStore) DeleteSession(ctx context.Context, address string) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.DeleteSession(ctx, address) })
}
func (s *fencedStore) MigratePNToLID(ctx context.Context, pn, lid types.JID) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.MigratePNToLID(ctx, pn, lid) })
}

// PreKeyStore: generating pre-keys stores them, so it is a write.

func (s *fencedStore) GetOrGenPreKeys(ctx context.Context, count uint32) (pk []*keys.PreKey, err error) {
	err = s.w(ctx, func(ctx context.Context) (err error) { pk, err = s.inner.GetOrGenPreKeys(ctx, count); return err })
	return pk, err
}
func (s *fencedStore) GenOnePreKey(ctx context.Context) (pk *keys.PreKey, err error) {
	err = s.w(ctx, func(ctx context.Context) (err error) { pk, err = s.inner.GenOnePreKey(ctx); return err })
	return pk, err
}
func (s *fencedStore) GetPreKey(ctx context.Context, id uint32) (*keys.PreKey, error) {
	return s.inner.GetPreKey(ctx, id)
}
func (s *fencedStore) RemovePreKey(ctx context.Context, id uint32) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.RemovePreKey(ctx, id) })
}
func (s *fencedStore) MarkPreKeysAsUploaded(ctx context.Context, upToID uint32) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.MarkPreKeysAsUploaded(ctx, upToID) })
}
func (s *fencedStore) UploadedPreKeyCount(ctx context.Context) (int, error) {
	return s.inner.UploadedPreKeyCount(ctx)
}

// SenderKeyStore

func (s *fencedStore) PutSenderKey(ctx context.Context, group, user string, session []byte) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutSenderKey(ctx, group, user, session) })
}
func (s *fencedStore) GetSenderKey(ctx context.Context, group, user string) ([]byte, error) {
	return s.inner.GetSenderKey(ctx, group, user)
}

// AppStateSyncKeyStore

func (s *fencedStore) PutAppStateSyncKey(ctx context.Context, id []byte, key store.AppStateSyncKey) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutAppStateSyncKey(ctx, id, key) })
}
func (s *fencedStore) GetAppStateSyncKey(ctx context.Context, id []byte) (*store.AppStateSyncKey, error) {
	return s.inner.GetAppStateSyncKey(ctx, id)
}
func (s *fencedStore) GetLatestAppStateSyncKeyID(ctx context.Context) ([]byte, error) {
	return s.inner.GetLatestAppStateSyncKeyID(ctx)
}

// AppStateStore

func (s *fencedStore) PutAppStateVersion(ctx context.Context, name string, version uint64, hash [128]byte) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutAppStateVersion(ctx, name, version, hash) })
}
func (s *fencedStore) GetAppStateVersion(ctx context.Context, name string) (uint64, [128]byte, error) {
	return s.inner.GetAppStateVersion(ctx, name)
}
func (s *fencedStore) DeleteAppStateVersion(ctx context.Context, name string) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.DeleteAppStateVersion(ctx, name) })
}
func (s *fencedStore) PutAppStateMutationMACs(ctx context.Context, name string, version uint64, m []store.AppStateMutationMAC) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutAppStateMutationMACs(ctx, name, version, m) })
}
func (s *fencedStore) DeleteAppStateMutationMACs(ctx context.Context, name string, indexMACs [][]byte) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.DeleteAppStateMutationMACs(ctx, name, indexMACs) })
}
func (s *fencedStore) GetAppStateMutationMAC(ctx context.Context, name string, indexMAC []byte) ([]byte, error) {
	return s.inner.GetAppStateMutationMAC(ctx, name, indexMAC)
}

// ContactStore

func (s *fencedStore) PutPushName(ctx context.Context, user types.JID, pushName string) (changed bool, prev string, err error) {
	err = s.w(ctx, func(ctx context.Context) (err error) {
		changed, prev, err = s.inner.PutPushName(ctx, user, pushName)
		return err
	})
	return changed, prev, err
}
func (s *fencedStore) PutBusinessName(ctx context.Context, user types.JID, name string) (changed bool, prev string, err error) {
	err = s.w(ctx, func(ctx context.Context) (err error) {
		changed, prev, err = s.inner.PutBusinessName(ctx, user, name)
		return err
	})
	return changed, prev, err
}
func (s *fencedStore) PutContactName(ctx context.Context, user types.JID, fullName, firstName string) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutContactName(ctx, user, fullName, firstName) })
}
func (s *fencedStore) PutAllContactNames(ctx context.Context, contacts []store.ContactEntry) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutAllContactNames(ctx, contacts) })
}
func (s *fencedStore) PutManyRedactedPhones(ctx context.Context, entries []store.RedactedPhoneEntry) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutManyRedactedPhones(ctx, entries) })
}
func (s *fencedStore) GetContact(ctx context.Context, user types.JID) (types.ContactInfo, error) {
	return s.inner.GetContact(ctx, user)
}
func (s *fencedStore) GetAllContacts(ctx context.Context) (map[types.JID]types.ContactInfo, error) {
	return s.inner.GetAllContacts(ctx)
}

// ChatSettingsStore

func (s *fencedStore) PutMutedUntil(ctx context.Context, chat types.JID, mutedUntil time.Time) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutMutedUntil(ctx, chat, mutedUntil) })
}
func (s *fencedStore) PutPinned(ctx context.Context, chat types.JID, pinned bool) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutPinned(ctx, chat, pinned) })
}
func (s *fencedStore) PutArchived(ctx context.Context, chat types.JID, archived bool) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutArchived(ctx, chat, archived) })
}
func (s *fencedStore) GetChatSettings(ctx context.Context, chat types.JID) (types.LocalChatSettings, error) {
	return s.inner.GetChatSettings(ctx, chat)
}

// MsgSecretStore

func (s *fencedStore) PutMessageSecrets(ctx context.Context, inserts []store.MessageSecretInsert) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutMessageSecrets(ctx, inserts) })
}
func (s *fencedStore) PutMessageSecret(ctx context.Context, chat, sender types.JID, id types.MessageID, secret []byte) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutMessageSecret(ctx, chat, sender, id, secret) })
}
func (s *fencedStore) GetMessageSecret(ctx context.Context, chat, sender types.JID, id types.MessageID) ([]byte, types.JID, error) {
	return s.inner.GetMessageSecret(ctx, chat, sender, id)
}

// PrivacyTokenStore

func (s *fencedStore) PutPrivacyTokens(ctx context.Context, tokens ...store.PrivacyToken) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutPrivacyTokens(ctx, tokens...) })
}
func (s *fencedStore) GetPrivacyToken(ctx context.Context, user types.JID) (*store.PrivacyToken, error) {
	return s.inner.GetPrivacyToken(ctx, user)
}

// EventBuffer: the decryption transaction is whatsmeow's own; the writes
// made inside it join it and check the fence there.

func (s *fencedStore) GetBufferedEvent(ctx context.Context, hash [32]byte) (*store.BufferedEvent, error) {
	return s.inner.GetBufferedEvent(ctx, hash)
}
func (s *fencedStore) PutBufferedEvent(ctx context.Context, hash [32]byte, plaintext []byte, ts time.Time) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.PutBufferedEvent(ctx, hash, plaintext, ts) })
}
func (s *fencedStore) DoDecryptionTxn(ctx context.Context, fn func(context.Context) error) error {
	return s.inner.DoDecryptionTxn(ctx, fn)
}
func (s *fencedStore) ClearBufferedEventPlaintext(ctx context.Context, hash [32]byte) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.ClearBufferedEventPlaintext(ctx, hash) })
}
func (s *fencedStore) DeleteOldBufferedHashes(ctx context.Context) error {
	return s.w(ctx, func(ctx context.Context) error { return s.inner.DeleteOldBufferedHashes(ctx) })
}
