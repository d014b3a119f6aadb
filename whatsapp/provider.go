// Package whatsapp implements juta.WAProvider and juta.WAClient on whatsmeow.
// Device keys live in whatsmeow's own tables (whatsmeow_*) in our Postgres,
// reached through pgx's database/sql driver. It is the only package that
// imports whatsmeow.
package whatsapp

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"go.mau.fi/util/dbutil"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/store/sqlstore/upgrades"
	"go.mau.fi/whatsmeow/types"

	"github.com/juta-app/juta"
)

// Pool limits for the device store. Every client of the process shares this
// pool, so it is capped well below Postgres' max_connections; whatsmeow's
// transactions carry their connection in the context, so a cap cannot
// deadlock a nested query.
const (
	maxOpenConns    = 32
	maxIdleConns    = 4
	connMaxIdleTime = 5 * time.Minute
)

// Provider builds whatsmeow clients whose device keys live in Postgres.
type Provider struct {
	container *sqlstore.Container
	db        *dbutil.Database // the container's: fenced writes open their transactions on it
	log       *slog.Logger
	// HistoryWindow bounds the history batch stored at linking (default
	// juta.DefaultHistoryWindow); set it before the first NewClient.
	HistoryWindow time.Duration
}

var _ juta.WAProvider = (*Provider)(nil)

// NewProvider opens whatsmeow's device store on databaseURL. It does not
// create or upgrade whatsmeow's tables: call Upgrade once (under the
// migration lock) before the first NewClient.
func NewProvider(ctx context.Context, databaseURL string, log *slog.Logger) (*Provider, error) {
	if log == nil {
		log = slog.Default()
	}
	db, err := sql.Open("pgx", databaseURL)
	if err != nil {
		return nil, fmt.Errorf("open whatsmeow device store: %w", err)
	}
	db.SetMaxOpenConns(maxOpenConns)
	db.SetMaxIdleConns(maxIdleConns)
	db.SetConnMaxIdleTime(connMaxIdleTime)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("reach whatsmeow device store: %w", err)
	}
	log = log.With("component", "whatsmeow")
	// What sqlstore.NewWithDB does, keeping the wrapped database for the
	// fenced writes (see fence.go).
	wrapped, err := dbutil.NewWithDB(db, "postgres")
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("wrap whatsmeow device store: %w", err)
	}
	wrapped.UpgradeTable = upgrades.Table
	wrapped.VersionTable = "whatsmeow_version"
	container := sqlstore.NewWithWrappedDB(wrapped, newWALogger(log, "store"))
	return &Provider{container: container, db: wrapped, log: log}, nil
}

// Upgrade creates or upgrades whatsmeow's tables. It is idempotent. Several
// processes starting at once must serialise it (the caller holds an advisory
// lock); whatsmeow's upgrader does not.
func (p *Provider) Upgrade(ctx context.Context) error {
	if err := p.container.Upgrade(ctx); err != nil {
		return fmt.Errorf("upgrade whatsmeow device store: %w", err)
	}
	return nil
}

// Close closes the device store's pool. Clients must be disconnected first.
func (p *Provider) Close() {
	if err := p.container.Close(); err != nil {
		p.log.Warn("close whatsmeow device store", "err", err)
	}
}

// NewClient returns an unconnected client for the stored device deviceJID, or
// for a fresh device to be linked when deviceJID is "". It reads the device
// keys from Postgres and does no network I/O. EINVALID for a malformed JID,
// ENOTFOUND when no keys are stored for it. When ctx carries a lease fence
// (cluster mode), every write of the device's keys is made under it.
func (p *Provider) NewClient(ctx context.Context, sid juta.SessionID, deviceJID string, h juta.WAHandler) (juta.WAClient, error) {
	if h == nil {
		return nil, juta.Errorf(juta.EINVALID, "no event handler")
	}
	if deviceJID == "" {
		return p.withWindow(newClient(p.fenced(ctx, p.container.NewDevice()), sid, h, p.log)), nil
	}
	jid, err := types.ParseJID(deviceJID)
	if err != nil || jid.User == "" || jid.Server == "" {
		return nil, juta.Errorf(juta.EINVALID, "malformed device id %q", deviceJID)
	}
	dev, err := p.container.GetDevice(ctx, jid)
	if err != nil {
		return nil, fmt.Errorf("load whatsmeow device of session %d: %w", sid, err)
	}
	if dev == nil {
		return nil, juta.Errorf(juta.ENOTFOUND, "no stored keys for device %s", deviceJID)
	}
	return p.withWindow(newClient(p.fenced(ctx, dev), sid, h, p.log)), nil
}

// fenced wraps dev's stores in the fence ctx carries, if any.
func (p *Provider) fenced(ctx context.Context, dev *store.Device) *store.Device {
	if f, ok := juta.FenceFrom(ctx); ok {
		fenceDevice(dev, p.container, &fence{db: p.db, f: f})
	}
	return dev
}

func (p *Provider) withWindow(c *Client) *Client {
	if p.HistoryWindow > 0 {
		c.history = p.HistoryWindow
	}
	return c
}
