package backend

import (
	"slices"
	"strings"
	"sync"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/circuit"
)

// Registry maps names to backends. It is safe for concurrent use; backends
// may be registered while it is in use (a remote node joining).
type Registry struct {
	mu       sync.RWMutex
	backends map[string]Backend
}

// NewRegistry returns a registry holding backends; it panics if two share a
// name (a programming error at wiring time).
func NewRegistry(backends ...Backend) *Registry {
	r := &Registry{backends: make(map[string]Backend)}
	for _, b := range backends {
		if err := r.Register(b); err != nil {
			panic(err)
		}
	}
	return r
}

// Register adds b under b.Info().Name. EINVALID for an empty name,
// ECONFLICT for a name in use.
func (r *Registry) Register(b Backend) error {
	name := b.Info().Name
	if name == "" {
		return qluster.Errorf(qluster.EINVALID, "backend has no name")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.backends == nil {
		r.backends = make(map[string]Backend)
	}
	if _, ok := r.backends[name]; ok {
		return qluster.Errorf(qluster.ECONFLICT, "backend %q is already registered", name)
	}
	r.backends[name] = b
	return nil
}

// Unregister removes the backend called name, if any.
func (r *Registry) Unregister(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.backends, name)
}

// Get returns the backend called name. ENOTFOUND, listing the available
// names, when there is none.
func (r *Registry) Get(name string) (Backend, error) {
	r.mu.RLock()
	b, ok := r.backends[name]
	r.mu.RUnlock()
	if !ok {
		return nil, qluster.Errorf(qluster.ENOTFOUND, "unknown backend %q (available: %s)", name, strings.Join(r.Names(), ", "))
	}
	return b, nil
}

// Names returns the registered names in order.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.backends))
	for n := range r.backends {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Backends returns the registered backends in name order.
func (r *Registry) Backends() []Backend {
	names := r.Names()
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Backend, 0, len(names))
	for _, n := range names {
		if b, ok := r.backends[n]; ok {
			out = append(out, b)
		}
	}
	return out
}

// List returns the Info of every registered backend in name order (the
// API's backends list; QueueLength is left zero).
func (r *Registry) List() []qluster.BackendInfo {
	bs := r.Backends()
	out := make([]qluster.BackendInfo, len(bs))
	for i, b := range bs {
		out[i] = b.Info()
	}
	return out
}

// Check validates c and spec against the backend called name: the errors
// of Get, then those of the backend's Validate.
func (r *Registry) Check(name string, c *circuit.Circuit, spec qluster.JobSpec) error {
	b, err := r.Get(name)
	if err != nil {
		return err
	}
	return b.Validate(c, spec)
}
