package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/qluster/qluster"
)

// keepAlive is how often an idle event stream sends a comment, so proxies
// keep it open.
const keepAlive = 15 * time.Second

// firstPoll is the first wait between store reads of an event stream; the
// wait doubles while nothing changes, up to Options.EventPoll. JobChanged
// cuts a wait short.
const firstPoll = time.Millisecond

// waitFirstPoll is the first wait between store reads of a result request
// with ?wait=; it doubles up to Options.EventPoll.
const waitFirstPoll = 10 * time.Millisecond

// watchers wakes the event streams of a job when JobChanged is called.
type watchers struct {
	mu sync.Mutex
	m  map[string]map[chan struct{}]struct{}
}

// add registers a stream of job id and returns its wake-up channel.
func (w *watchers) add(id string) chan struct{} {
	ch := make(chan struct{}, 1)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.m == nil {
		w.m = make(map[string]map[chan struct{}]struct{})
	}
	if w.m[id] == nil {
		w.m[id] = make(map[chan struct{}]struct{})
	}
	w.m[id][ch] = struct{}{}
	return ch
}

// remove unregisters a stream.
func (w *watchers) remove(id string, ch chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.m[id], ch)
	if len(w.m[id]) == 0 {
		delete(w.m, id)
	}
}

// wake wakes every stream of job id without blocking.
func (w *watchers) wake(id string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for ch := range w.m[id] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// JobChanged tells the server that a job's status may have changed, so its
// event streams read it at once instead of at their next poll. Workers in
// the same process call it after finishing a job; it never blocks.
func (s *Server) JobChanged(id string) { s.watch.wake(id) }

// jobEvents streams a job's status as Server-Sent Events: a "status" event
// with the job now, then one for each change, ending after a terminal
// status. Each event's data is the job as GET /v1/jobs/{id} shows it.
func (s *Server) jobEvents(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	j, err := s.loadJob(ctx, r)
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 1000\n\n")
	seq := 0
	send := func(j *qluster.Job) error {
		seq++
		b, _ := json.Marshal(viewJob(j))
		if _, err := fmt.Fprintf(w, "id: %d\nevent: status\ndata: %s\n\n", seq, b); err != nil {
			return err
		}
		return rc.Flush()
	}
	if send(j) != nil {
		return
	}
	wake := s.watch.add(j.ID)
	defer s.watch.remove(j.ID, wake)
	last := j
	wait := firstPoll
	idle := time.Duration(0)
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for !last.Status.Terminal() {
		select {
		case <-ctx.Done():
			return
		case <-s.closing:
			return
		case <-wake:
			// Reset below restarts the timer; since Go 1.23 no stale
			// tick is left in its channel.
		case <-timer.C:
		}
		cur, err := s.store.GetJob(ctx, last.ID)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("event stream: reading job", "job", last.ID, "request_id", requestID(ctx), "err", err)
				fmt.Fprintf(w, "event: error\ndata: %s\n\n", mustJSON(map[string]string{"detail": "internal error (request id " + requestID(ctx) + ")"}))
				rc.Flush()
			}
			return
		}
		if changed(last, cur) {
			if send(cur) != nil {
				return
			}
			last, wait, idle = cur, firstPoll, 0
		} else {
			idle += wait
			wait = min(2*wait, s.poll)
			if idle >= keepAlive {
				if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil || rc.Flush() != nil {
					return
				}
				idle = 0
			}
		}
		timer.Reset(wait)
	}
}

// awaitTerminal waits up to d for job j to reach a terminal status and
// returns it as last read: woken by JobChanged (in-process workers), else
// polling the store with a growing interval (workers elsewhere). It returns
// early, with the job not yet terminal, when the server is closing.
func (s *Server) awaitTerminal(ctx context.Context, j *qluster.Job, d time.Duration) (*qluster.Job, error) {
	wake := s.watch.add(j.ID)
	defer s.watch.remove(j.ID, wake)
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	// In-process workers wake the wait (JobChanged) the moment a job
	// finishes; polling is only for jobs run elsewhere, so it starts
	// slower than an event stream's.
	wait := waitFirstPoll
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for !j.Status.Terminal() {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-s.closing:
			return j, nil
		case <-deadline.C:
			return j, nil
		case <-wake:
			if _, ok := s.finished.get(j.ID); ok {
				// JobFinished filled the cache before waking us.
				cur := *j
				cur.Status = qluster.JobCompleted
				return &cur, nil
			}
		case <-timer.C:
			wait = min(2*wait, s.poll)
		}
		cur, err := s.store.GetJob(ctx, j.ID)
		if err != nil {
			return nil, fmt.Errorf("reading job %s: %w", j.ID, err)
		}
		j = cur
		timer.Reset(wait)
	}
	return j, nil
}

// changed reports whether a stream should send cur after last.
func changed(last, cur *qluster.Job) bool {
	return cur.Status != last.Status || cur.Attempt != last.Attempt || cur.CancelRequested != last.CancelRequested
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
