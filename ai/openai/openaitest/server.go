// Package openaitest is a local OpenAI-compatible endpoint for tests: it
// records every request (a multipart upload read into its fields and file)
// and answers as the test scripts it.
package openaitest

import (
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Request is one request the endpoint received.
type Request struct {
	Method, Path, Auth, ContentType string
	Body                            []byte            // the raw body (JSON requests)
	Fields                          map[string]string // multipart fields other than the file
	File                            []byte            // the multipart "file" part
	FileName, FileType              string
}

// Server is the endpoint; BaseURL ends in /v1 like a real one's.
type Server struct {
	BaseURL string
	mu      sync.Mutex
	reqs    []Request
}

// Answer scripts the n-th answer (from 0): its status and JSON body.
type Answer func(n int, r Request) (status int, body string)

// New starts an endpoint that answers with answer; it stops at cleanup.
func New(t testing.TB, answer Answer) *Server {
	t.Helper()
	s := &Server{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := read(t, r)
		s.mu.Lock()
		n := len(s.reqs)
		s.reqs = append(s.reqs, req)
		s.mu.Unlock()
		status, body := answer(n, req)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	s.BaseURL = srv.URL + "/v1"
	return s
}

func read(t testing.TB, r *http.Request) Request {
	req := Request{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"),
		ContentType: r.Header.Get("Content-Type")}
	typ, params, _ := mime.ParseMediaType(req.ContentType)
	if typ != "multipart/form-data" {
		req.Body, _ = io.ReadAll(r.Body)
		return req
	}
	req.Fields = map[string]string{}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			if err != io.EOF {
				t.Errorf("openaitest: multipart: %v", err)
			}
			return req
		}
		data, _ := io.ReadAll(p)
		if p.FormName() == "file" {
			req.File, req.FileName, req.FileType = data, p.FileName(), p.Header.Get("Content-Type")
			continue
		}
		req.Fields[p.FormName()] = string(data)
	}
}

// Requests returns what the endpoint received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Transcript is a transcription answer (response_format json).
func Transcript(text string) string {
	b, _ := json.Marshal(map[string]string{"text": text})
	return string(b)
}

// IsTranscription reports whether r asked for a transcription.
func IsTranscription(r Request) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/v1/audio/transcriptions")
}
