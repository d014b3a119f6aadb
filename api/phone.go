package api

import "github.com/juta-app/juta/api/auth"

// Phone numbers follow the accounts' rules (package auth), for accounts and
// for the numbers a user writes to alike.
var (
	parsePhone     = auth.ParsePhone
	parsePeerPhone = auth.ParsePeerPhone
)
