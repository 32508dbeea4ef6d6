package worker

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/backend"
	"github.com/qluster/qluster/qasm"
)

// Leaser is what a worker needs from the job store: the lease half of
// qluster.JobStore. A qluster.Store satisfies it; a remote worker's HTTP
// client will too. The methods follow qluster.JobStore's contract.
type Leaser interface {
	Lease(ctx context.Context, r qluster.LeaseRequest) ([]*qluster.Job, error)
	Heartbeat(ctx context.Context, id, worker string, attempt int, ttl time.Duration) (cancelRequested bool, err error)
	Complete(ctx context.Context, id, worker string, attempt int, res *qluster.JobResult) error
	Fail(ctx context.Context, id, worker string, attempt int, msg string) error
	MarkCancelled(ctx context.Context, id, worker string, attempt int) error
	Release(ctx context.Context, id, worker string, attempt int) error
}

// Sweeper ends expired leases (qluster.JobStore.RequeueExpired). Workers in
// the server's process sweep; remote workers leave it to the server.
type Sweeper interface {
	RequeueExpired(ctx context.Context, now time.Time) (int, error)
}

// Defaults for zero Options fields.
const (
	DefaultLeaseTTL      = 30 * time.Second
	DefaultGracePeriod   = 10 * time.Second
	DefaultPollMin       = time.Millisecond
	DefaultPollMax       = 100 * time.Millisecond
	DefaultReportTimeout = 30 * time.Second
	DefaultShortJob      = 10 * time.Millisecond
	// DefaultPrefetchPerSlot is Options.Prefetch per unit of Concurrency
	// when Prefetch is 0.
	DefaultPrefetchPerSlot = 16
)

// Options configure a Worker.
type Options struct {
	// Leaser is where jobs come from and outcomes go. Required.
	Leaser Leaser
	// Sweeper, when set, is called every SweepEvery to requeue jobs whose
	// lease expired (a crashed worker's).
	Sweeper Sweeper
	// Registry holds the backends jobs name. Required.
	Registry *backend.Registry
	// ID names the worker in leases; it must be unique among live workers.
	// "" means the host name and a random suffix.
	ID string
	// Backends lists the backends to lease jobs for; empty means every
	// backend in Registry at the time of each lease.
	Backends []string
	// Concurrency is the number of jobs run at once; 0 means the number of
	// CPUs.
	Concurrency int
	// Prefetch is the number of jobs leased beyond Concurrency, to wait
	// for a free slot (their leases are kept alive), while jobs are short:
	// it keeps the slots busy and lets one store transaction lease many
	// jobs. While jobs are long the worker leases only for free slots, so
	// that other workers can take the rest of the queue. 0 means
	// DefaultPrefetchPerSlot×Concurrency, negative means none.
	Prefetch int
	// ShortJob is the mean run time under which jobs count as short (see
	// Prefetch); 0 means DefaultShortJob.
	ShortJob time.Duration
	// LeaseTTL is how long a lease lasts without a heartbeat; 0 means
	// DefaultLeaseTTL.
	LeaseTTL time.Duration
	// HeartbeatEvery is the interval between heartbeats of a job; 0 means
	// LeaseTTL/3.
	HeartbeatEvery time.Duration
	// SweepEvery is the interval between calls to Sweeper; 0 means
	// LeaseTTL/4 (at most 5 s).
	SweepEvery time.Duration
	// PollMin and PollMax bound the idle poll backoff; 0 means
	// DefaultPollMin and DefaultPollMax.
	PollMin, PollMax time.Duration
	// GracePeriod is how long Run waits, after its context is cancelled,
	// for running jobs to finish before it stops them and releases them;
	// 0 means DefaultGracePeriod.
	GracePeriod time.Duration
	// ReportTimeout bounds the retries of a Complete, Fail, MarkCancelled
	// or Release that fails for a reason other than a lost lease; 0 means
	// DefaultReportTimeout.
	ReportTimeout time.Duration
	// Logger receives the worker's logs; nil discards them.
	Logger *slog.Logger
	// OnFinished, when set, is called after a job's terminal status is
	// stored, with a copy of the job whose Status and FinishedAt are set
	// and its Error empty, and the stored result of a completed job (nil
	// otherwise; it must not be modified). It runs on the job's goroutine
	// and must be quick: the API uses it to wake event streams and waiting
	// clients, to keep fresh results in memory and to record durations.
	OnFinished func(j *qluster.Job, res *qluster.JobResult)
}

// Worker leases jobs and runs them. Create it with New, start it with Run.
type Worker struct {
	opt      Options
	log      *slog.Logger
	meanRun  atomic.Int64  // moving mean of job run times, nanoseconds
	slots    chan struct{} // a token per running job
	wake     chan struct{} // Notify: new jobs may be queued
	freed    chan struct{} // a leased job has run: capacity is free
	stopping chan struct{} // closed when Run's context is done
	inflight atomic.Int64
	running  atomic.Bool
	stats    Stats

	heldMu sync.Mutex
	held   map[string]context.CancelCauseFunc // leased jobs by ID: stop one
}

// Stats counts a worker's outcomes.
type Stats struct {
	Leased, Completed, Failed, Cancelled, Released, LeaseLost atomic.Int64
}

// New returns a worker; it panics without Leaser or Registry (a wiring
// error).
func New(opt Options) *Worker {
	if opt.Leaser == nil || opt.Registry == nil {
		panic("worker: Options.Leaser and Options.Registry are required")
	}
	if opt.ID == "" {
		host, _ := os.Hostname()
		opt.ID = host + "-" + randomHex(4)
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = runtime.NumCPU()
	}
	switch {
	case opt.Prefetch == 0:
		opt.Prefetch = DefaultPrefetchPerSlot * opt.Concurrency
	case opt.Prefetch < 0:
		opt.Prefetch = 0
	}
	if opt.ShortJob <= 0 {
		opt.ShortJob = DefaultShortJob
	}
	if opt.LeaseTTL <= 0 {
		opt.LeaseTTL = DefaultLeaseTTL
	}
	if opt.HeartbeatEvery <= 0 {
		opt.HeartbeatEvery = opt.LeaseTTL / 3
	}
	if opt.SweepEvery <= 0 {
		opt.SweepEvery = min(opt.LeaseTTL/4, 5*time.Second)
	}
	if opt.PollMin <= 0 {
		opt.PollMin = DefaultPollMin
	}
	if opt.PollMax < opt.PollMin {
		opt.PollMax = max(DefaultPollMax, opt.PollMin)
	}
	if opt.GracePeriod <= 0 {
		opt.GracePeriod = DefaultGracePeriod
	}
	if opt.ReportTimeout <= 0 {
		opt.ReportTimeout = DefaultReportTimeout
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &Worker{
		opt: opt, log: log.With("worker", opt.ID),
		slots:    make(chan struct{}, opt.Concurrency),
		wake:     make(chan struct{}, 1),
		freed:    make(chan struct{}, 1),
		stopping: make(chan struct{}),
	}
	// Until jobs have run, assume they are long.
	w.meanRun.Store(int64(opt.ShortJob))
	return w
}

// capacity is the most jobs the worker holds leased and not yet run:
// Concurrency, plus Prefetch while jobs are short.
func (w *Worker) capacity() int {
	if time.Duration(w.meanRun.Load()) < w.opt.ShortJob {
		return w.opt.Concurrency + w.opt.Prefetch
	}
	return w.opt.Concurrency
}

// recordRun updates the moving mean of run times with d (weight 1/8).
func (w *Worker) recordRun(d time.Duration) {
	for {
		old := w.meanRun.Load()
		if w.meanRun.CompareAndSwap(old, old-old/8+int64(d)/8) {
			return
		}
	}
}

// ID returns the name the worker leases under.
func (w *Worker) ID() string { return w.opt.ID }

// Stats returns the worker's counters.
func (w *Worker) Stats() *Stats { return &w.stats }

// Notify wakes an idle worker so that it leases at once; the API calls it
// after a submission. It never blocks and may be called from any goroutine.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run leases and runs jobs until ctx is cancelled, then stops gracefully:
// it leases no more, releases the jobs still waiting for a slot, gives
// running jobs GracePeriod to finish, then stops them and releases them to
// the queue. It returns once every job has been reported, with nil, or an
// error if Run was already running.
func (w *Worker) Run(ctx context.Context) error {
	if !w.running.CompareAndSwap(false, true) {
		return errors.New("worker: Run called twice")
	}
	// Jobs run under runCtx, which outlives ctx by the grace period.
	runCtx, stopRuns := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRuns()
	var jobs sync.WaitGroup
	var sweeper sync.WaitGroup
	if w.opt.Sweeper != nil {
		sweeper.Go(func() { w.sweep(ctx) })
	}
	w.log.Info("worker started", "concurrency", w.opt.Concurrency, "prefetch_short_jobs", w.opt.Prefetch, "lease_ttl", w.opt.LeaseTTL.String())
	w.dispatch(ctx, runCtx, &jobs)
	close(w.stopping)

	done := make(chan struct{})
	go func() { jobs.Wait(); close(done) }()
	if n := w.inflight.Load(); n > 0 {
		w.log.Info("worker stopping: waiting for running jobs", "jobs", n, "grace_period", w.opt.GracePeriod)
	}
	grace := time.NewTimer(w.opt.GracePeriod)
	defer grace.Stop()
	select {
	case <-done:
	case <-grace.C:
		w.log.Warn("grace period over: stopping running jobs and releasing them", "jobs", w.inflight.Load())
		stopRuns()
		<-done
	}
	sweeper.Wait()
	w.log.Info("worker stopped")
	return nil
}

// dispatch is the lease loop: it fills free capacity with leased jobs and
// waits, when there is nothing to do, for a finished job (at capacity), or
// for Notify or the poll timer (queue drained).
func (w *Worker) dispatch(ctx, runCtx context.Context, jobs *sync.WaitGroup) {
	backoff := w.opt.PollMin
	timer := time.NewTimer(0)
	<-timer.C
	defer timer.Stop()
	var lastErr time.Time
	for ctx.Err() == nil {
		free := w.capacity() - int(w.inflight.Load())
		got := 0
		if free > 0 {
			leased, err := w.opt.Leaser.Lease(ctx, qluster.LeaseRequest{
				Worker: w.opt.ID, Backends: w.backends(), Max: free, TTL: w.opt.LeaseTTL,
			})
			if err != nil && ctx.Err() == nil && time.Since(lastErr) > 5*time.Second {
				w.log.Error("lease failed", "err", err)
				lastErr = time.Now()
			}
			for _, j := range leased {
				w.inflight.Add(1)
				w.stats.Leased.Add(1)
				jobs.Go(func() { w.handle(runCtx, j) })
			}
			got = len(leased)
			if got == free {
				continue // there may be more
			}
		}
		// Here the worker is either at capacity (wait for a job to finish)
		// or has drained the queue (wait for Notify or the poll timer; a
		// finished job does not make more jobs queued).
		var freed chan struct{}
		wait := backoff
		if free <= 0 {
			freed, wait = w.freed, w.opt.PollMax
		}
		if got > 0 {
			backoff, wait = w.opt.PollMin, w.opt.PollMin
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
		case <-freed:
		case <-w.wake:
			backoff = w.opt.PollMin
		case <-timer.C:
			if free > 0 && got == 0 {
				backoff = min(2*backoff, w.opt.PollMax)
			}
		}
		timer.Stop() // since Go 1.23 no stale tick survives Stop
	}
}

func (w *Worker) backends() []string {
	if len(w.opt.Backends) > 0 {
		return w.opt.Backends
	}
	return w.opt.Registry.Names()
}

// sweep calls the Sweeper now and every SweepEvery until ctx is done.
func (w *Worker) sweep(ctx context.Context) {
	t := time.NewTicker(w.opt.SweepEvery)
	defer t.Stop()
	for {
		n, err := w.opt.Sweeper.RequeueExpired(ctx, time.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			w.log.Error("requeue of expired leases failed", "err", err)
		case n > 0:
			w.log.Info("requeued jobs with expired leases", "jobs", n)
			w.Notify()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// randomSeed returns a seed below 2^53, so that JSON clients reading
// numbers as float64 see it exactly.
func randomSeed() uint64 {
	var b [8]byte
	rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:]) >> 11
}

// Causes of a job's context being cancelled by its heartbeat.
var (
	errCancelRequested = errors.New("cancellation requested")
	errLeaseLost       = errors.New("lease lost")
)

// handle runs one leased job and reports its outcome.
func (w *Worker) handle(runCtx context.Context, j *qluster.Job) {
	// The job stops counting against capacity once it has run: reporting is
	// I/O and must not hold back the next lease.
	var freeOnce sync.Once
	free := func() {
		freeOnce.Do(func() {
			w.inflight.Add(-1)
			select {
			case w.freed <- struct{}{}:
			default:
			}
		})
	}
	defer free()
	log := w.log.With("job", j.ID, "attempt", j.Attempt)
	ctx, cancel := context.WithCancelCause(runCtx)
	defer cancel(nil)
	w.hold(j.ID, cancel)
	defer w.release(j.ID)
	hbDone := make(chan struct{})
	var hb sync.WaitGroup
	hb.Go(func() { w.heartbeat(ctx, cancel, j, hbDone, log) })
	stopHeartbeat := func() { close(hbDone); hb.Wait() }

	// Take a free slot, else wait for one; a job still waiting when the
	// worker stops goes back to the queue.
	gotSlot := false
	select {
	case w.slots <- struct{}{}:
		gotSlot = true
	default:
		select {
		case w.slots <- struct{}{}:
			gotSlot = true
		case <-ctx.Done():
		case <-w.stopping:
		}
	}
	var res *qluster.JobResult
	var runErr error
	started := gotSlot && ctx.Err() == nil
	if started {
		start := time.Now()
		res, runErr = w.execute(ctx, j, log)
		d := time.Since(start)
		w.recordRun(d)
		log.Debug("job ran", "duration", d, "err", runErr)
	}
	if gotSlot {
		<-w.slots
	}
	stopHeartbeat()
	free()

	cause := context.Cause(ctx)
	finished := func(st qluster.JobStatus) {
		if w.opt.OnFinished != nil {
			done := *j
			done.Status, done.FinishedAt = st, time.Now()
			var stored *qluster.JobResult
			if st == qluster.JobCompleted {
				stored = res
			}
			w.opt.OnFinished(&done, stored)
		}
	}
	switch {
	case started && runErr == nil:
		if w.report(runCtx, log, "complete", &w.stats.Completed, func(c context.Context) error {
			return w.opt.Leaser.Complete(c, j.ID, w.opt.ID, j.Attempt, res)
		}) {
			finished(qluster.JobCompleted)
		}
	case errors.Is(cause, errLeaseLost):
		w.stats.LeaseLost.Add(1)
		log.Warn("lease lost: job abandoned")
	case errors.Is(cause, errCancelRequested):
		if w.report(runCtx, log, "mark cancelled", &w.stats.Cancelled, func(c context.Context) error {
			return w.opt.Leaser.MarkCancelled(c, j.ID, w.opt.ID, j.Attempt)
		}) {
			finished(qluster.JobCancelled)
		}
	case !started || runCtx.Err() != nil:
		w.report(runCtx, log, "release", &w.stats.Released, func(c context.Context) error {
			return w.opt.Leaser.Release(c, j.ID, w.opt.ID, j.Attempt)
		})
	default:
		msg := failureMessage(runErr, j.ID, log)
		if w.report(runCtx, log, "fail", &w.stats.Failed, func(c context.Context) error {
			return w.opt.Leaser.Fail(c, j.ID, w.opt.ID, j.Attempt, msg)
		}) {
			finished(qluster.JobFailed)
		}
	}
}

// hold records a leased job's cancel function for Cancel.
func (w *Worker) hold(id string, cancel context.CancelCauseFunc) {
	w.heldMu.Lock()
	defer w.heldMu.Unlock()
	if w.held == nil {
		w.held = make(map[string]context.CancelCauseFunc)
	}
	w.held[id] = cancel
}

// release forgets a job recorded by hold.
func (w *Worker) release(id string) {
	w.heldMu.Lock()
	defer w.heldMu.Unlock()
	delete(w.held, id)
}

// Cancel stops job id at once if this worker holds its lease, running or
// waiting for a slot, and reports whether it did. Call it after the store
// has recorded the cancellation request (qluster.JobStore.CancelJob): the
// worker then marks the job cancelled. Without Cancel the request is seen
// at the job's next heartbeat. It never blocks.
func (w *Worker) Cancel(id string) bool {
	w.heldMu.Lock()
	cancel := w.held[id]
	w.heldMu.Unlock()
	if cancel == nil {
		return false
	}
	cancel(errCancelRequested)
	return true
}

// heartbeat extends j's lease every HeartbeatEvery until done is closed. It
// cancels ctx with errCancelRequested when the store asks the job to stop,
// and with errLeaseLost when the lease is gone or cannot be renewed before
// it expires.
func (w *Worker) heartbeat(ctx context.Context, cancel context.CancelCauseFunc, j *qluster.Job, done chan struct{}, log *slog.Logger) {
	t := time.NewTicker(w.opt.HeartbeatEvery)
	defer t.Stop()
	lastOK := time.Now()
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		hctx, hcancel := context.WithTimeout(context.WithoutCancel(ctx), w.opt.HeartbeatEvery)
		cancelRequested, err := w.opt.Leaser.Heartbeat(hctx, j.ID, w.opt.ID, j.Attempt, w.opt.LeaseTTL)
		hcancel()
		switch code := qluster.ErrorCode(err); {
		case err == nil:
			lastOK = time.Now()
			if cancelRequested {
				log.Info("cancellation requested: stopping job")
				cancel(errCancelRequested)
			}
		case code == qluster.ECONFLICT || code == qluster.ENOTFOUND:
			cancel(errLeaseLost)
		case time.Since(lastOK) >= w.opt.LeaseTTL:
			log.Error("heartbeats failed for a whole lease: stopping job", "err", err)
			cancel(errLeaseLost)
		default:
			log.Warn("heartbeat failed", "err", err)
		}
	}
}

// report calls fn until it succeeds, the lease turns out lost (ECONFLICT or
// ENOTFOUND), or ReportTimeout passes. It reports whether fn succeeded.
func (w *Worker) report(ctx context.Context, log *slog.Logger, what string, counter *atomic.Int64, fn func(context.Context) error) bool {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.opt.ReportTimeout)
	defer cancel()
	wait := 10 * time.Millisecond
	for {
		err := fn(rctx)
		switch code := qluster.ErrorCode(err); {
		case err == nil:
			counter.Add(1)
			return true
		case code == qluster.ECONFLICT || code == qluster.ENOTFOUND:
			w.stats.LeaseLost.Add(1)
			log.Warn(what+": lease lost", "err", err)
			return false
		case rctx.Err() != nil:
			log.Error(what+" failed; the lease will expire and the job return to the queue", "err", err)
			return false
		default:
			log.Warn(what+" failed; retrying", "err", err, "retry_in", wait)
		}
		select {
		case <-rctx.Done():
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Second)
	}
}

// execute parses and runs every circuit of j. Errors are meant for the job's
// owner: a QASM error with its position, a backend's coded error, or an
// internal error (logged in full).
func (w *Worker) execute(ctx context.Context, j *qluster.Job, log *slog.Logger) (res *qluster.JobResult, err error) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("job panicked", "panic", p, "stack", string(debug.Stack()))
			res, err = nil, fmt.Errorf("panic: %v", p)
		}
	}()
	b, err := w.opt.Registry.Get(j.Backend)
	if err != nil {
		return nil, err
	}
	spec := j.Spec
	seed := randomSeed()
	if spec.Seed != nil {
		seed = *spec.Seed
	}
	res = &qluster.JobResult{Results: make([]qluster.CircuitResult, len(spec.Circuits))}
	for i, cs := range spec.Circuits {
		label := cs.Name
		if label == "" {
			label = fmt.Sprintf("circuit %d", i)
		}
		c, _, err := qasm.Parse([]byte(cs.QASM), qasm.Options{Name: label})
		if err != nil {
			return nil, qluster.Errorf(qluster.EINVALID, "%w", err)
		}
		if err := b.Validate(c, spec); err != nil {
			return nil, fmt.Errorf("%s: %w", label, err)
		}
		r, err := b.Run(ctx, c, backend.RunOptionsFor(spec, cs.Name, seed))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", label, err)
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		res.Results[i] = *r
	}
	return res, nil
}

// failureMessage is the text stored with a failed job: the error itself when
// it is coded (meant for users), else "internal error" (the full error is
// logged).
func failureMessage(err error, id string, log *slog.Logger) string {
	if qluster.ErrorCode(err) != qluster.EINTERNAL {
		return err.Error()
	}
	log.Error("job failed with an internal error", "err", err)
	return "internal error (job " + id + "; details in the server log)"
}
