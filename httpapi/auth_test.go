package httpapi_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/client"
	"github.com/qluster/qluster/httpapi"
	"github.com/qluster/qluster/httpapi/apitest"
)

func TestAuth(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	ctx := ctxT(t)
	_, aliceTok := env.NewUser("alice", false, qluster.Limits{})
	bob, bobTok := env.NewUser("bob", false, qluster.Limits{})
	alice := newClient(t, env, aliceTok)
	sub, err := alice.Submit(ctx, client.SubmitRequest{Shots: intp(1), Circuits: []qluster.CircuitSpec{{QASM: bell}}})
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := newClient(t, env, env.AdminToken).CreateToken(ctx, "bob", "to revoke")
	if err != nil {
		t.Fatal(err)
	}
	if err := newClient(t, env, env.AdminToken).RevokeToken(ctx, revoked.ID); err != nil {
		t.Fatal(err)
	}
	disabled, disabledTok := env.NewUser("carol", false, qluster.Limits{})
	disabled.DisabledAt = disabled.CreatedAt
	if _, err := env.Store.UpdateUser(context.Background(), disabled); err != nil {
		t.Fatal(err)
	}
	job := "/v1/jobs/" + sub.ID
	tests := []struct {
		name   string
		req    request
		status int
		code   string
		detail string
	}{
		{"no token", request{method: "GET", path: "/v1/jobs"}, 401, qluster.EUNAUTHORIZED, "missing Authorization"},
		{"basic scheme", request{method: "GET", path: "/v1/jobs", header: map[string]string{"Authorization": "Basic YWxpY2U6cHc="}}, 401, qluster.EUNAUTHORIZED, "Bearer"},
		{"not a qlt token", request{method: "GET", path: "/v1/jobs", token: "abc"}, 401, qluster.EUNAUTHORIZED, "malformed token"},
		{"unknown token", request{method: "GET", path: "/v1/jobs", token: "qlt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, 401, qluster.EUNAUTHORIZED, "invalid or revoked"},
		{"revoked token", request{method: "GET", path: "/v1/jobs", token: revoked.Secret}, 401, qluster.EUNAUTHORIZED, "invalid or revoked"},
		{"disabled user", request{method: "GET", path: "/v1/jobs", token: disabledTok}, 401, qluster.EUNAUTHORIZED, "disabled"},
		{"other user's job", request{method: "GET", path: job, token: bobTok}, 404, qluster.ENOTFOUND, "not found"},
		{"other user's result", request{method: "GET", path: job + "/result", token: bobTok}, 404, qluster.ENOTFOUND, "not found"},
		{"other user's events", request{method: "GET", path: job + "/events", token: bobTok}, 404, qluster.ENOTFOUND, "not found"},
		{"other user's cancel", request{method: "DELETE", path: job, token: bobTok}, 404, qluster.ENOTFOUND, "not found"},
		{"non-admin creates user", request{method: "POST", path: "/v1/users", token: bobTok, body: `{"name":"eve"}`}, 403, qluster.EFORBIDDEN, "admin"},
		{"non-admin lists users", request{method: "GET", path: "/v1/users", token: bobTok}, 403, qluster.EFORBIDDEN, "admin"},
		{"non-admin token for another", request{method: "POST", path: "/v1/tokens", token: bobTok, body: `{"user":"alice"}`}, 403, qluster.EFORBIDDEN, "admins"},
		{"non-admin lists another's tokens", request{method: "GET", path: "/v1/tokens?user=alice", token: bobTok}, 403, qluster.EFORBIDDEN, "admins"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, env, tc.req)
			wantProblem(t, r, tc.status, tc.code, tc.detail)
			if tc.status == 401 && r.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	t.Run("owner and admin see the job", func(t *testing.T) {
		for _, tok := range []string{aliceTok, env.AdminToken} {
			if r := do(t, env, request{method: "GET", path: job, token: tok}); r.status != 200 {
				t.Errorf("GET %s = %d, want 200", job, r.status)
			}
		}
	})
	t.Run("bob's list does not show alice's job", func(t *testing.T) {
		l, err := newClient(t, env, bobTok).List(ctx, client.ListOptions{})
		if err != nil || len(l.Jobs) != 0 {
			t.Errorf("bob's List = %v, %v; want no jobs", l, err)
		}
	})
	t.Run("bob's own token revoked by bob", func(t *testing.T) {
		bc := newClient(t, env, bobTok)
		tok, err := bc.CreateToken(ctx, "", "mine")
		if err != nil || tok.UserID != bob.ID || tok.User != "bob" || tok.Prefix != tok.Secret[:qluster.TokenPrefixLen] {
			t.Fatalf("CreateToken = %+v, %v; want bob's token", tok, err)
		}
		if err := newClient(t, env, aliceTok).RevokeToken(ctx, tok.ID); err == nil {
			t.Error("alice revoked bob's token")
		} else {
			wantAPIError(t, err, 404, qluster.ENOTFOUND)
		}
		if err := bc.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		r := do(t, env, request{method: "GET", path: "/v1/jobs", token: tok.Secret})
		wantProblem(t, r, http.StatusUnauthorized, qluster.EUNAUTHORIZED)
		toks, err := bc.ListTokens(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range toks {
			if x.UserID != bob.ID {
				t.Errorf("bob sees token %+v of another user", x)
			}
		}
	})
}

// TestAuthCacheExpiry checks that a change made straight in the store (as
// another replica would) applies once the cached verification expires.
func TestAuthCacheExpiry(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	env := apitest.Start(t, apitest.Options{NoWorker: true, Now: clock})
	ctx := ctxT(t)
	dave, daveTok := env.NewUser("dave", false, qluster.Limits{})
	c := newClient(t, env, daveTok)
	if _, err := c.List(ctx, client.ListOptions{}); err != nil {
		t.Fatalf("before disabling: %v", err)
	}
	dave.DisabledAt = now
	if _, err := env.Store.UpdateUser(context.Background(), dave); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(httpapi.DefaultAuthCacheTTL)
	mu.Unlock()
	_, err := c.List(ctx, client.ListOptions{})
	var ce *client.Error
	if !errors.As(err, &ce) || ce.Code != qluster.EUNAUTHORIZED {
		t.Errorf("after the cache TTL, a disabled account: err = %v, want code %s", err, qluster.EUNAUTHORIZED)
	}
}

func TestAdminAccounts(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	ctx := ctxT(t)
	admin := newClient(t, env, env.AdminToken)
	u, err := admin.CreateUser(ctx, "dave", false, qluster.Limits{MaxShots: 100})
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "dave" || u.Admin || u.Limits.MaxShots != 100 || u.ID == "" {
		t.Errorf("CreateUser = %+v", u)
	}
	_, err = admin.CreateUser(ctx, "dave", false, qluster.Limits{})
	wantAPIError(t, err, 409, qluster.ECONFLICT)
	users, err := admin.ListUsers(ctx)
	if err != nil || len(users) != 2 {
		t.Errorf("ListUsers = %d users, %v; want admin and dave", len(users), err)
	}
	tok, err := admin.CreateToken(ctx, "dave", "laptop")
	if err != nil {
		t.Fatal(err)
	}
	dave := newClient(t, env, tok.Secret)
	_, err = dave.Submit(ctx, client.SubmitRequest{Shots: intp(101), Circuits: []qluster.CircuitSpec{{QASM: bell}}})
	wantAPIError(t, err, 400, qluster.EINVALID, "limit of 100")
	if _, err := dave.Submit(ctx, client.SubmitRequest{Shots: intp(100), Circuits: []qluster.CircuitSpec{{QASM: bell}}}); err != nil {
		t.Errorf("submit within dave's limit: %v", err)
	}
	toks, err := admin.ListTokens(ctx, "dave")
	if err != nil || len(toks) != 1 || toks[0].Name != "laptop" || toks[0].User != "dave" || toks[0].LastUsedAt.IsZero() {
		t.Errorf("ListTokens(dave) = %+v, %v; want the used laptop token", toks, err)
	}
	all, err := admin.ListTokens(ctx, "")
	if err != nil || len(all) != 2 {
		t.Errorf("ListTokens() = %d, %v; want 2", len(all), err)
	}
	_, err = admin.CreateToken(ctx, "nobody", "")
	wantAPIError(t, err, 404, qluster.ENOTFOUND)
	_, err = admin.ListTokens(ctx, "nobody")
	wantAPIError(t, err, 404, qluster.ENOTFOUND)
	err = admin.RevokeToken(ctx, "no-such-token")
	wantAPIError(t, err, 404, qluster.ENOTFOUND)
}
