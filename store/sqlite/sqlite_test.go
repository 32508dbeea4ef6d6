package sqlite_test

import (
	"context"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/store/sqlite"
	"github.com/qluster/qluster/store/storetest"
)

// open opens a store in a fresh temporary directory, closed at cleanup.
func open(t testing.TB, opt sqlite.Options) *sqlite.DB {
	t.Helper()
	if opt.Path == "" {
		opt.Path = filepath.Join(t.TempDir(), "qluster.db")
	}
	db, err := sqlite.Open(context.Background(), opt)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) qluster.Store { return open(t, sqlite.Options{}) })
}

func TestReopenKeepsCommittedWrites(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "sub", "dir", "q.db")
	db, err := sqlite.Open(ctx, sqlite.Options{Path: path})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	u, err := db.CreateUser(ctx, &qluster.User{Name: "ada"})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	j, _, err := db.CreateJob(ctx, &qluster.Job{Owner: u.ID, Backend: "sv",
		Spec: qluster.JobSpec{Circuits: []qluster.CircuitSpec{{QASM: "OPENQASM 2.0;"}}}})
	if err != nil {
		t.Fatalf("CreateJob: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := db.GetUser(ctx, u.ID); err == nil {
		t.Errorf("GetUser after Close succeeded")
	}
	if _, err := db.CreateUser(ctx, &qluster.User{Name: "late"}); err == nil {
		t.Errorf("CreateUser after Close succeeded")
	}

	db = open(t, sqlite.Options{Path: path})
	got, err := db.GetJob(ctx, j.ID)
	if err != nil {
		t.Fatalf("GetJob after reopen: %v", err)
	}
	if got.Owner != u.ID || got.Status != qluster.JobQueued {
		t.Errorf("job after reopen = %+v, want queued job of %s", got, u.ID)
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil || v != 2 {
		t.Errorf("SchemaVersion = %d, %v; want 2", v, err)
	}
}

func TestOpenRejectsBadOptions(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		opt  sqlite.Options
	}{
		{"no path", sqlite.Options{}},
		{"in memory", sqlite.Options{Path: ":memory:"}},
		{"query in path", sqlite.Options{Path: filepath.Join(dir, "a?mode=ro")}},
		{"unknown synchronous", sqlite.Options{Path: filepath.Join(dir, "b.db"), Synchronous: "OFF"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := sqlite.Open(t.Context(), tc.opt)
			if err == nil {
				db.Close()
			}
			if got := qluster.ErrorCode(err); got != qluster.EINVALID {
				t.Errorf("Open error = %v (code %q), want %q", err, got, qluster.EINVALID)
			}
		})
	}
}

func TestSynchronousNormal(t *testing.T) {
	db := open(t, sqlite.Options{Synchronous: "normal"})
	if _, err := db.CreateUser(t.Context(), &qluster.User{Name: "ada"}); err != nil {
		t.Errorf("CreateUser: %v", err)
	}
}

// BenchmarkCreateJobParallel measures job creations per second with many
// concurrent submitters, as the HTTP API sees them; group commit lets them
// share fsyncs.
func BenchmarkCreateJobParallel(b *testing.B) {
	for _, mode := range []string{"FULL", "NORMAL"} {
		b.Run(mode, func(b *testing.B) {
			db := open(b, sqlite.Options{Synchronous: mode})
			u, err := db.CreateUser(context.Background(), &qluster.User{Name: "bench"})
			if err != nil {
				b.Fatal(err)
			}
			var n atomic.Int64
			b.SetParallelism(32)
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					_, _, err := db.CreateJob(ctx, &qluster.Job{Owner: u.ID, Backend: "sv",
						Spec: qluster.JobSpec{Shots: 1000, Circuits: []qluster.CircuitSpec{{Name: "bell",
							QASM: "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n"}}}})
					if err != nil {
						b.Error(err)
						return
					}
					n.Add(1)
				}
			})
			b.ReportMetric(float64(n.Load())/time.Since(start).Seconds(), "jobs/s")
		})
	}
}

// BenchmarkCreateJobSerial measures one submitter: each creation waits for
// its own commit (and fsync).
func BenchmarkCreateJobSerial(b *testing.B) {
	db := open(b, sqlite.Options{})
	ctx := context.Background()
	u, err := db.CreateUser(ctx, &qluster.User{Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := db.CreateJob(ctx, &qluster.Job{Owner: u.ID, Backend: "sv",
			Spec: qluster.JobSpec{Shots: 1000, Circuits: []qluster.CircuitSpec{{QASM: "OPENQASM 2.0;"}}}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJobLifecycle measures whole jobs per second (create, lease,
// complete with a small result) with many concurrent clients and workers.
func BenchmarkJobLifecycle(b *testing.B) {
	db := open(b, sqlite.Options{})
	ctx := context.Background()
	u, err := db.CreateUser(ctx, &qluster.User{Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	res := &qluster.JobResult{Results: []qluster.CircuitResult{{Name: "bell", Shots: 1000,
		Counts: map[string]int{"00": 503, "11": 497}, Engine: "statevector", Seed: 1, DurationMS: 0.1}}}
	var n, w atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		worker := "w" + strconv.FormatInt(w.Add(1), 10)
		for pb.Next() {
			if _, _, err := db.CreateJob(ctx, &qluster.Job{Owner: u.ID, Backend: "sv",
				Spec: qluster.JobSpec{Shots: 1000, Circuits: []qluster.CircuitSpec{{QASM: "OPENQASM 2.0;"}}}}); err != nil {
				b.Error(err)
				return
			}
			jobs, err := db.Lease(ctx, qluster.LeaseRequest{Worker: worker, Max: 1, TTL: time.Minute})
			if err != nil {
				b.Error(err)
				return
			}
			for _, j := range jobs {
				if err := db.Complete(ctx, j.ID, worker, j.Attempt, res); err != nil {
					b.Error(err)
					return
				}
				n.Add(1)
			}
		}
	})
	b.ReportMetric(float64(n.Load())/time.Since(start).Seconds(), "jobs/s")
}
