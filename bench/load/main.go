// Command load is a load generator for a running Qluster server: N
// concurrent clients each submit a Bell circuit (1000 shots by default),
// poll for its result, check it, and submit the next. It reports jobs per
// second and the submit→result latency percentiles.
//
//	go run ./bench/load -url http://127.0.0.1:8080 -token-file ~/.local/share/qluster/admin.token -c 16 -d 10s
//
// With -bench-user NAME and an admin token, it first creates user NAME with
// limits high enough for the run (default user limits cap the request rate
// and the jobs in flight) and uses a new token of that user.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

const bellQASM = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0],q[1];
measure q -> c;
`

// maxDuration bounds -d, so a run never loads a shared machine for long.
const maxDuration = 60 * time.Second

type config struct {
	url, token, benchUser string
	clients, shots        int
	duration, pollFirst   time.Duration
	pollMax, longPoll     time.Duration
	jsonOut               bool
}

func main() {
	var cfg config
	var tokenFile string
	flag.StringVar(&cfg.url, "url", envOr("QLUSTER_URL", "http://127.0.0.1:8080"), "server URL [QLUSTER_URL]")
	flag.StringVar(&cfg.token, "token", os.Getenv("QLUSTER_TOKEN"), "API token [QLUSTER_TOKEN]")
	flag.StringVar(&tokenFile, "token-file", "", "read the API token from this file (such as the data directory's admin.token)")
	flag.StringVar(&cfg.benchUser, "bench-user", "", "with an admin token: create this user with high limits and load as it")
	flag.IntVar(&cfg.clients, "c", 16, "concurrent clients")
	flag.DurationVar(&cfg.duration, "d", 10*time.Second, "duration of the run (at most 60s)")
	flag.IntVar(&cfg.shots, "shots", 1000, "shots per job")
	flag.DurationVar(&cfg.pollFirst, "poll", 200*time.Microsecond, "first wait before polling for a result; it grows 1.5× per poll")
	flag.DurationVar(&cfg.pollMax, "poll-max", 5*time.Millisecond, "longest wait between polls")
	flag.DurationVar(&cfg.longPoll, "wait", 0, "ask the server to hold each result request up to this long (GET …/result?wait=); 0 polls instead")
	flag.BoolVar(&cfg.jsonOut, "json", false, "print the summary as JSON")
	flag.Parse()
	if tokenFile != "" {
		b, err := os.ReadFile(tokenFile)
		if err != nil {
			fatal(err)
		}
		cfg.token = strings.TrimSpace(string(b))
	}
	switch {
	case cfg.token == "":
		fatal(errors.New("no token: use -token, -token-file or QLUSTER_TOKEN"))
	case cfg.clients < 1:
		fatal(errors.New("-c must be ≥ 1"))
	case cfg.duration <= 0 || cfg.duration > maxDuration:
		fatal(fmt.Errorf("-d must be in (0, %s]", maxDuration))
	}
	cfg.url = strings.TrimRight(cfg.url, "/")
	sum, err := run(context.Background(), cfg)
	if err != nil {
		fatal(err)
	}
	if cfg.jsonOut {
		json.NewEncoder(os.Stdout).Encode(sum)
		return
	}
	fmt.Printf("%d jobs in %.1fs by %d clients: %.0f jobs/s; submit→result p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; submit p50 %.2f ms; %d errors, %d polls/job\n",
		sum.Jobs, sum.Seconds, sum.Clients, sum.JobsPerSecond, sum.P50MS, sum.P90MS, sum.P99MS, sum.MaxMS, sum.SubmitP50MS, sum.Errors, sum.PollsPerJob)
	if sum.FirstError != "" {
		fmt.Println("first error:", sum.FirstError)
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "load:", err)
	os.Exit(1)
}

// summary is the outcome of a run.
type summary struct {
	Clients       int     `json:"clients"`
	Jobs          int     `json:"jobs"`
	Errors        int     `json:"errors"`
	FirstError    string  `json:"first_error,omitempty"`
	Seconds       float64 `json:"seconds"`
	JobsPerSecond float64 `json:"jobs_per_second"`
	P50MS         float64 `json:"p50_ms"`
	P90MS         float64 `json:"p90_ms"`
	P99MS         float64 `json:"p99_ms"`
	MaxMS         float64 `json:"max_ms"`
	SubmitP50MS   float64 `json:"submit_p50_ms"`
	PollsPerJob   int     `json:"polls_per_job"`
}

type client struct {
	cfg  config
	http *http.Client
	body []byte
}

func run(ctx context.Context, cfg config) (*summary, error) {
	tr := &http.Transport{MaxIdleConns: cfg.clients * 2, MaxIdleConnsPerHost: cfg.clients * 2, IdleConnTimeout: time.Minute}
	c := &client{cfg: cfg, http: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
	if cfg.benchUser != "" {
		tok, err := c.benchToken(ctx)
		if err != nil {
			return nil, err
		}
		c.cfg.token = tok
	}
	body, _ := json.Marshal(map[string]any{
		"backend": "sv", "shots": cfg.shots, "circuits": []map[string]string{{"name": "bell", "qasm": bellQASM}},
	})
	c.body = body

	var (
		mu             sync.Mutex
		lat, submitLat []time.Duration
		errs, polls    int
		firstErr       string
		wg             sync.WaitGroup
		start          = time.Now()
		deadline       = start.Add(cfg.duration)
	)
	for range cfg.clients {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				t0 := time.Now()
				sub, n, err := c.oneJob(ctx)
				d := time.Since(t0)
				mu.Lock()
				polls += n
				if err != nil {
					errs++
					if firstErr == "" {
						firstErr = err.Error()
					}
				} else {
					lat = append(lat, d)
					submitLat = append(submitLat, sub)
				}
				mu.Unlock()
				if err != nil {
					time.Sleep(10 * time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	slices.Sort(submitLat)
	s := &summary{
		Clients: cfg.clients, Jobs: len(lat), Errors: errs, FirstError: firstErr,
		Seconds: elapsed.Seconds(), JobsPerSecond: float64(len(lat)) / elapsed.Seconds(),
		P50MS: pct(lat, 0.50), P90MS: pct(lat, 0.90), P99MS: pct(lat, 0.99), MaxMS: pct(lat, 1),
		SubmitP50MS: pct(submitLat, 0.50),
	}
	if len(lat)+errs > 0 {
		s.PollsPerJob = polls / (len(lat) + errs)
	}
	return s, nil
}

// pct returns the q-quantile of sorted durations in milliseconds.
func pct(d []time.Duration, q float64) float64 {
	if len(d) == 0 {
		return 0
	}
	i := int(q*float64(len(d)-1) + 0.5)
	return float64(d[i]) / float64(time.Millisecond)
}

// oneJob submits a Bell job and polls (or long-polls, with -wait) until its
// result is there, checking
// it. It returns the submit latency and the number of polls.
func (c *client) oneJob(ctx context.Context) (time.Duration, int, error) {
	t0 := time.Now()
	var sub struct {
		ID string `json:"id"`
	}
	if code, err := c.do(ctx, "POST", "/v1/jobs", c.body, &sub); err != nil || code != http.StatusAccepted {
		return 0, 0, fmt.Errorf("submit: status %d: %v", code, err)
	}
	submit := time.Since(t0)
	wait := c.cfg.pollFirst
	path := "/v1/jobs/" + sub.ID + "/result"
	if c.cfg.longPoll > 0 {
		path += "?wait=" + c.cfg.longPoll.String()
	}
	for n := 1; ; n++ {
		if c.cfg.longPoll <= 0 {
			time.Sleep(wait)
		}
		var res struct {
			Results []struct {
				Counts map[string]int `json:"counts"`
			} `json:"results"`
		}
		code, err := c.do(ctx, "GET", path, nil, &res)
		switch {
		case err == nil && code == http.StatusOK:
			if len(res.Results) != 1 || res.Results[0].Counts["00"]+res.Results[0].Counts["11"] != c.cfg.shots {
				return submit, n, fmt.Errorf("job %s: wrong result %+v", sub.ID, res.Results)
			}
			return submit, n, nil
		case code == http.StatusConflict:
			// not finished yet
		default:
			return submit, n, fmt.Errorf("result of %s: status %d: %v", sub.ID, code, err)
		}
		wait = min(wait*3/2, c.cfg.pollMax)
	}
}

// do sends a request and decodes a 2xx JSON answer into out. A non-2xx
// answer returns its status and its body as the error.
func (c *client) do(ctx context.Context, method, path string, body []byte, out any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.url+path, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("%s", bytes.TrimSpace(b))
	}
	return resp.StatusCode, json.Unmarshal(b, out)
}

// benchToken creates (or reuses) the bench user with limits high enough
// for the run and returns a new token of it.
func (c *client) benchToken(ctx context.Context) (string, error) {
	user := map[string]any{"name": c.cfg.benchUser, "limits": map[string]any{
		"max_concurrent_jobs": 1_000_000, "rate_per_second": 1e6, "rate_burst": 1_000_000,
	}}
	b, _ := json.Marshal(user)
	var ignored map[string]any
	code, err := c.do(ctx, "POST", "/v1/users", b, &ignored)
	if err != nil && code != http.StatusConflict {
		return "", fmt.Errorf("create user %s: status %d: %v", c.cfg.benchUser, code, err)
	}
	b, _ = json.Marshal(map[string]string{"user": c.cfg.benchUser, "name": "bench/load"})
	var tok struct {
		Token string `json:"token"`
	}
	if code, err := c.do(ctx, "POST", "/v1/tokens", b, &tok); err != nil {
		return "", fmt.Errorf("create token for %s: status %d: %v", c.cfg.benchUser, code, err)
	}
	return tok.Token, nil
}
