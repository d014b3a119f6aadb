package persistence

import (
	"slices"
	"strings"

	"github.com/juta-app/juta"
)

// nextAdmins are a group's admins after the change g, among its members
// after it: g's whole list when it brings one with its members, else the
// stored roles; Promote makes members admins (a superadmin stays one) and
// Demote makes admins members. Whoever is not a member has no role, so one
// who leaves and joins again comes back a member.
func nextAdmins(old []juta.GroupAdmin, g juta.WAGroup, participants []string) []juta.GroupAdmin {
	base := old
	if g.Participants != nil && g.Admins != nil {
		base = g.Admins
	}
	roles := make(map[string]juta.GroupRole, len(base))
	for _, a := range base {
		if addr := juta.CleanText(a.Address); addr != "" && rank(a.Role) > rank(roles[addr]) {
			roles[addr] = a.Role
		}
	}
	for _, p := range g.Promote {
		if p = juta.CleanText(p); roles[p] != juta.GroupRoleSuperAdmin {
			roles[p] = juta.GroupRoleAdmin
		}
	}
	for _, p := range g.Demote {
		delete(roles, juta.CleanText(p))
	}
	out := make([]juta.GroupAdmin, 0, len(roles))
	for addr, role := range roles {
		if _, member := slices.BinarySearch(participants, addr); member {
			out = append(out, juta.GroupAdmin{Address: addr, Role: role})
		}
	}
	slices.SortFunc(out, func(a, b juta.GroupAdmin) int { return strings.Compare(a.Address, b.Address) })
	return out
}

// rank orders roles: a member (or no role) below an admin below the
// superadmin; anything else is no role.
func rank(r juta.GroupRole) int {
	switch r {
	case juta.GroupRoleAdmin:
		return 1
	case juta.GroupRoleSuperAdmin:
		return 2
	}
	return 0
}

// roleChanges are the members of next whose role rose or fell from old
// (one who just joined an admin counts as promoted).
func roleChanges(old, next juta.Group) (up, down []string) {
	before := make(map[string]juta.GroupRole, len(old.Admins))
	for _, a := range old.Admins {
		before[a.Address] = a.Role
	}
	after := make(map[string]juta.GroupRole, len(next.Admins))
	for _, a := range next.Admins {
		after[a.Address] = a.Role
	}
	for _, p := range next.Participants {
		switch b, a := rank(before[p]), rank(after[p]); {
		case a > b:
			up = append(up, p)
		case a < b:
			down = append(down, p)
		}
	}
	return up, down
}

// splitAdmins stores a list of admins as its two columns.
func splitAdmins(all []juta.GroupAdmin) (admins, supers []string) {
	admins, supers = []string{}, []string{}
	for _, a := range all {
		if a.Role == juta.GroupRoleSuperAdmin {
			supers = append(supers, a.Address)
		} else {
			admins = append(admins, a.Address)
		}
	}
	return admins, supers
}

// joinAdmins reads the two columns back as one sorted list (nil when the
// group has no admins known).
func joinAdmins(admins, supers []string) []juta.GroupAdmin {
	var out []juta.GroupAdmin
	for _, a := range admins {
		out = append(out, juta.GroupAdmin{Address: a, Role: juta.GroupRoleAdmin})
	}
	for _, a := range supers {
		out = append(out, juta.GroupAdmin{Address: a, Role: juta.GroupRoleSuperAdmin})
	}
	slices.SortFunc(out, func(a, b juta.GroupAdmin) int { return strings.Compare(a.Address, b.Address) })
	return out
}
