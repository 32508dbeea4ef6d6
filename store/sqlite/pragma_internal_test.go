package sqlite

import (
	"database/sql"
	"path/filepath"
	"testing"
)

// TestConnectionSettings checks the settings durability depends on, on the
// connections the store actually uses.
func TestConnectionSettings(t *testing.T) {
	for _, tc := range []struct {
		sync string
		want int // PRAGMA synchronous: 1 NORMAL, 2 FULL, 3 EXTRA
	}{
		{"", 2}, {"FULL", 2}, {"EXTRA", 3}, {"NORMAL", 1},
	} {
		t.Run("synchronous "+tc.sync, func(t *testing.T) {
			db, err := Open(t.Context(), Options{Path: filepath.Join(t.TempDir(), "q.db"), Synchronous: tc.sync})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer db.Close()
			for _, p := range []struct {
				conn *sql.DB
				name string
				want string
			}{
				{db.writer, "journal_mode", "wal"},
				{db.writer, "synchronous", string(rune('0' + tc.want))},
				{db.writer, "foreign_keys", "1"},
				{db.writer, "busy_timeout", "10000"},
				{db.reader, "query_only", "1"},
				{db.reader, "busy_timeout", "10000"},
			} {
				var got string
				if err := p.conn.QueryRow("PRAGMA " + p.name).Scan(&got); err != nil {
					t.Fatalf("PRAGMA %s: %v", p.name, err)
				}
				if got != p.want {
					t.Errorf("PRAGMA %s = %s, want %s", p.name, got, p.want)
				}
			}
		})
	}
}
