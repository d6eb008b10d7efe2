package live

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// manyUsers is n users, each with two friends and a role; bad, when not
// nil, may spoil user i.
func manyUsers(n int, bad func(i int, u Record)) []Record {
	users := make([]Record, n)
	for i := range users {
		u := user(i+1, fmt.Sprintf("User \"%d\"", i+1))
		u["role"] = "MEMBER"
		u["score"] = float64(i) / 4
		u["friends"] = []Record{user(i+2, "F1"), user(i+3, "F2")}
		if bad != nil {
			bad(i, u)
		}
		users[i] = u
	}
	return users
}

// sequentialAndParallel runs query on a schema whose root answers users,
// first with every list written in sequence, then with lists of 4 items or
// more written in 3 parts, and returns both results.
func sequentialAndParallel(t *testing.T, users any, query string) (seq, par result) {
	t.Helper()
	es := testSchema(t, roots(map[string]any{"users": users}))
	es.parallelList = 1 << 30
	seq = run(t, es, query, nil)
	es.parallelList, es.listParts = 4, 3
	par = run(t, es, query, nil)
	return seq, par
}

// A list written in parts is the bytes of the list written in sequence,
// with the same errors in the same order, null propagation included: the
// parts stop at the first error and the list is written again in
// sequence.
func TestParallelListIsTheSequentialList(t *testing.T) {
	const query = `{ users { id name role score friends { name } __typename } }`
	for _, tc := range []struct {
		name string
		bad  func(i int, u Record)
		errs int
	}{
		{"valid", nil, 0},
		// A nullable field in error, in two parts: two errors, in order.
		{"errors in two parts", func(i int, u Record) {
			if i == 10 || i == 2900 {
				u["role"] = "OWNER"
			}
		}, 2},
		// A null name (String!) nulls the user, which nulls the list
		// ([User!]!), which nulls data.
		{"null bubbling", func(i int, u Record) {
			if i == 1700 {
				u["name"] = nil
			}
		}, 1},
		// A value of the wrong type inside an item's own list.
		{"nested error", func(i int, u Record) {
			if i == 2999 {
				u["friends"] = "not a list"
			}
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seq, par := sequentialAndParallel(t, manyUsers(3000, tc.bad), query)
			if par.data != seq.data || par.errors != seq.errors || par.fields != seq.fields {
				t.Fatalf("parallel differs from sequential:\n data %.200s\n vs  %.200s\n errors %q\n vs     %q\n fields %d vs %d",
					par.data, seq.data, par.errors, seq.errors, par.fields, seq.fields)
			}
			if got := len(splitLines(seq.errors)); got != tc.errs {
				t.Fatalf("%d errors, want %d: %s", got, tc.errs, seq.errors)
			}
			if tc.errs == 0 && len(seq.data) < 3000*50 {
				t.Fatalf("data too short: %.200s", seq.data)
			}
		})
	}
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// waitingUser is a Keyed user whose name is only given once another user
// (in another part of the list) has been read: written in sequence, the
// list would never finish.
type waitingUser struct {
	id      int
	waitFor chan struct{} // closed by the other user; nil: none
	signal  chan struct{} // closed when read; nil: none
}

func (u *waitingUser) ValueByKey(key string) (any, bool) {
	switch key {
	case "id":
		return u.id, true
	case "name":
		if u.signal != nil {
			close(u.signal)
			u.signal = nil
		}
		if u.waitFor != nil {
			select {
			case <-u.waitFor:
			case <-time.After(10 * time.Second):
				return nil, true // a null name: an error the test reports
			}
		}
		return fmt.Sprint("U", u.id), true
	}
	return nil, false
}

// The parts of a long list are written concurrently: the first user's name
// waits for a user of the second part to be read.
func TestParallelListParts(t *testing.T) {
	ch := make(chan struct{})
	users := make([]any, 2000)
	for i := range users {
		users[i] = &waitingUser{id: i + 1}
	}
	users[0].(*waitingUser).waitFor = ch
	users[1500].(*waitingUser).signal = ch
	es := testSchema(t, roots(map[string]any{"users": users}))
	es.parallelList, es.listParts = 4, 2
	got := run(t, es, `{ users { id name } }`, nil)
	if got.errors != "" {
		t.Fatalf("the parts did not run concurrently: %s", got.errors)
	}
	if want := `{"users":[{"id":"1","name":"U1"},{"id":"2","name":"U2"},`; got.data[:len(want)] != want {
		t.Fatalf("data %.100s", got.data)
	}
}

// countingUser is an Object user: its fields are computed, so a list of
// them is written in sequence, each field computed once.
type countingUser struct {
	id    int
	calls *atomic.Int64
}

func (u *countingUser) FieldValue(_ context.Context, info FieldInfo) (any, error) {
	u.calls.Add(1)
	switch info.Field.Name {
	case "id":
		return u.id, nil
	case "name":
		return fmt.Sprint("U", u.id), nil
	}
	return nil, nil
}

func TestParallelListCallsNoResolver(t *testing.T) {
	var calls atomic.Int64
	users := make([]any, 3000)
	for i := range users {
		users[i] = &countingUser{id: i + 1, calls: &calls}
	}
	seq, par := sequentialAndParallel(t, users, `{ users { id name } }`)
	if par.data != seq.data || par.errors != "" {
		t.Fatalf("parallel differs: %.200s vs %.200s (%s)", par.data, seq.data, par.errors)
	}
	// Two fields of 3,000 users, twice (sequential, then parallel): each
	// computed once per run.
	if got := calls.Load(); got != 2*2*3000 {
		t.Fatalf("%d field calls, want %d", got, 2*2*3000)
	}
}
