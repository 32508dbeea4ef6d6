package storetest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qluster/qluster"
)

var raceTests = []test{
	{"never leases a job twice to concurrent workers", func(t *testing.T, s qluster.Store) {
		ctx := ctxWithTimeout(t, time.Minute)
		u := mustUser(t, s, "ada")
		const jobs, workers = 120, 8
		var ids []string
		for i := range jobs {
			ids = append(ids, mustCreate(t, s, newJob(u.ID, []string{"sv", "chip"}[i%2])).ID)
		}
		var (
			mu     sync.Mutex
			holder = map[string]string{}
		)
		parallel(workers, func(w int) {
			name := fmt.Sprintf("w%d", w)
			for ctx.Err() == nil {
				got, err := s.Lease(ctx, qluster.LeaseRequest{Worker: name, Max: 1 + w%3, TTL: time.Minute})
				if err != nil {
					t.Errorf("Lease(%s): %v", name, err)
					return
				}
				if len(got) == 0 {
					return
				}
				for _, j := range got {
					mu.Lock()
					if prev, ok := holder[j.ID]; ok {
						t.Errorf("job %s leased by %s and %s", j.ID, prev, name)
					}
					holder[j.ID] = name
					mu.Unlock()
					if err := s.Complete(ctx, j.ID, name, j.Attempt, result(uint64(w))); err != nil {
						t.Errorf("Complete(%s) by %s: %v", j.ID, name, err)
					}
				}
			}
		})
		if len(holder) != jobs {
			t.Errorf("%d jobs leased, want %d", len(holder), jobs)
		}
		checkResults(t, s, ids)
	}},
	{"lets only one of two racing holders finish", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		const rounds = 10
		for r := range rounds {
			j := mustCreate(t, s, newJob(u.ID, "sv"))
			old := leaseOne(t, s, "old")
			if _, err := s.RequeueExpired(ctx, time.Now().Add(2*time.Minute)); err != nil {
				t.Fatalf("RequeueExpired: %v", err)
			}
			cur := leaseOne(t, s, "new")
			var wins atomic.Int32
			finish := []func() error{
				func() error { return s.Complete(ctx, j.ID, "old", old.Attempt, result(1)) },
				func() error { return s.Complete(ctx, j.ID, "new", cur.Attempt, result(2)) },
				func() error { return s.Complete(ctx, j.ID, "new", cur.Attempt, result(3)) },
				func() error { return s.Fail(ctx, j.ID, "new", cur.Attempt, "boom") },
			}
			parallel(len(finish), func(i int) {
				switch err := finish[i](); qluster.ErrorCode(err) {
				case "":
					wins.Add(1)
				case qluster.ECONFLICT:
				default:
					t.Errorf("round %d: finish %d: %v", r, i, err)
				}
			})
			if n := wins.Load(); n != 1 {
				t.Errorf("round %d: %d finishes succeeded, want 1", r, n)
			}
			checkResults(t, s, []string{j.ID})
		}
	}},
	{"cancels consistently while workers lease and complete", func(t *testing.T, s qluster.Store) {
		ctx := ctxWithTimeout(t, time.Minute)
		u := mustUser(t, s, "ada")
		const jobs = 60
		var ids []string
		for range jobs {
			ids = append(ids, mustCreate(t, s, newJob(u.ID, "sv")).ID)
		}
		var (
			mu              sync.Mutex
			leased          = map[string]bool{}
			cancelledQueued = map[string]bool{} // CancelJob saw queued and cancelled it
			cancelRunning   = map[string]bool{} // CancelJob saw running and asked to stop
		)
		var wg sync.WaitGroup
		wg.Add(3)
		go func() { // the canceller: every other job
			defer wg.Done()
			for i := 0; i < jobs; i += 2 {
				j, err := s.CancelJob(ctx, ids[i])
				mu.Lock()
				switch {
				case err == nil && j.Status == qluster.JobCancelled && j.Attempt == 0:
					cancelledQueued[j.ID] = true
				case err == nil && j.Status == qluster.JobRunning && j.CancelRequested:
					cancelRunning[j.ID] = true
				case qluster.ErrorCode(err) == qluster.ECONFLICT:
					// Already finished by a worker.
				default:
					t.Errorf("CancelJob(%s) = %s, %v", ids[i], asJSON(j), err)
				}
				mu.Unlock()
			}
		}()
		for w := range 2 { // two workers
			go func() {
				defer wg.Done()
				name := fmt.Sprintf("w%d", w)
				for ctx.Err() == nil {
					got, err := s.Lease(ctx, qluster.LeaseRequest{Worker: name, Max: 2, TTL: time.Minute})
					if err != nil {
						t.Errorf("Lease: %v", err)
						return
					}
					if len(got) == 0 {
						return
					}
					for _, j := range got {
						mu.Lock()
						leased[j.ID] = true
						mu.Unlock()
						stop, err := s.Heartbeat(ctx, j.ID, name, j.Attempt, time.Minute)
						if err != nil {
							t.Errorf("Heartbeat: %v", err)
							continue
						}
						if stop {
							err = s.MarkCancelled(ctx, j.ID, name, j.Attempt)
						} else {
							err = s.Complete(ctx, j.ID, name, j.Attempt, result(1))
						}
						if err != nil {
							t.Errorf("finishing %s: %v", j.ID, err)
						}
					}
				}
			}()
		}
		wg.Wait()
		for i, id := range ids {
			j := mustGet(t, s, id)
			switch {
			case !j.Status.Terminal():
				t.Errorf("job %s ends %s, want a final status", id, j.Status)
			case i%2 == 1 && j.Status != qluster.JobCompleted:
				t.Errorf("job %s was never cancelled but ends %s", id, j.Status)
			case cancelledQueued[id] && (leased[id] || j.Status != qluster.JobCancelled):
				t.Errorf("job %s cancelled while queued, but leased %v, ends %s", id, leased[id], j.Status)
			case cancelRunning[id] && j.Status == qluster.JobFailed:
				t.Errorf("job %s asked to stop ends failed", id)
			}
		}
		checkResults(t, s, ids)
	}},
}
