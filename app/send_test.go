package app

import (
	"strings"
	"testing"
)

// The WhatsApp id of a keyed send is fixed by the caller, session and key,
// differs when any of them does, and looks like a WhatsApp Web id.
func TestKeyedMessageID(t *testing.T) {
	t.Parallel()
	id := KeyedMessageID(1, 2, "order-1")
	if id != KeyedMessageID(1, 2, "order-1") || len(id) != 36 || !strings.HasPrefix(id, "3EB0") || strings.ToUpper(id) != id {
		t.Fatalf("id %q", id)
	}
	for _, other := range []string{KeyedMessageID(3, 2, "order-1"), KeyedMessageID(1, 3, "order-1"), KeyedMessageID(1, 2, "order-2")} {
		if other == id {
			t.Fatalf("%q is shared by different sends", id)
		}
	}
}
