package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// deployGuide is the document whose commands the rehearsal runs, and
// guides the sections of it and of the other guides that it runs.
const deployGuide = "docs/deploy.md"

var guides = []struct{ file, section string }{
	{deployGuide, "# Deploy to AWS"},
	{"docs/interactions.md", "# Set it up"},
}

// readmeCommands runs the shell blocks of the guides that talk to AWS
// directly (the SSM parameters), as a user would paste them, then checks
// that they created exactly the parameters the stack reads.
func (r *rehearsal) readmeCommands() error {
	var sections []string
	for _, g := range guides {
		raw, err := os.ReadFile(filepath.Join(r.root, g.file))
		if err != nil {
			return err
		}
		section := string(raw)
		start := strings.Index(section, g.section)
		if start < 0 {
			return fmt.Errorf(`%s has no %q section`, g.file, g.section)
		}
		section = section[start:]
		if end := strings.Index(section[2:], "\n# "); end >= 0 {
			section = section[:end+2]
		}
		sections = append(sections, section)
	}
	ran := 0
	var err error
	for _, block := range shellBlocks(strings.Join(sections, "\n")) {
		if !strings.Contains(block, "aws ") || strings.Contains(block, "sam ") || strings.Contains(block, "make ") {
			continue // sam and make are the rehearsal's own steps
		}
		cmd := command("bash", "-euo", "pipefail", "-c", block)
		cmd.Env = r.moto.env()
		if out, err := cmd.CombinedOutput(); err != nil {
			r.log.fail("deploy guide block failed:\n%s\n%s", indent(block), indent(string(out)))
			continue
		}
		ran++
		r.log.ok("deploy guide block ran:\n%s", indent(block))
	}
	if ran == 0 {
		return fmt.Errorf("%s has no aws commands to run", deployGuide)
	}
	if r.parameters, err = r.stackParameters(); err != nil {
		return err
	}
	// The rehearsal turns Discord's interactions on (they are off by
	// default), so that their route and their read of the table are
	// deployed and checked too.
	r.parameters["DiscordPublicKeyParameterName"] = "/clockify-discord-relay/discord-public-key"
	// Routes too, as the deploy guide stores them: the rules for both
	// functions, their webhooks for the delivery function alone.
	r.parameters["RoutesParameterName"] = "/clockify-discord-relay/routes"
	r.parameters["RouteWebhooksParameterName"] = "/clockify-discord-relay/route-webhooks"
	for _, p := range []string{"DiscordWebhookUrlParameterName", "ClockifySigningSecretsParameterName", "RouteWebhooksParameterName"} {
		name := r.parameters[p]
		var got struct{ Parameter struct{ Type, Value string } }
		if err := r.moto.aws(&got, "ssm", "get-parameter", "--name", name, "--with-decryption"); err != nil {
			r.log.fail("%s %s: the deploy guide does not create it: %v", p, name, err)
			continue
		}
		switch {
		case got.Parameter.Type != "SecureString":
			r.log.fail("%s %s is a %s, not a SecureString", p, name, got.Parameter.Type)
		case fetchedPage(p, got.Parameter.Value):
			r.log.fail("%s %s holds a fetched page, not the value (AWS CLI v1's cli_follow_urlparam)", p, name)
		default:
			r.log.ok("%s %s: a SecureString, as the deploy guide stores it", p, name)
		}
	}
	return nil
}

// fetchedPage reports whether a parameter holds a page that AWS CLI v1
// fetched from its URL, not the value given: HTML, or Discord's JSON
// where a URL, or routes' webhooks by name, were meant.
func fetchedPage(param, value string) bool {
	value = strings.TrimSpace(value)
	if param == "RouteWebhooksParameterName" {
		var byName map[string]string
		return json.Unmarshal([]byte(value), &byName) != nil
	}
	return strings.HasPrefix(value, "{") || strings.HasPrefix(value, "<!")
}

// shellBlocks are the ```sh blocks of markdown text.
func shellBlocks(md string) []string {
	var blocks []string
	var cur []string
	in := false
	sc := bufio.NewScanner(strings.NewReader(md))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case !in && line == "```sh":
			in, cur = true, nil
		case in && line == "```":
			in = false
			blocks = append(blocks, strings.Join(cur, "\n"))
		case in:
			cur = append(cur, line)
		}
	}
	return blocks
}

// stackParameters are the template's defaults with samconfig.toml's
// parameter_overrides over them, as sam deploy passes them.
func (r *rehearsal) stackParameters() (map[string]string, error) {
	params := map[string]string{}
	declared, _ := r.template["Parameters"].(map[string]any)
	for name, p := range declared {
		p, _ := p.(map[string]any)
		if d, ok := p["Default"]; ok {
			params[name] = fmt.Sprint(d)
		}
	}
	raw, err := os.ReadFile(filepath.Join(r.root, "samconfig.toml"))
	if err != nil {
		return nil, err
	}
	line := regexp.MustCompile(`(?m)^\s*parameter_overrides\s*=\s*(".*")\s*$`).FindSubmatch(raw)
	if line != nil {
		overrides, err := strconv.Unquote(string(line[1]))
		if err != nil {
			return nil, fmt.Errorf("samconfig.toml parameter_overrides: %w", err)
		}
		for _, kv := range strings.Fields(overrides) {
			k, v, _ := strings.Cut(kv, "=")
			params[k] = strings.Trim(v, `"`)
		}
	}
	if s := regexp.MustCompile(`(?m)^\s*stack_name\s*=\s*"([^"]+)"`).FindSubmatch(raw); s != nil {
		r.stack = string(s[1])
	}
	if r.stack == "" {
		return nil, fmt.Errorf("samconfig.toml names no stack")
	}
	return params, nil
}

func indent(s string) string {
	return "        " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n        ")
}
