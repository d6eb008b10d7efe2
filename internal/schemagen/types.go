package schemagen

// kind says how a field is exposed.
type kind int

const (
	kindScalar   kind = iota // a GraphQL scalar or a per-field enum
	kindMany2One             // the related type, null when empty
	kindX2Many               // a list of the related type, with where/orderBy/limit/offset
)

// TypeMapping is how one Odoo field type is exposed in GraphQL.
type TypeMapping struct {
	kind kind
	// Output is the GraphQL output type (without !); empty for relations
	// and selections, whose type depends on the field.
	Output string
	// NonNull marks types that are never null: Odoo booleans are false,
	// not empty.
	NonNull bool
	// Filter is the input type used in where, empty when the type cannot
	// be filtered.
	Filter string
	// Input is the GraphQL input type in create/update inputs.
	Input string
}

// FieldTypes is the one table that maps Odoo field types to GraphQL. A type
// not listed here is reported by Generate and the field is left out: it is
// never turned into a catch-all scalar silently.
var FieldTypes = map[string]TypeMapping{
	"char":                  {Output: "String", Filter: "StringFilter", Input: "String"},
	"text":                  {Output: "String", Filter: "StringFilter", Input: "String"},
	"html":                  {Output: "String", Filter: "StringFilter", Input: "String"},
	"integer":               {Output: "Int", Filter: "IntFilter", Input: "Int"},
	"float":                 {Output: "Float", Filter: "FloatFilter", Input: "Float"},
	"monetary":              {Output: "Float", Filter: "FloatFilter", Input: "Float"},
	"boolean":               {Output: "Boolean", NonNull: true, Filter: "BooleanFilter", Input: "Boolean"},
	"date":                  {Output: "Date", Filter: "DateFilter", Input: "Date"},
	"datetime":              {Output: "DateTime", Filter: "DateTimeFilter", Input: "DateTime"},
	"selection":             {},                                  // an enum per field, or String when a value is not a GraphQL name
	"binary":                {Output: "String", Input: "String"}, // base64
	"many2one":              {kind: kindMany2One, Input: "ID"},
	"one2many":              {kind: kindX2Many, Input: "X2ManyInput"},
	"many2many":             {kind: kindX2Many, Input: "X2ManyInput"},
	"reference":             {Output: "JSON", Input: "JSON"}, // "model,id"
	"many2one_reference":    {Output: "JSON", Input: "JSON"}, // an id; the model is in another field
	"json":                  {Output: "JSON", Input: "JSON"},
	"properties":            {Output: "JSON", Input: "JSON"},
	"properties_definition": {Output: "JSON", Input: "JSON"},
}
