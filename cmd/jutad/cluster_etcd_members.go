package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/cluster"
	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/protobuf/proto"
)

// etcdMembership is the cluster's member list in etcd: protoactor's
// ClusterProvider, ours rather than protoactor's etcd provider, which keeps
// one member id for the life of the process. protoactor's member list never
// admits again a member id it saw leave, so a node whose etcd registration
// expired (a pause past the etcd lease, etcd restarted after the lease ran
// out) would never be a member again. Here each registration that follows a
// lost one keeps its member id only if its key outlived the loss (nobody saw
// it leave), else it registers under a new id (the actor system's id and a
// generation), which every member admits as a new one.
//
// Each member is one key under prefix, bound to an etcd lease of memberTTL
// kept alive; a watch of the prefix keeps the list. While etcd is away the
// node keeps the list it last saw and retries its registration every
// etcdRetry; the watch resumes where it stopped when etcd is back.
type etcdMembership struct {
	cli    *clientv3.Client
	prefix string
	log    *slog.Logger

	cluster *cluster.Cluster
	mu      sync.Mutex
	self    *cluster.Member            // this node's current registration
	gen     int                        // its generation, in self.Id
	lease   clientv3.LeaseID           // the etcd lease self's key is bound to
	others  map[string]*cluster.Member // the other members, by key
	cancel  context.CancelFunc
	done    sync.WaitGroup
}

// memberTTL is how long etcd keeps a member that stopped renewing; a killed
// node leaves the member list within it.
const memberTTL = 3 * time.Second

// revokeWait bounds the deregistration on shutdown.
const revokeWait = 2 * time.Second

// etcdRetry is the pause between two attempts to register again.
const etcdRetry = time.Second

var _ cluster.ClusterProvider = (*etcdMembership)(nil)

func newEtcdMembership(cfg clientv3.Config, log *slog.Logger) (*etcdMembership, error) {
	cli, err := clientv3.New(cfg)
	if err != nil {
		return nil, err
	}
	return &etcdMembership{cli: cli, prefix: etcdPrefix + "/members/", log: log, others: map[string]*cluster.Member{}}, nil
}

// StartMember registers the node, reads the member list and follows it.
func (p *etcdMembership) StartMember(c *cluster.Cluster) error {
	host, port, err := net.SplitHostPort(c.ActorSystem.Address())
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(port)
	if err != nil {
		return err
	}
	p.cluster = c
	p.self = &cluster.Member{Host: host, Port: int32(n), Kinds: c.GetClusterKinds()}
	p.next()
	ctx, cancel := context.WithTimeout(context.Background(), etcdTimeout)
	defer cancel()
	if err := p.register(ctx, true); err != nil {
		return err
	}
	rev, err := p.list(ctx)
	if err != nil {
		return err
	}
	run, stop := context.WithCancel(context.Background())
	p.cancel = stop
	p.done.Add(2)
	go func() { defer p.done.Done(); p.keep(run) }()
	go func() { defer p.done.Done(); p.watch(run, rev) }()
	return nil
}

// StartClient is not used: every node is a member.
func (p *etcdMembership) StartClient(*cluster.Cluster) error {
	return errors.New("etcd members: client mode is not supported")
}

// Shutdown stops following etcd and revokes the node's etcd lease, which
// deletes its key: the others see it leave at once. It gives up after
// revokeWait when etcd does not answer (the key then ends with its lease).
func (p *etcdMembership) Shutdown(bool) error {
	if p.cancel != nil {
		p.cancel()
		p.done.Wait()
	}
	defer p.cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), revokeWait)
	defer cancel()
	p.mu.Lock()
	lease := p.lease
	p.mu.Unlock()
	_, err := p.cli.Revoke(ctx, lease)
	return err
}

// next makes self the registration of the next generation.
func (p *etcdMembership) next() {
	p.gen++
	m := proto.Clone(p.self).(*cluster.Member)
	m.Id = fmt.Sprintf("%s.%d", p.cluster.ActorSystem.ID, p.gen)
	p.self = m
}

func (p *etcdMembership) key(m *cluster.Member) string { return p.prefix + m.Id }

// own tells whether key is a registration of this node (any generation).
func (p *etcdMembership) own(key string) bool {
	return strings.HasPrefix(key, p.prefix+p.cluster.ActorSystem.ID+".")
}

// register binds self's key to a new etcd lease. After a lost registration
// (fresh false) the key is taken over in one transaction if it still
// exists; if it expired meanwhile, the node registers as the next
// generation.
func (p *etcdMembership) register(ctx context.Context, fresh bool) error {
	grant, err := p.cli.Grant(ctx, int64(memberTTL/time.Second))
	if err != nil {
		return err
	}
	p.mu.Lock()
	self := p.self
	p.mu.Unlock()
	if !fresh {
		val, err := proto.Marshal(self)
		if err != nil {
			return err
		}
		key := p.key(self)
		res, err := p.cli.Txn(ctx).If(clientv3.Compare(clientv3.Version(key), ">", 0)).
			Then(clientv3.OpPut(key, string(val), clientv3.WithLease(grant.ID))).Commit()
		if err != nil {
			return err
		}
		if res.Succeeded {
			p.setLease(grant.ID)
			return nil
		}
		p.mu.Lock()
		p.next()
		self = p.self
		p.mu.Unlock()
		p.log.Warn("etcd dropped this node's membership; joining as a new member", "member", self.Id)
	}
	val, err := proto.Marshal(self)
	if err != nil {
		return err
	}
	if _, err := p.cli.Put(ctx, p.key(self), string(val), clientv3.WithLease(grant.ID)); err != nil {
		return err
	}
	p.setLease(grant.ID)
	p.publish()
	return nil
}

func (p *etcdMembership) setLease(id clientv3.LeaseID) {
	p.mu.Lock()
	p.lease = id
	p.mu.Unlock()
}

// keep keeps the registration's lease alive and registers again whenever
// it is lost (etcd gone or the lease expired), until ctx ends.
func (p *etcdMembership) keep(ctx context.Context) {
	for {
		p.mu.Lock()
		lease := p.lease
		p.mu.Unlock()
		if ch, err := p.cli.KeepAlive(ctx, lease); err == nil {
			for range ch { // the answers, until the lease is lost
			}
		}
		if ctx.Err() != nil {
			return
		}
		p.log.Warn("etcd registration lost; registering again", "every", etcdRetry)
		for !p.retry(ctx) {
			select {
			case <-ctx.Done():
				return
			case <-time.After(etcdRetry):
			}
		}
	}
}

// retry is one attempt to register again.
func (p *etcdMembership) retry(ctx context.Context) bool {
	c, cancel := context.WithTimeout(ctx, etcdTimeout)
	defer cancel()
	if err := p.register(c, false); err != nil {
		return false
	}
	p.mu.Lock()
	id := p.self.Id
	p.mu.Unlock()
	p.log.Info("registered in etcd again", "member", id)
	return true
}
