package sdl

import (
	"fmt"
	"os"
	"testing"
)

func TestDbg(t *testing.T) {
	raw, _ := os.ReadFile("testdata/rich.introspection.json")
	got, _ := FromIntrospection(raw)
	a := Print(got)
	b := Print(loadFile(t, "testdata/rich.graphqls"))
	fmt.Printf("%q\n%q\n", a[:300], b[:300])
	fmt.Printf("%q\n%q\n", a[len(a)-80:], b[len(b)-80:])
}
