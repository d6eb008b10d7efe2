package live

import (
	"context"
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
)

// FieldInfo is what a Resolver or an Object is told about the field whose
// value it is asked for.
type FieldInfo struct {
	// Operation is the operation being executed.
	Operation *ast.OperationDefinition
	// Parent is the object type the field is read on.
	Parent *ast.Definition
	// Field is the planned field: name, response key, AST, definition and
	// the sub-plans of its selection set.
	Field *Field
	// Variables are the operation's coerced variables.
	Variables map[string]any
	// Arguments are the field's arguments coerced as gqlgen's generated
	// code coerces them (CoerceArguments); nil for a field without any.
	Arguments map[string]any
	// Roots are, for a root field, every root field of the operation with
	// its coerced arguments (or the error coercing them), in order: a
	// Resolver may answer them all on the first call.
	Roots []RootField
}

// RootField is one root field of an operation and its coerced arguments.
type RootField struct {
	Field     *Field
	Arguments map[string]any
	// Err is the error coercing the arguments: the field is null, the
	// Resolver is not asked for it.
	Err error
}

// Args returns the field's arguments, variables and defaults applied (as
// gqlparser's ArgumentMap: Int literals are int64).
func (i FieldInfo) Args() map[string]any {
	return i.Field.AST.ArgumentMap(i.Variables)
}

// Resolver answers the root fields (of Query and Mutation) other than the
// introspection ones. It returns the field's value as already fetched data:
// nil, a scalar or enum value, a Record, an Object, or a list of them
// ([]any, []Record, []map[string]any, List). A value may also be an error,
// anywhere in the tree: it is a field error at that position.
type Resolver interface {
	ResolveRoot(ctx context.Context, info FieldInfo) (any, error)
}

// ResolverFunc adapts a function to Resolver.
type ResolverFunc func(ctx context.Context, info FieldInfo) (any, error)

// ResolveRoot calls f.
func (f ResolverFunc) ResolveRoot(ctx context.Context, info FieldInfo) (any, error) {
	return f(ctx, info)
}

// Record is an object value as fetched: field name (not response key) to
// value. Relations are nested Records or lists of them. For a value of an
// abstract type (interface, union) the key "__typename" names its object type.
type Record = map[string]any

// Object is an object value that computes its fields.
type Object interface {
	FieldValue(ctx context.Context, info FieldInfo) (any, error)
}

// Keyed is an object value whose fields are stored by response key, so
// that one field under several aliases (with different arguments) has a
// value per alias. A key without a value (false) is null, or an empty list
// for a field of a list type (a relation without records), as gqlgen's
// generated code answers a list its resolver has no value for.
type Keyed interface {
	ValueByKey(responseKey string) (any, bool)
}

// Typed is implemented by Object values of abstract types: it names the
// value's object type.
type Typed interface {
	TypeName() string
}

// List is a list value that is not a Go slice of a supported type.
type List interface {
	Len() int
	At(i int) any
}

// ValueError is the error of a value that is not of the type the schema says
// (a string for an Int, a map for a scalar, an unknown enum value).
type ValueError struct {
	Type  string // the GraphQL type
	Value any
	// Reason is set when the value has the right Go type but is not valid.
	Reason string
}

func (e *ValueError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("%s cannot represent value %v: %s", e.Type, e.Value, e.Reason)
	}
	return fmt.Sprintf("%s cannot represent a value of Go type %T", e.Type, e.Value)
}

// AbstractTypeError is the error of a value of an interface or union type
// whose object type is unknown or not one of the possible types.
type AbstractTypeError struct {
	Abstract string
	TypeName string
	Field    string
}

func (e *AbstractTypeError) Error() string {
	if e.TypeName == "" {
		return fmt.Sprintf("abstract type %s must resolve to an object type at runtime for field %s", e.Abstract, e.Field)
	}
	return fmt.Sprintf("runtime object type %q is not a possible type for %q", e.TypeName, e.Abstract)
}

// ConfigError is an error in the Config given to New.
type ConfigError struct {
	Reason string
}

func (e *ConfigError) Error() string { return "live: " + e.Reason }

// nonNullMessage is gqlgen's message for a nil value in a non-null position
// (generated marshalN… functions).
const nonNullMessage = "the requested element is null which the schema does not allow"

// introspectionDisabledMessage is gqlgen's (ExecutionContextState.IntrospectSchema).
const introspectionDisabledMessage = "introspection disabled"
