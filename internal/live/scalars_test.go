package live

import (
	"bytes"
	"math"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// TestBuiltinScalarsWriteGqlgensBytes checks that the executor's own
// writing of String, ID, Int and Boolean values gives the bytes of gqlgen's
// marshalers.
func TestBuiltinScalarsWriteGqlgensBytes(t *testing.T) {
	gqlgen := func(m graphql.Marshaler) string {
		var b bytes.Buffer
		m.MarshalGQL(&b)
		return b.String()
	}
	own := func(sc builtinScalar, v any) string {
		var b bytes.Buffer
		if !writeBuiltin(&b, sc, v) {
			t.Fatalf("writeBuiltin(%v, %#v) did not write", sc, v)
		}
		return b.String()
	}
	strs := []string{"", "plain", `quote " and \ backslash`, "tab\tcr\rlf\n", "\x00\x01\x1f\x7f", "é ü 日本 🙂",
		"\u2028\u2029 <&>", "invalid \xff\xfe utf-8 \xc3", "end\\", "\"", "ctrl \x1b[0m", "a\u0000b"}
	for _, s := range strs {
		if got, want := own(builtinString, s), gqlgen(graphql.MarshalString(s)); got != want {
			t.Errorf("String %q: wrote %q, gqlgen %q", s, got, want)
		}
		if got, want := own(builtinString, s), gqlgen(graphql.MarshalID(s)); got != want {
			t.Errorf("ID %q: wrote %q, gqlgen %q", s, got, want)
		}
	}
	for _, i := range []int{0, 1, -1, 42, 255, 256, -1 << 40, math.MaxInt64, math.MinInt64} {
		if got, want := own(builtinInt, i), gqlgen(graphql.MarshalInt(i)); got != want {
			t.Errorf("Int %d: wrote %q, gqlgen %q", i, got, want)
		}
	}
	for _, b := range []bool{true, false} {
		if got, want := own(builtinBoolean, b), gqlgen(graphql.MarshalBoolean(b)); got != want {
			t.Errorf("Boolean %v: wrote %q, gqlgen %q", b, got, want)
		}
	}
	// Other Go types are left to the marshalers.
	var b bytes.Buffer
	for _, c := range []struct {
		sc builtinScalar
		v  any
	}{{builtinString, 3}, {builtinInt, int64(3)}, {builtinInt, "3"}, {builtinBoolean, "true"}, {notBuiltin, "x"}} {
		if writeBuiltin(&b, c.sc, c.v) || b.Len() > 0 {
			t.Errorf("writeBuiltin(%v, %#v) wrote %q", c.sc, c.v, b.String())
		}
	}
}
