package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/client"
	"github.com/qluster/qluster/httpapi/apitest"
)

const bell = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n"

func TestAgainstServer(t *testing.T) {
	env := apitest.Start(t, apitest.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := client.New(env.URL+"/", env.AdminToken)
	shots := 200
	sub, err := c.Submit(ctx, client.SubmitRequest{Shots: &shots, Circuits: []qluster.CircuitSpec{{Name: "bell", QASM: bell}}})
	if err != nil {
		t.Fatal(err)
	}
	j, err := c.Wait(ctx, sub.ID, client.WaitOptions{})
	if err != nil || j.Status != qluster.JobCompleted {
		t.Fatalf("Wait = %+v, %v; want completed", j, err)
	}
	res, err := c.Result(ctx, sub.ID)
	if err != nil || len(res.Results) != 1 || res.Results[0].Counts["00"]+res.Results[0].Counts["11"] != 200 {
		t.Errorf("Result = %+v, %v", res, err)
	}
	t.Run("QASM error carries its position", func(t *testing.T) {
		_, err := c.Submit(ctx, client.SubmitRequest{Circuits: []qluster.CircuitSpec{{QASM: bell}, {Name: "b", QASM: "OPENQASM 2.0;\nqreg q[1];\n  cx q[0];\n"}}})
		var e *client.Error
		if !errors.As(err, &e) {
			t.Fatalf("err = %v, want *client.Error", err)
		}
		if e.Status != 400 || e.Code != qluster.EINVALID || e.Line != 3 || e.Column != 3 || e.Circuit == nil || *e.Circuit != 1 || e.CircuitName != "b" || e.RequestID == "" {
			t.Errorf("error = %+v, want 400 invalid at line 3 column 3 of circuit 1 (b)", e)
		}
	})
	t.Run("bad token", func(t *testing.T) {
		_, err := client.New(env.URL, "qlt_nope").Backends(ctx)
		var e *client.Error
		if !errors.As(err, &e) || e.Status != 401 || e.Code != qluster.EUNAUTHORIZED {
			t.Errorf("err = %v, want 401 unauthorized", err)
		}
	})
}

func TestErrorDecoding(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    client.Error
	}{
		{"problem with Retry-After", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/problem+json")
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(429)
			w.Write([]byte(`{"type":"urn:qluster:problem:rate_limited","title":"Too Many Requests","status":429,"detail":"slow down","code":"rate_limited"}`))
		}, client.Error{Status: 429, Code: "rate_limited", Detail: "slow down", RetryAfter: 3 * time.Second}},
		{"plain text from a proxy", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "bad gateway", 502)
		}, client.Error{Status: 502, Detail: "bad gateway"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			_, err := client.New(srv.URL, "qlt_x").Get(context.Background(), "j")
			var e *client.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *client.Error", err)
			}
			if e.Status != tc.want.Status || e.Code != tc.want.Code || e.Detail != tc.want.Detail || e.RetryAfter != tc.want.RetryAfter {
				t.Errorf("got %+v, want %+v", *e, tc.want)
			}
		})
	}
}

// TestWaitPollFallback serves no event stream: Wait polls instead.
func TestWaitPollFallback(t *testing.T) {
	var polls atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/jobs/{id}/events", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>a proxy that buffers</html>"))
	})
	mux.HandleFunc("GET /v1/jobs/{id}", func(w http.ResponseWriter, r *http.Request) {
		status := "running"
		if polls.Add(1) >= 3 {
			status = "completed"
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"j1","status":"` + status + `"}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	var seen []qluster.JobStatus
	j, err := client.New(srv.URL, "qlt_x").Wait(context.Background(), "j1", client.WaitOptions{
		PollInterval: time.Millisecond,
		OnStatus:     func(j *client.Job) { seen = append(seen, j.Status) },
	})
	if err != nil || j.Status != qluster.JobCompleted || polls.Load() != 3 {
		t.Fatalf("Wait = %+v, %v after %d polls; want completed after 3", j, err, polls.Load())
	}
	if len(seen) != 2 || seen[0] != qluster.JobRunning || seen[1] != qluster.JobCompleted {
		t.Errorf("OnStatus saw %v, want [running completed]", seen)
	}
}
