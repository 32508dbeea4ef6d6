package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/qluster/qluster/sim/statevec"
)

// Version is the release version, set at build time with
// -ldflags "-X main.Version=v1.2.3"; development builds say "dev".
var Version = "dev"

// versionCommand prints the version, the VCS revision and the Go version.
type versionCommand struct{ stdout io.Writer }

func newVersionCommand(stdout io.Writer) *versionCommand { return &versionCommand{stdout: stdout} }

func (v *versionCommand) cobra() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE:  func(*cobra.Command, []string) error { return v.Run() },
	}
}

// Run prints one line: "qluster VERSION (REVISION) GOVERSION OS/ARCH, state-vector
// kernels K" (K from statevec.Kernels).
func (v *versionCommand) Run() error {
	rev := "unknown revision"
	if info, ok := debug.ReadBuildInfo(); ok {
		var modified bool
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
				if len(rev) > 12 {
					rev = rev[:12]
				}
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if modified {
			rev += "+dirty"
		}
	}
	_, err := fmt.Fprintf(v.stdout, "qluster %s (%s) %s %s/%s, state-vector kernels %s\n",
		Version, rev, runtime.Version(), runtime.GOOS, runtime.GOARCH, statevec.Kernels())
	return err
}
