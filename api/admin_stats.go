package api

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// NodeFigures are the actor runtime's figures of this node for the
// administrators' overview; cmd/jutad wires them.
type NodeFigures func() (activeUsers, ingestHeld int64)

// inFlight counts the HTTP requests being served by this node.
type inFlight struct{ n atomic.Int64 }

func (f *inFlight) middleware(c *fiber.Ctx) error {
	f.n.Add(1)
	defer f.n.Add(-1)
	return c.Next()
}

// adminStats answers GET /api/admin/stats.
func (s *Server) adminStats(c *fiber.Ctx) error {
	if s.deps.Data.AdminStats == nil {
		return juta.Errorf(juta.EUNAVAILABLE, "statistics are not available")
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	now := s.authn.Now()
	st, err := s.deps.Data.AdminStats.AdminStats(ctx, now)
	if err != nil {
		return fmt.Errorf("admin stats: %w", err)
	}
	st.Node = s.nodeHealth()
	return c.JSON(st)
}

func (s *Server) nodeHealth() juta.NodeHealth {
	h := juta.NodeHealth{
		Node:             s.cfg.NodeID,
		Database:         "ok",
		Ready:            s.ready.Load(),
		InFlightRequests: s.inflight.n.Load(),
		UptimeSeconds:    int64(time.Since(s.started) / time.Second), // the process's clock, not a test's
	}
	if s.healthErr() != nil {
		h.Database, h.Ready = "unavailable", false
	}
	if s.deps.Node.Figures != nil {
		h.ActiveUsers, h.IngestHeld = s.deps.Node.Figures()
	}
	return h
}
