package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/qasm"
)

// submitRequest is the body of POST /v1/jobs.
type submitRequest struct {
	Backend  string                `json:"backend"`
	Shots    *int                  `json:"shots"`
	Seed     *uint64               `json:"seed"`
	Circuits []qluster.CircuitSpec `json:"circuits"`
	Options  qluster.JobOptions    `json:"options"`
	Priority int                   `json:"priority"`
}

// submitResponse is the body of a 202 from POST /v1/jobs.
type submitResponse struct {
	ID      string            `json:"id"`
	Status  qluster.JobStatus `json:"status"`
	Backend string            `json:"backend"`
}

// jobView is a job as the API shows it: the spec without its sources.
type jobView struct {
	ID              string             `json:"id"`
	Owner           string             `json:"owner"`
	Backend         string             `json:"backend"`
	Status          qluster.JobStatus  `json:"status"`
	Priority        int                `json:"priority"`
	Shots           int                `json:"shots"`
	Seed            *uint64            `json:"seed,omitempty"`
	NumCircuits     int                `json:"num_circuits"`
	Options         qluster.JobOptions `json:"options"`
	Attempt         int                `json:"attempt"`
	Error           string             `json:"error,omitempty"`
	CancelRequested bool               `json:"cancel_requested,omitempty"`
	IdempotencyKey  string             `json:"idempotency_key,omitempty"`
	CreatedAt       time.Time          `json:"created_at"`
	StartedAt       time.Time          `json:"started_at,omitzero"`
	FinishedAt      time.Time          `json:"finished_at,omitzero"`
	UpdatedAt       time.Time          `json:"updated_at"`
}

func viewJob(j *qluster.Job) *jobView {
	return &jobView{
		ID: j.ID, Owner: j.Owner, Backend: j.Backend, Status: j.Status, Priority: j.Priority,
		Shots: j.Spec.Shots, Seed: j.Spec.Seed, NumCircuits: len(j.Spec.Circuits), Options: j.Spec.Options,
		Attempt: j.Attempt, Error: j.Error, CancelRequested: j.CancelRequested, IdempotencyKey: j.IdempotencyKey,
		CreatedAt: j.CreatedAt.UTC(), StartedAt: j.StartedAt.UTC(), FinishedAt: j.FinishedAt.UTC(), UpdatedAt: j.UpdatedAt.UTC(),
	}
}

// jobList is the body of GET /v1/jobs.
type jobList struct {
	Jobs       []*jobView `json:"jobs"`
	NextCursor string     `json:"next_cursor,omitempty"`
}

// resultView is the body of GET /v1/jobs/{id}/result.
type resultView struct {
	ID      string                  `json:"id"`
	Status  qluster.JobStatus       `json:"status"`
	Backend string                  `json:"backend"`
	Results []qluster.CircuitResult `json:"results"`
}

// Bounds on submissions that are not per-user limits.
const (
	maxPriority          = 100
	maxIdempotencyKeyLen = 255
	maxCircuitNameLen    = 256
)

func (s *Server) submitJob(ctx context.Context, r *http.Request) (any, error) {
	p := caller(ctx)
	key := r.Header.Get("Idempotency-Key")
	if len(key) > maxIdempotencyKeyLen || !printable(key) {
		return nil, errorf(qluster.EINVALID, "Idempotency-Key must be at most %d printable ASCII characters", maxIdempotencyKeyLen)
	}
	var req submitRequest
	if err := decodeJSON(r, p.limits.MaxRequestBytes, &req); err != nil {
		return nil, err
	}
	job, err := s.validateSubmit(ctx, p, &req)
	if err != nil {
		return nil, err
	}
	job.IdempotencyKey = key
	if err := s.checkConcurrency(ctx, p); err != nil {
		return nil, err
	}
	created, isNew, err := s.store.CreateJob(ctx, job)
	if err != nil {
		if qluster.ErrorCode(err) == qluster.ECONFLICT {
			return nil, errorf(qluster.ECONFLICT, "Idempotency-Key %q was used for a different request", key)
		}
		return nil, fmt.Errorf("storing job: %w", err)
	}
	h := http.Header{"Location": {"/v1/jobs/" + created.ID}}
	if isNew {
		s.metrics.submitted.WithLabelValues(created.Backend).Inc()
		s.notify()
	} else {
		h.Set("Idempotent-Replayed", "true")
	}
	return &response{status: http.StatusAccepted, header: h, body: submitResponse{ID: created.ID, Status: created.Status, Backend: created.Backend}}, nil
}

// validateSubmit checks a submission against the caller's limits and the
// backend, parsing every circuit, and returns the job to store. A job for
// AutoBackend gets the backend that Options.Choose picks.
func (s *Server) validateSubmit(ctx context.Context, p *principal, req *submitRequest) (*qluster.Job, error) {
	if req.Backend == "" {
		req.Backend = "sv"
	}
	switch n := len(req.Circuits); {
	case n == 0:
		return nil, errorf(qluster.EINVALID, "circuits: at least one circuit is required")
	case n > p.limits.MaxCircuits:
		return nil, errorf(qluster.EINVALID, "%d circuits is over the limit of %d per job", n, p.limits.MaxCircuits)
	}
	if req.Priority < -maxPriority || req.Priority > maxPriority {
		return nil, errorf(qluster.EINVALID, "priority must be between %d and %d, got %d", -maxPriority, maxPriority, req.Priority)
	}
	if req.Priority > 0 && !p.user.Admin {
		return nil, errorf(qluster.EFORBIDDEN, "only admins may set a positive priority")
	}
	if err := validateOptions(req.Options); err != nil {
		return nil, err
	}
	var circuits []*circuit.Circuit
	if req.Backend == AutoBackend && s.choose != nil {
		widest := 0
		for _, b := range s.cachedBackends() {
			if b.Status != qluster.BackendOffline {
				widest = max(widest, b.NumQubits, b.PhysicalQubits, b.CliffordQubits)
			}
		}
		var err error
		if circuits, err = parseCircuits(req.Circuits, widest); err != nil {
			return nil, err
		}
		shots := DefaultShots
		if req.Shots != nil {
			shots = *req.Shots
		}
		name, err := s.choose(circuits, qluster.JobSpec{Shots: shots, Seed: req.Seed, Circuits: req.Circuits, Options: req.Options})
		if err != nil {
			if qluster.ErrorCode(err) == qluster.EINTERNAL {
				return nil, fmt.Errorf("choosing a backend: %w", err)
			}
			return nil, err
		}
		req.Backend = name
	}
	be, err := s.backend(req.Backend)
	if err != nil {
		ae := errorf(qluster.EINVALID, "unknown backend %q; available: %s", req.Backend, strings.Join(s.backendNames(), ", "))
		ae.backends = s.backendNames()
		return nil, ae
	}
	if be.Status == qluster.BackendOffline {
		return nil, errorf(qluster.EINVALID, "backend %q is offline", be.Name)
	}
	shots := be.Defaults.Shots
	if shots <= 0 {
		shots = DefaultShots
	}
	if req.Shots != nil {
		shots = *req.Shots
	}
	maxShots := p.limits.MaxShots
	if be.MaxShots > 0 {
		maxShots = min(maxShots, be.MaxShots)
	}
	switch {
	case shots < 0:
		return nil, errorf(qluster.EINVALID, "shots must be ≥ 0, got %d", shots)
	case shots > maxShots:
		return nil, errorf(qluster.EINVALID, "shots %d is over the limit of %d per job", shots, maxShots)
	}
	// A circuit may declare up to the physical qubits (compiled for a chip
	// elsewhere), or be a wide Clifford circuit; the backend's check bounds
	// the qubits it uses.
	width := max(be.NumQubits, be.PhysicalQubits, be.CliffordQubits)
	if circuits == nil {
		if circuits, err = parseCircuits(req.Circuits, width); err != nil {
			return nil, err
		}
	}
	spec := qluster.JobSpec{Shots: shots, Seed: req.Seed, Circuits: req.Circuits, Options: req.Options}
	for i, c := range circuits {
		if c.NumQubits > width {
			idx := i
			return nil, &apiError{code: qluster.ETOOLARGE, msg: fmt.Sprintf("circuits[%d]: %d qubits, backend %s has %d", i, c.NumQubits, be.Name, width), circuit: &idx, name: req.Circuits[i].Name}
		}
		if s.check == nil {
			continue
		}
		if err := s.check(be.Name, c, spec); err != nil {
			if qluster.ErrorCode(err) == qluster.EINTERNAL {
				return nil, fmt.Errorf("checking circuits[%d] against %s: %w", i, be.Name, err)
			}
			idx := i
			return nil, &apiError{code: qluster.ErrorCode(err), msg: fmt.Sprintf("circuits[%d]: %s", i, qluster.ErrorMessage(err)), circuit: &idx, name: req.Circuits[i].Name}
		}
	}
	return &qluster.Job{Owner: p.user.ID, Backend: be.Name, Priority: req.Priority, Spec: spec}, nil
}

// parseCircuits parses every circuit of a submission, refusing any wider
// than maxQubits.
func parseCircuits(specs []qluster.CircuitSpec, maxQubits int) ([]*circuit.Circuit, error) {
	out := make([]*circuit.Circuit, len(specs))
	for i, cs := range specs {
		if len(cs.Name) > maxCircuitNameLen {
			return nil, errorf(qluster.EINVALID, "circuits[%d]: name longer than %d bytes", i, maxCircuitNameLen)
		}
		if strings.TrimSpace(cs.QASM) == "" {
			return nil, errorf(qluster.EINVALID, "circuits[%d]: qasm is empty", i)
		}
		name := cs.Name
		if name == "" {
			name = fmt.Sprintf("circuits[%d]", i)
		}
		c, _, err := qasm.Parse([]byte(cs.QASM), qasm.Options{Name: name, MaxQubits: maxQubits})
		if err != nil {
			var qe *qasm.Error
			if errors.As(err, &qe) {
				return nil, qasmError(i, cs.Name, qe)
			}
			return nil, fmt.Errorf("parsing circuits[%d]: %w", i, err)
		}
		out[i] = c
	}
	return out, nil
}

func validateOptions(o qluster.JobOptions) error {
	if o.OptimizationLevel != nil && (*o.OptimizationLevel < 0 || *o.OptimizationLevel > 3) {
		return errorf(qluster.EINVALID, "options.optimization_level must be 0 to 3, got %d", *o.OptimizationLevel)
	}
	switch o.Precision {
	case "", "double", "single":
	default:
		return errorf(qluster.EINVALID, "options.precision must be \"double\" or \"single\", got %q", o.Precision)
	}
	return nil
}

// checkConcurrency refuses a new job when the caller already has
// MaxConcurrentJobs queued or running.
func (s *Server) checkConcurrency(ctx context.Context, p *principal) error {
	limit := p.limits.MaxConcurrentJobs
	n, err := s.store.CountActiveJobs(ctx, p.user.ID)
	if err != nil {
		return fmt.Errorf("counting active jobs: %w", err)
	}
	if n >= limit {
		e := errorf(qluster.ERATELIMITED, "%d jobs queued or running, the most allowed at once; wait for one to finish", limit)
		e.retryAfter = time.Second
		return e
	}
	return nil
}

// loadJob returns the job with the path's id when the caller may see it:
// its owner or an admin. Anyone else gets ENOTFOUND, as for a missing job.
func (s *Server) loadJob(ctx context.Context, r *http.Request) (*qluster.Job, error) {
	id := r.PathValue("id")
	j, err := s.store.GetJob(ctx, id)
	if err != nil {
		if qluster.ErrorCode(err) == qluster.ENOTFOUND {
			return nil, errorf(qluster.ENOTFOUND, "job %q not found", id)
		}
		return nil, fmt.Errorf("loading job %s: %w", id, err)
	}
	if p := caller(ctx); !p.user.Admin && j.Owner != p.user.ID {
		return nil, errorf(qluster.ENOTFOUND, "job %q not found", id)
	}
	return j, nil
}

func (s *Server) getJob(ctx context.Context, r *http.Request) (any, error) {
	j, err := s.loadJob(ctx, r)
	if err != nil {
		return nil, err
	}
	return viewJob(j), nil
}

func (s *Server) cancelJob(ctx context.Context, r *http.Request) (any, error) {
	j, err := s.loadJob(ctx, r)
	if err != nil {
		return nil, err
	}
	j, err = s.store.CancelJob(ctx, j.ID)
	if err != nil {
		if qluster.ErrorCode(err) == qluster.ECONFLICT {
			return nil, errorf(qluster.ECONFLICT, "job %s has already finished", r.PathValue("id"))
		}
		return nil, fmt.Errorf("cancelling job: %w", err)
	}
	if j.Status == qluster.JobRunning && s.cancelRunning != nil {
		s.cancelRunning(j.ID)
	}
	s.notify()
	s.JobChanged(j.ID)
	return viewJob(j), nil
}

// maxResultWait bounds the wait query parameter of GET /v1/jobs/{id}/result.
const maxResultWait = time.Minute

func (s *Server) getResult(ctx context.Context, r *http.Request) (any, error) {
	q := r.URL.Query()
	if err := onlyParams(q, []string{"wait"}); err != nil {
		return nil, err
	}
	var wait time.Duration
	if v := q.Get("wait"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > maxResultWait {
			return nil, errorf(qluster.EINVALID, "wait must be a duration from 0s to %s (such as 10s or 500ms), got %q", maxResultWait, v)
		}
		wait = d
	}
	p := caller(ctx)
	if v, ok := s.cachedResult(p, r.PathValue("id")); ok {
		return v, nil
	}
	j, err := s.loadJob(ctx, r)
	if err != nil {
		return nil, err
	}
	if !j.Status.Terminal() && wait > 0 {
		if j, err = s.awaitTerminal(ctx, j, wait); err != nil {
			return nil, err
		}
		if v, ok := s.cachedResult(p, j.ID); ok {
			return v, nil
		}
	}
	switch j.Status {
	case qluster.JobCompleted:
	case qluster.JobFailed:
		return nil, errorf(qluster.ECONFLICT, "job %s failed: %s", j.ID, j.Error)
	case qluster.JobCancelled:
		return nil, errorf(qluster.ECONFLICT, "job %s was cancelled", j.ID)
	default:
		return nil, errorf(qluster.ECONFLICT, "job %s is %s; its result is not ready", j.ID, j.Status)
	}
	res, err := s.store.GetResult(ctx, j.ID)
	if err != nil {
		return nil, fmt.Errorf("loading result of %s: %w", j.ID, err)
	}
	return &resultView{ID: j.ID, Status: j.Status, Backend: j.Backend, Results: res.Results}, nil
}

// listQuery are the query parameters GET /v1/jobs takes.
var listQuery = []string{"status", "backend", "limit", "cursor", "owner"}

func (s *Server) listJobs(ctx context.Context, r *http.Request) (any, error) {
	q := r.URL.Query()
	if err := onlyParams(q, listQuery); err != nil {
		return nil, err
	}
	p := caller(ctx)
	f := qluster.JobFilter{Owner: p.user.ID, Backend: q.Get("backend"), Cursor: q.Get("cursor")}
	if st := q.Get("status"); st != "" {
		f.Status = qluster.JobStatus(st)
		if !f.Status.Valid() {
			return nil, errorf(qluster.EINVALID, "status must be one of queued, running, completed, failed, cancelled; got %q", st)
		}
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return nil, errorf(qluster.EINVALID, "limit must be a positive integer, got %q", l)
		}
		f.Limit = min(n, qluster.MaxListLimit)
	}
	// Users see their own jobs; admins everyone's, or one user's with
	// ?owner= (a name or ID; "*" or empty for all).
	switch o, ok := q["owner"]; {
	case ok && (o[0] == p.user.ID || o[0] == p.user.Name):
	case ok && !p.user.Admin:
		return nil, errorf(qluster.EFORBIDDEN, "only admins may list other users' jobs")
	case ok && o[0] != "" && o[0] != "*":
		u, err := s.findUser(ctx, o[0])
		if err != nil {
			return nil, err
		}
		f.Owner = u.ID
	case p.user.Admin:
		f.Owner = ""
	}
	jobs, next, err := s.store.ListJobs(ctx, f)
	if err != nil {
		if qluster.ErrorCode(err) == qluster.EINVALID {
			return nil, errorf(qluster.EINVALID, "%s", qluster.ErrorMessage(err))
		}
		return nil, fmt.Errorf("listing jobs: %w", err)
	}
	out := jobList{Jobs: make([]*jobView, len(jobs)), NextCursor: next}
	for i, j := range jobs {
		out.Jobs[i] = viewJob(j)
	}
	return out, nil
}

// onlyParams rejects query parameters not in allowed, and repeated ones.
func onlyParams(q url.Values, allowed []string) error {
	for k, v := range q {
		if !slices.Contains(allowed, k) {
			return errorf(qluster.EINVALID, "unknown query parameter %q; allowed: %s", k, strings.Join(allowed, ", "))
		}
		if len(v) > 1 {
			return errorf(qluster.EINVALID, "query parameter %q given %d times", k, len(v))
		}
	}
	return nil
}

// printable reports whether s is printable ASCII.
func printable(s string) bool {
	for _, c := range []byte(s) {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}
