package main

import (
	"context"
	"time"

	"github.com/asynkron/protoactor-go/cluster"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/protobuf/proto"
)

// list reads every member registered now, publishes the list and returns
// the revision it was read at.
func (p *etcdMembership) list(ctx context.Context) (int64, error) {
	res, err := p.cli.Get(ctx, p.prefix, clientv3.WithPrefix())
	if err != nil {
		return 0, err
	}
	others := map[string]*cluster.Member{}
	for _, kv := range res.Kvs {
		if m := p.decode(kv); m != nil {
			others[string(kv.Key)] = m
		}
	}
	p.mu.Lock()
	p.others = others
	p.mu.Unlock()
	p.publish()
	return res.Header.Revision, nil
}

// decode is the member a key holds, nil for this node's own keys and for
// what is not a member.
func (p *etcdMembership) decode(kv *mvccpb.KeyValue) *cluster.Member {
	if p.own(string(kv.Key)) {
		return nil
	}
	m := &cluster.Member{}
	if err := proto.Unmarshal(kv.Value, m); err != nil || m.Id == "" {
		p.log.Warn("etcd: not a member", "key", string(kv.Key))
		return nil
	}
	return m
}

// watch follows the members' keys from revision rev+1 until ctx ends. The
// client resumes a watch cut by an etcd outage where it stopped; a watch
// that ends anyway (its revision compacted) starts again from a new list.
func (p *etcdMembership) watch(ctx context.Context, rev int64) {
	for ctx.Err() == nil {
		for res := range p.cli.Watch(ctx, p.prefix, clientv3.WithPrefix(), clientv3.WithRev(rev+1)) {
			if res.Err() != nil {
				p.log.Warn("etcd watch of the members ended", "err", res.Err())
				break
			}
			p.apply(res.Events)
			rev = res.Header.Revision
		}
		for ctx.Err() == nil {
			c, cancel := context.WithTimeout(ctx, etcdTimeout)
			r, err := p.list(c)
			cancel()
			if err == nil {
				rev = r
				break
			}
			select {
			case <-ctx.Done():
			case <-time.After(etcdRetry):
			}
		}
	}
}

// apply takes the members' changes and publishes the list.
func (p *etcdMembership) apply(events []*clientv3.Event) {
	if len(events) == 0 {
		return
	}
	p.mu.Lock()
	for _, ev := range events {
		key := string(ev.Kv.Key)
		if ev.Type == clientv3.EventTypeDelete {
			delete(p.others, key)
		} else if m := p.decode(ev.Kv); m != nil {
			p.others[key] = m
		}
	}
	p.mu.Unlock()
	p.publish()
}

// publish hands the member list (the others and this node's current
// registration) to the cluster, which tells its subscribers (the lease
// lookup) of the members that joined and left.
func (p *etcdMembership) publish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	members := make([]*cluster.Member, 0, len(p.others)+1)
	for _, m := range p.others {
		members = append(members, m)
	}
	p.cluster.MemberList.UpdateClusterTopology(append(members, p.self))
}
