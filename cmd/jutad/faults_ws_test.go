package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	fastws "github.com/fasthttp/websocket"
)

// watcher keeps a user's WebSocket open across faults: whenever it drops it
// asks for a ticket again (from whichever node runs now) and resumes with
// ?after= its last cursor, as a dashboard does. It counts every cursor seen.
type watcher struct {
	base  func() string // the node to ask for a ticket and to dial now
	token string
	mu    sync.Mutex
	last  int64
	seen  map[int64]int
	done  chan struct{}
	ended chan struct{}
}

func (e *faultEnv) watch(u *faultUser, after int64) *watcher {
	return newWatcher(e.t, e.base, u.c.token, after)
}

func newWatcher(t testing.TB, base func() string, token string, after int64) *watcher {
	w := &watcher{base: base, token: token, last: after, seen: map[int64]int{}, done: make(chan struct{}), ended: make(chan struct{})}
	go w.run()
	t.Cleanup(w.stop)
	return w
}

func (w *watcher) stop() {
	select {
	case <-w.done:
	default:
		close(w.done)
	}
	<-w.ended
}

func (w *watcher) run() {
	defer close(w.ended)
	for {
		w.session()
		select {
		case <-w.done:
			return
		case <-time.After(200 * time.Millisecond): // pause before redialling
		}
	}
}

// session runs one connection until it drops or the watcher stops.
func (w *watcher) session() {
	base := w.base()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/ws-ticket", nil)
	req.Header.Set("Authorization", "Bearer "+w.token)
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return
	}
	var tk struct{ Ticket string }
	err = json.NewDecoder(res.Body).Decode(&tk)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusCreated {
		return
	}
	w.mu.Lock()
	after := w.last
	w.mu.Unlock()
	dialer := fastws.Dialer{HandshakeTimeout: 10 * time.Second}
	conn, _, err := dialer.Dial("ws://"+strings.TrimPrefix(base, "http://")+"/api/ws?after="+itoa(after)+"&ticket="+tk.Ticket, nil)
	if err != nil {
		return
	}
	go func() { <-w.done; conn.Close() }()
	defer conn.Close()
	for {
		var ev struct {
			Cursor int64
			Shared bool `json:"shared"`
		}
		if err := conn.ReadJSON(&ev); err != nil {
			return
		}
		if ev.Shared || ev.Cursor == 0 {
			continue
		}
		w.mu.Lock()
		w.seen[ev.Cursor]++
		w.last = max(w.last, ev.Cursor)
		w.mu.Unlock()
	}
}

// check returns the cursors not seen yet and those seen twice.
func (w *watcher) check(cursors []int64) (missing, twice []int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, c := range cursors {
		if w.seen[c] == 0 {
			missing = append(missing, c)
		}
	}
	for c, n := range w.seen {
		if n > 1 {
			twice = append(twice, c)
		}
	}
	return missing, twice
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
