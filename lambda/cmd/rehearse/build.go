package main

import (
	"archive/zip"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"gopkg.in/yaml.v3"
)

// loadTemplate reads template.yaml's functions.
func (r *rehearsal) loadTemplate() error {
	raw, err := os.ReadFile(filepath.Join(r.root, "template.yaml"))
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(raw, &r.template); err != nil {
		return fmt.Errorf("template.yaml: %w", err)
	}
	resources, _ := r.template["Resources"].(map[string]any)
	for name, res := range resources {
		res, _ := res.(map[string]any)
		meta, _ := res["Metadata"].(map[string]any)
		if res["Type"] == "AWS::Serverless::Function" && meta["BuildMethod"] == "makefile" {
			r.functions = append(r.functions, name)
		}
	}
	sort.Strings(r.functions)
	if len(r.functions) == 0 {
		return fmt.Errorf("template.yaml has no function built with the Makefile")
	}
	return nil
}

// build runs make build-<Function> with ARTIFACTS_DIR, as sam build does,
// checks each artifact, and zips it as sam package would.
func (r *rehearsal) build() error {
	for _, fn := range r.functions {
		dir := filepath.Join(r.work, fn)
		cmd := command("make", "--no-print-directory", "build-"+fn, "ARTIFACTS_DIR="+dir)
		cmd.Dir = r.root
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("make build-%s: %v\n%s", fn, err, out)
		}
		bootstrap := filepath.Join(dir, "bootstrap")
		if problem := checkBootstrap(bootstrap); problem != "" {
			r.log.fail("%s: %s", fn, problem)
		} else {
			r.log.ok("%s: bootstrap is a static linux/arm64 executable", fn)
		}
		if err := zipFile(bootstrap, filepath.Join(r.work, fn+".zip")); err != nil {
			return err
		}
	}
	return nil
}

// checkBootstrap says what is wrong with an artifact for provided.al2023 on
// arm64, or "".
func checkBootstrap(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "no bootstrap in the artifacts"
	}
	if fi.Mode()&0o111 == 0 {
		return "bootstrap is not executable"
	}
	f, err := elf.Open(path)
	if err != nil {
		return "bootstrap is not an ELF file"
	}
	defer f.Close()
	switch {
	case f.Machine != elf.EM_AARCH64:
		return fmt.Sprintf("bootstrap is built for %s, not arm64 (template.yaml's Architectures)", f.Machine)
	case f.OSABI != elf.ELFOSABI_NONE && f.OSABI != elf.ELFOSABI_LINUX:
		return fmt.Sprintf("bootstrap is for %s, not Linux", f.OSABI)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return "bootstrap is linked dynamically (CGO_ENABLED=0 is missing)"
		}
	}
	return ""
}

func zipFile(path, to string) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	h := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, in); err != nil {
		return err
	}
	return zw.Close()
}
