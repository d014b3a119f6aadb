// Package app is Juta's application layer: the workflows that span several
// stores, or a store and the WhatsApp runtime, behind the root package's
// service ports (juta.ActionService, juta.ShareService). The HTTP handlers
// parse a request, call one port and write its answer; what happens between
// the stores and WhatsApp, and in which order, is decided here, once, for
// every caller.
//
// It imports the root package and the standard library only; cmd/jutad wires
// it to persistence and the actor runtime.
package app
