package cmdline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Command is one job the bootstrap runs and exits: its arguments, what it
// does, the environment it reads, and how it runs with the relay's parts
// P.
type Command[P any] struct {
	Name, Args, About string
	Env               []string
	// Run does the job with the command's own arguments.
	Run func(ctx context.Context, parts P, args []string) error
	// Beside: run beside make run, which holds DATA_DIR, it asks that
	// relay to run it.
	Beside bool
}

// Table is every subcommand, and what the overview says around them.
type Table[P any] struct {
	// Program is what the usage calls the binary: bootstrap in Lambda,
	// bin/relay after make run.
	Program string
	// About opens the overview; Settings close it.
	About    string
	Settings []string
	// Common is the environment every command reads.
	Common   string
	Commands []Command[P]
}

// ArgsError is a command's refusal of its arguments: Run adds its usage.
type ArgsError string

func (e ArgsError) Error() string { return string(e) }

// Lookup is the command called name.
func (t Table[P]) Lookup(name string) (Command[P], bool) {
	i := slices.IndexFunc(t.Commands, func(c Command[P]) bool { return c.Name == name })
	if i < 0 {
		return Command[P]{}, false
	}
	return t.Commands[i], true
}

// Names are the names of the commands keep keeps, in the table's order.
func (t Table[P]) Names(keep func(Command[P]) bool) []string {
	var names []string
	for _, c := range t.Commands {
		if keep(c) {
			names = append(names, c.Name)
		}
	}
	return names
}

// Find is the command args name, or an error that says where the list is.
func (t Table[P]) Find(args []string) (Command[P], error) {
	c, ok := t.Lookup(args[0])
	if !ok {
		return c, fmt.Errorf("unknown command %q (%s -h lists them)", args[0], t.Program)
	}
	return c, nil
}

// Run runs c with args, and adds c's usage to a refusal of its arguments.
func (t Table[P]) Run(ctx context.Context, c Command[P], parts P, args []string) error {
	err := c.Run(ctx, parts, args)
	var bad ArgsError
	if !errors.As(err, &bad) {
		return err
	}
	return fmt.Errorf("%s (usage: %s; %s %s -h says more)", bad, t.Line(c), t.Program, c.Name)
}

var helpWords = []string{"-h", "-help", "--help", "help"}

// Help is the text asked for with -h, --help or help, on the bootstrap or
// after a command; ok is false when none was asked for.
func (t Table[P]) Help(args []string) (text string, ok bool) {
	if len(args) == 0 {
		return "", false
	}
	if slices.Contains(helpWords, args[0]) {
		return t.overview(), true
	}
	c, found := t.Lookup(args[0])
	if found && slices.ContainsFunc(args[1:], func(a string) bool { return slices.Contains(helpWords, a) }) {
		return t.usage(c), true
	}
	return "", false
}

// Line is how c is called.
func (t Table[P]) Line(c Command[P]) string {
	return strings.TrimSpace(t.Program + " " + c.Name + " " + c.Args)
}

func (t Table[P]) usage(c Command[P]) string {
	return fmt.Sprintf("usage: %s\n\n%s.\n\nEnvironment: %s, and %s.\n", t.Line(c), c.About, strings.Join(c.Env, ", "), t.Common)
}

func (t Table[P]) overview() string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: %s [SUBCOMMAND [ARGS]]\n\n%s\nSubcommands run one job and exit:\n", t.Program, t.About)
	for _, c := range t.Commands {
		fmt.Fprintf(&b, "  %-9s %s\n", c.Name, c.Args)
	}
	fmt.Fprintf(&b, "\n%s SUBCOMMAND -h says what each does and reads. Settings come from the\nenvironment; the README's settings table explains each:\n", t.Program)
	line := " "
	for _, name := range t.Settings {
		if len(line)+len(name) > 72 {
			b.WriteString(line + "\n")
			line = " "
		}
		line += " " + name
	}
	b.WriteString(line + "\n")
	return b.String()
}
