package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestLimitsFragmentBombLinear counts the selections the limits walk visits
// on fragment bombs: linear in the number of fragments, whatever they expand
// to, and the expanded depth and complexity still reach the limits.
func TestLimitsFragmentBombLinear(t *testing.T) {
	for _, deep := range []bool{true, false} {
		t.Run(fmt.Sprintf("deep=%v", deep), func(t *testing.T) {
			var prev int
			for _, k := range []int{10, 20, 40, 80} {
				oc := limitsOperation(t, fragmentBomb(k, deep))
				w := newWalker(oc, testLimits, maxWalkVisits)
				s := w.summarize(oc.Operation.SelectionSet, true)
				if w.exhausted {
					t.Fatalf("k=%d: budget exhausted after %d visits", k, w.visits)
				}
				// The root has 2 selections, F0 2, every other fragment 3 (deep)
				// or 2 (flat): each fragment is summarized once, below the root.
				want := 2 + 2 + 2*k
				if deep {
					want = 2 + 2 + 3*k
				}
				if w.visits != want {
					t.Errorf("k=%d: %d selections visited, want %d", k, w.visits, want)
				}
				if deep && s.height != k+2 {
					t.Errorf("k=%d: depth %d, want %d", k, s.height, k+2)
				}
				if !deep && k < 60 && s.cost != 1+(1<<(k+1)) {
					t.Errorf("k=%d: complexity %d, want %d", k, s.cost, 1+(1<<(k+1)))
				}
				if !deep && k >= 62 && s.cost != 1<<62 {
					t.Errorf("k=%d: complexity %d, want it saturated", k, s.cost)
				}
				if prev > 0 && w.visits > 2*prev+2 {
					t.Errorf("k=%d: %d visits, more than twice the %d of k/2", k, w.visits, prev)
				}
				prev = w.visits
				err := testLimits.MutateOperationContext(context.Background(), oc)
				setting := "ODOOGQL_MAX_COMPLEXITY"
				if deep {
					setting = "ODOOGQL_MAX_DEPTH"
				}
				if k >= 20 && (err == nil || !strings.Contains(err.Message, setting)) {
					t.Errorf("k=%d: error %v, want one naming %s", k, err, setting)
				}
			}
		})
	}
}

// TestLimitsVisitBudget: a walk over its budget stops and says so.
func TestLimitsVisitBudget(t *testing.T) {
	oc := limitsOperation(t, fragmentBomb(30, false))
	w := newWalker(oc, testLimits, 10)
	w.summarize(oc.Operation.SelectionSet, true)
	if !w.exhausted || w.visits > 11 {
		t.Fatalf("exhausted=%v after %d visits, want a stop at 11", w.exhausted, w.visits)
	}
}

// TestLimitsCountEveryAlias: aliases of __typename and of introspection
// fields count like any other, and so do root __typename fields.
func TestLimitsCountEveryAlias(t *testing.T) {
	var b strings.Builder
	b.WriteString("{ resPartner(id: \"1\") { ")
	for i := range 60 {
		fmt.Fprintf(&b, "a%d: __typename ", i)
	}
	b.WriteString("} }")
	err := testLimits.MutateOperationContext(context.Background(), limitsOperation(t, b.String()))
	if err == nil || err.Message != "aliases 60 exceeds the limit of 50 (ODOOGQL_MAX_ALIASES)" {
		t.Errorf("60 __typename aliases: %v", err)
	}
	err = testLimits.MutateOperationContext(context.Background(), limitsOperation(t, "{ "+strings.Repeat("__typename ", 21)+"}"))
	if err == nil || err.Message != "root fields 21 exceeds the limit of 20 (ODOOGQL_MAX_ROOT_FIELDS)" {
		t.Errorf("21 root __typename: %v", err)
	}
	err = testLimits.MutateOperationContext(context.Background(), limitsOperation(t, "{ s: __schema { types { a: name b: name } } }"))
	if err != nil {
		t.Errorf("3 aliases in introspection: %v", err)
	}
}
