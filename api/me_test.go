package api

import (
	"net/http"
	"testing"

	"github.com/juta-app/juta"
)

func TestMeAndTimeZoneScenarios(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	alice := bearerHeader(e.alice.token)
	sg := e.mustRegister(t, "+6581234567")
	uk := e.mustRegister(t, "+447911123456")
	borneo := e.mustRegister(t, "+60125550100") // a prefix the phone library places in Asia/Kuching
	reader := apiKeyHeader(e.mustKey(t, e.alice.token, `{"name":"r","scopes":["read"]}`))

	runScenarios(t, e.testEnv, []scenario{
		{name: "a Malaysian number gets Kuala Lumpur", method: http.MethodGet, url: "/api/me", headers: alice,
			status: http.StatusOK, contains: []string{`"timeZone":"Asia/Kuala_Lumpur"`, `"phoneNumber":"` + e.alice.phone + `"`}},
		{name: "every Malaysian number gets the default zone", method: http.MethodGet, url: "/api/me", headers: bearerHeader(borneo.token),
			status: http.StatusOK, contains: []string{`"timeZone":"Asia/Kuala_Lumpur"`}},
		{name: "a Singapore number gets Singapore", method: http.MethodGet, url: "/api/me", headers: bearerHeader(sg.token),
			status: http.StatusOK, contains: []string{`"timeZone":"Asia/Singapore"`}},
		// The phone library lists the zones a UK mobile may be in (Guernsey,
		// Isle of Man, Jersey, London); all keep the same time.
		{name: "a British number gets a British zone", method: http.MethodGet, url: "/api/me", headers: bearerHeader(uk.token),
			status: http.StatusOK, contains: []string{`"timeZone":"Europe/`}, absent: []string{"Kuala_Lumpur"}},
		{name: "set a zone", method: http.MethodPatch, url: "/api/me", headers: alice, body: `{"timeZone":"Asia/Jakarta"}`,
			status: http.StatusOK, contains: []string{`"timeZone":"Asia/Jakarta"`}},
		{name: "the zone is kept", method: http.MethodGet, url: "/api/me", headers: alice,
			status: http.StatusOK, contains: []string{`"timeZone":"Asia/Jakarta"`}},
		{name: "an unknown zone", method: http.MethodPatch, url: "/api/me", headers: alice, body: `{"timeZone":"Mars/Olympus"}`,
			status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "the server's local zone", method: http.MethodPatch, url: "/api/me", headers: alice, body: `{"timeZone":"Local"}`,
			status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "a path for a zone", method: http.MethodPatch, url: "/api/me", headers: alice, body: `{"timeZone":"../../etc/passwd"}`,
			status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "no zone", method: http.MethodPatch, url: "/api/me", headers: alice, body: `{}`,
			status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "the default prayer zone is Kuala Lumpur's", method: http.MethodGet, url: "/api/me", headers: alice,
			status: http.StatusOK, contains: []string{`"prayerZone":"WLY01"`}},
		{name: "set a prayer zone, written in any case", method: http.MethodPatch, url: "/api/me", headers: alice, body: `{"prayerZone":"sbh07"}`,
			status: http.StatusOK, contains: []string{`"prayerZone":"SBH07"`, `"timeZone":"Asia/Jakarta"`}},
		{name: "the zones to choose from, with their areas", method: http.MethodGet, url: "/api/prayer-zones", headers: alice,
			status: http.StatusOK, contains: []string{`{"code":"WLY01","area":"Kuala Lumpur, Putrajaya"}`, `"code":"SBH07"`}},
		{name: "the zones need a login", method: http.MethodGet, url: "/api/prayer-zones",
			status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED},
		{name: "an unknown prayer zone", method: http.MethodPatch, url: "/api/me", headers: alice, body: `{"prayerZone":"XYZ99"}`,
			status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "a bad prayer zone writes nothing, not even a good time zone", method: http.MethodPatch, url: "/api/me", headers: alice,
			body: `{"timeZone":"UTC","prayerZone":"'; DROP TABLE users;--"}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "nothing was written", method: http.MethodGet, url: "/api/me", headers: alice,
			status: http.StatusOK, contains: []string{`"prayerZone":"SBH07"`, `"timeZone":"Asia/Jakarta"`}},
		{name: "both settings at once", method: http.MethodPatch, url: "/api/me", headers: alice, body: `{"timeZone":"Asia/Kuching","prayerZone":"SWK08"}`,
			status: http.StatusOK, contains: []string{`"prayerZone":"SWK08"`, `"timeZone":"Asia/Kuching"`}},
		{name: "a prayer zone of the wrong type", method: http.MethodPatch, url: "/api/me", headers: alice, body: `{"prayerZone":7}`,
			status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "both are kept", method: http.MethodGet, url: "/api/me", headers: alice,
			status: http.StatusOK, contains: []string{`"prayerZone":"SWK08"`, `"timeZone":"Asia/Kuching"`}},
		{name: "a read key reads the account", method: http.MethodGet, url: "/api/me", headers: reader,
			status: http.StatusOK, contains: []string{`"timeZone":"Asia/Kuching"`}},
		{name: "a read key cannot change it", method: http.MethodPatch, url: "/api/me", headers: reader, body: `{"timeZone":"UTC"}`,
			status: http.StatusForbidden, code: juta.EFORBIDDEN},
		{name: "nor the prayer zone", method: http.MethodPatch, url: "/api/me", headers: reader, body: `{"prayerZone":"WLY01"}`,
			status: http.StatusForbidden, code: juta.EFORBIDDEN},
		{name: "anonymous", method: http.MethodGet, url: "/api/me", status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED},
	})
}

// The country: the number's at first (MY for Malaysia), then the user's
// choice of an ISO 3166-1 alpha-2 code; anything else is a 400 that writes
// nothing, not even the settings beside it.
func TestMeCountryScenarios(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	alice := bearerHeader(e.alice.token)
	sg := e.mustRegister(t, "+6581234567")
	us := e.mustRegister(t, "+12025550143")
	reader := apiKeyHeader(e.mustKey(t, e.alice.token, `{"name":"r","scopes":["read"]}`))
	runScenarios(t, e.testEnv, []scenario{
		{name: "a Malaysian number is in MY", method: http.MethodGet, url: "/api/me", headers: alice,
			status: http.StatusOK, contains: []string{`"country":"MY"`}},
		{name: "a Singapore number is in SG", method: http.MethodGet, url: "/api/me", headers: bearerHeader(sg.token),
			status: http.StatusOK, contains: []string{`"country":"SG"`}},
		{name: "an American number is in US", method: http.MethodGet, url: "/api/me", headers: bearerHeader(us.token),
			status: http.StatusOK, contains: []string{`"country":"US"`}},
		{name: "set a country, written in any case", method: http.MethodPatch, url: "/api/me", headers: alice, body: `{"country":"ca"}`,
			status: http.StatusOK, contains: []string{`"country":"CA"`, `"prayerZone":"WLY01"`}},
		{name: "the country is kept", method: http.MethodGet, url: "/api/me", headers: alice,
			status: http.StatusOK, contains: []string{`"country":"CA"`}},
		{name: "an unassigned code", method: http.MethodPatch, url: "/api/me", headers: alice, body: `{"country":"XX"}`,
			status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "a three-letter code", method: http.MethodPatch, url: "/api/me", headers: alice, body: `{"country":"MYS"}`,
			status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "a name for a code", method: http.MethodPatch, url: "/api/me", headers: alice, body: `{"country":"Malaysia"}`,
			status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "a country of the wrong type", method: http.MethodPatch, url: "/api/me", headers: alice, body: `{"country":60}`,
			status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "a bad country writes nothing beside it", method: http.MethodPatch, url: "/api/me", headers: alice,
			body: `{"prayerZone":"SBH07","country":"ZZ"}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "so both are as before", method: http.MethodGet, url: "/api/me", headers: alice,
			status: http.StatusOK, contains: []string{`"country":"CA"`, `"prayerZone":"WLY01"`}},
		{name: "a read key cannot change it", method: http.MethodPatch, url: "/api/me", headers: reader, body: `{"country":"US"}`,
			status: http.StatusForbidden, code: juta.EFORBIDDEN},
	})
}
