package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/qluster/qluster/client"
)

// clientConfig is what qluster login saves: where the server is and the
// token to use.
type clientConfig struct {
	URL   string `json:"url"`
	Token string `json:"token"`
}

// configPath returns the client configuration file:
// os.UserConfigDir()/qluster/config.json.
func configPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the configuration directory: %w", err)
	}
	return filepath.Join(dir, "qluster", "config.json"), nil
}

// loadConfig reads the configuration file; a missing file is an empty
// configuration.
func loadConfig() (clientConfig, error) {
	var c clientConfig
	path, err := configPath()
	if err != nil {
		return c, err
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("reading %s: %w", path, err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("reading %s: %w", path, err)
	}
	return c, nil
}

// saveConfig writes the configuration file with mode 0600 (its directory
// 0700), replacing it atomically, and returns its path.
func saveConfig(c clientConfig) (string, error) {
	path, err := configPath()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.json")
	if err != nil {
		return "", fmt.Errorf("saving configuration: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return "", fmt.Errorf("saving configuration: %w", err)
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return "", fmt.Errorf("saving configuration: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("saving configuration: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("saving configuration: %w", err)
	}
	return path, nil
}

// connFlags are the --url and --token flags of the client commands; empty
// flags fall back to QLUSTER_URL and QLUSTER_TOKEN, then to the file
// qluster login saved.
type connFlags struct {
	URL, Token string
}

// client returns an API client from the flags, the environment and the
// configuration file, in that order of precedence.
func (f *connFlags) client() (*client.Client, error) {
	cfg, err := loadConfig()
	if err != nil {
		return nil, err
	}
	url := firstNonEmpty(f.URL, os.Getenv("QLUSTER_URL"), cfg.URL)
	token := firstNonEmpty(f.Token, os.Getenv("QLUSTER_TOKEN"), cfg.Token)
	if url == "" {
		return nil, usageError{errors.New("no server: run qluster login --url URL --token TOKEN, or set QLUSTER_URL")}
	}
	if token == "" {
		return nil, usageError{errors.New("no token: run qluster login --url URL --token TOKEN, or set QLUSTER_TOKEN")}
	}
	return client.New(strings.TrimRight(url, "/"), token), nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
