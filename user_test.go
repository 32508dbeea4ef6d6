package qluster_test

import (
	"strings"
	"testing"
	"time"

	"github.com/qluster/qluster"
)

func TestGenerateToken(t *testing.T) {
	secret, hash, prefix, err := qluster.GenerateToken()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, qluster.TokenScheme) || len(secret) != len(qluster.TokenScheme)+43 {
		t.Errorf("secret = %q, want %q and 43 base64url characters", secret, qluster.TokenScheme)
	}
	if prefix != secret[:qluster.TokenPrefixLen] || len(prefix) != 12 {
		t.Errorf("prefix = %q, want the first %d characters of the secret", prefix, qluster.TokenPrefixLen)
	}
	for _, tc := range []struct {
		name  string
		input string
		same  bool
	}{
		{"same secret", secret, true},
		{"surrounding space", " " + secret + "\n", true},
		{"other secret", secret + "x", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := qluster.HashToken(tc.input) == hash; got != tc.same {
				t.Errorf("HashToken(%q) == hash is %v, want %v", tc.input, got, tc.same)
			}
		})
	}
	other, _, _, _ := qluster.GenerateToken()
	if other == secret {
		t.Errorf("two GenerateToken calls gave the same secret")
	}
}

func TestDisabledAndRevoked(t *testing.T) {
	now := time.Now()
	if (&qluster.User{}).Disabled() || !(&qluster.User{DisabledAt: now}).Disabled() {
		t.Errorf("User.Disabled does not follow DisabledAt")
	}
	if (&qluster.Token{}).Revoked() || !(&qluster.Token{RevokedAt: now}).Revoked() {
		t.Errorf("Token.Revoked does not follow RevokedAt")
	}
}
