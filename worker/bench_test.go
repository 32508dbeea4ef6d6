package worker_test

import (
	"context"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/worker"
)

// BenchmarkWorkerThroughput measures how fast one worker runs Bell jobs
// (1000 shots) from a SQLite store (synchronous NORMAL) while a producer
// (8 goroutines) keeps about 64 jobs queued: ns/op is the time per job. PREFETCH sets
// Options.Prefetch.
func BenchmarkWorkerThroughput(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	cl := &countingLeaser{Leaser: e.store}
	pf, _ := strconv.Atoi(os.Getenv("PREFETCH"))
	w := worker.New(worker.Options{Leaser: cl, Registry: e.reg, Prefetch: pf})
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	b.ResetTimer()
	go func() { w.Run(wctx); close(done) }()
	spec := qluster.JobSpec{Shots: 1000, Circuits: []qluster.CircuitSpec{{QASM: bell}}}
	var created atomic.Int64
	var producers sync.WaitGroup
	for range 8 {
		producers.Go(func() {
			for created.Add(1) <= int64(b.N) {
				for created.Load()-w.Stats().Completed.Load() >= 64 {
					time.Sleep(50 * time.Microsecond)
				}
				if _, _, err := e.store.CreateJob(ctx, &qluster.Job{Owner: e.owner, Backend: "sv", Spec: spec}); err != nil {
					b.Error(err)
					return
				}
				w.Notify()
			}
		})
	}
	producers.Wait()
	for w.Stats().Completed.Load() < int64(b.N) {
		time.Sleep(50 * time.Microsecond)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/float64(cl.leases.Load()), "jobs/lease")
	cancel()
	<-done
}

// countingLeaser counts Lease calls.
type countingLeaser struct {
	worker.Leaser
	leases atomic.Int64
}

func (c *countingLeaser) Lease(ctx context.Context, r qluster.LeaseRequest) ([]*qluster.Job, error) {
	c.leases.Add(1)
	return c.Leaser.Lease(ctx, r)
}
