package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/juta-app/juta"
)

const (
	// StaticKID names the single key of JUTA_JWT_SECRET.
	StaticKID = "config"
	maxKIDLen = 64
	// KeyringMaxAge is how stale the cached keys may get: a key rotated on
	// another node signs here after at most this long.
	KeyringMaxAge = time.Minute
	// KeyringMissInterval limits reloads caused by unknown kids, which anyone
	// can send: a key rotated on another node verifies here after at most this.
	KeyringMissInterval = 5 * time.Second
)

// keyring caches the signing keys of the store (or one static key). The
// newest key signs; every key that has not retired verifies.
type keyring struct {
	store juta.SigningKeyStore // nil for a static key
	now   func() time.Time
	log   *slog.Logger

	mu       sync.Mutex
	keys     []juta.SigningKey // newest first
	loadedAt time.Time
	missAt   time.Time
}

func newStaticKeyring(secret []byte) *keyring {
	return &keyring{keys: []juta.SigningKey{{KID: StaticKID, Secret: secret}}, now: time.Now}
}

func newStoreKeyring(store juta.SigningKeyStore, now func() time.Time, log *slog.Logger) *keyring {
	return &keyring{store: store, now: now, log: log}
}

// signing returns the key to sign with.
func (r *keyring) signing(ctx context.Context) (juta.SigningKey, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.load(ctx, false); err != nil {
		return juta.SigningKey{}, err
	}
	return r.keys[0], nil
}

// verifying returns the secret of kid if that key still verifies. An unknown
// kid reloads the keys (at most every KeyringMissInterval) in case another
// node rotated.
func (r *keyring) verifying(ctx context.Context, kid string) ([]byte, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.load(ctx, false); err != nil {
		return nil, false
	}
	if secret, ok := r.find(kid); ok {
		return secret, true
	}
	if r.store == nil || r.now().Sub(r.missAt) < KeyringMissInterval {
		return nil, false
	}
	r.missAt = r.now()
	if err := r.load(ctx, true); err != nil {
		return nil, false
	}
	return r.find(kid)
}

// stillVerifies tells whether kid names a key that verifies now, from the
// cached keys alone (no store round trip).
func (r *keyring) stillVerifies(kid string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.find(kid)
	return ok
}

func (r *keyring) find(kid string) ([]byte, bool) {
	now := r.now()
	for _, k := range r.keys {
		if k.KID == kid && (k.RetiresAt == nil || now.Before(*k.RetiresAt)) {
			return k.Secret, true
		}
	}
	return nil, false
}

// load refreshes the cache when it is stale or force is set; the first load
// on an empty store creates the first key. A failed refresh keeps serving the
// cached keys: a short database outage must not log everyone out.
func (r *keyring) load(ctx context.Context, force bool) error {
	now := r.now()
	if r.store == nil || (!force && len(r.keys) > 0 && now.Sub(r.loadedAt) < KeyringMaxAge) {
		return nil
	}
	keys, err := r.store.SigningKeys(ctx, now)
	if err == nil && len(keys) == 0 {
		var first juta.SigningKey
		if first, err = NewSigningKey(); err == nil {
			keys, err = r.store.EnsureSigningKey(ctx, first, now)
		}
	}
	if err == nil && len(keys) == 0 {
		err = fmt.Errorf("no signing key after creating one")
	}
	if err != nil {
		if len(r.keys) > 0 {
			r.log.Warn("reload signing keys failed; using cached keys", "error", err)
			return nil
		}
		return fmt.Errorf("load signing keys: %w", err)
	}
	r.keys, r.loadedAt = keys, now
	return nil
}

// NewSigningKey returns a fresh random key with a random kid, for the store
// (jutad admin rotate-key and the first start).
func NewSigningKey() (juta.SigningKey, error) {
	secret := make([]byte, 32)
	kid := make([]byte, 8)
	if _, err := rand.Read(secret); err != nil {
		return juta.SigningKey{}, fmt.Errorf("signing key: %w", err)
	}
	if _, err := rand.Read(kid); err != nil {
		return juta.SigningKey{}, fmt.Errorf("signing key id: %w", err)
	}
	return juta.SigningKey{KID: hex.EncodeToString(kid), Secret: secret}, nil
}
