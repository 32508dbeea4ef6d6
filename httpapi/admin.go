package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/qluster/qluster"
)

// createUserRequest is the body of POST /v1/users.
type createUserRequest struct {
	Name   string         `json:"name"`
	Admin  bool           `json:"admin"`
	Limits qluster.Limits `json:"limits"`
}

// userList is the body of GET /v1/users.
type userList struct {
	Users []*qluster.User `json:"users"`
}

// createTokenRequest is the body of POST /v1/tokens. User is a user's name
// or ID; empty means the caller.
type createTokenRequest struct {
	User string `json:"user"`
	Name string `json:"name"`
}

// tokenView is a token as the API shows it, with its owner's name.
type tokenView struct {
	*qluster.Token
	User string `json:"user"`
}

// createdToken is the body of a 201 from POST /v1/tokens: the only time
// the secret is shown.
type createdToken struct {
	tokenView
	Secret string `json:"token"`
}

// tokenList is the body of GET /v1/tokens.
type tokenList struct {
	Tokens []tokenView `json:"tokens"`
}

// maxNameLen bounds user and token names.
const maxNameLen = 64

func (s *Server) createUser(ctx context.Context, r *http.Request) (any, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var req createUserRequest
	if err := decodeJSON(r, caller(ctx).limits.MaxRequestBytes, &req); err != nil {
		return nil, err
	}
	if err := validName("name", req.Name); err != nil {
		return nil, err
	}
	l := req.Limits
	if l.MaxConcurrentJobs < 0 || l.MaxShots < 0 || l.MaxCircuits < 0 || l.MaxRequestBytes < 0 || l.RatePerSecond < 0 || l.RateBurst < 0 {
		return nil, errorf(qluster.EINVALID, "limits must not be negative (0 means the server default)")
	}
	u, err := s.store.CreateUser(ctx, &qluster.User{Name: req.Name, Admin: req.Admin, Limits: req.Limits})
	if err != nil {
		if c := qluster.ErrorCode(err); c == qluster.ECONFLICT || c == qluster.EINVALID {
			return nil, errorf(c, "%s", qluster.ErrorMessage(err))
		}
		return nil, fmt.Errorf("creating user: %w", err)
	}
	return &response{status: http.StatusCreated, body: u}, nil
}

func (s *Server) listUsers(ctx context.Context, r *http.Request) (any, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if err := onlyParams(r.URL.Query(), nil); err != nil {
		return nil, err
	}
	users, err := s.store.ListUsers(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing users: %w", err)
	}
	if users == nil {
		users = []*qluster.User{}
	}
	return userList{Users: users}, nil
}

// findUser returns the user with this ID or name.
func (s *Server) findUser(ctx context.Context, idOrName string) (*qluster.User, error) {
	u, err := s.store.GetUser(ctx, idOrName)
	if qluster.ErrorCode(err) == qluster.ENOTFOUND {
		u, err = s.store.GetUserByName(ctx, idOrName)
	}
	if err != nil {
		if qluster.ErrorCode(err) == qluster.ENOTFOUND {
			return nil, errorf(qluster.ENOTFOUND, "user %q not found", idOrName)
		}
		return nil, fmt.Errorf("finding user: %w", err)
	}
	return u, nil
}

// createToken makes a token for a user. Admins make tokens for anyone;
// other users only for themselves.
func (s *Server) createToken(ctx context.Context, r *http.Request) (any, error) {
	p := caller(ctx)
	var req createTokenRequest
	if err := decodeJSON(r, p.limits.MaxRequestBytes, &req); err != nil {
		return nil, err
	}
	if req.Name != "" {
		if err := validName("name", req.Name); err != nil {
			return nil, err
		}
	}
	u := p.user
	if req.User != "" && req.User != p.user.ID && req.User != p.user.Name {
		if !p.user.Admin {
			return nil, errorf(qluster.EFORBIDDEN, "only admins may create tokens for other users")
		}
		var err error
		if u, err = s.findUser(ctx, req.User); err != nil {
			return nil, err
		}
	}
	secret, hash, prefix, err := qluster.GenerateToken()
	if err != nil {
		return nil, err
	}
	t, err := s.store.CreateToken(ctx, &qluster.Token{UserID: u.ID, Name: req.Name, Prefix: prefix, Hash: hash})
	if err != nil {
		return nil, fmt.Errorf("creating token: %w", err)
	}
	return &response{status: http.StatusCreated, body: createdToken{tokenView{t, u.Name}, secret}}, nil
}

// listTokens lists tokens: an admin's query may name a user (?user=) or
// none for all; other users see their own.
func (s *Server) listTokens(ctx context.Context, r *http.Request) (any, error) {
	p := caller(ctx)
	q := r.URL.Query()
	if err := onlyParams(q, []string{"user"}); err != nil {
		return nil, err
	}
	userID := p.user.ID
	if p.user.Admin {
		userID = ""
	}
	if name := q.Get("user"); name != "" && name != p.user.ID && name != p.user.Name {
		if !p.user.Admin {
			return nil, errorf(qluster.EFORBIDDEN, "only admins may list other users' tokens")
		}
		u, err := s.findUser(ctx, name)
		if err != nil {
			return nil, err
		}
		userID = u.ID
	} else if name != "" {
		userID = p.user.ID
	}
	toks, err := s.store.ListTokens(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("listing tokens: %w", err)
	}
	names := map[string]string{p.user.ID: p.user.Name}
	out := tokenList{Tokens: make([]tokenView, len(toks))}
	for i, t := range toks {
		if _, ok := names[t.UserID]; !ok {
			if u, err := s.store.GetUser(ctx, t.UserID); err == nil {
				names[t.UserID] = u.Name
			}
		}
		out.Tokens[i] = tokenView{t, names[t.UserID]}
	}
	return out, nil
}

// revokeToken revokes a token: any token for an admin, one's own for
// others (another user's token is a 404).
func (s *Server) revokeToken(ctx context.Context, r *http.Request) (any, error) {
	p := caller(ctx)
	id := r.PathValue("id")
	t, err := s.store.GetToken(ctx, id)
	if err == nil && !p.user.Admin && t.UserID != p.user.ID {
		err = qluster.Errorf(qluster.ENOTFOUND, "no token")
	}
	if err != nil {
		if qluster.ErrorCode(err) == qluster.ENOTFOUND {
			return nil, errorf(qluster.ENOTFOUND, "token %q not found", id)
		}
		return nil, fmt.Errorf("loading token: %w", err)
	}
	if err := s.store.RevokeToken(ctx, id); err != nil {
		return nil, fmt.Errorf("revoking token: %w", err)
	}
	s.auth.forget()
	return nil, nil
}

// validName checks a user or token name: 1 to maxNameLen printable
// characters without surrounding space.
func validName(field, name string) error {
	switch {
	case name == "":
		return errorf(qluster.EINVALID, "%s is required", field)
	case len(name) > maxNameLen:
		return errorf(qluster.EINVALID, "%s is longer than %d bytes", field, maxNameLen)
	case strings.TrimSpace(name) != name || !printable(name):
		return errorf(qluster.EINVALID, "%s must be printable ASCII without surrounding spaces", field)
	}
	return nil
}
