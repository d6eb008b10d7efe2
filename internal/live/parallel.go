package live

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/vektah/gqlparser/v2/ast"
)

// parallelListItems is the length from which a list is written in parts,
// one per core (up to maxListParts) and of half that length at least, each
// part by a goroutine of its own (ExecutableSchema.parallelList, which
// tests lower).
const (
	parallelListItems = 256
	maxListParts      = 8
)

// completeListParallel writes the list v of n items in parts written
// concurrently, then joined in order, and returns true: the bytes of the
// sequential loop of completeListValue, in less time when the items are
// many (the records of a large root list). The parts run speculatively:
// they report no error and call no resolver (Object), and the first error,
// resolver or item null in a non-null position any of them meets abandons
// the whole attempt (false, nothing written), so that the list is written
// again in sequence, every error reported in its order. A list written
// here is therefore valid. The values the parts read (maps, Keyed engine
// objects) are not changed by reading them.
func (e *execution) completeListParallel(t *ast.Type, f *Field, v any, n int) bool {
	parts := e.s.listParts
	if parts == 0 {
		parts = runtime.GOMAXPROCS(0)
	}
	parts = min(parts, n/max(1, e.s.parallelList/2), maxListParts)
	if parts < 2 {
		return false
	}
	forks := make([]*execution, parts)
	// Each part's buffer starts at its share of the plan's last response
	// (most of which, when a list is this long, is the list).
	partHint := int(min(e.plan.sizeHint.Load(), maxSizeHint)) / parts
	var wg sync.WaitGroup
	// Set by the first part that fails: the others stop at their next
	// item, since the whole list is written again in sequence anyway.
	var abandoned atomic.Bool
	for p := range forks {
		fork := &execution{s: e.s, ctx: e.ctx, oc: e.oc, plan: e.plan, speculative: true}
		fork.path = append(make([]pathSegment, 0, len(e.path)+8), e.path...)
		fork.buf.Grow(partHint)
		forks[p] = fork
		from, to := p*n/parts, (p+1)*n/parts
		write := func() {
			defer func() {
				if r := recover(); r != nil {
					fork.failed = true // written again in sequence, where it is reported
				}
				if fork.failed {
					abandoned.Store(true)
				}
			}()
			for i := from; i < to && !fork.failed && !abandoned.Load(); i++ {
				if i > from {
					fork.buf.WriteByte(',')
				}
				fork.path = append(fork.path, pathSegment{index: i})
				if !fork.completeValue(t.Elem, f, listAt(v, i)) {
					// A null item in a non-null position: the sequential
					// loop reports and propagates it.
					fork.failed = true
				}
				fork.path = fork.path[:len(fork.path)-1]
			}
		}
		if p == parts-1 {
			write() // the last part on this goroutine
			continue
		}
		wg.Go(write)
	}
	wg.Wait()
	size := 2
	for _, fork := range forks {
		if fork.failed {
			return false
		}
		size += fork.buf.Len() + 1
	}
	e.buf.Grow(size)
	e.buf.WriteByte('[')
	for p, fork := range forks {
		if p > 0 {
			e.buf.WriteByte(',')
		}
		e.buf.Write(fork.buf.Bytes())
		e.fields += fork.fields
	}
	e.buf.WriteByte(']')
	return true
}
