package actors

import (
	"log/slog"
	"time"

	juta "github.com/juta-app/juta"
)

// Config tunes the runtime. Zero values take the defaults noted.
type Config struct {
	IdleTimeout    time.Duration // user actor passivation after no traffic; default 60m
	RequestTimeout time.Duration // default deadline of a request without one; default 5s
	MaxUsers       int           // active user actors per node; 0 = unlimited
	// MaxInFlight bounds the requests waiting for or held by one user actor
	// (beyond it a request is refused 503 unavailable with Retry-After,
	// admission.go) and, separately, its unhandled stored-message notices
	// (beyond it ingest waits, inbox.go). Default 256.
	MaxInFlight    int
	HistoryPerChat int           // recent messages kept in memory per chat; default 20
	ReconnectMin   time.Duration // first reconnect delay; default 1s
	ReconnectMax   time.Duration // reconnect delay cap; default 60s
	// ReconnectTries is how many failed connects in a row end the session in
	// "failed" with reason "unreachable"; default 8.
	ReconnectTries int
	RestartBackoff time.Duration  // first restart delay of a crashed session actor; default 100ms
	SendPerMinute  int            // send pacing per session: average rate; default 20
	SendBurst      int            // send pacing per session: burst; default 5
	DetectWorkers  int            // detector pool size; default 2
	DetectQueue    int            // messages waiting for a worker; default 1024 (beyond: the sweep catches up)
	DetectSweep    time.Duration  // how often the durable detection queue is swept; default 2s
	DetectTimeout  time.Duration  // one detection (an LLM call included); default 30s
	DueInterval    time.Duration  // how often due reminders are fired; default 1s
	Location       *time.Location // zone of users whose own (Deps.Zones) is not known; default Asia/Kuala_Lumpur
	// WakeInterval is how often passivated users with linked sessions are
	// woken to pull what WhatsApp queued; default 15m, negative disables.
	WakeInterval time.Duration
	// WakeIdle is the idle timeout of a woken user until it is used; default 2m.
	WakeIdle time.Duration
	// MediaQuota is each user's media store quota in bytes, which a file
	// downloaded from WhatsApp is cached under; 0 = unlimited.
	MediaQuota int64
	// CrashInjection lets msg.Crash panic a session actor. Tests only.
	CrashInjection bool
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.IdleTimeout, 60*time.Minute)
	def(&c.RequestTimeout, 5*time.Second)
	def(&c.ReconnectMin, time.Second)
	def(&c.ReconnectMax, 60*time.Second)
	def(&c.RestartBackoff, 100*time.Millisecond)
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = defaultMaxInFlight
	}
	if c.HistoryPerChat <= 0 {
		c.HistoryPerChat = 20
	}
	if c.WakeInterval == 0 {
		c.WakeInterval = 15 * time.Minute
	}
	def(&c.WakeIdle, 2*time.Minute)
	def(&c.DetectSweep, 2*time.Second)
	def(&c.DetectTimeout, 30*time.Second)
	def(&c.DueInterval, time.Second)
	if c.DetectWorkers <= 0 {
		c.DetectWorkers = 2
	}
	if c.DetectQueue <= 0 {
		c.DetectQueue = 1024
	}
	if c.Location == nil {
		c.Location = kualaLumpur()
	}
	if c.SendPerMinute <= 0 {
		c.SendPerMinute = 20
	}
	if c.SendBurst <= 0 {
		c.SendBurst = 5
	}
	if c.ReconnectTries <= 0 {
		c.ReconnectTries = 8
	}
	return c
}

// Deps are the runtime's collaborators, met in cmd through root interfaces.
type Deps struct {
	Sessions juta.SessionStore
	Messages juta.MessageStore
	// Blobs holds the files users upload to send; nil: media cannot be sent.
	Blobs juta.BlobStore
	// Names keeps names of people and groups per session; nil: not kept.
	Names    juta.NameStore
	Events   juta.EventLog
	WhatsApp juta.WAProvider
	Actions  juta.ActionStore // with Detector: action detection and the due schedule; nil = off
	Detector juta.Detector
	// Zones gives each user's zone to detection; nil reads every message in
	// Config.Location.
	Zones juta.TimeZones
	// Health says whether the stores are reachable; a session whose store
	// failed waits for it before reconnecting (nil: reconnect after backoff).
	Health juta.HealthCheck
	// Leases puts the runtime in cluster mode (cluster.go): users run here
	// only under this node's lease, and every write for them is fenced.
	// nil = single node.
	Leases *LeaseKeeper
	// Lookup answers where a user lives on protoactor's cluster
	// (JUTA_CLUSTER=etcd), with Leases; nil = the lease table alone.
	Lookup *LeaseLookup
	Log    *slog.Logger
}

// kualaLumpur is the default zone; a fixed +08:00 stands in where the zone
// database is missing (Malaysia has no daylight saving).
func kualaLumpur() *time.Location {
	if loc, err := time.LoadLocation("Asia/Kuala_Lumpur"); err == nil {
		return loc
	}
	return time.FixedZone("MYT", 8*3600)
}
