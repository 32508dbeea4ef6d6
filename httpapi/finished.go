package httpapi

import (
	"sync"

	"github.com/qluster/qluster"
)

// finishedCap is how many recently completed results the API keeps in
// memory. A client that submits and then asks for the result finds it here
// without a store read; the store stays the source of truth for anything
// older.
const finishedCap = 1024

// finishedMaxBytes bounds the size of a result kept in memory (as
// resultBytes estimates it), so that the cache holds at most
// finishedCap × finishedMaxBytes = 16 MiB however large results are.
const finishedMaxBytes = 16 << 10

// finishedJob is what a result request needs of a completed job.
type finishedJob struct {
	owner, backend string
	results        []qluster.CircuitResult
}

// finishedCache holds the results of the last finishedCap completed jobs
// reported by JobFinished. Completed jobs and their results never change,
// so an entry is never stale.
type finishedCache struct {
	mu   sync.Mutex
	m    map[string]*finishedJob
	ring [finishedCap]string
	next int
}

// put records a completed job's result, evicting the oldest entry when the
// cache is full; results too large for it are left to the store.
func (c *finishedCache) put(id string, f *finishedJob) {
	if resultBytes(f.results) > finishedMaxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]*finishedJob, finishedCap)
	}
	if _, ok := c.m[id]; ok {
		return
	}
	if old := c.ring[c.next]; old != "" {
		delete(c.m, old)
	}
	c.ring[c.next] = id
	c.next = (c.next + 1) % finishedCap
	c.m[id] = f
}

// resultBytes estimates the memory held by results: their keys and
// strings, 16 bytes per number or map entry, 32 per amplitude. It stops
// counting once past finishedMaxBytes.
func resultBytes(results []qluster.CircuitResult) int {
	n := 0
	for _, r := range results {
		n += 64 + len(r.Name) + len(r.Engine) + 32*len(r.Statevector)
		for k := range r.Counts {
			n += len(k) + 16
		}
		for k := range r.Probabilities {
			n += len(k) + 16
		}
		for _, m := range r.Memory {
			n += len(m) + 16
			if n > finishedMaxBytes {
				return n
			}
		}
		if c := r.Compiled; c != nil {
			n += len(c.QASM) + 8*(len(c.InitialLayout)+len(c.FinalLayout))
		}
		if n > finishedMaxBytes {
			return n
		}
	}
	return n
}

// get returns the cached result of job id, if any.
func (c *finishedCache) get(id string) (*finishedJob, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.m[id]
	return f, ok
}

// JobFinished is what whoever finishes jobs in this process (the in-process
// workers) calls once a job's terminal status is stored: it records the
// job's durations (ObserveJob), keeps a completed job's result (res, nil
// otherwise) in memory for the result requests that follow, and wakes the
// event streams and waiting result requests of the job (JobChanged).
func (s *Server) JobFinished(j *qluster.Job, res *qluster.JobResult) {
	s.ObserveJob(j)
	if j.Status == qluster.JobCompleted && res != nil {
		s.finished.put(j.ID, &finishedJob{owner: j.Owner, backend: j.Backend, results: res.Results})
	}
	s.JobChanged(j.ID)
}

// cachedResult returns the view of a completed job's result from memory,
// when the cache has it and the caller may see it.
func (s *Server) cachedResult(p *principal, id string) (*resultView, bool) {
	f, ok := s.finished.get(id)
	if !ok || (!p.user.Admin && f.owner != p.user.ID) {
		return nil, false
	}
	return &resultView{ID: id, Status: qluster.JobCompleted, Backend: f.backend, Results: f.results}, true
}
