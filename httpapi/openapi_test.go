package httpapi_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"net/http"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/qluster/qluster/httpapi"
	"github.com/qluster/qluster/httpapi/apitest"
)

// openAPIDoc is the part of an OpenAPI 3.1 document the tests read.
type openAPIDoc struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas   map[string]any         `json:"schemas"`
		Responses map[string]apiResponse `json:"responses"`
	} `json:"components"`
}

type operation struct {
	OperationID string                 `json:"operationId"`
	Responses   map[string]apiResponse `json:"responses"`
}

type apiResponse struct {
	Ref     string `json:"$ref"`
	Content map[string]struct {
		Schema any `json:"schema"`
	} `json:"content"`
}

// specT is the loaded document with its operations by path and method.
type specT struct {
	doc openAPIDoc
	ops map[string]map[string]*operation // path template → METHOD → op
}

var spec = loadSpec()

func loadSpec() *specT {
	s := &specT{ops: map[string]map[string]*operation{}}
	if err := json.Unmarshal(httpapi.OpenAPI(), &s.doc); err != nil {
		panic("openapi.json: " + err.Error())
	}
	for path, item := range s.doc.Paths {
		s.ops[path] = map[string]*operation{}
		for m, raw := range item {
			if m == "parameters" {
				continue
			}
			var op operation
			if err := json.Unmarshal(raw, &op); err != nil {
				panic(fmt.Sprintf("openapi.json %s %s: %v", m, path, err))
			}
			s.ops[path][strings.ToUpper(m)] = &op
		}
	}
	return s
}

// find returns the path template matching a concrete path and its
// operation for method (nil when undocumented).
func (s *specT) find(path, method string) (string, *operation) {
	segs := strings.Split(path, "/")
	for tmpl, ops := range s.ops {
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(segs) {
			continue
		}
		ok := true
		for i := range ts {
			if !(strings.HasPrefix(ts[i], "{") && segs[i] != "") && ts[i] != segs[i] {
				ok = false
				break
			}
		}
		if ok {
			if method == http.MethodHead {
				method = http.MethodGet
			}
			return tmpl, ops[method]
		}
	}
	return path, nil
}

// checkResponse validates a response against the operation's documented
// statuses, content types and schemas.
func (s *specT) checkResponse(op *operation, status int, ct string, body []byte) error {
	r, ok := op.Responses[itoa(status)]
	if !ok {
		return fmt.Errorf("status %d not documented for %s", status, op.OperationID)
	}
	if r.Ref != "" {
		r = s.doc.Components.Responses[strings.TrimPrefix(r.Ref, "#/components/responses/")]
	}
	if len(r.Content) == 0 {
		if len(body) != 0 {
			return fmt.Errorf("documented without a body, got %d bytes", len(body))
		}
		return nil
	}
	mt := strings.TrimSpace(strings.Split(ct, ";")[0])
	c, ok := r.Content[mt]
	if !ok {
		return fmt.Errorf("content type %q not documented", ct)
	}
	if mt != "application/json" && mt != "application/problem+json" {
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("body is not JSON: %v", err)
	}
	return s.validate(c.Schema, v, "$")
}

var dateTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$`)

// validate is a small structural JSON Schema check: $ref, type, enum,
// properties, required, additionalProperties, items, min/max items,
// lengths and bounds, and date-time formats.
func (s *specT) validate(schema any, v any, at string) error {
	sc, ok := schema.(map[string]any)
	if !ok {
		return nil
	}
	if ref, ok := sc["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		target, ok := s.doc.Components.Schemas[name]
		if !ok {
			return fmt.Errorf("%s: unknown $ref %s", at, ref)
		}
		return s.validate(target, v, at)
	}
	if t, ok := sc["type"]; ok {
		var types []string
		switch t := t.(type) {
		case string:
			types = []string{t}
		case []any:
			for _, x := range t {
				types = append(types, x.(string))
			}
		}
		if !slices.ContainsFunc(types, func(t string) bool { return hasType(v, t) }) {
			return fmt.Errorf("%s: %s is not %v", at, jsonKind(v), types)
		}
	}
	if enum, ok := sc["enum"].([]any); ok && !slices.Contains(enum, v) {
		return fmt.Errorf("%s: %v not in %v", at, v, enum)
	}
	switch v := v.(type) {
	case map[string]any:
		props, _ := sc["properties"].(map[string]any)
		for _, r := range asStrings(sc["required"]) {
			if _, ok := v[r]; !ok {
				return fmt.Errorf("%s: missing required %q", at, r)
			}
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k]; ok {
				if err := s.validate(ps, v[k], at+"."+k); err != nil {
					return err
				}
				continue
			}
			switch ap := sc["additionalProperties"].(type) {
			case bool:
				if !ap {
					return fmt.Errorf("%s: undocumented property %q", at, k)
				}
			case map[string]any:
				if err := s.validate(ap, v[k], at+"."+k); err != nil {
					return err
				}
			}
		}
	case []any:
		if n, ok := sc["minItems"].(float64); ok && float64(len(v)) < n {
			return fmt.Errorf("%s: %d items, want ≥ %g", at, len(v), n)
		}
		if n, ok := sc["maxItems"].(float64); ok && float64(len(v)) > n {
			return fmt.Errorf("%s: %d items, want ≤ %g", at, len(v), n)
		}
		for i, x := range v {
			if err := s.validate(sc["items"], x, fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
	case float64:
		if n, ok := sc["minimum"].(float64); ok && v < n {
			return fmt.Errorf("%s: %g < minimum %g", at, v, n)
		}
		if n, ok := sc["maximum"].(float64); ok && v > n {
			return fmt.Errorf("%s: %g > maximum %g", at, v, n)
		}
	case string:
		if n, ok := sc["maxLength"].(float64); ok && float64(len(v)) > n {
			return fmt.Errorf("%s: length %d > maxLength %g", at, len(v), n)
		}
		if sc["format"] == "date-time" && !dateTime.MatchString(v) {
			return fmt.Errorf("%s: %q is not an RFC 3339 date-time", at, v)
		}
	}
	return nil
}

func hasType(v any, t string) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == math.Trunc(f)
	case "null":
		return v == nil
	}
	return false
}

func jsonKind(v any) string {
	b, _ := json.Marshal(v)
	return truncate(b)
}

func asStrings(v any) []string {
	var out []string
	for _, x := range asSlice(v) {
		out = append(out, x.(string))
	}
	return out
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

// TestMain runs the tests, then (on a full run) checks that every status
// documented in openapi.json, 500 aside, was answered by some test.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && !testing.Short() {
		var missing []string
		for path, ops := range spec.ops {
			for method, op := range ops {
				for status := range op.Responses {
					if status == "500" {
						continue
					}
					if !seen.m[fmt.Sprintf("%s %s %s", method, path, status)] {
						missing = append(missing, fmt.Sprintf("%s %s %s", method, path, status))
					}
				}
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			fmt.Fprintf(os.Stderr, "FAIL: documented responses no test produced:\n  %s\n", strings.Join(missing, "\n  "))
			code = 1
		}
	}
	os.Exit(code)
}

// TestOpenAPIRoutes checks that the document and the router agree: every
// route is documented, and every documented operation is routed (an
// unauthenticated call reaches its handler rather than the 404/405 of an
// unknown route).
func TestOpenAPIRoutes(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	if spec.doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", spec.doc.OpenAPI)
	}
	routes := env.API.Routes()
	for _, r := range routes {
		method, path, _ := strings.Cut(r, " ")
		t.Run("documented "+r, func(t *testing.T) {
			if spec.ops[path][method] == nil {
				t.Errorf("route %s is not in openapi.json", r)
			}
		})
	}
	for path, ops := range spec.ops {
		for method := range ops {
			name := method + " " + path
			t.Run("routed "+name, func(t *testing.T) {
				if !slices.Contains(routes, name) {
					t.Errorf("openapi.json documents %s; the server has no such route", name)
				}
				concrete := strings.NewReplacer("{id}", "0000", "{name}", "sv").Replace(path)
				got := do(t, env, request{method: method, path: concrete})
				if got.status == http.StatusMethodNotAllowed || got.status == http.StatusNotFound && strings.Contains(string(got.body), "no such endpoint") {
					t.Errorf("%s %s = %d %s, want a routed answer", method, concrete, got.status, got.body)
				}
			})
		}
	}
}

// TestOpenAPIServed checks /v1/openapi.json serves the embedded document.
func TestOpenAPIServed(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	got := do(t, env, request{method: "GET", path: "/v1/openapi.json"})
	if got.status != 200 || string(got.body) != string(httpapi.OpenAPI()) {
		t.Errorf("GET /v1/openapi.json = %d with %d bytes, want 200 with the %d-byte document", got.status, len(got.body), len(httpapi.OpenAPI()))
	}
}
