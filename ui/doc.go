// Package ui holds the dashboard: its React sources and the built dist/
// folder, which is committed and embedded so jutad serves the dashboard with
// no Node at build or run time. Building with the no_ui tag leaves it out.
package ui
