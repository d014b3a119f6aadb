package whatsapp

import (
	"context"
	"testing"

	"go.mau.fi/whatsmeow/types"

	"github.com/juta-app/juta"
)

func TestDeviceStoreRoundTrip(t *testing.T) {
	p := mustProvider(t)
	jid := types.NewADJID("60123456789", 0, 12)
	saved := mustStoreDevice(t, p, jid)

	rec := &recorder{}
	c := mustClient(t, p, jid.String(), rec.handle)
	if got := c.DeviceJID(); got != jid.String() {
		t.Fatalf("DeviceJID = %q, want %q", got, jid.String())
	}
	got := c.wa.Store
	if *got.IdentityKey.Priv != *saved.IdentityKey.Priv || *got.NoiseKey.Priv != *saved.NoiseKey.Priv ||
		got.RegistrationID != saved.RegistrationID || string(got.Account.AccountSignature) != string(saved.Account.AccountSignature) {
		t.Fatal("client did not load the saved keys")
	}
}

func TestNewClientErrors(t *testing.T) {
	p := mustProvider(t)
	h := (&recorder{}).handle
	tests := []struct {
		name      string
		deviceJID string
		h         juta.WAHandler
		code      string
	}{
		{"unknown device", "60100000000:3@s.whatsapp.net", h, juta.ENOTFOUND},
		{"malformed device", "not a jid@", h, juta.EINVALID},
		{"no handler", "", nil, juta.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.NewClient(context.Background(), 1, tt.deviceJID, tt.h)
			if got := juta.ErrorCode(err); got != tt.code {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.code)
			}
		})
	}
}

func TestNewDeviceClient(t *testing.T) {
	p := mustProvider(t)
	c := mustClient(t, p, "", (&recorder{}).handle)
	if c.DeviceJID() != "" {
		t.Fatalf("new device has JID %q", c.DeviceJID())
	}
	if !c.wa.SynchronousAck || !c.wa.EnableDecryptedEventBuffer || c.wa.EnableAutoReconnect {
		t.Fatalf("client settings: SynchronousAck=%v EnableDecryptedEventBuffer=%v EnableAutoReconnect=%v",
			c.wa.SynchronousAck, c.wa.EnableDecryptedEventBuffer, c.wa.EnableAutoReconnect)
	}
	// Nothing is stored before pairing: the device has no JID to key it by.
	all, err := p.container.GetAllDevices(context.Background())
	if err != nil || len(all) != 0 {
		t.Fatalf("devices stored before pairing: %d (%v)", len(all), err)
	}
}

func TestUpgrade(t *testing.T) {
	p := mustRawProvider(t)
	ctx := context.Background()
	jid := "60123456789:4@s.whatsapp.net"

	// NewProvider must not have created whatsmeow's tables: the wiring runs
	// Upgrade under the migration lock.
	_, err := p.NewClient(ctx, 1, jid, (&recorder{}).handle)
	if err == nil || juta.ErrorCode(err) == juta.ENOTFOUND {
		t.Fatalf("before Upgrade, loading a device gave %v; want a missing-table error", err)
	}
	for i := range 2 {
		if err := p.Upgrade(ctx); err != nil {
			t.Fatalf("upgrade #%d: %v", i+1, err)
		}
	}
	_, err = p.NewClient(ctx, 1, jid, (&recorder{}).handle)
	if code := juta.ErrorCode(err); code != juta.ENOTFOUND {
		t.Fatalf("after Upgrade, unknown device gave %v; want %s", err, juta.ENOTFOUND)
	}
}

func TestNewProviderBadURL(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10e9)
	defer cancel()
	if _, err := NewProvider(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", nil); err == nil {
		t.Fatal("NewProvider succeeded without a reachable database")
	}
}
