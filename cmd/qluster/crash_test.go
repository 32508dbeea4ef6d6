package main

import (
	"net/http"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	ql "github.com/qluster/qluster"
)

// TestServeCrashLosesNothing starts the binary, submits jobs, kills it with
// SIGKILL while jobs run, restarts it on the same data, and checks that
// every job completes once, within its attempts, with a correct result.
func TestServeCrashLosesNothing(t *testing.T) {
	bin := buildQluster(t)
	const (
		jobs     = 50
		ghzWidth = 18
		ghzShots = 10
		bellShot = 1000
	)
	slow := ghzAfterRoundTrip(ghzWidth, 2) // about 100 ms on the state vector
	for _, st := range serveStores(t) {
		t.Run(st.name, func(t *testing.T) {
			dir, env := filepath.Join(t.TempDir(), "data"), st.env(t)
			p := startServe(t, bin, dir, env, "--workers", "2")
			ids := make([]string, jobs)
			isGHZ := make(map[string]bool)
			for i := range ids {
				if i%2 == 0 {
					ids[i] = p.submit(slow, ghzShots)
					isGHZ[ids[i]] = true
				} else {
					ids[i] = p.submit(serveBell, bellShot)
				}
			}
			// Kill once some jobs are done and others are running.
			deadline := time.Now().Add(60 * time.Second)
			for {
				done, running := 0, 0
				for _, j := range p.jobs() {
					switch j.Status {
					case "completed":
						done++
					case "running":
						running++
					}
				}
				if done > 0 && running > 0 {
					t.Logf("killing the server with %d jobs completed and %d running", done, running)
					break
				}
				if time.Now().After(deadline) || done == jobs {
					t.Fatalf("no moment with jobs both completed (%d) and running (%d)", done, running)
				}
				time.Sleep(5 * time.Millisecond)
			}
			p.stop(syscall.SIGKILL, 10*time.Second)

			q := startServe(t, bin, dir, env, "--workers", "2")
			final := q.waitTerminal(ids, 120*time.Second)
			retried := 0
			for _, id := range ids {
				j := final[id]
				if j.Status != "completed" {
					t.Errorf("job %s: %s (%s), want completed", id, j.Status, j.Error)
					continue
				}
				if j.Attempt < 1 || j.Attempt > ql.DefaultMaxAttempts {
					t.Errorf("job %s: attempt %d, want 1…%d", id, j.Attempt, ql.DefaultMaxAttempts)
				}
				if j.Attempt > 1 {
					retried++
				}
				var r serveResult
				if code := q.call("GET", "/v1/jobs/"+id+"/result", nil, &r); code != http.StatusOK {
					t.Errorf("result of %s: status %d", id, code)
					continue
				}
				if isGHZ[id] {
					checkGHZ(t, id, r, ghzWidth, ghzShots)
				} else {
					checkGHZ(t, id, r, 2, bellShot)
				}
			}
			if retried == 0 {
				t.Errorf("no job was run again after the kill, want the ones running then to be")
			}
			if got := len(q.jobs()); got != jobs {
				t.Errorf("%d jobs listed, want %d", got, jobs)
			}
			t.Logf("%d jobs ran again after the kill", retried)
			q.stop(syscall.SIGTERM, 60*time.Second)
		})
	}
}
