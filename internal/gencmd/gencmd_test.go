package gencmd

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedFilesAreFresh regenerates the schema, gqlgen.yml and the
// resolvers from the committed generate.yml and metadata.json into memory
// and compares them with the committed files, so a snapshot or generator
// change without "go generate ./..." fails here. (CI also runs go generate
// and fails on any diff, which covers gqlgen's own output.)
func TestCommittedFilesAreFresh(t *testing.T) {
	root := filepath.Join("..", "..")
	files, _, err := Render(filepath.Join(root, "generate.yml"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	if err := WriteFiles(tmp, files); err != nil {
		t.Fatal(err)
	}
	for name := range files {
		got, err := os.ReadFile(filepath.Join(tmp, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./...", name)
		}
	}
}
