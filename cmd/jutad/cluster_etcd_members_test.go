//go:build cluster

package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/juta-app/juta/actors"
)

// etcdMember is one member of a protoactor cluster on the etcd member list,
// in this process.
type etcdMember struct {
	lookup   *actors.LeaseLookup
	provider *etcdMembership
	member   *actors.Member
}

func startEtcdMember(t *testing.T, srv *etcdServer) *etcdMember {
	t.Helper()
	cfg, err := srv.Auth.clientConfig([]string{srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	p, err := newEtcdMembership(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	system := actors.NewSystem(slog.New(slog.DiscardHandler))
	lookup := actors.NewLeaseLookup(nil, time.Second, time.Second) // the lease table is not asked here
	m, err := actors.StartMember(system, "127.0.0.1:0", p, lookup)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Leave(); system.Shutdown() })
	return &etcdMember{lookup: lookup, provider: p, member: m}
}

// id is the member's current id.
func (m *etcdMember) id() string {
	m.provider.mu.Lock()
	defer m.provider.mu.Unlock()
	return m.provider.self.Id
}

// knows tells whether the member's cluster has the member id in its list.
func (m *etcdMember) knows(id string) bool { return m.member.Cluster.MemberList.ContainsMemberID(id) }

// The member list in etcd: two members see each other. When one's
// registration is lost while its key is gone (its etcd lease revoked, as
// when it expires during a pause), it registers again as a new member,
// which the other admits (protoactor never admits the old id again); when
// etcd is killed for longer than the members' etcd leases and started again
// on its data (which restores the keys), each registers again under a new
// etcd lease and keeps its member id.
func TestClusterEtcdMemberRegistersAgain(t *testing.T) {
	srv := newEtcdServer(t, nil)
	a, b := startEtcdMember(t, srv), startEtcdMember(t, srv)
	first := a.id()
	eventually(t, 10*time.Second, "the members to see each other", func() bool {
		return a.knows(b.id()) && b.knows(first) && a.lookup.Members() == 2 && b.lookup.Members() == 2
	})

	cli := srv.Client()
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	a.provider.mu.Lock()
	lease := a.provider.lease
	a.provider.mu.Unlock()
	if _, err := cli.Revoke(ctx, lease); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the member registered again as a new member that the other admits", func() bool {
		return a.id() != first && b.knows(a.id()) && !b.knows(first) && b.lookup.Members() == 2 && a.lookup.Members() == 2
	})
	second := a.id()
	t.Logf("member %s registered again as %s", first, second)

	before := srv.registrations()
	srv.Kill()
	lost := time.Now()
	eventually(t, 30*time.Second, "etcd down for twice the member TTL (the members' etcd leases lapse)", func() bool {
		return time.Since(lost) >= 2*memberTTL
	})
	srv.Start()
	eventually(t, 20*time.Second, "both members registered again under new etcd leases", func() bool {
		now := srv.registrations()
		fresh := 0
		for key, l := range now {
			if old, ok := before[key]; ok && old != l {
				fresh++
			}
		}
		return len(now) == 2 && fresh == 2
	})
	if a.id() != second || !b.knows(second) || !a.knows(b.id()) {
		t.Fatalf("a member id changed across an etcd restart: %s, want %s", a.id(), second)
	}
}
