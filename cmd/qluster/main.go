// Command qluster is the single binary of the Qluster quantum cloud. Each
// subcommand is a small type in this package with its flags and a Run
// method, so tests can drive it without a process; main only wires them to
// the command line.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCommand(os.Stdin, os.Stdout, os.Stderr).ExecuteContext(ctx)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// usageError marks an error in how the command was called (exit status 2).
type usageError struct{ error }

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "qluster:", err)
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// newRootCommand builds the command tree with the given standard streams.
func newRootCommand(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "qluster",
		Short:         "Qluster: a self-hostable quantum cloud in one binary",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newRunCommand(stdin, stdout, stderr).cobra(), newVersionCommand(stdout).cobra(), newServeCommand(stderr).cobra(),
		newLoginCommand(stdout).cobra(), newSubmitCommand(stdin, stdout, stderr).cobra(), newStatusCommand(stdout).cobra(),
		newResultCommand(stdout).cobra(), newWaitCommand(stdout, stderr).cobra(), newCancelCommand(stdout).cobra(),
		newJobsCommand(stdout, stderr).cobra(), newBackendsCommand(stdout).cobra(), newTokenCommand(stdout).cobra(),
		newUserCommand(stdout).cobra(), newTranspileCommand(stdin, stdout, stderr).cobra())
	return root
}
