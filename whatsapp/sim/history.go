package sim

// maxPast bounds the messages an account remembers for history batches.
const maxPast = 1000

// rememberLocked keeps m in the history of both sides of its chat, as each
// side's devices see it.
func (s *Server) rememberLocked(from, to string, m wireMsg) {
	in, own := m, m
	in.Chat = from
	own.Chat, own.FromMe = to, true
	if to != from {
		s.accountLocked(to).remember(in)
	}
	s.accountLocked(from).remember(own)
}

func (a *account) remember(m wireMsg) {
	if len(a.past) >= maxPast {
		a.past = a.past[1:]
	}
	a.past = append(a.past, m)
}

// queueHistory queues the account's latest Options.History messages for a
// newly linked device, marked history, and reports whether it queued any.
func (s *Server) queueHistory(dev *device) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[dev.phone]
	if a == nil || s.opts.History <= 0 || len(a.past) == 0 || s.devices[dev.jid] != dev {
		return false
	}
	n := min(s.opts.History, len(a.past))
	for _, m := range a.past[len(a.past)-n:] {
		m.History = true
		s.enqueueLocked(dev, m, nil)
	}
	return true
}

// SetHistory changes Options.History from now on.
func (s *Server) SetHistory(n int) {
	s.mu.Lock()
	s.opts.History = n
	s.mu.Unlock()
}
