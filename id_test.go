package qluster_test

import (
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/qluster/qluster"
)

// uuidv7 matches the canonical text of a version 7, variant 10 UUID.
var uuidv7 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestNewIDFormatAndTime(t *testing.T) {
	before := time.Now().UnixMilli()
	id := qluster.NewID()
	after := time.Now().UnixMilli()
	if !uuidv7.MatchString(id) {
		t.Fatalf("NewID() = %q, want a canonical UUIDv7", id)
	}
	ms, err := strconv.ParseInt(id[0:8]+id[9:13], 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	// The timestamp may run ahead of the clock by the IDs made this
	// millisecond beyond the counter's room; a few ms is plenty.
	if ms < before || ms > after+5 {
		t.Errorf("timestamp of %s = %d, want within [%d, %d]", id, ms, before, after+5)
	}
}

func TestNewIDSortsInOrderOfCreation(t *testing.T) {
	const n = 20000 // many per millisecond: exercises the counter and its overflow
	prev := qluster.NewID()
	for i := range n {
		id := qluster.NewID()
		if id <= prev {
			t.Fatalf("ID %d = %s, not after %s", i, id, prev)
		}
		prev = id
	}
}

func TestNewIDUniqueAcrossGoroutines(t *testing.T) {
	const workers, each = 8, 2000
	var (
		mu   sync.Mutex
		seen = make(map[string]bool, workers*each)
		wg   sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids := make([]string, each)
			for i := range ids {
				ids[i] = qluster.NewID()
			}
			mu.Lock()
			defer mu.Unlock()
			for _, id := range ids {
				if seen[id] {
					t.Errorf("duplicate ID %s", id)
				}
				seen[id] = true
			}
		}()
	}
	wg.Wait()
}
