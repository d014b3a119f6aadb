package main

import (
	"go/parser"
	"go/token"
	"strconv"
	"testing"
)

// The operator commands hash passwords and make signing keys with the rules
// of package auth, without the HTTP layer.
func TestAdminCommandsUseAuthNotTheHTTPLayer(t *testing.T) {
	t.Parallel()
	f, err := parser.ParseFile(token.NewFileSet(), "admin.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	var hasAuth bool
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		switch path {
		case "github.com/juta-app/juta/api":
			t.Error("admin.go imports the whole HTTP layer (api); use api/auth")
		case "github.com/juta-app/juta/api/auth":
			hasAuth = true
		}
	}
	if !hasAuth {
		t.Error("admin.go does not use api/auth for passwords and signing keys")
	}
}
