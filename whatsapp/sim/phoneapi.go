package sim

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"

	juta "github.com/juta-app/juta"
)

// maxBody caps phone API request bodies.
const maxBody = 64 << 10

// PhoneAPI returns the HTTP handler of the phones: scan a QR code, submit a
// pairing code, send a message, read the inbox, log devices out, and stats.
// Errors are application/problem+json with a stable code.
func (s *Server) PhoneAPI() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/sim/phones/{phone}/scan", route(http.MethodPost, s.apiScan))
	mux.Handle("/sim/phones/{phone}/pair", route(http.MethodPost, s.apiPair))
	mux.Handle("/sim/phones/{phone}/messages", route(http.MethodPost, s.apiSend))
	mux.Handle("/sim/phones/{phone}/changes", route(http.MethodPost, s.apiChange))
	mux.Handle("/sim/phones/{phone}/inbox", route(http.MethodGet, s.apiInbox))
	mux.Handle("/sim/phones/{phone}/contacts", route(http.MethodPost, s.apiContacts))
	mux.Handle("/sim/phones/{phone}/groups", route(http.MethodPost, s.apiCreateGroup))
	mux.Handle("/sim/phones/{phone}/groups/{group}", route(http.MethodPost, s.apiChangeGroup))
	mux.Handle("/sim/phones/{phone}/logout", route(http.MethodPost, s.apiLogout))
	mux.Handle("/sim/stats", route(http.MethodGet, s.apiStats))
	mux.Handle("/sim/devices", route(http.MethodGet, s.apiDevices))
	mux.Handle("/sim/media/{sha}", http.HandlerFunc(s.serveMedia))
	mux.Handle(uploadPath, http.HandlerFunc(s.serveUpload))
	mux.Handle("/sim/openapi.json", http.HandlerFunc(serveOpenAPI))
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, juta.Errorf(juta.ENOTFOUND, "no such route"))
	}))
	return s.authenticated(mux)
}

// authenticated refuses, when Options.Token is set, every request that
// could change state (any method but GET and HEAD) without the token, in
// one place for every route so that none is left out.
func (s *Server) authenticated(h http.Handler) http.Handler {
	if s.opts.Token == "" {
		return h
	}
	want := []byte("Bearer " + s.opts.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead &&
			subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sim"`)
			writeProblem(w, juta.Errorf(juta.EUNAUTHORIZED, "this simulator's phone API needs its token"))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// apiFunc is a phone API handler: it returns a value to send as JSON or an
// error to send as a problem.
type apiFunc func(r *http.Request) (any, error)

// route checks the method and the {phone} path value, then runs h.
func route(method string, h apiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			writeProblemStatus(w, http.StatusMethodNotAllowed, juta.EINVALID, "method not allowed")
			return
		}
		if p := r.PathValue("phone"); r.Pattern != "/sim/stats" && r.Pattern != "/sim/devices" && !validPhone(p) {
			writeProblem(w, juta.Errorf(juta.EINVALID, "phone must be E.164: + and 8 to 15 digits"))
			return
		}
		limit := int64(maxBody)
		if r.Pattern == "/sim/phones/{phone}/messages" {
			limit = maxMediaBody
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		v, err := h(r)
		if err != nil {
			writeProblem(w, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	})
}

func (s *Server) apiScan(r *http.Request) (any, error) {
	var in struct {
		QR string `json:"qr"`
	}
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	if in.QR == "" {
		return nil, juta.Errorf(juta.EINVALID, "qr is required")
	}
	jid, err := s.ScanQR(r.PathValue("phone"), in.QR)
	if err != nil {
		return nil, err
	}
	return map[string]string{"device": jid}, nil
}

func (s *Server) apiPair(r *http.Request) (any, error) {
	var in struct {
		Code string `json:"code"`
	}
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	if in.Code == "" {
		return nil, juta.Errorf(juta.EINVALID, "code is required")
	}
	jid, err := s.SubmitPairCode(r.PathValue("phone"), in.Code)
	if err != nil {
		return nil, err
	}
	return map[string]string{"device": jid}, nil
}

func (s *Server) apiSend(r *http.Request) (any, error) {
	var in PhoneMessage
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	id, err := s.SendMessageFromPhone(r.PathValue("phone"), in)
	if err != nil {
		return nil, err
	}
	return map[string]string{"id": id}, nil
}

func (s *Server) apiInbox(r *http.Request) (any, error) {
	return juta.Page[InboxItem]{Items: s.Inbox(r.PathValue("phone"))}, nil
}

func (s *Server) apiLogout(r *http.Request) (any, error) {
	jids, err := s.LogoutPhone(r.PathValue("phone"), r.URL.Query().Get("device"))
	if err != nil {
		return nil, err
	}
	return map[string][]string{"devices": jids}, nil
}

func (s *Server) apiStats(*http.Request) (any, error) { return s.Stats(), nil }

func (s *Server) apiDevices(*http.Request) (any, error) {
	return map[string][]DeviceState{"items": s.Devices()}, nil
}

// decodeBody reads one JSON object; anything else is EINVALID (or ETOOLARGE).
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return juta.Errorf(juta.ETOOLARGE, "body exceeds %d bytes", tooBig.Limit)
		}
		return &juta.Error{Code: juta.EINVALID, Message: "body must be a JSON object", Err: err}
	}
	if dec.More() {
		return juta.Errorf(juta.EINVALID, "body must be one JSON object")
	}
	return nil
}

// statusOf maps error codes to HTTP statuses; the one place that does.
func statusOf(code string) int {
	switch code {
	case juta.EINVALID:
		return http.StatusBadRequest
	case juta.ENOTFOUND:
		return http.StatusNotFound
	case juta.ESTATE, juta.ECONFLICT:
		return http.StatusConflict
	case juta.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case juta.EUNAUTHORIZED:
		return http.StatusUnauthorized
	default:
		return http.StatusInternalServerError
	}
}

func writeProblem(w http.ResponseWriter, err error) {
	code := juta.ErrorCode(err)
	writeProblemStatus(w, statusOf(code), code, juta.ErrorMessage(err))
}

func writeProblemStatus(w http.ResponseWriter, status int, code, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"type":   "about:blank",
		"title":  http.StatusText(status),
		"status": status,
		"detail": detail,
		"code":   code,
	})
}
