package cmdline

import (
	"flag"
	"fmt"
	"io"
)

// Flags is a command's flag set, silent: Parse says what is wrong, and the
// table adds the usage.
func Flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// Parse parses args with fs, and refuses as an ArgsError a flag fs does
// not know, or an argument, which no command with flags takes.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return ArgsError(fs.Name() + ": " + err.Error())
	}
	if fs.NArg() > 0 {
		return ArgsError(fmt.Sprintf("%s: unexpected %q", fs.Name(), fs.Arg(0)))
	}
	return nil
}
