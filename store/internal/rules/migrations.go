package rules

import (
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// Migration is one numbered schema change.
type Migration struct {
	// Version is the number the file name starts with.
	Version int
	// Name is the file name.
	Name string
	// SQL is the file's content.
	SQL string
}

// LoadMigrations returns the migrations in fsys's "migrations" directory in
// version order. Files are named NNNN_description.sql, numbered from 1
// without gaps.
func LoadMigrations(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and _", name)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: base, SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: want number %d (numbers start at 1, without gaps or repeats)", m.Name, i+1)
		}
	}
	return ms, nil
}

// CheckSchemaVersion returns an error when the database has a schema newer
// than the newest migration this binary knows, so an old binary does not
// run against a database it does not understand.
func CheckSchemaVersion(have, known int) error {
	if have > known {
		return fmt.Errorf("database schema version %d is newer than this qluster's (%d): upgrade qluster", have, known)
	}
	return nil
}
