package deployment_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRelativeLinksResolve: every relative link in README.md and docs/
// names a file of the checkout, and a heading of it where it names one
// (GitHub's anchors: lower case, punctuation dropped, spaces as hyphens).
func TestRelativeLinksResolve(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	pages = append(pages, filepath.Join(repoRoot, "README.md"))
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	checked := 0
	for _, page := range pages {
		src, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(src), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(target, "#")
			path := page
			if file != "" {
				path = filepath.Join(filepath.Dir(page), file)
			}
			rel, _ := filepath.Rel(repoRoot, page)
			checked++
			body, err := os.ReadFile(path)
			if err != nil {
				if info, serr := os.Stat(path); serr == nil && info.IsDir() {
					continue
				}
				t.Errorf("%s links to %s: no such file", rel, target)
				continue
			}
			if anchor != "" && strings.HasSuffix(path, ".md") && !hasAnchor(string(body), anchor) {
				t.Errorf("%s links to %s: no such heading", rel, target)
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d relative links checked", checked)
	}
}

// hasAnchor reports whether a Markdown page has a heading whose GitHub
// anchor is anchor.
func hasAnchor(page, anchor string) bool {
	drop := regexp.MustCompile(`[^\p{L}\p{N}\- _]`)
	for _, line := range strings.Split(page, "\n") {
		heading, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " ")
		if !strings.HasPrefix(line, "#") || !ok {
			continue
		}
		a := strings.ToLower(drop.ReplaceAllString(strings.TrimSpace(heading), ""))
		if strings.ReplaceAll(a, " ", "-") == anchor {
			return true
		}
	}
	return false
}

func TestHasAnchor(t *testing.T) {
	page := "# The board\n\n## Webhooks apart from the rules\n\ntext\n### Upgrading: memory kept by route\n"
	for anchor, want := range map[string]bool{"the-board": true, "webhooks-apart-from-the-rules": true, "upgrading-memory-kept-by-route": true, "webhooks": false, "text": false} {
		if got := hasAnchor(page, anchor); got != want {
			t.Errorf("hasAnchor(%q) = %v", anchor, got)
		}
	}
}
