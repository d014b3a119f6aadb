package main

import (
	"strings"
	"testing"
	"time"
)

func TestLoadClusterConfig(t *testing.T) {
	env := func(kv map[string]string) func(string) string {
		return func(k string) string {
			if k == "DATABASE_URL" {
				return "postgres://localhost/juta"
			}
			return kv[k]
		}
	}
	c, err := loadConfig(env(nil))
	if err != nil || c.Cluster.Mode != "" {
		t.Fatalf("unset: %+v, %v; want single-node mode", c.Cluster, err)
	}
	shared := map[string]string{"JUTA_CLUSTER": "postgres", "JUTA_WHATSAPP": "sim", "JUTA_SIM_URL": "http://127.0.0.1:9000",
		"JUTA_ADDR": "127.0.0.1:8081", "JUTA_NODE_ID": ""}
	c, err = loadConfig(env(shared))
	if err != nil || c.Cluster.Mode != "postgres" || c.Cluster.LeaseTTL != 6*time.Second ||
		c.Cluster.Addr != "127.0.0.1:0" || !strings.HasSuffix(c.Cluster.Node, ":8081") {
		t.Fatalf("postgres mode: %+v, %v", c.Cluster, err)
	}
	shared["JUTA_CLUSTER"], shared["JUTA_ETCD_ENDPOINTS"] = "etcd", " http://127.0.0.1:2379, http://127.0.0.2:2379 "
	c, err = loadConfig(env(shared))
	if err != nil || c.Cluster.Mode != "etcd" || strings.Join(c.Cluster.EtcdEndpoints, " ") != "http://127.0.0.1:2379 http://127.0.0.2:2379" {
		t.Fatalf("etcd mode: %+v, %v", c.Cluster, err)
	}
	for _, bad := range []struct {
		set  map[string]string
		want string
	}{
		{map[string]string{"JUTA_CLUSTER": "postgres", "JUTA_WHATSAPP": "sim"}, "JUTA_SIM_URL"},
		{map[string]string{"JUTA_CLUSTER": "etcd", "JUTA_WHATSAPP": "sim", "JUTA_SIM_URL": "http://127.0.0.1:9000"}, "JUTA_ETCD_ENDPOINTS"},
		{map[string]string{"JUTA_CLUSTER": "zookeeper"}, "JUTA_CLUSTER"},
		{map[string]string{"JUTA_CLUSTER": "postgres", "JUTA_CLUSTER_TLS_CERT": "node.pem"}, "go together"},
		{map[string]string{"JUTA_CLUSTER": "postgres", "JUTA_LEASE_TTL": "500ms"}, "JUTA_LEASE_TTL"},
		{map[string]string{"JUTA_CLUSTER": "postgres", "JUTA_CLUSTER_ADDR": "nowhere"}, "JUTA_CLUSTER_ADDR"},
		{map[string]string{"JUTA_CLUSTER": "etcd", "JUTA_ETCD_ENDPOINTS": "https://e:2379", "JUTA_ETCD_TLS_CERT": "c.pem"}, "JUTA_ETCD_TLS_KEY"},
		{map[string]string{"JUTA_CLUSTER": "etcd", "JUTA_ETCD_ENDPOINTS": "https://e:2379", "JUTA_ETCD_USERNAME": "juta"}, "JUTA_ETCD_PASSWORD_FILE"},
		{map[string]string{"JUTA_CLUSTER": "etcd", "JUTA_ETCD_ENDPOINTS": "http://e:2379", "JUTA_ETCD_TLS_CA": "ca.pem"}, "https://"},
	} {
		if _, err := loadConfig(env(bad.set)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%v: %v, want an error naming %s", bad.set, err, bad.want)
		}
	}
}
