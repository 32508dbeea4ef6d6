package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	ql "github.com/qluster/qluster"
)

// backendsCommand lists the server's backends.
type backendsCommand struct {
	stdout io.Writer
	connFlags
	Output string
}

func newBackendsCommand(stdout io.Writer) *backendsCommand {
	return &backendsCommand{stdout: stdout, Output: "text"}
}

func (b *backendsCommand) cobra() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "backends [NAME]",
		Short: "List the server's backends, or show one in detail",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				return b.Show(c.Context(), args[0])
			}
			return b.Run(c.Context())
		},
	}
	addConnFlags(cmd, &b.connFlags)
	cmd.Flags().StringVarP(&b.Output, "output", "o", b.Output, "output format: text or json")
	return cmd
}

// Run prints the backends as a table.
func (b *backendsCommand) Run(ctx context.Context) error {
	if err := checkOutput(b.Output); err != nil {
		return err
	}
	c, err := b.client()
	if err != nil {
		return err
	}
	list, err := c.Backends(ctx)
	if err != nil {
		return err
	}
	if b.Output == "json" {
		return writeIndentedJSON(b.stdout, list)
	}
	tw := tabwriter.NewWriter(b.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKIND\tSTATUS\tQUBITS\tQUEUED\tDESCRIPTION")
	for _, x := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\n", x.Name, x.Kind, x.Status, x.NumQubits, x.QueueLength, x.Description)
	}
	return tw.Flush()
}

// Show prints one backend in detail: topology, basis, engines, defaults
// and, for a chip, a calibration summary naming the defaulted figures.
func (b *backendsCommand) Show(ctx context.Context, name string) error {
	if err := checkOutput(b.Output); err != nil {
		return err
	}
	c, err := b.client()
	if err != nil {
		return err
	}
	info, err := c.Backend(ctx, name)
	if err != nil {
		return err
	}
	if b.Output == "json" {
		return writeIndentedJSON(b.stdout, info)
	}
	return writeBackend(b.stdout, info)
}

// tokenCommand manages API tokens: create, list, revoke.
type tokenCommand struct {
	stdout io.Writer
	connFlags
	User   string
	Name   string
	Output string
}

func newTokenCommand(stdout io.Writer) *tokenCommand {
	return &tokenCommand{stdout: stdout, Output: "text"}
}

func (t *tokenCommand) cobra() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token create|list|revoke",
		Short: "Manage API tokens (admins: for any user)",
	}
	create := &cobra.Command{
		Use:   "create [--user NAME] [--name LABEL]",
		Short: "Create a token and print its secret (shown only once)",
		Args:  cobra.NoArgs,
		RunE:  func(c *cobra.Command, _ []string) error { return t.Create(c.Context()) },
	}
	create.Flags().StringVar(&t.User, "user", "", "user the token is for (default: you)")
	create.Flags().StringVar(&t.Name, "name", "", "label for the token")
	list := &cobra.Command{
		Use:   "list [--user NAME]",
		Short: "List tokens (admins: everyone's)",
		Args:  cobra.NoArgs,
		RunE:  func(c *cobra.Command, _ []string) error { return t.List(c.Context()) },
	}
	list.Flags().StringVar(&t.User, "user", "", "only this user's tokens")
	list.Flags().StringVarP(&t.Output, "output", "o", t.Output, "output format: text or json")
	revoke := &cobra.Command{
		Use:   "revoke TOKEN_ID",
		Short: "Revoke a token",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{fmt.Errorf("revoke takes exactly one token ID, got %d arguments", len(args))}
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error { return t.Revoke(c.Context(), args[0]) },
	}
	for _, sub := range []*cobra.Command{create, list, revoke} {
		addConnFlags(sub, &t.connFlags)
	}
	cmd.AddCommand(create, list, revoke)
	return cmd
}

// Create makes a token and prints the secret.
func (t *tokenCommand) Create(ctx context.Context) error {
	c, err := t.client()
	if err != nil {
		return err
	}
	tok, err := c.CreateToken(ctx, t.User, t.Name)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(t.stdout, "%s\n# token %s for user %s; the secret above is shown only once\n", tok.Secret, tok.ID, tok.User)
	return err
}

// List prints tokens as a table.
func (t *tokenCommand) List(ctx context.Context) error {
	if err := checkOutput(t.Output); err != nil {
		return err
	}
	c, err := t.client()
	if err != nil {
		return err
	}
	toks, err := c.ListTokens(ctx, t.User)
	if err != nil {
		return err
	}
	if t.Output == "json" {
		return writeIndentedJSON(t.stdout, toks)
	}
	tw := tabwriter.NewWriter(t.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tNAME\tPREFIX\tCREATED\tLAST USED\tREVOKED")
	for _, x := range toks {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s…\t%s\t%s\t%s\n", x.ID, x.User, x.Name, x.Prefix,
			formatTime(x.CreatedAt), formatTime(x.LastUsedAt), formatTime(x.RevokedAt))
	}
	return tw.Flush()
}

// Revoke revokes a token.
func (t *tokenCommand) Revoke(ctx context.Context, id string) error {
	c, err := t.client()
	if err != nil {
		return err
	}
	if err := c.RevokeToken(ctx, id); err != nil {
		return err
	}
	_, err = fmt.Fprintf(t.stdout, "token %s revoked\n", id)
	return err
}

// userCommand manages accounts (admin only).
type userCommand struct {
	stdout io.Writer
	connFlags
	Admin  bool
	Limits ql.Limits
	Output string
}

func newUserCommand(stdout io.Writer) *userCommand {
	return &userCommand{stdout: stdout, Output: "text"}
}

func (u *userCommand) cobra() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user create|list",
		Short: "Manage user accounts (admin)",
	}
	create := &cobra.Command{
		Use:   "create NAME [--admin]",
		Short: "Create a user (then: qluster token create --user NAME)",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{fmt.Errorf("user create takes exactly one NAME, got %d arguments", len(args))}
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error { return u.Create(c.Context(), args[0]) },
	}
	f := create.Flags()
	f.BoolVar(&u.Admin, "admin", false, "make the user an admin")
	f.IntVar(&u.Limits.MaxConcurrentJobs, "max-concurrent-jobs", 0, "queued plus running jobs allowed (0: server default)")
	f.IntVar(&u.Limits.MaxShots, "max-shots", 0, "shots per job allowed (0: server default)")
	f.IntVar(&u.Limits.MaxCircuits, "max-circuits", 0, "circuits per job allowed (0: server default)")
	f.Float64Var(&u.Limits.RatePerSecond, "rate", 0, "requests per second allowed (0: server default)")
	list := &cobra.Command{
		Use:   "list",
		Short: "List users",
		Args:  cobra.NoArgs,
		RunE:  func(c *cobra.Command, _ []string) error { return u.List(c.Context()) },
	}
	list.Flags().StringVarP(&u.Output, "output", "o", u.Output, "output format: text or json")
	for _, sub := range []*cobra.Command{create, list} {
		addConnFlags(sub, &u.connFlags)
	}
	cmd.AddCommand(create, list)
	return cmd
}

// Create creates the user and prints its ID.
func (u *userCommand) Create(ctx context.Context, name string) error {
	c, err := u.client()
	if err != nil {
		return err
	}
	user, err := c.CreateUser(ctx, name, u.Admin, u.Limits)
	if err != nil {
		return err
	}
	role := "user"
	if user.Admin {
		role = "admin"
	}
	_, err = fmt.Fprintf(u.stdout, "%s %s created (id %s)\n", role, user.Name, user.ID)
	return err
}

// List prints the users as a table.
func (u *userCommand) List(ctx context.Context) error {
	if err := checkOutput(u.Output); err != nil {
		return err
	}
	c, err := u.client()
	if err != nil {
		return err
	}
	users, err := c.ListUsers(ctx)
	if err != nil {
		return err
	}
	if u.Output == "json" {
		return writeIndentedJSON(u.stdout, users)
	}
	tw := tabwriter.NewWriter(u.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tADMIN\tCREATED")
	for _, x := range users {
		fmt.Fprintf(tw, "%s\t%s\t%v\t%s\n", x.ID, x.Name, x.Admin, formatTime(x.CreatedAt))
	}
	return tw.Flush()
}
