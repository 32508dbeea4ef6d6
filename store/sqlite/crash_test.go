package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/store/sqlite"
)

// TestKillKeepsAcknowledgedJobs runs a child process that creates jobs from
// several goroutines and prints each ID once CreateJob has returned, kills
// it with SIGKILL mid-stream, and checks that every printed job is in the
// database: a job acknowledged to its submitter survives a crash.
func TestKillKeepsAcknowledgedJobs(t *testing.T) {
	if os.Getenv("QLUSTER_SQLITE_CRASH_CHILD") != "" {
		crashChild()
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillKeepsAcknowledgedJobs$")
	cmd.Env = append(os.Environ(), "QLUSTER_SQLITE_CRASH_CHILD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	for sc.Scan() && len(acked) < 2000 {
		if id, ok := strings.CutPrefix(sc.Text(), "job "); ok {
			acked = append(acked, id)
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	if len(acked) < 2000 {
		t.Fatalf("child acknowledged only %d jobs before ending", len(acked))
	}

	db := open(t, sqlite.Options{Path: path})
	for _, id := range acked {
		if _, err := db.GetJob(t.Context(), id); err != nil {
			t.Errorf("acknowledged job %s lost: %v", id, err)
		}
	}
}

// crashChild creates jobs until it is killed, printing each acknowledged ID.
func crashChild() {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, sqlite.Options{Path: os.Getenv("QLUSTER_SQLITE_CRASH_CHILD")})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	u, err := db.CreateUser(ctx, &qluster.User{Name: "crash"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var mu sync.Mutex
	w := bufio.NewWriter(os.Stdout)
	deadline := time.Now().Add(time.Minute)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				j, _, err := db.CreateJob(ctx, &qluster.Job{Owner: u.ID, Backend: "sv",
					Spec: qluster.JobSpec{Circuits: []qluster.CircuitSpec{{QASM: "OPENQASM 2.0;"}}}})
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				mu.Lock()
				fmt.Fprintln(w, "job", j.ID)
				w.Flush()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	os.Exit(0)
}
