package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/store/postgres"
	"github.com/qluster/qluster/store/storetest"
)

// testURL returns the test server's URL from QLUSTER_TEST_DATABASE_URL. It
// skips the test when the variable is unset, except on CI (CI=true), which
// must test PostgreSQL.
func testURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("QLUSTER_TEST_DATABASE_URL")
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but QLUSTER_TEST_DATABASE_URL is unset: CI must test the PostgreSQL store (see store/postgres/README.md)")
		}
		t.Skip("QLUSTER_TEST_DATABASE_URL is unset: skipping PostgreSQL tests (see store/postgres/README.md)")
	}
	return url
}

// newSchemaName returns a schema name no other test uses.
func newSchemaName() string {
	var b [6]byte
	rand.Read(b[:])
	return "qluster_test_" + hex.EncodeToString(b[:])
}

// open opens a store in a fresh schema of its own, dropped at cleanup.
func open(t testing.TB) *postgres.DB {
	t.Helper()
	url := testURL(t)
	schema := newSchemaName()
	db, err := postgres.Open(context.Background(), postgres.Options{URL: url, Schema: schema, MaxConns: 16})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return db
}

func TestConformance(t *testing.T) {
	testURL(t)
	storetest.Run(t, func(t *testing.T) qluster.Store { return open(t) })
}

// TestConcurrentOpen opens one fresh schema from several replicas at once:
// each must find it migrated exactly once, and a reopen changes nothing.
func TestConcurrentOpen(t *testing.T) {
	url := testURL(t)
	schema := newSchemaName()
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), url)
		if err != nil {
			return
		}
		defer conn.Close(context.Background())
		conn.Exec(context.Background(), `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`)
	})
	const replicas = 4
	var wg sync.WaitGroup
	errs := make([]error, replicas)
	for i := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := postgres.Open(t.Context(), postgres.Options{URL: url, Schema: schema, MaxConns: 2})
			if err == nil {
				_, err = db.SchemaVersion(t.Context())
				db.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: Open: %v", i, err)
		}
	}
	db, err := postgres.Open(t.Context(), postgres.Options{URL: url, Schema: schema})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if v, err := db.SchemaVersion(t.Context()); err != nil || v != 2 {
		t.Errorf("SchemaVersion = %d, %v; want 2", v, err)
	}
}

func TestOpenRejectsBadOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  postgres.Options
	}{
		{"no URL", postgres.Options{}},
		{"bad URL", postgres.Options{URL: "postgres://user:secret@[::1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := postgres.Open(t.Context(), tc.opt)
			if err == nil {
				db.Close()
			}
			if got := qluster.ErrorCode(err); got != qluster.EINVALID {
				t.Errorf("Open error = %v (code %q), want %q", err, got, qluster.EINVALID)
			}
		})
	}
}

// BenchmarkCreateJobParallel measures job creations per second with many
// concurrent submitters.
func BenchmarkCreateJobParallel(b *testing.B) {
	db := open(b)
	ctx := context.Background()
	u, err := db.CreateUser(ctx, &qluster.User{Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(16)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := db.CreateJob(ctx, &qluster.Job{Owner: u.ID, Backend: "sv",
				Spec: qluster.JobSpec{Shots: 1000, Circuits: []qluster.CircuitSpec{{QASM: "OPENQASM 2.0;"}}}}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "jobs/s")
}
