package cmdline

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func testTable(ran *[]string) Table[string] {
	return Table[string]{
		Program: "relay", About: "The relay.\n", Settings: []string{"PORT", "DATA_DIR"}, Common: "LOG_LEVEL",
		Commands: []Command[string]{
			{Name: "remind", About: "reminds", Env: []string{"LONG_TIMER_HOURS"}, Run: func(_ context.Context, p string, args []string) error {
				if len(args) > 0 {
					return ArgsError("remind takes no arguments")
				}
				*ran = append(*ran, p)
				return nil
			}},
			{Name: "dlq", Args: "list | redrive", Run: func(context.Context, string, []string) error { return errors.New("store is closed") }},
		},
	}
}

// TestHelpAndDispatchComeFromTheTable: the overview lists every command
// and setting, a command's help its line and environment; a refusal of
// arguments gets the line, other errors pass as they are.
func TestHelpAndDispatchComeFromTheTable(t *testing.T) {
	var ran []string
	tab := testTable(&ran)
	text, ok := tab.Help([]string{"--help"})
	for _, want := range []string{"usage: relay [SUBCOMMAND", "The relay.", "  remind", "  dlq       list | redrive", "PORT DATA_DIR"} {
		if !ok || !strings.Contains(text, want) {
			t.Errorf("overview lacks %q:\n%s", want, text)
		}
	}
	if text, ok := tab.Help([]string{"remind", "-h"}); !ok || !strings.Contains(text, "usage: relay remind\n") || !strings.Contains(text, "LONG_TIMER_HOURS, and LOG_LEVEL") {
		t.Errorf("remind -h: %v\n%s", ok, text)
	}
	if _, ok := tab.Help([]string{"remind"}); ok {
		t.Error("help without asking")
	}
	c, err := tab.Find([]string{"remind"})
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Run(context.Background(), c, "parts", nil); err != nil || len(ran) != 1 || ran[0] != "parts" {
		t.Errorf("run: %v, ran %v", err, ran)
	}
	if err := tab.Run(context.Background(), c, "parts", []string{"now"}); err == nil || !strings.Contains(err.Error(), "(usage: relay remind; relay remind -h says more)") {
		t.Errorf("a refusal: %v", err)
	}
	d, _ := tab.Find([]string{"dlq"})
	if err := tab.Run(context.Background(), d, "", nil); err == nil || err.Error() != "store is closed" {
		t.Errorf("another error: %v", err)
	}
	if _, err := tab.Find([]string{"frobnicate"}); err == nil || !strings.Contains(err.Error(), "relay -h lists them") {
		t.Errorf("unknown: %v", err)
	}
}

// TestFlagsRefuseAsArgsErrors: an unknown flag and a stray argument are
// refusals of the arguments, which get the table's usage.
func TestFlagsRefuseAsArgsErrors(t *testing.T) {
	for _, args := range [][]string{{"-bogus"}, {"-date", "x", "now"}} {
		fs := Flags("digest")
		fs.String("date", "", "")
		var bad ArgsError
		if err := Parse(fs, args); !errors.As(err, &bad) || !strings.HasPrefix(err.Error(), "digest: ") {
			t.Errorf("%v: %v", args, err)
		}
	}
	fs := Flags("digest")
	date := fs.String("date", "", "")
	if err := Parse(fs, []string{"-date", "2026-12-06"}); err != nil || *date != "2026-12-06" {
		t.Errorf("good flags: %v, %q", err, *date)
	}
}
