package httpapi

// Quafu-compatible endpoints. An unmodified pyquafu client (0.4.x) whose
// ~/.quafu/api names this server's URL talks to them: every call is a POST
// to a fixed path under /qbackend/ with the raw token in an "api_token"
// header, form-encoded fields, and an HTTP 200 reply whose JSON carries a
// Quafu status code. They sit outside REST v1: they are not in Server.Routes
// nor in openapi.json. Submissions go through the same validation, limits
// and store as POST /v1/jobs.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/qluster/qluster"
)

// Quafu reply status codes. pyquafu raises UserError for 201, 205 and 400,
// CircuitError for 5001, ServerError for 5003 and CompileError for 5004.
const (
	QuafuOK           = 200
	QuafuUnauthorized = 201
	QuafuBusy         = 205
	QuafuBadRequest   = 400
	QuafuCircuitError = 5001
	QuafuServerError  = 5003
	QuafuCompileError = 5004
)

// Quafu task status codes (the "status" of a task reply).
const (
	QuafuInQueue   = 0
	QuafuRunning   = 1
	QuafuCompleted = 2
	QuafuCanceled  = 3
	QuafuFailed    = 4
	QuafuPending   = 5
)

// QuafuAlias is the backend name pyquafu's Task.config uses by default. The
// Quafu endpoints offer it as an alias of a chip backend (see quafuAliasOf)
// or, without chips, of "sv".
const QuafuAlias = "ScQ-P10"

// quafuSyncTimeout bounds how long a synchronous submit (scq_kit) waits for
// its job; after it the reply is a ServerError naming the task id.
var quafuSyncTimeout = 60 * time.Second

// quafuPaths maps each Quafu path (exact, trailing slash included) to its
// handler.
func (s *Server) quafuPaths() map[string]quafuHandler {
	return map[string]quafuHandler{
		"/qbackend/get_backends/":      s.quafuBackends,
		"/qbackend/scq_get_chip_info/": s.quafuChipInfo,
		"/qbackend/scq_kit/":           func(ctx context.Context, r *http.Request) (any, error) { return s.quafuSubmit(ctx, r, true) },
		"/qbackend/scq_kit_asyc/":      func(ctx context.Context, r *http.Request) (any, error) { return s.quafuSubmit(ctx, r, false) },
		"/qbackend/scq_task_recall/":   s.quafuRecall,
	}
}

// quafuRoutes registers the Quafu-compatible endpoints on the mux. They are
// left out of s.table, which lists the REST v1 routes that openapi.json
// documents.
func (s *Server) quafuRoutes() {
	for path, h := range s.quafuPaths() {
		// "{$}" makes the pattern match the path exactly rather than the
		// subtree below it.
		s.mux.Handle("POST "+path+"{$}", s.quafuAuthed(h))
	}
}

// quafuHandler is a Quafu endpoint: its reply body, or an error that
// writeQuafu turns into {"status": code, "message": text}.
type quafuHandler func(ctx context.Context, r *http.Request) (any, error)

// quafuError is an error with a Quafu status code chosen by the handler.
type quafuError struct {
	status int
	msg    string
}

func (e *quafuError) Error() string { return e.msg }

// quafuReply is the envelope of errors and of the backend list.
type quafuReply struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
	OK      bool   `json:"ok"`
	Data    any    `json:"data,omitempty"`
}

// quafuAuthed checks the api_token header and the caller's request rate,
// caps the body, then calls h and writes its reply.
func (s *Server) quafuAuthed(h quafuHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimSpace(r.Header.Get("api_token"))
		if tok == "" {
			s.writeQuafu(w, r, nil, errorf(qluster.EUNAUTHORIZED, "missing api_token header: save a Qluster token with pyquafu's User(api_token=…).save_apitoken()"))
			return
		}
		// The native API's Bearer check does the work, on a copy of the
		// request that carries the token where it looks.
		ar := r.Clone(r.Context())
		ar.Header = r.Header.Clone()
		ar.Header.Set("Authorization", "Bearer "+tok)
		p, err := s.authenticate(ar)
		if err != nil {
			s.writeQuafu(w, r, nil, err)
			return
		}
		if wait := s.limiter.take(p.token.ID, p.limits.RatePerSecond, p.limits.RateBurst); wait > 0 {
			s.writeQuafu(w, r, nil, errorf(qluster.ERATELIMITED, "request rate above %g per second (burst %d) for this token; retry in %s",
				p.limits.RatePerSecond, p.limits.RateBurst, wait.Round(time.Millisecond)))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, p.limits.MaxRequestBytes)
		ctx := context.WithValue(r.Context(), principalKey, p)
		data, err := h(ctx, r.WithContext(ctx))
		s.writeQuafu(w, r, data, err)
	})
}

// writeQuafu writes data, or err as a Quafu error reply; both with HTTP
// 200, since pyquafu drops the body of any other status.
func (s *Server) writeQuafu(w http.ResponseWriter, r *http.Request, data any, err error) {
	if err != nil {
		status, msg := s.quafuStatus(r, err)
		data = quafuReply{Status: status, Message: msg}
	}
	b, err := json.Marshal(data)
	if err != nil {
		s.log.Error("encoding quafu reply", "request_id", requestID(r.Context()), "err", err)
		b = []byte(`{"status":5003,"message":"internal error","ok":false}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(append(b, '\n'))
}

// quafuStatus maps an error to a Quafu status code and a message: the one
// table for these endpoints. Authentication failures are 201, rate and
// concurrency limits 205, errors located in a circuit (QASM syntax, too
// many qubits, unsupported operations) 5001, other invalid requests 400,
// and internal errors 5003 with only the request id shown.
func (s *Server) quafuStatus(r *http.Request, err error) (int, string) {
	var qe *quafuError
	if errors.As(err, &qe) {
		return qe.status, qe.msg
	}
	p, ae := problemFor(err, requestID(r.Context()), s.log, r)
	switch p.Code {
	case qluster.EUNAUTHORIZED, qluster.EFORBIDDEN:
		return QuafuUnauthorized, p.Detail
	case qluster.ERATELIMITED:
		return QuafuBusy, p.Detail
	case qluster.EINTERNAL:
		return QuafuServerError, p.Detail
	case qluster.EINVALID, qluster.ETOOLARGE:
		if ae != nil && ae.circuit != nil {
			return QuafuCircuitError, p.Detail
		}
	}
	return QuafuBadRequest, p.Detail
}

// formValue returns the single value of a form field; repeated fields are
// an error.
func formValue(r *http.Request, key string) (string, error) {
	v := r.PostForm[key]
	switch len(v) {
	case 0:
		return "", nil
	case 1:
		return v[0], nil
	}
	return "", errorf(qluster.EINVALID, "form field %q given %d times", key, len(v))
}

// parseQuafuForm reads a form-encoded body.
func parseQuafuForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errorf(qluster.ETOOLARGE, "request body is over the limit of %d bytes", mbe.Limit)
		}
		return errorf(qluster.EINVALID, "reading form: %v", err)
	}
	return nil
}

// formInt reads an integer form field; def when it is absent or empty.
func formInt(r *http.Request, key string, def int) (int, error) {
	v, err := formValue(r, key)
	if err != nil || v == "" {
		return def, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, errorf(qluster.EINVALID, "form field %q must be an integer, got %q", key, v)
	}
	return n, nil
}

// quafuSubmit handles scq_kit (wait true: reply when the job has finished)
// and scq_kit_asyc (reply once the job is stored).
func (s *Server) quafuSubmit(ctx context.Context, r *http.Request, wait bool) (any, error) {
	if err := parseQuafuForm(r); err != nil {
		return nil, err
	}
	p := caller(ctx)
	src, err := formValue(r, "qtasm")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(src) == "" {
		return nil, &quafuError{QuafuCircuitError, "qtasm is empty: send the circuit as OpenQASM 2"}
	}
	name, err := formValue(r, "task_name")
	if err != nil {
		return nil, err
	}
	server, err := formValue(r, "selected_server")
	if err != nil {
		return nil, err
	}
	be, err := s.quafuSelect(server)
	if err != nil {
		return nil, err
	}
	var ints [5]int
	for i, f := range []struct {
		key string
		def int
	}{{"shots", math.MinInt}, {"compile", 0}, {"tomo", 0}, {"scan", 0}, {"qubits", 0}} {
		if ints[i], err = formInt(r, f.key, f.def); err != nil {
			return nil, err
		}
	}
	shots, compile, tomo, scan := ints[0], ints[1], ints[2], ints[3]
	if tomo != 0 || scan != 0 {
		return nil, errorf(qluster.EINVALID, "tomography and parameter scans are not supported; send tomo=0 and scan=0")
	}
	if compile != 0 && compile != 1 {
		return nil, errorf(qluster.EINVALID, "form field \"compile\" must be 0 or 1, got %d", compile)
	}
	req := submitRequest{Backend: be.Name, Circuits: []qluster.CircuitSpec{{Name: name, QASM: src}}}
	if shots != math.MinInt {
		req.Shots = &shots
	}
	if compile == 1 {
		t := true
		req.Options.Transpile = &t
	}
	job, err := s.validateSubmit(ctx, p, &req)
	if err != nil {
		return nil, err
	}
	if err := s.checkConcurrency(ctx, p); err != nil {
		return nil, err
	}
	created, _, err := s.store.CreateJob(ctx, job)
	if err != nil {
		return nil, fmt.Errorf("storing quafu task: %w", err)
	}
	s.metrics.submitted.WithLabelValues(created.Backend).Inc()
	s.notify()
	if wait {
		if created, err = s.quafuWait(ctx, created.ID); err != nil {
			return nil, err
		}
		if created.Status == qluster.JobFailed {
			return nil, &quafuError{QuafuCompileError, fmt.Sprintf("task %s failed: %s", created.ID, created.Error)}
		}
	}
	return s.quafuTask(ctx, created)
}

// quafuWait waits until job id reaches a terminal status, at most
// quafuSyncTimeout, and returns it.
func (s *Server) quafuWait(ctx context.Context, id string) (*qluster.Job, error) {
	wake := s.watch.add(id)
	defer s.watch.remove(id, wake)
	deadline := time.NewTimer(quafuSyncTimeout)
	defer deadline.Stop()
	poll := firstPoll
	tick := time.NewTimer(poll)
	defer tick.Stop()
	for {
		j, err := s.store.GetJob(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("waiting for quafu task %s: %w", id, err)
		}
		if j.Status.Terminal() {
			return j, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for quafu task %s: %w", id, ctx.Err())
		case <-s.closing:
			return nil, &quafuError{QuafuServerError, fmt.Sprintf("server shutting down; task %s is %s: retrieve it later", id, j.Status)}
		case <-deadline.C:
			return nil, &quafuError{QuafuServerError, fmt.Sprintf("task %s did not finish within %s (it is %s); retrieve it later with Task.retrieve(%q)", id, quafuSyncTimeout, j.Status, id)}
		case <-wake:
		case <-tick.C:
		}
		poll = min(2*poll, 100*time.Millisecond)
		tick.Reset(poll)
	}
}

// quafuRecall handles scq_task_recall: the task with form field task_id,
// visible to its owner and to admins.
func (s *Server) quafuRecall(ctx context.Context, r *http.Request) (any, error) {
	if err := parseQuafuForm(r); err != nil {
		return nil, err
	}
	id, err := formValue(r, "task_id")
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, errorf(qluster.EINVALID, "form field \"task_id\" is required")
	}
	j, err := s.store.GetJob(ctx, id)
	if err != nil {
		if qluster.ErrorCode(err) == qluster.ENOTFOUND || qluster.ErrorCode(err) == qluster.EINVALID {
			return nil, errorf(qluster.ENOTFOUND, "task %q not found", id)
		}
		return nil, fmt.Errorf("loading quafu task %s: %w", id, err)
	}
	if p := caller(ctx); !p.user.Admin && j.Owner != p.user.ID {
		return nil, errorf(qluster.ENOTFOUND, "task %q not found", id)
	}
	return s.quafuTask(ctx, j)
}

// quafuTask is the task reply of submits and recalls.
type quafuTask struct {
	Status   int    `json:"status"`
	Message  string `json:"message"`
	TaskID   string `json:"task_id"`
	TaskName string `json:"task_name"`
	Backend  string `json:"backend"`
	OpenQASM string `json:"openqasm"`
	// Res is a Python dict literal of bit strings to counts; "{}" until
	// the task has completed (see quafuRes).
	Res string `json:"res"`
}

// quafuTask builds the reply for job j, reading its result when it has
// completed.
func (s *Server) quafuTask(ctx context.Context, j *qluster.Job) (*quafuTask, error) {
	t := &quafuTask{
		Status: quafuTaskStatus(j), Message: "success", TaskID: j.ID, Backend: j.Backend,
		Res: "{}",
	}
	if len(j.Spec.Circuits) > 0 {
		t.TaskName, t.OpenQASM = j.Spec.Circuits[0].Name, j.Spec.Circuits[0].QASM
	}
	switch j.Status {
	case qluster.JobFailed:
		t.Message = "failed: " + j.Error
	case qluster.JobCompleted:
		res, err := s.store.GetResult(ctx, j.ID)
		if err != nil {
			return nil, fmt.Errorf("loading result of quafu task %s: %w", j.ID, err)
		}
		if len(res.Results) == 0 {
			return nil, fmt.Errorf("quafu task %s: result holds no circuit", j.ID)
		}
		if t.Res, err = quafuRes(t.OpenQASM, res.Results[0].Counts); err != nil {
			return nil, fmt.Errorf("quafu task %s: %w", j.ID, err)
		}
	}
	return t, nil
}

// quafuTaskStatus maps a job's status to Quafu's task codes. A queued job
// that has run before (its lease expired) is Pending; a running job whose
// cancellation was asked for is still Running.
func quafuTaskStatus(j *qluster.Job) int {
	switch j.Status {
	case qluster.JobQueued:
		if j.Attempt > 0 {
			return QuafuPending
		}
		return QuafuInQueue
	case qluster.JobRunning:
		return QuafuRunning
	case qluster.JobCompleted:
		return QuafuCompleted
	case qluster.JobCancelled:
		return QuafuCanceled
	}
	return QuafuFailed
}
