package rules

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/qluster/qluster"
)

// MaxKeyLen bounds idempotency keys, names and backend names.
const MaxKeyLen = 255

// Now returns the store clock: the current time in UTC, truncated to the
// microsecond both databases keep.
func Now() time.Time { return Trunc(time.Now()) }

// Trunc returns t in UTC truncated to the microsecond; the zero time stays
// zero.
func Trunc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// NewJob checks a job given to CreateJob and returns a copy ready to insert:
// queued, with an ID (kept when given), MaxAttempts resolved and the times set
// to now. EINVALID for a missing owner, backend or circuit, negative shots, or
// over-long keys.
func NewJob(in *qluster.Job, now time.Time) (*qluster.Job, error) {
	if in == nil {
		return nil, qluster.Errorf(qluster.EINVALID, "no job")
	}
	switch {
	case in.Owner == "":
		return nil, qluster.Errorf(qluster.EINVALID, "job has no owner")
	case in.Backend == "":
		return nil, qluster.Errorf(qluster.EINVALID, "job has no backend")
	case len(in.Backend) > MaxKeyLen:
		return nil, qluster.Errorf(qluster.EINVALID, "backend name longer than %d bytes", MaxKeyLen)
	case len(in.Spec.Circuits) == 0:
		return nil, qluster.Errorf(qluster.EINVALID, "job has no circuits")
	case in.Spec.Shots < 0:
		return nil, qluster.Errorf(qluster.EINVALID, "shots must not be negative, got %d", in.Spec.Shots)
	case in.MaxAttempts < 0:
		return nil, qluster.Errorf(qluster.EINVALID, "max attempts must not be negative, got %d", in.MaxAttempts)
	case len(in.IdempotencyKey) > MaxKeyLen:
		return nil, qluster.Errorf(qluster.EINVALID, "idempotency key longer than %d bytes", MaxKeyLen)
	}
	j := &qluster.Job{
		ID:             in.ID,
		Owner:          in.Owner,
		Backend:        in.Backend,
		Status:         qluster.JobQueued,
		Priority:       in.Priority,
		Spec:           in.Spec,
		MaxAttempts:    in.MaxAttemptsOrDefault(),
		CreatedAt:      now,
		UpdatedAt:      now,
		IdempotencyKey: in.IdempotencyKey,
	}
	if j.ID == "" {
		j.ID = qluster.NewID()
	}
	return j, nil
}

// Position is a place in the newest-first job order.
type Position struct {
	CreatedAt time.Time
	ID        string
}

// EncodeCursor returns the opaque cursor for the page after the job at p.
func EncodeCursor(p Position) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(p.CreatedAt.UnixMicro(), 10) + "." + p.ID))
}

// DecodeCursor parses a cursor made by EncodeCursor; EINVALID when it is
// not one.
func DecodeCursor(s string) (Position, error) {
	bad := qluster.Errorf(qluster.EINVALID, "invalid cursor %q", s)
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Position{}, bad
	}
	us, id, ok := strings.Cut(string(b), ".")
	if !ok || id == "" {
		return Position{}, bad
	}
	n, err := strconv.ParseInt(us, 10, 64)
	if err != nil || n <= 0 {
		return Position{}, bad
	}
	return Position{CreatedAt: time.UnixMicro(n).UTC(), ID: id}, nil
}

// Page is a checked JobFilter.
type Page struct {
	qluster.JobFilter
	// After, when not nil, is the position the page starts after.
	After *Position
}

// CheckFilter resolves the filter's limit and cursor. EINVALID for a
// negative limit, an unknown status or a bad cursor.
func CheckFilter(f qluster.JobFilter) (Page, error) {
	p := Page{JobFilter: f}
	switch {
	case f.Limit < 0:
		return p, qluster.Errorf(qluster.EINVALID, "limit must not be negative, got %d", f.Limit)
	case f.Limit == 0:
		p.Limit = qluster.DefaultListLimit
	case f.Limit > qluster.MaxListLimit:
		p.Limit = qluster.MaxListLimit
	}
	if f.Status != "" && !f.Status.Valid() {
		return p, qluster.Errorf(qluster.EINVALID, "unknown job status %q", f.Status)
	}
	if f.Cursor != "" {
		pos, err := DecodeCursor(f.Cursor)
		if err != nil {
			return p, err
		}
		p.After = &pos
	}
	return p, nil
}

// Trim cuts jobs, fetched with limit+1 rows, to the page and returns the
// cursor of the next page ("" when there is none).
func Trim(jobs []*qluster.Job, limit int) ([]*qluster.Job, string) {
	if len(jobs) <= limit {
		return jobs, ""
	}
	jobs = jobs[:limit]
	last := jobs[limit-1]
	return jobs, EncodeCursor(Position{CreatedAt: last.CreatedAt, ID: last.ID})
}

// CheckLease validates a lease request and resolves Max. EINVALID for an
// empty worker, a negative Max or a non-positive TTL.
func CheckLease(r qluster.LeaseRequest) (qluster.LeaseRequest, error) {
	switch {
	case r.Worker == "":
		return r, qluster.Errorf(qluster.EINVALID, "lease request has no worker")
	case r.Max < 0:
		return r, qluster.Errorf(qluster.EINVALID, "lease max must not be negative, got %d", r.Max)
	case r.TTL <= 0:
		return r, qluster.Errorf(qluster.EINVALID, "lease TTL must be positive, got %v", r.TTL)
	}
	if r.Max == 0 {
		r.Max = 1
	}
	return r, nil
}

// CheckTTL validates a heartbeat's TTL.
func CheckTTL(ttl time.Duration) error {
	if ttl <= 0 {
		return qluster.Errorf(qluster.EINVALID, "lease TTL must be positive, got %v", ttl)
	}
	return nil
}

// NotFound is the error for a missing job.
func NotFound(id string) error {
	return qluster.Errorf(qluster.ENOTFOUND, "job %s not found", id)
}

// LeaseLost explains why (worker, attempt) may not act on job j: ECONFLICT
// "lease lost", naming the job's current state.
func LeaseLost(j *qluster.Job, worker string, attempt int) error {
	if j.Status != qluster.JobRunning {
		return qluster.Errorf(qluster.ECONFLICT, "lease lost: job %s is %s", j.ID, j.Status)
	}
	return qluster.Errorf(qluster.ECONFLICT, "lease lost: job %s is held by attempt %d of worker %q, not attempt %d of %q",
		j.ID, j.Attempt, j.Worker, attempt, worker)
}

// NotCancellable is the error for cancelling a finished job.
func NotCancellable(j *qluster.Job) error {
	return qluster.Errorf(qluster.ECONFLICT, "job %s is already %s", j.ID, j.Status)
}

// NoResult is the error for asking the result of a job that has none.
func NoResult(j *qluster.Job) error {
	return qluster.Errorf(qluster.ECONFLICT, "job %s is %s: only completed jobs have a result", j.ID, j.Status)
}

// ExpiredMessage is Job.Error for a job failed by lease expiry.
func ExpiredMessage(attempts int) string {
	if attempts == 1 {
		return "lease expired 1 time"
	}
	return "lease expired " + strconv.Itoa(attempts) + " times"
}

// NewUser checks a user given to CreateUser and returns a copy with ID (kept
// when given) and CreatedAt set. EINVALID for a bad name.
func NewUser(in *qluster.User, now time.Time) (*qluster.User, error) {
	if in == nil {
		return nil, qluster.Errorf(qluster.EINVALID, "no user")
	}
	if err := CheckUserName(in.Name); err != nil {
		return nil, err
	}
	u := *in
	if u.ID == "" {
		u.ID = qluster.NewID()
	}
	u.CreatedAt = now
	u.DisabledAt = Trunc(u.DisabledAt)
	return &u, nil
}

// CheckUserName returns EINVALID for an empty or over-long name, or one with
// white space or control characters.
func CheckUserName(name string) error {
	if name == "" {
		return qluster.Errorf(qluster.EINVALID, "user name is empty")
	}
	if len(name) > MaxKeyLen {
		return qluster.Errorf(qluster.EINVALID, "user name longer than %d bytes", MaxKeyLen)
	}
	for _, r := range name {
		if r <= ' ' || r == 0x7f {
			return qluster.Errorf(qluster.EINVALID, "user name %q has white space or control characters", name)
		}
	}
	return nil
}

// NewToken checks a token given to CreateToken and returns a copy with ID
// (kept when given) and CreatedAt set, LastUsedAt and RevokedAt cleared.
// EINVALID for a missing user, prefix or hash.
func NewToken(in *qluster.Token, now time.Time) (*qluster.Token, error) {
	switch {
	case in == nil:
		return nil, qluster.Errorf(qluster.EINVALID, "no token")
	case in.UserID == "":
		return nil, qluster.Errorf(qluster.EINVALID, "token has no user")
	case in.Prefix == "":
		return nil, qluster.Errorf(qluster.EINVALID, "token has no prefix")
	case in.Hash == [32]byte{}:
		return nil, qluster.Errorf(qluster.EINVALID, "token has no hash")
	case len(in.Name) > MaxKeyLen:
		return nil, qluster.Errorf(qluster.EINVALID, "token name longer than %d bytes", MaxKeyLen)
	}
	t := *in
	if t.ID == "" {
		t.ID = qluster.NewID()
	}
	t.CreatedAt = now
	t.LastUsedAt = time.Time{}
	t.RevokedAt = time.Time{}
	return &t, nil
}

// TokenDenied returns the error TokenByHash gives for a token that may not
// authenticate (EUNAUTHORIZED revoked, EFORBIDDEN disabled user), or nil.
func TokenDenied(t *qluster.Token, u *qluster.User) error {
	switch {
	case t.Revoked():
		return qluster.Errorf(qluster.EUNAUTHORIZED, "token %s was revoked", t.Prefix)
	case u.Disabled():
		return qluster.Errorf(qluster.EFORBIDDEN, "user %s is disabled", u.Name)
	}
	return nil
}

// UnknownToken is the error TokenByHash gives for a hash no token has.
func UnknownToken() error {
	return qluster.Errorf(qluster.EUNAUTHORIZED, "invalid token")
}

// TouchThrottle remembers when each token's use was last written, so
// TouchToken writes at most once per qluster.TouchInterval per token.
type TouchThrottle struct {
	mu   sync.Mutex
	last map[string]time.Time
}

// Due reports whether a use of token id at at should be written, and if so
// records it as written.
func (th *TouchThrottle) Due(id string, at time.Time) bool {
	th.mu.Lock()
	defer th.mu.Unlock()
	if th.last == nil {
		th.last = make(map[string]time.Time)
	}
	if prev, ok := th.last[id]; ok && at.Sub(prev) < qluster.TouchInterval {
		return false
	}
	if len(th.last) > 100000 {
		clear(th.last)
	}
	th.last[id] = at
	return true
}

// Forget drops what Due recorded for id, after a failed write.
func (th *TouchThrottle) Forget(id string) {
	th.mu.Lock()
	defer th.mu.Unlock()
	delete(th.last, id)
}

// LeaseOrder compares jobs in the order Lease hands them out: higher priority
// first, then older, then by ID.
func LeaseOrder(a, b *qluster.Job) int {
	switch {
	case a.Priority != b.Priority:
		return b.Priority - a.Priority
	case !a.CreatedAt.Equal(b.CreatedAt):
		return a.CreatedAt.Compare(b.CreatedAt)
	}
	return strings.Compare(a.ID, b.ID)
}

// EncodeResult returns the JSON stored for a result. EINVALID for nil.
func EncodeResult(res *qluster.JobResult) ([]byte, error) {
	if res == nil {
		return nil, qluster.Errorf(qluster.EINVALID, "no result")
	}
	b, err := json.Marshal(res)
	if err != nil {
		return nil, qluster.Errorf(qluster.EINVALID, "encode result: %w", err)
	}
	return b, nil
}

// NewStats returns empty stats with every status counted as 0.
func NewStats() *qluster.JobStats {
	st := &qluster.JobStats{
		ByStatus: make(map[qluster.JobStatus]int, len(qluster.JobStatuses)),
		Queued:   make(map[string]int),
		Running:  make(map[string]int),
	}
	for _, s := range qluster.JobStatuses {
		st.ByStatus[s] = 0
	}
	return st
}

// AddStat counts n jobs of status on backend into st.
func AddStat(st *qluster.JobStats, status qluster.JobStatus, backend string, n int) {
	st.ByStatus[status] += n
	switch status {
	case qluster.JobQueued:
		st.Queued[backend] += n
	case qluster.JobRunning:
		st.Running[backend] += n
	}
}
