package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	ql "github.com/qluster/qluster"
	"github.com/qluster/qluster/client"
)

// addConnFlags adds --url and --token to a client command.
func addConnFlags(cmd *cobra.Command, f *connFlags) {
	cmd.Flags().StringVar(&f.URL, "url", "", "server URL (default: $QLUSTER_URL, then the saved login)")
	cmd.Flags().StringVar(&f.Token, "token", "", "API token (default: $QLUSTER_TOKEN, then the saved login)")
}

// checkOutput validates an --output flag.
func checkOutput(o string) error {
	if o != "text" && o != "json" {
		return usageError{fmt.Errorf("--output must be text or json, got %q", o)}
	}
	return nil
}

func exactlyOneID(what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usageError{fmt.Errorf("%s takes exactly one job ID, got %d arguments", what, len(args))}
		}
		return nil
	}
}

// loginCommand saves a server URL and token for the other commands.
type loginCommand struct {
	stdout io.Writer
	connFlags
}

func newLoginCommand(stdout io.Writer) *loginCommand { return &loginCommand{stdout: stdout} }

func (l *loginCommand) cobra() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "login --url URL --token TOKEN",
		Short: "Save a server URL and API token for the client commands",
		Long: `Login checks the token against the server and saves both to a file only you
can read (mode 0600) in your configuration directory. QLUSTER_URL and
QLUSTER_TOKEN, when set, override the saved values.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return l.Run(c.Context()) },
	}
	addConnFlags(cmd, &l.connFlags)
	return cmd
}

// Run checks the credentials and saves them.
func (l *loginCommand) Run(ctx context.Context) error {
	if l.URL == "" || l.Token == "" {
		return usageError{errors.New("login needs --url and --token")}
	}
	c := client.New(strings.TrimRight(l.URL, "/"), strings.TrimSpace(l.Token))
	if _, err := c.Backends(ctx); err != nil {
		return fmt.Errorf("checking the token with %s: %w", c.BaseURL, err)
	}
	path, err := saveConfig(clientConfig{URL: c.BaseURL, Token: c.Token})
	if err != nil {
		return err
	}
	fmt.Fprintf(l.stdout, "Logged in to %s; saved to %s\n", c.BaseURL, path)
	return nil
}

// submitCommand submits circuit files as one job.
type submitCommand struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	connFlags
	Backend        string
	Shots          int
	Seed           uint64
	Wait           bool
	Output         string
	Probabilities  bool
	Priority       int
	IdempotencyKey string
	Engine         string
	Precision      string
	Transpile      bool
	Level          int
	shotsSet       bool
	seedSet        bool
	transpileSet   bool
	levelSet       bool
}

func newSubmitCommand(stdin io.Reader, stdout, stderr io.Writer) *submitCommand {
	return &submitCommand{stdin: stdin, stdout: stdout, stderr: stderr, Backend: "sv", Output: "text"}
}

func (s *submitCommand) cobra() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "submit FILE.qasm… [--backend sv|CHIP|auto] [--shots N] [--seed S] [--wait]",
		Short: "Submit OpenQASM 2 circuits to the server as one job",
		Long: `Submit sends the circuits (one per file, "-" for standard input) as one job
and prints its ID. With --wait it follows the job's status on standard error
and then prints the counts as in qluster run.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{errors.New("submit needs at least one FILE")}
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			s.shotsSet, s.seedSet = c.Flags().Changed("shots"), c.Flags().Changed("seed")
			s.transpileSet, s.levelSet = c.Flags().Changed("transpile"), c.Flags().Changed("optimization-level")
			return s.Run(c.Context(), args)
		},
	}
	f := cmd.Flags()
	addConnFlags(cmd, &s.connFlags)
	f.StringVar(&s.Backend, "backend", s.Backend, "backend to run on")
	f.IntVar(&s.Shots, "shots", 0, "shots per circuit (default: the backend's)")
	f.Uint64Var(&s.Seed, "seed", 0, "random seed (default: chosen by the server, shown in the result)")
	f.BoolVar(&s.Wait, "wait", false, "wait for the job and print its result")
	f.StringVarP(&s.Output, "output", "o", s.Output, "output format: text or json")
	f.BoolVar(&s.Probabilities, "probabilities", false, "ask for the exact outcome distribution")
	f.IntVar(&s.Priority, "priority", 0, "queue priority (positive values: admins only)")
	f.StringVar(&s.IdempotencyKey, "idempotency-key", "", "key that makes a retried submission return the first job")
	f.StringVar(&s.Engine, "engine", "", "simulator to use (default: the backend chooses; see qluster backends NAME)")
	f.StringVar(&s.Precision, "precision", "", "state precision on simulators: double or single (default: the backend's)")
	f.BoolVar(&s.Transpile, "transpile", true, "on chips, compile the circuits for the device (false: they must already be native)")
	f.IntVarP(&s.Level, "optimization-level", "O", 0, "on chips, optimisation level 0 (map only) to 3 (default: the backend's)")
	return cmd
}

// Run submits the files and, with --wait, waits and prints the result.
func (s *submitCommand) Run(ctx context.Context, files []string) error {
	if err := checkOutput(s.Output); err != nil {
		return err
	}
	c, err := s.client()
	if err != nil {
		return err
	}
	req := client.SubmitRequest{Backend: s.Backend, Priority: s.Priority, IdempotencyKey: s.IdempotencyKey,
		Options: ql.JobOptions{Probabilities: s.Probabilities, Engine: s.Engine, Precision: s.Precision}}
	if s.transpileSet {
		req.Options.Transpile = &s.Transpile
	}
	if s.levelSet {
		req.Options.OptimizationLevel = &s.Level
	}
	if s.shotsSet {
		req.Shots = &s.Shots
	}
	if s.seedSet {
		req.Seed = &s.Seed
	}
	for _, f := range files {
		src, name, err := s.read(f)
		if err != nil {
			return err
		}
		req.Circuits = append(req.Circuits, ql.CircuitSpec{Name: name, QASM: string(src)})
	}
	sub, err := c.Submit(ctx, req)
	if err != nil {
		return describeAPIError(err, files)
	}
	if !s.Wait {
		if s.Output == "json" {
			return writeIndentedJSON(s.stdout, sub)
		}
		_, err := fmt.Fprintln(s.stdout, sub.ID)
		return err
	}
	fmt.Fprintf(s.stderr, "job %s submitted to %s\n", sub.ID, sub.Backend)
	return waitAndPrint(ctx, c, sub.ID, s.stdout, s.stderr, s.Output)
}

func (s *submitCommand) read(path string) ([]byte, string, error) {
	if path == "-" {
		b, err := io.ReadAll(io.LimitReader(s.stdin, maxSourceBytes+1))
		if err != nil {
			return nil, "", fmt.Errorf("reading standard input: %w", err)
		}
		return b, "stdin", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	return b, filepath.Base(path), nil
}

// describeAPIError points a QASM error at its file.
func describeAPIError(err error, files []string) error {
	var e *client.Error
	if errors.As(err, &e) && e.Line > 0 && e.Circuit != nil && *e.Circuit < len(files) {
		// The detail is "circuits[i]: name:line:col: message".
		msg := strings.TrimPrefix(e.Detail, fmt.Sprintf("circuits[%d]: ", *e.Circuit))
		msg = strings.TrimPrefix(msg, fmt.Sprintf("%s:%d:%d: ", e.CircuitName, e.Line, e.Column))
		return fmt.Errorf("%s:%d:%d: %s", files[*e.Circuit], e.Line, e.Column, msg)
	}
	return err
}

// waitAndPrint follows a job, showing its status on stderr, then prints
// its result (or returns why it did not complete).
func waitAndPrint(ctx context.Context, c *client.Client, id string, stdout, stderr io.Writer, output string) error {
	tty := isTerminal(stderr)
	j, err := c.Wait(ctx, id, client.WaitOptions{OnStatus: func(j *client.Job) {
		line := fmt.Sprintf("job %s: %s", j.ID, j.Status)
		if j.CancelRequested && !j.Status.Terminal() {
			line += " (cancel requested)"
		}
		if tty {
			fmt.Fprintf(stderr, "\r\033[K%s", line)
			if j.Status.Terminal() {
				fmt.Fprintln(stderr)
			}
		} else {
			fmt.Fprintln(stderr, line)
		}
	}})
	if err != nil {
		return err
	}
	switch j.Status {
	case ql.JobFailed:
		return fmt.Errorf("job %s failed: %s", j.ID, j.Error)
	case ql.JobCancelled:
		return fmt.Errorf("job %s was cancelled", j.ID)
	}
	res, err := c.Result(ctx, id)
	if err != nil {
		return err
	}
	if output == "json" {
		return writeIndentedJSON(stdout, res)
	}
	return writeResult(stdout, res)
}

// statusCommand shows a job.
type statusCommand struct {
	stdout io.Writer
	connFlags
	Output string
}

func newStatusCommand(stdout io.Writer) *statusCommand {
	return &statusCommand{stdout: stdout, Output: "text"}
}

func (s *statusCommand) cobra() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "status JOB_ID",
		Short: "Show a job's status",
		Args:  exactlyOneID("status"),
		RunE:  func(c *cobra.Command, args []string) error { return s.Run(c.Context(), args[0]) },
	}
	addConnFlags(cmd, &s.connFlags)
	cmd.Flags().StringVarP(&s.Output, "output", "o", s.Output, "output format: text or json")
	return cmd
}

// Run prints the job.
func (s *statusCommand) Run(ctx context.Context, id string) error {
	if err := checkOutput(s.Output); err != nil {
		return err
	}
	c, err := s.client()
	if err != nil {
		return err
	}
	j, err := c.Get(ctx, id)
	if err != nil {
		return err
	}
	if s.Output == "json" {
		return writeIndentedJSON(s.stdout, j)
	}
	return writeJob(s.stdout, j)
}

// resultCommand prints a completed job's result.
type resultCommand struct {
	stdout io.Writer
	connFlags
	Output string
}

func newResultCommand(stdout io.Writer) *resultCommand {
	return &resultCommand{stdout: stdout, Output: "text"}
}

func (r *resultCommand) cobra() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "result JOB_ID [-o json]",
		Short: "Print a completed job's result",
		Args:  exactlyOneID("result"),
		RunE:  func(c *cobra.Command, args []string) error { return r.Run(c.Context(), args[0]) },
	}
	addConnFlags(cmd, &r.connFlags)
	cmd.Flags().StringVarP(&r.Output, "output", "o", r.Output, "output format: text or json")
	return cmd
}

// Run prints the result.
func (r *resultCommand) Run(ctx context.Context, id string) error {
	if err := checkOutput(r.Output); err != nil {
		return err
	}
	c, err := r.client()
	if err != nil {
		return err
	}
	res, err := c.Result(ctx, id)
	if err != nil {
		return err
	}
	if r.Output == "json" {
		return writeIndentedJSON(r.stdout, res)
	}
	return writeResult(r.stdout, res)
}

// waitCommand waits for a job and prints its result.
type waitCommand struct {
	stdout, stderr io.Writer
	connFlags
	Output string
}

func newWaitCommand(stdout, stderr io.Writer) *waitCommand {
	return &waitCommand{stdout: stdout, stderr: stderr, Output: "text"}
}

func (w *waitCommand) cobra() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "wait JOB_ID",
		Short: "Wait for a job to finish and print its result",
		Args:  exactlyOneID("wait"),
		RunE:  func(c *cobra.Command, args []string) error { return w.Run(c.Context(), args[0]) },
	}
	addConnFlags(cmd, &w.connFlags)
	cmd.Flags().StringVarP(&w.Output, "output", "o", w.Output, "output format: text or json")
	return cmd
}

// Run waits and prints; a job that failed or was cancelled is an error.
func (w *waitCommand) Run(ctx context.Context, id string) error {
	if err := checkOutput(w.Output); err != nil {
		return err
	}
	c, err := w.client()
	if err != nil {
		return err
	}
	return waitAndPrint(ctx, c, id, w.stdout, w.stderr, w.Output)
}

// cancelCommand cancels a job.
type cancelCommand struct {
	stdout io.Writer
	connFlags
}

func newCancelCommand(stdout io.Writer) *cancelCommand { return &cancelCommand{stdout: stdout} }

func (k *cancelCommand) cobra() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cancel JOB_ID",
		Short: "Cancel a queued or running job",
		Args:  exactlyOneID("cancel"),
		RunE:  func(c *cobra.Command, args []string) error { return k.Run(c.Context(), args[0]) },
	}
	addConnFlags(cmd, &k.connFlags)
	return cmd
}

// Run cancels the job and prints its status after the request.
func (k *cancelCommand) Run(ctx context.Context, id string) error {
	c, err := k.client()
	if err != nil {
		return err
	}
	j, err := c.Cancel(ctx, id)
	if err != nil {
		return err
	}
	if j.Status == ql.JobCancelled {
		_, err = fmt.Fprintf(k.stdout, "job %s cancelled\n", j.ID)
	} else {
		_, err = fmt.Fprintf(k.stdout, "job %s is %s; its worker was asked to stop\n", j.ID, j.Status)
	}
	return err
}

// jobsCommand lists jobs.
type jobsCommand struct {
	stdout, stderr io.Writer
	connFlags
	Status  string
	Backend string
	Owner   string
	Limit   int
	Cursor  string
	Output  string
}

func newJobsCommand(stdout, stderr io.Writer) *jobsCommand {
	return &jobsCommand{stdout: stdout, stderr: stderr, Limit: 20, Output: "text"}
}

func (l *jobsCommand) cobra() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "jobs [--status S] [--limit N]",
		Short: "List your jobs, newest first",
		Args:  cobra.NoArgs,
		RunE:  func(c *cobra.Command, _ []string) error { return l.Run(c.Context()) },
	}
	f := cmd.Flags()
	addConnFlags(cmd, &l.connFlags)
	f.StringVar(&l.Status, "status", "", "only jobs in this status (queued, running, completed, failed, cancelled)")
	f.StringVar(&l.Backend, "backend", "", "only jobs on this backend")
	f.StringVar(&l.Owner, "owner", "", "admins: only this user's jobs")
	f.IntVar(&l.Limit, "limit", l.Limit, "jobs per page")
	f.StringVar(&l.Cursor, "cursor", "", "page cursor printed by the previous page")
	f.StringVarP(&l.Output, "output", "o", l.Output, "output format: text or json")
	return cmd
}

// Run prints one page of jobs and, on stderr, how to get the next.
func (l *jobsCommand) Run(ctx context.Context) error {
	if err := checkOutput(l.Output); err != nil {
		return err
	}
	c, err := l.client()
	if err != nil {
		return err
	}
	page, err := c.List(ctx, client.ListOptions{Status: ql.JobStatus(l.Status), Backend: l.Backend, Owner: l.Owner, Limit: l.Limit, Cursor: l.Cursor})
	if err != nil {
		return err
	}
	if l.Output == "json" {
		return writeIndentedJSON(l.stdout, page)
	}
	if err := writeJobTable(l.stdout, page.Jobs); err != nil {
		return err
	}
	if page.NextCursor != "" {
		fmt.Fprintf(l.stderr, "more: qluster jobs --cursor %s\n", page.NextCursor)
	}
	return nil
}
