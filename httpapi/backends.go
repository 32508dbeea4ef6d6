package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/qluster/qluster"
)

// backendsTTL is how long submissions reuse one listing of the backends: a
// listing copies every chip's calibration, too much to do per request.
const backendsTTL = time.Second

// backendsCache holds the last listing of the backends.
type backendsCache struct {
	mu   sync.Mutex
	at   time.Time
	list []qluster.BackendInfo
}

// cachedBackends returns the backends as listed at most backendsTTL ago; the
// result is shared and must not be modified.
func (s *Server) cachedBackends() []qluster.BackendInfo {
	c := &s.backendsCache
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := time.Now(); c.list == nil || now.Sub(c.at) >= backendsTTL || now.Before(c.at) {
		c.list, c.at = s.backends.List(), now
	}
	return c.list
}

// backendList is the body of GET /v1/backends.
type backendList struct {
	Backends []qluster.BackendInfo `json:"backends"`
}

// backend returns the backend called name; ENOTFOUND when there is none.
func (s *Server) backend(name string) (qluster.BackendInfo, error) {
	for _, b := range s.cachedBackends() {
		if b.Name == name {
			return b, nil
		}
	}
	return qluster.BackendInfo{}, errorf(qluster.ENOTFOUND, "backend %q not found", name)
}

func (s *Server) backendNames() []string {
	list := s.cachedBackends()
	names := make([]string, len(list))
	for i, b := range list {
		names[i] = b.Name
	}
	return names
}

// withQueues fills in QueueLength from the store's statistics.
func (s *Server) withQueues(ctx context.Context, list []qluster.BackendInfo) ([]qluster.BackendInfo, error) {
	st, err := s.store.Stats(ctx)
	if err != nil {
		return nil, fmt.Errorf("counting queued jobs: %w", err)
	}
	out := make([]qluster.BackendInfo, len(list))
	for i, b := range list {
		b.QueueLength = st.Queued[b.Name]
		out[i] = b
	}
	return out, nil
}

func (s *Server) listBackends(ctx context.Context, r *http.Request) (any, error) {
	if err := onlyParams(r.URL.Query(), nil); err != nil {
		return nil, err
	}
	list, err := s.withQueues(ctx, s.backends.List())
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []qluster.BackendInfo{}
	}
	return backendList{Backends: list}, nil
}

func (s *Server) getBackend(ctx context.Context, r *http.Request) (any, error) {
	b, err := s.backend(r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	list, err := s.withQueues(ctx, []qluster.BackendInfo{b})
	if err != nil {
		return nil, err
	}
	return list[0], nil
}
