package qluster_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/qluster/qluster"
)

func TestErrorCodeAndMessage(t *testing.T) {
	notFound := qluster.Errorf(qluster.ENOTFOUND, "job %s not found", "j1")
	for _, tc := range []struct {
		name     string
		err      error
		wantCode string
		wantMsg  string
	}{
		{"nil", nil, "", ""},
		{"coded", notFound, qluster.ENOTFOUND, "job j1 not found"},
		{"wrapped once", fmt.Errorf("get: %w", notFound), qluster.ENOTFOUND, "job j1 not found"},
		{"wrapped twice", fmt.Errorf("api: %w", fmt.Errorf("get: %w", notFound)), qluster.ENOTFOUND, "job j1 not found"},
		{"joined", errors.Join(errors.New("x"), notFound), qluster.ENOTFOUND, "job j1 not found"},
		{"uncoded", errors.New("disk on fire"), qluster.EINTERNAL, "internal error"},
		{"context", context.Canceled, qluster.EINTERNAL, "internal error"},
		{"code only", &qluster.Error{Code: qluster.ECONFLICT}, qluster.ECONFLICT, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := qluster.ErrorCode(tc.err); got != tc.wantCode {
				t.Errorf("ErrorCode = %q, want %q", got, tc.wantCode)
			}
			if got := qluster.ErrorMessage(tc.err); got != tc.wantMsg {
				t.Errorf("ErrorMessage = %q, want %q", got, tc.wantMsg)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  *qluster.Error
		want string
	}{
		{"message", qluster.Errorf(qluster.EINVALID, "shots %d > %d", 10, 5), "shots 10 > 5"},
		{"wrapped cause keeps only text", qluster.Errorf(qluster.EINVALID, "parse: %w", errors.New("line 3")), "parse: line 3"},
		{"no message", &qluster.Error{Code: qluster.ERATELIMITED}, "rate_limited"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
		})
	}
}
