package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/client"
	"github.com/qluster/qluster/httpapi"
	"github.com/qluster/qluster/httpapi/apitest"
)

// TestResultFromMemory checks the in-memory results of JobFinished: the
// owner and admins get exactly what the store holds, another user still
// gets a 404.
func TestResultFromMemory(t *testing.T) {
	env := apitest.Start(t, apitest.Options{})
	ctx := ctxT(t)
	_, aliceTok := env.NewUser("alice", false, qluster.Limits{})
	_, bobTok := env.NewUser("bob", false, qluster.Limits{})
	alice := newClient(t, env, aliceTok)
	sub, err := alice.Submit(ctx, client.SubmitRequest{Shots: intp(100), Circuits: []qluster.CircuitSpec{{QASM: bell}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := alice.WaitResult(ctx, sub.ID, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := env.Store.GetResult(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	gotJSON, _ := json.Marshal(got.Results)
	wantJSON, _ := json.Marshal(stored.Results)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("result from the API\n got %s\nwant %s (the store's)", gotJSON, wantJSON)
	}
	path := "/v1/jobs/" + sub.ID + "/result"
	for _, tc := range []struct {
		name, token string
		status      int
	}{
		{"owner", aliceTok, 200},
		{"admin", env.AdminToken, 200},
		{"other user", bobTok, 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, env, request{method: "GET", path: path, token: tc.token})
			if r.status != tc.status {
				t.Fatalf("GET %s = %d %s, want %d", path, r.status, r.body, tc.status)
			}
			if tc.status != 200 {
				return
			}
			var v struct {
				Status  string          `json:"status"`
				Results json.RawMessage `json:"results"`
			}
			if err := json.Unmarshal(r.body, &v); err != nil {
				t.Fatal(err)
			}
			if v.Status != "completed" || string(v.Results) != string(wantJSON) {
				t.Errorf("got status %s results %s, want completed %s", v.Status, v.Results, wantJSON)
			}
		})
	}
}

func TestResultBytes(t *testing.T) {
	wide := strings.Repeat("0", 10000)
	tests := []struct {
		name    string
		results []qluster.CircuitResult
		small   bool
	}{
		{"bell", []qluster.CircuitResult{{Counts: map[string]int{"00": 510, "11": 490}}}, true},
		{"10000-bit outcomes", []qluster.CircuitResult{{Counts: map[string]int{wide: 1, wide[1:] + "1": 1}}}, false},
		{"long memory", []qluster.CircuitResult{{Memory: make([]string, 2000)}}, false},
		{"compiled circuit", []qluster.CircuitResult{{Compiled: &qluster.CompiledCircuit{QASM: strings.Repeat("x", 20000)}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := httpapi.ResultBytes(tt.results)
			if small := n <= httpapi.FinishedMaxBytes; small != tt.small {
				t.Errorf("resultBytes = %d, kept in memory %v, want %v", n, small, tt.small)
			}
		})
	}
}
