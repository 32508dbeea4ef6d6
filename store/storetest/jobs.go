package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qluster/qluster"
)

var jobTests = []test{
	{"counts active jobs per owner", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		ada, bob := mustUser(t, s, "ada"), mustUser(t, s, "bob")
		count := func(owner string) int {
			t.Helper()
			n, err := s.CountActiveJobs(ctx, owner)
			if err != nil {
				t.Fatalf("CountActiveJobs(%s): %v", owner, err)
			}
			return n
		}
		if got := count(ada.ID); got != 0 {
			t.Errorf("no jobs: CountActiveJobs = %d, want 0", got)
		}
		var ids []string
		for range 4 {
			ids = append(ids, mustCreate(t, s, newJob(ada.ID, "sv")).ID)
		}
		mustCreate(t, s, newJob(bob.ID, "sv"))
		if _, err := s.CancelJob(ctx, ids[0]); err != nil {
			t.Fatal(err)
		}
		// Lease two (oldest first: ids[1], ids[2]); complete one of them.
		jobs := mustLease(t, s, "w1", 2)
		if err := s.Complete(ctx, jobs[0].ID, "w1", jobs[0].Attempt, result(1)); err != nil {
			t.Fatal(err)
		}
		// ada: ids[3] queued + one running; bob's job is not leased yet or
		// is running, so count only ada's here.
		if got, want := count(ada.ID), 2; got != want {
			t.Errorf("CountActiveJobs(ada) = %d, want %d (one queued, one running)", got, want)
		}
		if got, want := count(bob.ID), 1; got != want {
			t.Errorf("CountActiveJobs(bob) = %d, want %d", got, want)
		}
		if got := count("nobody"); got != 0 {
			t.Errorf("CountActiveJobs(unknown owner) = %d, want 0", got)
		}
	}},
	{"creates and reads jobs", func(t *testing.T, s qluster.Store) {
		u := mustUser(t, s, "ada")
		seed, level, transpile := uint64(42), 2, true
		req := &qluster.Job{
			Owner: u.ID, Backend: "sv", Priority: 3, IdempotencyKey: "k1",
			Spec: qluster.JobSpec{
				Shots: 100, Seed: &seed,
				Circuits: []qluster.CircuitSpec{{Name: "bell", QASM: bell}, {QASM: bell}},
				Options: qluster.JobOptions{Transpile: &transpile, OptimizationLevel: &level, Memory: true,
					Probabilities: true, Statevector: true, Precision: "single"},
			},
			// Fields the store owns are ignored.
			Status: qluster.JobCompleted, Attempt: 9, Worker: "w", Error: "x", CancelRequested: true,
		}
		before := time.Now().Add(-time.Second)
		j := mustCreate(t, s, req)
		if j.ID == "" || j.CreatedAt.Before(before) || !j.UpdatedAt.Equal(j.CreatedAt) {
			t.Errorf("CreateJob = %s, want an ID and CreatedAt = UpdatedAt ≈ now", asJSON(j))
		}
		want := &qluster.Job{
			ID: j.ID, Owner: u.ID, Backend: "sv", Status: qluster.JobQueued, Priority: 3, Spec: req.Spec,
			MaxAttempts: qluster.DefaultMaxAttempts, CreatedAt: j.CreatedAt, UpdatedAt: j.CreatedAt,
			IdempotencyKey: "k1",
		}
		sameJSON(t, "CreateJob", j, want)
		sameJSON(t, "GetJob", mustGet(t, s, j.ID), want)
	}},
	{"keeps given ID and max attempts", func(t *testing.T, s qluster.Store) {
		u := mustUser(t, s, "ada")
		req := newJob(u.ID, "sv")
		req.ID, req.MaxAttempts = qluster.NewID(), 7
		j := mustCreate(t, s, req)
		if j.ID != req.ID || j.MaxAttempts != 7 {
			t.Errorf("CreateJob ID, MaxAttempts = %s, %d; want %s, 7", j.ID, j.MaxAttempts, req.ID)
		}
	}},
	{"rejects bad jobs", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		existing := mustCreate(t, s, newJob(u.ID, "sv"))
		edit := func(f func(j *qluster.Job)) *qluster.Job {
			j := newJob(u.ID, "sv")
			f(j)
			return j
		}
		for _, tc := range []struct {
			name string
			job  *qluster.Job
			code string
		}{
			{"nil job", nil, qluster.EINVALID},
			{"no owner", edit(func(j *qluster.Job) { j.Owner = "" }), qluster.EINVALID},
			{"unknown owner", edit(func(j *qluster.Job) { j.Owner = qluster.NewID() }), qluster.EINVALID},
			{"no backend", edit(func(j *qluster.Job) { j.Backend = "" }), qluster.EINVALID},
			{"no circuits", edit(func(j *qluster.Job) { j.Spec.Circuits = nil }), qluster.EINVALID},
			{"negative shots", edit(func(j *qluster.Job) { j.Spec.Shots = -1 }), qluster.EINVALID},
			{"negative max attempts", edit(func(j *qluster.Job) { j.MaxAttempts = -1 }), qluster.EINVALID},
			{"duplicate ID", edit(func(j *qluster.Job) { j.ID = existing.ID }), qluster.ECONFLICT},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, created, err := s.CreateJob(ctx, tc.job)
				wantCode(t, "CreateJob", err, tc.code)
				if created {
					t.Errorf("CreateJob created = true with an error")
				}
			})
		}
		_, err := s.GetJob(ctx, qluster.NewID())
		wantCode(t, "GetJob of unknown job", err, qluster.ENOTFOUND)
	}},
	{"returns the first job for a repeated idempotency key", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		ada, bob := mustUser(t, s, "ada"), mustUser(t, s, "bob")
		keyed := func(owner, key string, shots int) *qluster.Job {
			j := newJob(owner, "sv")
			j.IdempotencyKey, j.Spec.Shots = key, shots
			return j
		}
		first := mustCreate(t, s, keyed(ada.ID, "k", 10))
		for _, tc := range []struct {
			name        string
			job         *qluster.Job
			wantSame    bool
			wantCreated bool
			code        string
		}{
			{"same owner, key and request", keyed(ada.ID, "k", 10), true, false, ""},
			{"same owner and key, other shots", keyed(ada.ID, "k", 11), false, false, qluster.ECONFLICT},
			{"same owner and key, other backend", func() *qluster.Job {
				j := keyed(ada.ID, "k", 10)
				j.Backend = "other"
				return j
			}(), false, false, qluster.ECONFLICT},
			{"other owner, same key", keyed(bob.ID, "k", 10), false, true, ""},
			{"same owner, other key", keyed(ada.ID, "k2", 10), false, true, ""},
			{"no key", keyed(ada.ID, "", 10), false, true, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				j, created, err := s.CreateJob(ctx, tc.job)
				wantCode(t, "CreateJob", err, tc.code)
				if err != nil {
					return
				}
				if created != tc.wantCreated || (j.ID == first.ID) != tc.wantSame {
					t.Errorf("CreateJob = %s, created %v; want created %v, same as first %s: %v",
						j.ID, created, tc.wantCreated, first.ID, tc.wantSame)
				}
				if tc.wantSame {
					sameJSON(t, "repeated CreateJob", j, first)
				}
			})
		}
	}},
	{"creates one job for concurrent repeats of a key", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		const n = 8
		ids := make([]string, n)
		created := make([]bool, n)
		errs := make([]error, n)
		parallel(n, func(i int) {
			j := newJob(u.ID, "sv")
			j.IdempotencyKey = "same"
			got, c, err := s.CreateJob(ctx, j)
			if err == nil {
				ids[i], created[i] = got.ID, c
			}
			errs[i] = err
		})
		nNew := 0
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("CreateJob %d: %v", i, errs[i])
			}
			if ids[i] != ids[0] {
				t.Errorf("CreateJob %d = %s, want %s like the first", i, ids[i], ids[0])
			}
			if created[i] {
				nNew++
			}
		}
		if nNew != 1 {
			t.Errorf("%d calls report created, want 1", nNew)
		}
	}},
	{"creates jobs concurrently", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		const workers, each = 16, 25
		ids := make([][]string, workers)
		parallel(workers, func(w int) {
			for range each {
				j, _, err := s.CreateJob(ctx, newJob(u.ID, "sv"))
				if err != nil {
					t.Errorf("CreateJob: %v", err)
					return
				}
				ids[w] = append(ids[w], j.ID)
			}
		})
		seen := map[string]bool{}
		for _, list := range ids {
			for _, id := range list {
				if seen[id] {
					t.Errorf("ID %s handed out twice", id)
				}
				seen[id] = true
			}
		}
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatalf("Stats: %v", err)
		}
		if got := st.ByStatus[qluster.JobQueued]; got != workers*each || len(seen) != workers*each {
			t.Errorf("queued = %d, distinct IDs = %d; want %d", got, len(seen), workers*each)
		}
	}},
	{"pages through jobs newest first", testPagination},
	{"rejects bad list filters", func(t *testing.T, s qluster.Store) {
		for _, tc := range []struct {
			name string
			f    qluster.JobFilter
		}{
			{"negative limit", qluster.JobFilter{Limit: -1}},
			{"unknown status", qluster.JobFilter{Status: "sleeping"}},
			{"cursor not base64", qluster.JobFilter{Cursor: "%%%"}},
			{"cursor without ID", qluster.JobFilter{Cursor: "MTIz"}},
			{"cursor with bad time", qluster.JobFilter{Cursor: "eHl6Lmlk"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, _, err := s.ListJobs(t.Context(), tc.f)
				wantCode(t, "ListJobs", err, qluster.EINVALID)
			})
		}
	}},
	{"cancels queued and running jobs", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		queued := mustCreate(t, s, newJob(u.ID, "sv"))
		got, err := s.CancelJob(ctx, queued.ID)
		if err != nil {
			t.Fatalf("CancelJob(queued): %v", err)
		}
		if got.Status != qluster.JobCancelled || got.FinishedAt.IsZero() || got.CancelRequested {
			t.Errorf("CancelJob(queued) = %s, want cancelled with FinishedAt", asJSON(got))
		}
		sameJSON(t, "GetJob after cancel", mustGet(t, s, queued.ID), got)
		_, err = s.CancelJob(ctx, queued.ID)
		wantCode(t, "CancelJob(cancelled)", err, qluster.ECONFLICT)

		mustCreate(t, s, newJob(u.ID, "sv"))
		run := leaseOne(t, s, "w1")
		got, err = s.CancelJob(ctx, run.ID)
		if err != nil {
			t.Fatalf("CancelJob(running): %v", err)
		}
		if got.Status != qluster.JobRunning || !got.CancelRequested || !got.FinishedAt.IsZero() {
			t.Errorf("CancelJob(running) = %s, want running with CancelRequested", asJSON(got))
		}
		again, err := s.CancelJob(ctx, run.ID)
		if err != nil || !again.CancelRequested || again.Status != qluster.JobRunning {
			t.Errorf("CancelJob(running) again = %s, %v; want unchanged", asJSON(again), err)
		}
		stop, err := s.Heartbeat(ctx, run.ID, "w1", run.Attempt, time.Minute)
		if err != nil || !stop {
			t.Errorf("Heartbeat after cancel = %v, %v; want true, nil", stop, err)
		}
		if err := s.MarkCancelled(ctx, run.ID, "w1", run.Attempt); err != nil {
			t.Fatalf("MarkCancelled: %v", err)
		}
		if j := mustGet(t, s, run.ID); j.Status != qluster.JobCancelled || j.FinishedAt.IsZero() {
			t.Errorf("job after MarkCancelled = %s, want cancelled with FinishedAt", asJSON(j))
		}
		if jobs := mustLease(t, s, "w2", 10); len(jobs) != 0 {
			t.Errorf("Lease after cancelling everything = %s, want nothing", asJSON(jobs))
		}
		_, err = s.CancelJob(ctx, qluster.NewID())
		wantCode(t, "CancelJob(unknown)", err, qluster.ENOTFOUND)
		checkResults(t, s, []string{queued.ID, run.ID})
	}},
	{"counts jobs", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatalf("Stats: %v", err)
		}
		sameJSON(t, "Stats of empty store", st, &qluster.JobStats{
			ByStatus: map[qluster.JobStatus]int{"queued": 0, "running": 0, "completed": 0, "failed": 0, "cancelled": 0},
			Queued:   map[string]int{}, Running: map[string]int{},
		})
		for _, b := range []string{"sv", "sv", "sv", "chip", "chip"} {
			mustCreate(t, s, newJob(u.ID, b))
		}
		j := leaseOne(t, s, "w") // the oldest: sv
		if err := s.Complete(ctx, j.ID, "w", j.Attempt, result(1)); err != nil {
			t.Fatalf("Complete: %v", err)
		}
		leaseOne(t, s, "w")
		c := mustCreate(t, s, newJob(u.ID, "chip"))
		if _, err := s.CancelJob(ctx, c.ID); err != nil {
			t.Fatalf("CancelJob: %v", err)
		}
		st, err = s.Stats(ctx)
		if err != nil {
			t.Fatalf("Stats: %v", err)
		}
		sameJSON(t, "Stats", st, &qluster.JobStats{
			ByStatus: map[qluster.JobStatus]int{"queued": 3, "running": 1, "completed": 1, "failed": 0, "cancelled": 1},
			Queued:   map[string]int{"sv": 1, "chip": 2}, Running: map[string]int{"sv": 1},
		})
	}},
}

// testPagination walks every filter page by page and checks each job comes
// once, in order.
func testPagination(t *testing.T, s qluster.Store) {
	ctx := t.Context()
	ada, bob := mustUser(t, s, "ada"), mustUser(t, s, "bob")
	var all []*qluster.Job
	// Concurrent creates may share a creation time; the ID breaks ties.
	for round := range 3 {
		batch := make([]*qluster.Job, 10)
		parallel(len(batch), func(i int) {
			owner, backend := ada.ID, "sv"
			if i%3 == 0 {
				owner = bob.ID
			}
			if i%2 == 0 {
				backend = "chip"
			}
			j, _, err := s.CreateJob(ctx, newJob(owner, backend))
			if err != nil {
				t.Errorf("CreateJob: %v", err)
				return
			}
			batch[i] = j
		})
		if t.Failed() {
			t.FailNow()
		}
		all = append(all, batch...)
		if round == 1 {
			for _, j := range batch[:4] {
				if _, err := s.CancelJob(ctx, j.ID); err != nil {
					t.Fatalf("CancelJob: %v", err)
				}
			}
		}
	}
	for i, j := range all {
		all[i] = mustGet(t, s, j.ID)
	}
	slices.SortFunc(all, func(a, b *qluster.Job) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	for _, tc := range []struct {
		name string
		f    qluster.JobFilter
	}{
		{"all", qluster.JobFilter{}},
		{"owner", qluster.JobFilter{Owner: ada.ID}},
		{"owner and backend", qluster.JobFilter{Owner: ada.ID, Backend: "chip"}},
		{"status", qluster.JobFilter{Status: qluster.JobCancelled}},
		{"owner and status", qluster.JobFilter{Owner: bob.ID, Status: qluster.JobQueued}},
		{"no match", qluster.JobFilter{Owner: qluster.NewID()}},
	} {
		for _, limit := range []int{1, 4, 7, 30, 0} {
			t.Run(fmt.Sprintf("%s/limit %d", tc.name, limit), func(t *testing.T) {
				var want []string
				for _, j := range all {
					if (tc.f.Owner == "" || j.Owner == tc.f.Owner) && (tc.f.Status == "" || j.Status == tc.f.Status) &&
						(tc.f.Backend == "" || j.Backend == tc.f.Backend) {
						want = append(want, j.ID)
					}
				}
				f := tc.f
				f.Limit = limit
				pageMax := limit
				if limit == 0 {
					pageMax = qluster.DefaultListLimit
				}
				var got []string
				for pages := 0; ; pages++ {
					if pages > len(all)+1 {
						t.Fatalf("no last page after %d pages", pages)
					}
					jobs, next, err := s.ListJobs(ctx, f)
					if err != nil {
						t.Fatalf("ListJobs(%+v): %v", f, err)
					}
					if len(jobs) > pageMax || (next != "" && len(jobs) != pageMax) {
						t.Fatalf("page of %d jobs with next %q, want at most %d and full pages before the last",
							len(jobs), next, pageMax)
					}
					for _, j := range jobs {
						got = append(got, j.ID)
					}
					if next == "" {
						break
					}
					f.Cursor = next
				}
				sameJSON(t, "IDs over all pages", got, want)
			})
		}
	}
}
