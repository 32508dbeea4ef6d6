package rules

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/qluster/qluster"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, p := range []Position{
		{time.Date(2026, 11, 26, 16, 0, 0, 123456000, time.UTC), "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"},
		{time.UnixMicro(1).UTC(), "x.y"},
	} {
		got, err := DecodeCursor(EncodeCursor(p))
		if err != nil || !got.CreatedAt.Equal(p.CreatedAt) || got.ID != p.ID {
			t.Errorf("DecodeCursor(EncodeCursor(%v)) = %v, %v", p, got, err)
		}
	}
}

func TestCheckFilter(t *testing.T) {
	for _, tc := range []struct {
		name      string
		f         qluster.JobFilter
		wantLimit int
		code      string
	}{
		{"default limit", qluster.JobFilter{}, qluster.DefaultListLimit, ""},
		{"given limit", qluster.JobFilter{Limit: 7}, 7, ""},
		{"limit capped", qluster.JobFilter{Limit: qluster.MaxListLimit + 1}, qluster.MaxListLimit, ""},
		{"negative limit", qluster.JobFilter{Limit: -1}, 0, qluster.EINVALID},
		{"bad status", qluster.JobFilter{Status: "x"}, 0, qluster.EINVALID},
		{"bad cursor", qluster.JobFilter{Cursor: "!"}, 0, qluster.EINVALID},
		{"zero time cursor", qluster.JobFilter{Cursor: EncodeCursor(Position{ID: "a"})}, 0, qluster.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := CheckFilter(tc.f)
			if got := qluster.ErrorCode(err); got != tc.code {
				t.Fatalf("CheckFilter error = %v, want code %q", err, tc.code)
			}
			if err == nil && p.Limit != tc.wantLimit {
				t.Errorf("Limit = %d, want %d", p.Limit, tc.wantLimit)
			}
		})
	}
}

func TestNewJobOwnsStoreFields(t *testing.T) {
	now := Now()
	in := &qluster.Job{Owner: "u", Backend: "sv", Status: qluster.JobFailed, Attempt: 4, Worker: "w",
		Error: "e", CancelRequested: true, FinishedAt: now,
		Spec: qluster.JobSpec{Circuits: []qluster.CircuitSpec{{QASM: "q"}}}}
	j, err := NewJob(in, now)
	if err != nil {
		t.Fatal(err)
	}
	want := qluster.Job{ID: j.ID, Owner: "u", Backend: "sv", Status: qluster.JobQueued, Spec: in.Spec,
		MaxAttempts: qluster.DefaultMaxAttempts, CreatedAt: now, UpdatedAt: now}
	if j.ID == "" || j.Status != want.Status || j.Attempt != 0 || j.Worker != "" || j.Error != "" ||
		j.CancelRequested || !j.FinishedAt.IsZero() || j.MaxAttempts != want.MaxAttempts || !j.CreatedAt.Equal(now) {
		t.Errorf("NewJob = %+v, want %+v", j, want)
	}
}

func TestTouchThrottle(t *testing.T) {
	var th TouchThrottle
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		id   string
		at   time.Time
		want bool
	}{
		{"first use", "a", t0, true},
		{"soon after", "a", t0.Add(time.Second), false},
		{"other token", "b", t0, true},
		{"after the interval", "a", t0.Add(qluster.TouchInterval), true},
	} {
		if got := th.Due(tc.id, tc.at); got != tc.want {
			t.Errorf("%s: Due = %v, want %v", tc.name, got, tc.want)
		}
	}
	th.Forget("b")
	if !th.Due("b", t0.Add(time.Second)) {
		t.Errorf("Due after Forget = false, want true")
	}
}

func TestLoadMigrations(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	for _, tc := range []struct {
		name    string
		fs      fstest.MapFS
		want    []int
		wantErr bool
	}{
		{"in order", fstest.MapFS{"migrations/0002_b.sql": file("B"), "migrations/0001_a.sql": file("A")}, []int{1, 2}, false},
		{"none", fstest.MapFS{}, nil, false},
		{"gap", fstest.MapFS{"migrations/0001_a.sql": file("A"), "migrations/0003_c.sql": file("C")}, nil, true},
		{"repeat", fstest.MapFS{"migrations/0001_a.sql": file("A"), "migrations/1_b.sql": file("B")}, nil, true},
		{"no number", fstest.MapFS{"migrations/init.sql": file("A")}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := LoadMigrations(tc.fs)
			if (err != nil) != tc.wantErr {
				t.Fatalf("LoadMigrations error = %v, want error %v", err, tc.wantErr)
			}
			var got []int
			for _, m := range ms {
				got = append(got, m.Version)
			}
			if len(got) != len(tc.want) || (len(got) > 0 && (got[0] != tc.want[0] || got[len(got)-1] != tc.want[len(tc.want)-1])) {
				t.Errorf("versions = %v, want %v", got, tc.want)
			}
		})
	}
	if err := CheckSchemaVersion(2, 1); err == nil {
		t.Errorf("CheckSchemaVersion(2, 1) = nil, want an error for a newer database")
	}
	if err := CheckSchemaVersion(1, 1); err != nil {
		t.Errorf("CheckSchemaVersion(1, 1) = %v, want nil", err)
	}
}
