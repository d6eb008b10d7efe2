package engine

import (
	"fmt"
	"runtime/debug"
)

// PanicError is a panic recovered in one of the engine's goroutines, which
// gqlgen's own recovery does not reach: it becomes an INTERNAL error of the
// root field instead of crashing the process.
type PanicError struct {
	Value any
	Stack []byte
}

func (p *PanicError) Error() string { return fmt.Sprintf("engine: panic: %v", p.Value) }

// protect runs f and turns a panic into a *PanicError.
func protect(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return f()
}
