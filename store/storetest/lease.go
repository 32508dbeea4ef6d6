package storetest

import (
	"testing"
	"time"

	"github.com/qluster/qluster"
)

var leaseTests = []test{
	{"leases by priority then age", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		mk := func(backend string, prio int) *qluster.Job {
			j := newJob(u.ID, backend)
			j.Priority = prio
			return mustCreate(t, s, j)
		}
		low, high1, chip, high2, neg := mk("sv", 0), mk("sv", 5), mk("chip", 9), mk("sv", 5), mk("sv", -1)
		before := time.Now()
		jobs, err := s.Lease(ctx, qluster.LeaseRequest{Worker: "w1", Backends: []string{"sv", "gpu"}, Max: 3, TTL: time.Minute})
		after := time.Now()
		if err != nil {
			t.Fatalf("Lease: %v", err)
		}
		var got []string
		for _, j := range jobs {
			got = append(got, j.ID)
			if j.Status != qluster.JobRunning || j.Worker != "w1" || j.Attempt != 1 || j.StartedAt.IsZero() {
				t.Errorf("leased job = %s, want running, worker w1, attempt 1, StartedAt set", asJSON(j))
			}
			if j.LeaseExpiresAt.Before(before.Add(time.Minute-time.Second)) || j.LeaseExpiresAt.After(after.Add(time.Minute+time.Second)) {
				t.Errorf("LeaseExpiresAt = %v, want about a minute after %v", j.LeaseExpiresAt, before)
			}
			sameJSON(t, "GetJob of leased job", mustGet(t, s, j.ID), j)
		}
		sameJSON(t, "leased IDs", got, []string{high1.ID, high2.ID, low.ID})
		jobs = mustLease(t, s, "w2", 10)
		got = nil
		for _, j := range jobs {
			got = append(got, j.ID)
		}
		sameJSON(t, "leased IDs on any backend", got, []string{chip.ID, neg.ID})
		if jobs := mustLease(t, s, "w3", 10); len(jobs) != 0 {
			t.Errorf("Lease of empty queue = %s, want none", asJSON(jobs))
		}
	}},
	{"rejects bad lease requests", func(t *testing.T, s qluster.Store) {
		for _, tc := range []struct {
			name string
			r    qluster.LeaseRequest
		}{
			{"no worker", qluster.LeaseRequest{TTL: time.Minute}},
			{"no TTL", qluster.LeaseRequest{Worker: "w"}},
			{"negative TTL", qluster.LeaseRequest{Worker: "w", TTL: -time.Second}},
			{"negative max", qluster.LeaseRequest{Worker: "w", TTL: time.Minute, Max: -1}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.Lease(t.Context(), tc.r)
				wantCode(t, "Lease", err, qluster.EINVALID)
			})
		}
	}},
	{"extends leases on heartbeat", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		mustCreate(t, s, newJob(u.ID, "sv"))
		j := leaseOne(t, s, "w1")
		stop, err := s.Heartbeat(ctx, j.ID, "w1", j.Attempt, time.Hour)
		if err != nil || stop {
			t.Fatalf("Heartbeat = %v, %v; want false, nil", stop, err)
		}
		if got := mustGet(t, s, j.ID); !got.LeaseExpiresAt.After(j.LeaseExpiresAt.Add(30 * time.Minute)) {
			t.Errorf("LeaseExpiresAt after a 1h heartbeat = %v, was %v", got.LeaseExpiresAt, j.LeaseExpiresAt)
		}
		for _, tc := range []struct {
			name    string
			id      string
			worker  string
			attempt int
			ttl     time.Duration
			code    string
		}{
			{"other worker", j.ID, "w2", j.Attempt, time.Minute, qluster.ECONFLICT},
			{"other attempt", j.ID, "w1", j.Attempt + 1, time.Minute, qluster.ECONFLICT},
			{"unknown job", qluster.NewID(), "w1", 1, time.Minute, qluster.ENOTFOUND},
			{"zero TTL", j.ID, "w1", j.Attempt, 0, qluster.EINVALID},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.Heartbeat(ctx, tc.id, tc.worker, tc.attempt, tc.ttl)
				wantCode(t, "Heartbeat", err, tc.code)
			})
		}
		if err := s.Complete(ctx, j.ID, "w1", j.Attempt, result(1)); err != nil {
			t.Fatalf("Complete: %v", err)
		}
		_, err = s.Heartbeat(ctx, j.ID, "w1", j.Attempt, time.Minute)
		wantCode(t, "Heartbeat after Complete", err, qluster.ECONFLICT)
	}},
	{"stores results with completion, once", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		mustCreate(t, s, newJob(u.ID, "sv"))
		j := leaseOne(t, s, "w1")
		_, err := s.GetResult(ctx, j.ID)
		wantCode(t, "GetResult of running job", err, qluster.ECONFLICT)
		for _, tc := range []struct {
			name string
			call func() error
			code string
		}{
			{"nil result", func() error { return s.Complete(ctx, j.ID, "w1", j.Attempt, nil) }, qluster.EINVALID},
			{"other worker", func() error { return s.Complete(ctx, j.ID, "w2", j.Attempt, result(2)) }, qluster.ECONFLICT},
			{"other attempt", func() error { return s.Complete(ctx, j.ID, "w1", 2, result(2)) }, qluster.ECONFLICT},
			{"unknown job", func() error { return s.Complete(ctx, qluster.NewID(), "w1", 1, result(2)) }, qluster.ENOTFOUND},
		} {
			t.Run(tc.name, func(t *testing.T) { wantCode(t, "Complete", tc.call(), tc.code) })
		}
		if got := mustGet(t, s, j.ID); got.Status != qluster.JobRunning {
			t.Fatalf("status after rejected completions = %s, want running", got.Status)
		}
		checkResults(t, s, []string{j.ID})
		want := result(7)
		if err := s.Complete(ctx, j.ID, "w1", j.Attempt, want); err != nil {
			t.Fatalf("Complete: %v", err)
		}
		got := mustGet(t, s, j.ID)
		if got.Status != qluster.JobCompleted || got.FinishedAt.IsZero() || got.Error != "" || got.Worker != "w1" {
			t.Errorf("job after Complete = %s, want completed by w1 with FinishedAt", asJSON(got))
		}
		res, err := s.GetResult(ctx, j.ID)
		if err != nil {
			t.Fatalf("GetResult: %v", err)
		}
		sameJSON(t, "GetResult", res, want)
		for _, tc := range []struct {
			name string
			call func() error
		}{
			{"second Complete", func() error { return s.Complete(ctx, j.ID, "w1", j.Attempt, result(8)) }},
			{"Fail after Complete", func() error { return s.Fail(ctx, j.ID, "w1", j.Attempt, "boom") }},
			{"MarkCancelled after Complete", func() error { return s.MarkCancelled(ctx, j.ID, "w1", j.Attempt) }},
			{"Release after Complete", func() error { return s.Release(ctx, j.ID, "w1", j.Attempt) }},
		} {
			t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.name, tc.call(), qluster.ECONFLICT) })
		}
		res, _ = s.GetResult(ctx, j.ID)
		sameJSON(t, "GetResult after rejected second completion", res, want)
		_, err = s.GetResult(ctx, qluster.NewID())
		wantCode(t, "GetResult of unknown job", err, qluster.ENOTFOUND)
	}},
	{"fails jobs", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		mustCreate(t, s, newJob(u.ID, "sv"))
		j := leaseOne(t, s, "w1")
		if err := s.Fail(ctx, j.ID, "w2", j.Attempt, "not mine"); qluster.ErrorCode(err) != qluster.ECONFLICT {
			t.Errorf("Fail by other worker = %v, want conflict", err)
		}
		if err := s.Fail(ctx, j.ID, "w1", j.Attempt, "qasm: line 3: unknown gate"); err != nil {
			t.Fatalf("Fail: %v", err)
		}
		got := mustGet(t, s, j.ID)
		if got.Status != qluster.JobFailed || got.Error != "qasm: line 3: unknown gate" || got.FinishedAt.IsZero() {
			t.Errorf("job after Fail = %s, want failed with the message", asJSON(got))
		}
		checkResults(t, s, []string{j.ID})
	}},
	{"releases jobs back to the queue", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		mustCreate(t, s, newJob(u.ID, "sv"))
		j := leaseOne(t, s, "w1")
		if err := s.Release(ctx, j.ID, "w1", j.Attempt); err != nil {
			t.Fatalf("Release: %v", err)
		}
		got := mustGet(t, s, j.ID)
		if got.Status != qluster.JobQueued || got.Worker != "" || !got.LeaseExpiresAt.IsZero() || got.Attempt != 1 {
			t.Errorf("job after Release = %s, want queued, no worker or lease, attempt 1", asJSON(got))
		}
		again := leaseOne(t, s, "w1")
		if again.ID != j.ID || again.Attempt != 2 {
			t.Errorf("re-leased job %s attempt %d, want %s attempt 2", again.ID, again.Attempt, j.ID)
		}
		wantCode(t, "Complete by released attempt", s.Complete(ctx, j.ID, "w1", 1, result(1)), qluster.ECONFLICT)
		if _, err := s.CancelJob(ctx, j.ID); err != nil {
			t.Fatalf("CancelJob: %v", err)
		}
		if err := s.Release(ctx, j.ID, "w1", 2); err != nil {
			t.Fatalf("Release of cancel-requested job: %v", err)
		}
		if got := mustGet(t, s, j.ID); got.Status != qluster.JobCancelled {
			t.Errorf("released cancel-requested job is %s, want cancelled", got.Status)
		}
	}},
	{"requeues expired leases and fences the old holder", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		mustCreate(t, s, newJob(u.ID, "sv"))
		j := leaseOne(t, s, "w1")
		if n, err := s.RequeueExpired(ctx, time.Now()); err != nil || n != 0 {
			t.Errorf("RequeueExpired(now) = %d, %v; want 0 (lease still valid)", n, err)
		}
		if n, err := s.RequeueExpired(ctx, time.Now().Add(2*time.Minute)); err != nil || n != 1 {
			t.Fatalf("RequeueExpired(now+2m) = %d, %v; want 1", n, err)
		}
		got := mustGet(t, s, j.ID)
		if got.Status != qluster.JobQueued || got.Worker != "" || !got.LeaseExpiresAt.IsZero() {
			t.Errorf("job after expiry = %s, want queued without worker or lease", asJSON(got))
		}
		_, err := s.Heartbeat(ctx, j.ID, "w1", j.Attempt, time.Minute)
		wantCode(t, "Heartbeat by expired holder", err, qluster.ECONFLICT)
		wantCode(t, "Complete by expired holder", s.Complete(ctx, j.ID, "w1", j.Attempt, result(1)), qluster.ECONFLICT)
		j2 := leaseOne(t, s, "w2")
		if j2.ID != j.ID || j2.Attempt != 2 {
			t.Fatalf("re-lease = %s attempt %d, want %s attempt 2", j2.ID, j2.Attempt, j.ID)
		}
		wantCode(t, "Complete by expired holder after re-lease",
			s.Complete(ctx, j.ID, "w1", j.Attempt, result(1)), qluster.ECONFLICT)
		if err := s.Complete(ctx, j.ID, "w2", j2.Attempt, result(2)); err != nil {
			t.Fatalf("Complete by new holder: %v", err)
		}
		res, err := s.GetResult(ctx, j.ID)
		if err != nil || res.Results[0].Seed != 2 {
			t.Errorf("GetResult = %s, %v; want the new holder's result (seed 2)", asJSON(res), err)
		}
	}},
	{"fails or cancels jobs whose leases keep expiring", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		later := func() time.Time { return time.Now().Add(2 * time.Minute) }
		for _, tc := range []struct {
			name        string
			maxAttempts int
			cancel      bool
			want        qluster.JobStatus
			wantErr     string
			expiries    int
		}{
			{"max attempts 1", 1, false, qluster.JobFailed, "lease expired 1 time", 1},
			{"max attempts 2", 2, false, qluster.JobFailed, "lease expired 2 times", 2},
			{"cancel requested", 3, true, qluster.JobCancelled, "", 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				req := newJob(u.ID, "sv")
				req.MaxAttempts = tc.maxAttempts
				j := mustCreate(t, s, req)
				for attempt := 1; ; attempt++ {
					l := leaseOne(t, s, "w")
					if l.ID != j.ID || l.Attempt != attempt {
						t.Fatalf("lease = %s attempt %d, want %s attempt %d", l.ID, l.Attempt, j.ID, attempt)
					}
					if tc.cancel {
						if _, err := s.CancelJob(ctx, j.ID); err != nil {
							t.Fatalf("CancelJob: %v", err)
						}
					}
					if n, err := s.RequeueExpired(ctx, later()); err != nil || n != 1 {
						t.Fatalf("RequeueExpired = %d, %v; want 1", n, err)
					}
					if got := mustGet(t, s, j.ID); got.Status != qluster.JobQueued {
						if got.Status != tc.want || got.Error != tc.wantErr || got.FinishedAt.IsZero() || attempt != tc.expiries {
							t.Errorf("after %d expiries job = %s, want %s with error %q after %d", attempt, asJSON(got), tc.want, tc.wantErr, tc.expiries)
						}
						break
					}
					if attempt > tc.maxAttempts {
						t.Fatalf("job still queued after %d expiries", attempt)
					}
				}
			})
		}
	}},
}
