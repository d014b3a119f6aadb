package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// every calls fn(0), fn(1), ... once each interval until the returned stop is
// called, which waits for a call in progress to finish.
func every(interval time.Duration, fn func(i int)) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			fn(i)
		}
	}()
	return func() { close(done); <-finished }
}

// postFromContact has the simulated contact send text to owner and says
// whether the simulator took it.
func postFromContact(simAddr, contact, owner, text string) bool {
	b, _ := json.Marshal(map[string]string{"to": owner, "text": text})
	res, err := http.Post(phoneURL(simAddr, contact, "messages"), "application/json", strings.NewReader(string(b)))
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}
