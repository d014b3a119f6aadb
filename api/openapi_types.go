package api

import (
	"reflect"
	"time"

	"github.com/juta-app/juta"
)

// The shapes of the answers that handlers build with fiber.Map, for the
// document only. The cross-tenant and document tests read real answers, so
// a handler that changes its map without changing these is caught.

type healthResponse struct {
	Status string `json:"status"`
}

type statusResponse struct {
	Sessions []juta.Session `json:"sessions"`
}

type pairResponse struct {
	Code string `json:"code"`
}

type ticketResponse struct {
	Ticket    string    `json:"ticket"`
	ExpiresAt time.Time `json:"expiresAt"`
}

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }
