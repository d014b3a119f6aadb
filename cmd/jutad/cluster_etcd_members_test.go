//go:build cluster

package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

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

// registration is the member's current key in etcd and the etcd lease it
// is bound to.
func (m *etcdMember) registration() (string, clientv3.LeaseID) {
	m.provider.mu.Lock()
	defer m.provider.mu.Unlock()
	return m.provider.key(m.provider.self), m.provider.lease
}

// pair starts two members on srv and waits until they see each other.
func pair(t *testing.T, srv *etcdServer) (a, b *etcdMember) {
	t.Helper()
	a, b = startEtcdMember(t, srv), startEtcdMember(t, srv)
	eventually(t, 10*time.Second, "the members to see each other", func() bool {
		return a.knows(b.id()) && b.knows(a.id()) && a.lookup.Members() == 2 && b.lookup.Members() == 2
	})
	return a, b
}

// The member list in etcd: two members see each other. When one's
// registration is lost while its key is gone (its etcd lease revoked, as
// when it expires during a pause), it registers again as a new member,
// which the other admits (protoactor never admits the old id again). When
// etcd is killed for longer than the members' etcd leases and started again
// on its data (which restores the keys, each for one more etcd lease), each
// member registers again under a new etcd lease: it keeps its member id if
// its key was still there, else (the key expired before the member reached
// the restarted etcd, which a loaded machine can delay) it registers as a
// new member; either way both are members again and see each other. etcd's
// history tells which it was.
func TestClusterEtcdMemberRegistersAgain(t *testing.T) {
	srv := newEtcdServer(t, nil)
	a, b := pair(t, srv)
	first := a.id()

	cli := srv.Client()
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, lease := a.registration()
	if _, err := cli.Revoke(ctx, lease); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the member registered again as a new member that the other admits", func() bool {
		return a.id() != first && b.knows(a.id()) && !b.knows(first) && b.lookup.Members() == 2 && a.lookup.Members() == 2
	})
	t.Logf("member %s registered again as %s", first, a.id())

	members := []*etcdMember{a, b}
	ids := []string{a.id(), b.id()}
	before := srv.registrations()
	rev := srv.revision()
	srv.Kill()
	lost := time.Now()
	eventually(t, 30*time.Second, "etcd down for twice the member TTL (the members' etcd leases lapse)", func() bool {
		return time.Since(lost) >= 2*memberTTL
	})
	srv.Start()
	eventually(t, 20*time.Second, "both members registered again under new etcd leases", func() bool {
		now := srv.registrations()
		for _, m := range members {
			key, lease := m.registration()
			if l, ok := now[key]; !ok || l != lease || l == before[key] {
				return false
			}
		}
		return len(now) == 2
	})
	expired := srv.deletedSince(rev)
	for i, m := range members {
		other, id, old := members[1-i], m.id(), ids[i]
		_, gone := expired[m.provider.prefix+old]
		switch {
		case !gone && id != old:
			t.Fatalf("member %s registered again as %s although its key outlived etcd's restart", old, id)
		case gone && id == old:
			t.Fatalf("member %s kept its id although its key expired: protoactor never admits it again", old)
		}
		eventually(t, 10*time.Second, "the other member to admit "+id, func() bool {
			return other.knows(id) && (id == old || !other.knows(old)) && other.lookup.Members() == 2
		})
		t.Logf("figure: across etcd's restart member %s is %s (its key expired: %v)", old, id, gone)
	}
}

// A member whose etcd lease is lost while its key lives on (bound to
// another lease: nobody saw it leave) binds the key to a new etcd lease of
// its own and keeps its member id; the other member never sees it leave.
func TestClusterEtcdMemberKeepsIdWhileItsKeyLives(t *testing.T) {
	srv := newEtcdServer(t, nil)
	a, b := pair(t, srv)
	id := a.id()
	key, lease := a.registration()

	cli := srv.Client()
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	res, err := cli.Get(ctx, key)
	if err != nil || len(res.Kvs) != 1 {
		t.Fatalf("a's key %s: %v, %v", key, res, err)
	}
	hold, err := cli.Grant(ctx, 60) // outlives the test: the key stays
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Put(ctx, key, string(res.Kvs[0].Value), clientv3.WithLease(hold.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Revoke(ctx, lease); err != nil { // a's own lease: no key goes with it
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "a bound to a new etcd lease", func() bool {
		k, l := a.registration()
		return k == key && l != lease && l != hold.ID && srv.registrations()[key] == l
	})
	if a.id() != id || !b.knows(id) || !a.knows(b.id()) || b.lookup.Members() != 2 {
		t.Fatalf("after its etcd lease was lost with its key alive: a is %s (was %s), b knows it: %v, b sees %d members",
			a.id(), id, b.knows(id), b.lookup.Members())
	}
}
