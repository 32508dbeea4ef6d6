package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/qasm"
)

// Codes of errors that only the HTTP layer produces; they sit in statusOf
// beside the qluster codes.
const (
	codeUnsupportedMediaType = "unsupported_media_type"
	codeMethodNotAllowed     = "method_not_allowed"
)

// statusOf is the one table from error codes to HTTP statuses. A code not
// in it is served as 500.
var statusOf = map[string]int{
	qluster.EINVALID:         http.StatusBadRequest,
	qluster.ENOTFOUND:        http.StatusNotFound,
	qluster.ECONFLICT:        http.StatusConflict,
	qluster.EUNAUTHORIZED:    http.StatusUnauthorized,
	qluster.EFORBIDDEN:       http.StatusForbidden,
	qluster.ETOOLARGE:        http.StatusRequestEntityTooLarge,
	qluster.ERATELIMITED:     http.StatusTooManyRequests,
	qluster.EINTERNAL:        http.StatusInternalServerError,
	codeUnsupportedMediaType: http.StatusUnsupportedMediaType,
	codeMethodNotAllowed:     http.StatusMethodNotAllowed,
}

// problemTypePrefix starts the type URI of every problem; the code follows.
const problemTypePrefix = "urn:qluster:problem:"

// Problem is an RFC 9457 problem details object, with Qluster's extension
// members.
type Problem struct {
	// Type is a URI naming the kind of problem: problemTypePrefix and Code.
	Type string `json:"type"`
	// Title is the HTTP status text.
	Title string `json:"title"`
	// Status is the HTTP status code.
	Status int `json:"status"`
	// Detail explains this occurrence to the user.
	Detail string `json:"detail"`
	// Code is the qluster error code.
	Code string `json:"code"`
	// RequestID identifies the request in the server's logs.
	RequestID string `json:"request_id,omitempty"`
	// Line and Column locate a QASM error (1-based).
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// Circuit is the index of the circuit a QASM error is in, and
	// CircuitName its name.
	Circuit     *int   `json:"circuit,omitempty"`
	CircuitName string `json:"circuit_name,omitempty"`
	// Backends lists the known backends when the one asked for is unknown.
	Backends []string `json:"backends,omitempty"`
}

// apiError is an error with a code and the extras a problem may carry.
// Handlers return it (or any error with a qluster code) to pick the status.
type apiError struct {
	code, msg string
	// line, col, circuit and name locate a QASM error.
	line, col int
	circuit   *int
	name      string
	// backends lists the known backends for an unknown one.
	backends []string
	// retryAfter, when positive, is sent as a Retry-After header.
	retryAfter time.Duration
	// allow, when set, is sent as an Allow header (405).
	allow string
}

func (e *apiError) Error() string { return e.msg }

// errorf returns an *apiError with a code and a formatted message.
func errorf(code, format string, args ...any) *apiError {
	return &apiError{code: code, msg: fmt.Sprintf(format, args...)}
}

// qasmError turns a QASM parse error in circuit i into an invalid-request
// error carrying its position.
func qasmError(i int, name string, e *qasm.Error) *apiError {
	idx := i
	msg := e.Error()
	if prefix := fmt.Sprintf("circuits[%d]", i); !strings.HasPrefix(msg, prefix+":") {
		// A named circuit's error starts with its name.
		msg = prefix + ": " + msg
	}
	return &apiError{
		code: qluster.EINVALID,
		msg:  msg,
		line: e.Line, col: e.Col, circuit: &idx, name: name,
	}
}

// problemFor builds the problem for err. Errors without a code are
// internal: their text goes to the log with the request id, and the user
// sees only that id.
func problemFor(err error, reqID string, log *slog.Logger, r *http.Request) (Problem, *apiError) {
	var (
		ae   *apiError
		qe   *qluster.Error
		code string
		msg  string
	)
	switch {
	case errors.As(err, &ae):
		code, msg = ae.code, ae.msg
	case errors.As(err, &qe):
		code, msg = qe.Code, qe.Message
	default:
		code = qluster.EINTERNAL
	}
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if code == qluster.EINTERNAL || status == http.StatusInternalServerError {
		log.Error("internal error", "request_id", reqID, "method", r.Method, "path", r.URL.Path, "err", err)
		code, msg = qluster.EINTERNAL, "internal error (request id "+reqID+")"
		ae = nil
	}
	p := Problem{
		Type: problemTypePrefix + code, Title: http.StatusText(status), Status: status,
		Detail: msg, Code: code, RequestID: reqID,
	}
	if ae != nil {
		p.Line, p.Column, p.Circuit, p.CircuitName, p.Backends = ae.line, ae.col, ae.circuit, ae.name, ae.backends
	}
	return p, ae
}

// writeProblem writes err as an application/problem+json response.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	p, ae := problemFor(err, requestID(r.Context()), s.log, r)
	h := w.Header()
	if ae != nil && ae.retryAfter > 0 {
		secs := int64((ae.retryAfter + time.Second - 1) / time.Second)
		h.Set("Retry-After", strconv.FormatInt(max(secs, 1), 10))
	}
	if ae != nil && ae.allow != "" {
		h.Set("Allow", ae.allow)
	}
	h.Set("Content-Type", "application/problem+json")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	b, _ := json.Marshal(p)
	w.Write(append(b, '\n'))
}
