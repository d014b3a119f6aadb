package main

import (
	"context"
	"fmt"
)

// backendMarker names the row (in the deployment's secrets table, which holds
// the other facts that belong to a database rather than to a node) recording
// which WhatsApp backend the database's sessions were linked with.
const backendMarker = "whatsapp_backend"

// claimBackend records the configured WhatsApp backend in a database that has
// none yet and refuses a database whose sessions belong to the other one: a
// simulator device is unknown to whatsmeow (and the reverse), so starting on
// it would log every such session out and delete its device.
func (m *Main) claimBackend(ctx context.Context) error {
	want := m.cfg.WhatsApp
	got, err := m.db.Secret(ctx, backendMarker, func() ([]byte, error) { return []byte(want), nil })
	if err != nil {
		return fmt.Errorf("read the database's whatsapp backend: %w", err)
	}
	if string(got) != want {
		return fmt.Errorf("this database belongs to JUTA_WHATSAPP=%s and this node runs %s: its sessions would be "+
			"logged out; use another database (make demo uses its own, juta_demo) or JUTA_WHATSAPP=%s", got, want, got)
	}
	return nil
}
