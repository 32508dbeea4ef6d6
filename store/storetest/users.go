package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/qluster/qluster"
)

var userTests = []test{
	{"ping", func(t *testing.T, s qluster.Store) {
		if err := s.Ping(t.Context()); err != nil {
			t.Errorf("Ping: %v", err)
		}
	}},
	{"creates and reads users", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		limits := qluster.Limits{MaxConcurrentJobs: 4, MaxShots: 1 << 20, MaxCircuits: 16,
			MaxRequestBytes: 1 << 20, RatePerSecond: 2.5, RateBurst: 10}
		before := time.Now().Add(-time.Second)
		u, err := s.CreateUser(ctx, &qluster.User{Name: "ada", Admin: true, Limits: limits})
		if err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		if u.ID == "" || u.CreatedAt.Before(before) || u.Disabled() {
			t.Errorf("CreateUser = %s, want an ID, a recent CreatedAt and not disabled", asJSON(u))
		}
		want := &qluster.User{ID: u.ID, Name: "ada", Admin: true, Limits: limits, CreatedAt: u.CreatedAt}
		sameJSON(t, "CreateUser", u, want)
		byID, err := s.GetUser(ctx, u.ID)
		if err != nil {
			t.Fatalf("GetUser: %v", err)
		}
		sameJSON(t, "GetUser", byID, want)
		byName, err := s.GetUserByName(ctx, "ada")
		if err != nil {
			t.Fatalf("GetUserByName: %v", err)
		}
		sameJSON(t, "GetUserByName", byName, want)
	}},
	{"keeps a given user ID", func(t *testing.T, s qluster.Store) {
		id := qluster.NewID()
		u, err := s.CreateUser(t.Context(), &qluster.User{ID: id, Name: "bob"})
		if err != nil || u.ID != id {
			t.Errorf("CreateUser with ID %s = %v, %v; want that ID", id, u, err)
		}
	}},
	{"rejects bad users", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		ada := mustUser(t, s, "ada")
		mustUser(t, s, "bob")
		for _, tc := range []struct {
			name string
			call func() error
			code string
		}{
			{"empty name", func() error { _, err := s.CreateUser(ctx, &qluster.User{}); return err }, qluster.EINVALID},
			{"name with space", func() error { _, err := s.CreateUser(ctx, &qluster.User{Name: "a b"}); return err }, qluster.EINVALID},
			{"name too long", func() error {
				_, err := s.CreateUser(ctx, &qluster.User{Name: strings.Repeat("x", 256)})
				return err
			}, qluster.EINVALID},
			{"duplicate name", func() error { _, err := s.CreateUser(ctx, &qluster.User{Name: "ada"}); return err }, qluster.ECONFLICT},
			{"duplicate ID", func() error {
				_, err := s.CreateUser(ctx, &qluster.User{ID: ada.ID, Name: "carol"})
				return err
			}, qluster.ECONFLICT},
			{"get unknown ID", func() error { _, err := s.GetUser(ctx, qluster.NewID()); return err }, qluster.ENOTFOUND},
			{"get unknown name", func() error { _, err := s.GetUserByName(ctx, "zed"); return err }, qluster.ENOTFOUND},
			{"update unknown", func() error {
				_, err := s.UpdateUser(ctx, &qluster.User{ID: qluster.NewID(), Name: "zed"})
				return err
			}, qluster.ENOTFOUND},
			{"update to taken name", func() error {
				_, err := s.UpdateUser(ctx, &qluster.User{ID: ada.ID, Name: "bob"})
				return err
			}, qluster.ECONFLICT},
			{"update to empty name", func() error {
				_, err := s.UpdateUser(ctx, &qluster.User{ID: ada.ID})
				return err
			}, qluster.EINVALID},
		} {
			t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.name, tc.call(), tc.code) })
		}
	}},
	{"updates users", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		off := time.Date(2030, 1, 2, 3, 4, 5, 6000, time.UTC)
		upd := *u
		upd.Name, upd.Admin, upd.Limits, upd.DisabledAt = "ada2", true, qluster.Limits{MaxShots: 7}, off
		got, err := s.UpdateUser(ctx, &upd)
		if err != nil {
			t.Fatalf("UpdateUser: %v", err)
		}
		sameJSON(t, "UpdateUser", got, &upd)
		again, err := s.GetUser(ctx, u.ID)
		if err != nil {
			t.Fatalf("GetUser: %v", err)
		}
		sameJSON(t, "GetUser after UpdateUser", again, &upd)
		if !again.Disabled() {
			t.Errorf("Disabled() = false after setting DisabledAt")
		}
	}},
	{"lists users oldest first", func(t *testing.T, s qluster.Store) {
		var want []string
		for _, name := range []string{"c", "a", "b"} {
			want = append(want, mustUser(t, s, name).Name)
		}
		users, err := s.ListUsers(t.Context())
		if err != nil {
			t.Fatalf("ListUsers: %v", err)
		}
		var got []string
		for _, u := range users {
			got = append(got, u.Name)
		}
		sameJSON(t, "ListUsers names", got, want)
	}},
}

// mustToken creates a token for user and returns it with its secret.
func mustToken(t *testing.T, s qluster.Store, userID, name string) (*qluster.Token, string) {
	t.Helper()
	secret, hash, prefix, err := qluster.GenerateToken()
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.CreateToken(t.Context(), &qluster.Token{UserID: userID, Name: name, Prefix: prefix, Hash: hash})
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	return tok, secret
}

var tokenTests = []test{
	{"authenticates tokens by hash", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		tok, secret := mustToken(t, s, u.ID, "laptop")
		if tok.ID == "" || tok.CreatedAt.IsZero() || tok.Revoked() || !tok.LastUsedAt.IsZero() {
			t.Errorf("CreateToken = %s, want ID and CreatedAt set, not used or revoked", asJSON(tok))
		}
		gt, gu, err := s.TokenByHash(ctx, qluster.HashToken(secret))
		if err != nil {
			t.Fatalf("TokenByHash: %v", err)
		}
		sameJSON(t, "TokenByHash token", gt, tok)
		sameJSON(t, "TokenByHash user", gu, u)
		if gt.Hash != tok.Hash {
			t.Errorf("TokenByHash hash = %x, want %x", gt.Hash, tok.Hash)
		}
		byID, err := s.GetToken(ctx, tok.ID)
		if err != nil {
			t.Fatalf("GetToken: %v", err)
		}
		sameJSON(t, "GetToken", byID, tok)
	}},
	{"records token use", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		tok, _ := mustToken(t, s, u.ID, "ci")
		at := time.Now().UTC().Truncate(time.Microsecond)
		if err := s.TouchToken(ctx, tok.ID, at); err != nil {
			t.Fatalf("TouchToken: %v", err)
		}
		// A second use within TouchInterval may or may not be written.
		if err := s.TouchToken(ctx, tok.ID, at.Add(time.Second)); err != nil {
			t.Fatalf("TouchToken again: %v", err)
		}
		got, err := s.GetToken(ctx, tok.ID)
		if err != nil {
			t.Fatalf("GetToken: %v", err)
		}
		if got.LastUsedAt.Before(at) || got.LastUsedAt.After(at.Add(time.Second)) {
			t.Errorf("LastUsedAt = %v, want between %v and 1s later", got.LastUsedAt, at)
		}
	}},
	{"revokes tokens", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		tok, secret := mustToken(t, s, u.ID, "old")
		keep, keepSecret := mustToken(t, s, u.ID, "new")
		if err := s.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatalf("RevokeToken: %v", err)
		}
		_, _, err := s.TokenByHash(ctx, qluster.HashToken(secret))
		wantCode(t, "TokenByHash of revoked token", err, qluster.EUNAUTHORIZED)
		if _, _, err := s.TokenByHash(ctx, qluster.HashToken(keepSecret)); err != nil {
			t.Errorf("TokenByHash of other token: %v", err)
		}
		first, err := s.GetToken(ctx, tok.ID)
		if err != nil || !first.Revoked() {
			t.Fatalf("GetToken after revoke = %v, %v; want revoked", first, err)
		}
		if err := s.RevokeToken(ctx, tok.ID); err != nil {
			t.Errorf("RevokeToken again: %v", err)
		}
		again, _ := s.GetToken(ctx, tok.ID)
		if !again.RevokedAt.Equal(first.RevokedAt) {
			t.Errorf("revoking again moved RevokedAt from %v to %v", first.RevokedAt, again.RevokedAt)
		}
		list, err := s.ListTokens(ctx, u.ID)
		if err != nil {
			t.Fatalf("ListTokens: %v", err)
		}
		if len(list) != 2 || list[0].ID != tok.ID || !list[0].Revoked() || list[1].ID != keep.ID || list[1].Revoked() {
			t.Errorf("ListTokens = %s, want [revoked %s, active %s]", asJSON(list), tok.ID, keep.ID)
		}
	}},
	{"lists tokens per user and all", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		ada, bob := mustUser(t, s, "ada"), mustUser(t, s, "bob")
		a1, _ := mustToken(t, s, ada.ID, "a1")
		b1, _ := mustToken(t, s, bob.ID, "b1")
		a2, _ := mustToken(t, s, ada.ID, "a2")
		for _, tc := range []struct {
			user string
			want []string
		}{
			{ada.ID, []string{a1.ID, a2.ID}},
			{bob.ID, []string{b1.ID}},
			{"", []string{a1.ID, b1.ID, a2.ID}},
			{qluster.NewID(), nil},
		} {
			list, err := s.ListTokens(ctx, tc.user)
			if err != nil {
				t.Fatalf("ListTokens(%q): %v", tc.user, err)
			}
			var got []string
			for _, tok := range list {
				got = append(got, tok.ID)
			}
			sameJSON(t, "ListTokens("+tc.user+")", got, tc.want)
		}
	}},
	{"rejects bad tokens", func(t *testing.T, s qluster.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		off := mustUser(t, s, "off")
		tok, _ := mustToken(t, s, u.ID, "t")
		_, offSecret := mustToken(t, s, off.ID, "t")
		disabled := *off
		disabled.DisabledAt = time.Now()
		if _, err := s.UpdateUser(ctx, &disabled); err != nil {
			t.Fatalf("UpdateUser: %v", err)
		}
		create := func(tk qluster.Token) func() error {
			return func() error { _, err := s.CreateToken(ctx, &tk); return err }
		}
		hash := qluster.HashToken("qlt_other")
		for _, tc := range []struct {
			name string
			call func() error
			code string
		}{
			{"unknown hash", func() error { _, _, err := s.TokenByHash(ctx, hash); return err }, qluster.EUNAUTHORIZED},
			{"disabled user", func() error {
				_, _, err := s.TokenByHash(ctx, qluster.HashToken(offSecret))
				return err
			}, qluster.EFORBIDDEN},
			{"zero hash", create(qluster.Token{UserID: u.ID, Prefix: "qlt_x"}), qluster.EINVALID},
			{"no prefix", create(qluster.Token{UserID: u.ID, Hash: hash}), qluster.EINVALID},
			{"no user", create(qluster.Token{Prefix: "qlt_x", Hash: hash}), qluster.EINVALID},
			{"unknown user", create(qluster.Token{UserID: qluster.NewID(), Prefix: "qlt_x", Hash: hash}), qluster.EINVALID},
			{"duplicate hash", create(qluster.Token{UserID: u.ID, Prefix: "qlt_x", Hash: tok.Hash}), qluster.ECONFLICT},
			{"get unknown", func() error { _, err := s.GetToken(ctx, qluster.NewID()); return err }, qluster.ENOTFOUND},
			{"revoke unknown", func() error { return s.RevokeToken(ctx, qluster.NewID()) }, qluster.ENOTFOUND},
		} {
			t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.name, tc.call(), tc.code) })
		}
	}},
}

// ctxWithTimeout is t.Context with a deadline, for loops that must end.
func ctxWithTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}
