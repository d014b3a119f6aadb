//go:build no_ui

package ui

import "io/fs"

// Files returns nil: this binary was built without the dashboard.
func Files() fs.FS { return nil }
