package schemagen

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/internal/secrets"
	"github.com/odoogql/odoogql/odoo"
)

// Output file names, relative to the module root.
const (
	SchemaFile    = "schema.graphqls"
	GqlgenFile    = "gqlgen.yml"
	ResolversFile = "graph/resolvers_gen.go"
	ModulePath    = "github.com/odoogql/odoogql"
)

// Result is what Generate produces: file contents keyed by path relative to
// the module root, and warnings about what was left out and why.
type Result struct {
	Files    map[string][]byte
	Warnings []string
	// Models are the exposed models, sorted by technical name: what a
	// gateway serving the schema at run time needs to map root fields and
	// types back to Odoo without re-deriving the names.
	Models []ExposedModel
	// Refs are the models the schema does not expose but relations point
	// at: each has a type of its own with its id, node id and display name
	// (so that records of two such models never share a client cache key).
	Refs []RefModel
}

// RefModel is the type of a model the schema does not expose.
type RefModel struct {
	Model string // technical name: account.payment.term
	Type  string // GraphQL type: AccountPaymentTerm
}

// ExposedModel is one model of a generated schema.
type ExposedModel struct {
	Model string // technical name: res.partner
	Name  string // Odoo's description: Contact
	Names        // GraphQL names: ResPartner, resPartner, resPartners, ...
	// Fields are the Odoo fields the type exposes, id first, then sorted.
	Fields []string
	// Actions are the model's callable methods (Config.Methods).
	Actions []Action
}

// field is one exposed field of a model, resolved against the type table.
type field struct {
	odoo.Field
	mapping  TypeMapping
	output   string // GraphQL output type, without the outer !
	filter   string // where input type, "" if not filterable
	input    string // create/update input type, "" if not writable
	target   *model // related model for relations, nil when outside
	enum     string // enum type name for selections exposed as enums
	enumVals []odoo.Selection
}

type model struct {
	odoo.Model
	Names
	fields []*field
	// x2mInput is set when an x2many field of some model takes this
	// model's own x2many input (TypeX2ManyInput, TypeX2ManyUpdate): create,
	// update and delete of its records inside the parent's write.
	x2mInput bool
	// actions are the Config.Methods of the model (addActions).
	actions []Action
}

// Generate turns a metadata snapshot into the GraphQL schema, the gqlgen
// configuration and the resolver code. It is a pure function: the same input
// gives the same bytes, whatever the order of meta.Models.
//
// It succeeds for any metadata Odoo can produce: what cannot be exposed is
// left out with one warning each (a selected model with no fields or no id
// field, a field of a type not in FieldTypes or with a name GraphQL refuses),
// and names are made collision-free (ModelNames). What the configuration
// leaves out (Config.SelectsModel, exclude_fields, binaries, the deny-list)
// is no warning.
func Generate(meta *odoo.Metadata, cfg Config) (*Result, error) {
	res := &Result{Files: map[string][]byte{}}
	warn := func(format string, a ...any) { res.Warnings = append(res.Warnings, fmt.Sprintf(format, a...)) }

	var selected []string
	byName := map[string]odoo.Model{}
	for _, m := range meta.Models {
		if !cfg.SelectsModel(m.Model, m.Transient) {
			continue
		}
		if _, denied := secrets.Model(m.Model); denied {
			// Credentials are never exposed, whatever the configuration
			// says (internal/secrets). Not a warning: nothing to fix.
			continue
		}
		if _, dup := byName[m.Model]; dup {
			return nil, fmt.Errorf("schemagen: model %s appears twice in the metadata", m.Model)
		}
		byName[m.Model] = m
		selected = append(selected, m.Model)
	}
	sort.Strings(selected)

	// Models with no records to read are skipped: Odoo's abstract models
	// (mixins such as mail.thread, report renderers, EDI builders) have no
	// fields at all or no id field.
	var names []string
	for _, n := range selected {
		switch m := byName[n]; {
		case len(m.Fields) == 0:
			warn("%s: left out: the model has no fields (an abstract model)", n)
		case !hasID(m):
			warn("%s: left out: the model has no id field (an abstract model, without records)", n)
		default:
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("schemagen: no model selected (config models %v)", cfg.Models)
	}
	allNames := ModelNames(names)

	models := make([]*model, 0, len(names))
	index := map[string]*model{}
	types := newTypeNamer()
	for _, n := range names {
		m := &model{Model: byName[n], Names: allNames[n]}
		models = append(models, m)
		index[n] = m
		types.mark(m.Type)
		for _, s := range typeSuffixes {
			types.mark(m.Type + s)
		}
	}

	for _, m := range models {
		// Go names of the fields (gqlgen's struct fields and resolver
		// methods in compiled mode); id keeps its own.
		goFields := map[string]string{goName("id"): "id"}
		for _, fname := range m.FieldNames() {
			f := m.Fields[fname]
			if f.Name == "" {
				f.Name = fname
			}
			switch {
			case strings.HasPrefix(fname, "__"):
				warn("%s.%s: left out: names starting with __ are reserved in GraphQL", m.Model.Model, fname)
				continue
			case !validName(fname):
				warn("%s.%s: left out: not a valid GraphQL name", m.Model.Model, fname)
				continue
			case fname != "id" && cfg.fieldExcluded(m.Model.Model, fname):
				continue
			case fname == "nodeId":
				warn("%s.%s: left out: nodeId is the Node interface's field", m.Model.Model, fname)
				continue
			}
			if _, denied := secrets.Field(m.Model.Model, fname, f); denied {
				continue
			}
			mapping, known := FieldTypes[f.Type]
			if !known {
				warn("%s.%s: left out: unknown Odoo field type %q (add it to schemagen.FieldTypes)", m.Model.Model, fname, f.Type)
				continue
			}
			if f.Type == "binary" && !cfg.Binary {
				continue
			}
			if f.IsRelational() && f.Relation == "" {
				warn("%s.%s: left out: %s field without a relation", m.Model.Model, fname, f.Type)
				continue
			}
			if other, dup := goFields[goName(fname)]; dup && fname != "id" {
				warn("%s.%s: left out: its Go name %s is %s's too", m.Model.Model, fname, goName(fname), other)
				continue
			}
			goFields[goName(fname)] = fname
			fd := &field{Field: f, mapping: mapping, output: mapping.Output, filter: mapping.Filter, input: mapping.Input}
			switch {
			case fname == "id":
				fd.output, fd.filter, fd.input = "ID", "IDFilter", ""
			case mapping.kind != kindScalar:
				fd.target = index[f.Relation]
				if fd.target != nil {
					fd.output, fd.filter = fd.target.Type, fd.target.Type+"Where"
				} else {
					fd.output, fd.filter = "OdooRecord", "OdooRecordWhere"
				}
			case f.Type == "selection":
				fd.output, fd.filter, fd.input = "String", "StringFilter", "String"
				if enumable(f.Selection) {
					fd.enum = types.take(m.Type + pascal(modelWords(fname)))
					fd.enumVals = f.Selection
					fd.output, fd.input = fd.enum, fd.enum
					if f.Searchable {
						fd.filter = types.take(fd.enum + "Filter")
					}
				}
			}
			if !f.Searchable {
				fd.filter = ""
			}
			if fd.filter != "" && whereOperators[fname] {
				warn("%s.%s: not filterable: %s is one of where's own fields", m.Model.Model, fname, fname)
				fd.filter = ""
			}
			if f.Readonly || fname == "id" {
				fd.input = ""
			}
			m.fields = append(m.fields, fd)
		}
		sort.SliceStable(m.fields, func(i, j int) bool { return m.fields[i].Name == "id" && m.fields[j].Name != "id" })
	}

	// An x2many field to an exposed model with writable fields takes that
	// model's own x2many input, which also creates, updates and deletes its
	// records (Odoo commands 0, 1, 2) in the parent's create or write; to
	// any other model, the shared X2ManyInput (links only).
	for _, m := range models {
		for _, f := range m.fields {
			if f.mapping.kind == kindX2Many && f.input != "" && f.target != nil && hasWritable(f.target) {
				f.input = f.target.Type + "X2ManyInput"
				f.target.x2mInput = true
			}
		}
	}

	// The models relations point at that the schema does not expose get a
	// type each, named as they would be if exposed (the name a later
	// exposure keeps) unless an exposed type has it.
	refSet := map[string]bool{}
	for _, m := range models {
		for _, f := range m.fields {
			if f.mapping.kind != kindScalar && f.target == nil && f.Name != "id" {
				refSet[f.Relation] = true
			}
		}
	}
	refModels := make([]string, 0, len(refSet))
	for r := range refSet {
		refModels = append(refModels, r)
	}
	sort.Strings(refModels)
	refNames := ModelNames(refModels)
	refType := map[string]string{}
	for _, r := range refModels {
		refType[r] = types.take(refNames[r].Type)
		res.Refs = append(res.Refs, RefModel{Model: r, Type: refType[r]})
	}
	for _, m := range models {
		for _, f := range m.fields {
			if f.mapping.kind != kindScalar && f.target == nil && f.Name != "id" {
				f.output = refType[f.Relation]
			}
		}
	}

	if err := addActions(models, cfg, types); err != nil {
		return nil, err
	}

	for _, m := range models {
		e := ExposedModel{Model: m.Model.Model, Name: m.Model.Name, Names: m.Names, Actions: m.actions}
		for _, f := range m.fields {
			e.Fields = append(e.Fields, f.Name)
		}
		res.Models = append(res.Models, e)
	}

	schema := printSchema(models, res.Refs)
	if _, err := gqlparser.LoadSchema(&ast.Source{Name: SchemaFile, Input: schema}); err != nil {
		return nil, fmt.Errorf("schemagen: generated schema is invalid: %w", err)
	}
	res.Files[SchemaFile] = []byte(schema)
	res.Files[GqlgenFile] = []byte(printGqlgen(models))
	code, err := printResolvers(models, res.Refs)
	if err != nil {
		return nil, err
	}
	res.Files[ResolversFile] = code
	return res, nil
}

// whereOperators are the fields every Where input has; a model field of the
// same name cannot be filtered on.
var whereOperators = map[string]bool{"and": true, "or": true, "not": true}

// hasID reports whether a model has an id field: abstract models have none.
func hasID(m odoo.Model) bool {
	_, ok := m.Fields["id"]
	return ok
}

// enumable reports whether every selection value can be a GraphQL enum value
// (and a distinct Go constant).
func enumable(sel []odoo.Selection) bool {
	if len(sel) == 0 {
		return false
	}
	seen := map[string]bool{}
	for _, s := range sel {
		if !validName(s.Value) || s.Value == "true" || s.Value == "false" || s.Value == "null" {
			return false
		}
		g := strings.ToLower(goName(s.Value))
		if seen[g] {
			return false
		}
		seen[g] = true
	}
	return true
}

// description quotes text as a GraphQL block string, indented by ind.
func description(b *bytes.Buffer, ind, text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	text = strings.ReplaceAll(text, `"""`, `\"""`)
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if !strings.Contains(text, "\n") && !strings.HasSuffix(text, `"`) && !strings.HasSuffix(text, `\`) {
		fmt.Fprintf(b, "%s\"\"\"%s\"\"\"\n", ind, text)
		return
	}
	fmt.Fprintf(b, "%s\"\"\"\n", ind)
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			b.WriteString("\n")
			continue
		}
		fmt.Fprintf(b, "%s%s\n", ind, strings.TrimRight(line, " \t"))
	}
	fmt.Fprintf(b, "%s\"\"\"\n", ind)
}

func fieldDescription(m *model, f *field) string {
	label := f.String
	if label == "" {
		label = f.Name
	}
	var facts []string
	switch {
	case f.Name == "id":
		facts = append(facts, "Database id of the record.")
	case f.mapping.kind == kindMany2One:
		facts = append(facts, fmt.Sprintf("Odoo many2one to %s; null when empty.", f.Relation))
	case f.mapping.kind == kindX2Many:
		facts = append(facts, fmt.Sprintf("Odoo %s to %s.", f.Type, f.Relation))
	case f.Type == "selection" && f.enum == "":
		var vals []string
		for _, s := range f.Selection {
			vals = append(vals, fmt.Sprintf("%q (%s)", s.Value, s.Label))
		}
		facts = append(facts, "Odoo selection; allowed values: "+strings.Join(vals, ", ")+".")
	case f.Type == "binary":
		facts = append(facts, "Base64-encoded content.")
	case f.Type == "datetime":
		facts = append(facts, "Odoo datetime, UTC.")
	case f.Type == "reference":
		facts = append(facts, `Odoo reference: "model,id".`)
	default:
		facts = append(facts, fmt.Sprintf("Odoo %s.", f.Type))
	}
	if f.Required {
		facts = append(facts, "Required.")
	}
	if f.Readonly && f.Name != "id" {
		facts = append(facts, "Read-only.")
	}
	if f.Groups != "" {
		facts = append(facts, "Restricted to groups: "+f.Groups+".")
	}
	head := label + " — " + strings.Join(facts, " ")
	if f.Help != "" && f.Help != f.String {
		return head + "\n\n" + f.Help
	}
	return head
}

const header = "# Code generated by odoogql-gen from metadata.json and generate.yml; DO NOT EDIT.\n"

const sharedSDL = `"""A calendar date, YYYY-MM-DD (ISO 8601)."""
scalar Date

"""A date and time in UTC, ISO 8601 with a Z suffix: 2026-11-21T20:40:00Z. Odoo stores datetimes in UTC."""
scalar DateTime

"""
Any JSON value. Used for Odoo json and properties fields, reference fields ("model,id"),
many2one_reference fields (an id) and raw Odoo domains.
"""
scalar JSON

"""
Serve this query's Odoo reads from the gateway's record cache, for ttl seconds (0: no cache for
this query). Cached values are kept per database, Odoo user and Odoo context, so no user is
served what another user read; writes through the gateway invalidate them at once.
"""
directive @cached(ttl: Int!) on QUERY

"""
Run this operation in the Odoo context given here instead of the caller's defaults: the language
translated fields are read, filtered and sorted in, the time zone and the companies. Each argument
left out keeps the default (the language of the request's Accept-Language header, else the user's).
"""
directive @context(
  """
  A language installed in Odoo: its code (fr_FR), in BCP 47 form (fr-FR) or its ISO code (fr).
  A language that is not installed is an error naming the installed ones.
  """
  lang: String
  """An IANA time zone, such as Europe/Brussels."""
  tz: String
  """
  The companies whose records the operation sees, among the user's allowed companies; the first is
  the current company. Another company is a FORBIDDEN error, and nothing is asked of Odoo.
  """
  companies: [ID!]
) on QUERY | MUTATION

"""What the caller may do with records of a model: Odoo's access rights for the caller's user."""
type OdooAccess {
  read: Boolean!
  create: Boolean!
  write: Boolean!
  unlink: Boolean!
}

"""A model this API exposes."""
type OdooModel {
  """Odoo's technical name, such as res.partner."""
  model: String!
  """Odoo's description of the model, such as Contact."""
  name: String!
  """The GraphQL type of its records, such as ResPartner."""
  type: String!
  """The caller's access rights (Odoo's check_access_rights), cached per user."""
  access: OdooAccess!
}

"""
Where a page of a list is (Relay's PageInfo). Cursors are positions in the list as filtered and
sorted: a page asked for with first/after or last/before, or with limit/offset, gives cursors that
work with either.
"""
type PageInfo {
  """Whether records follow the page."""
  hasNextPage: Boolean!
  """Whether records precede the page."""
  hasPreviousPage: Boolean!
  """Cursor of the first record of the page; null when it is empty."""
  startCursor: String
  """Cursor of the last record of the page; null when it is empty."""
  endCursor: String
}

"""Sort direction."""
enum OrderDirection {
  ASC
  DESC
}

"""Filter on a record id. isSet: false matches records where a many2one is empty."""
input IDFilter {
  eq: ID
  ne: ID
  in: [ID!]
  nin: [ID!]
  gt: ID
  gte: ID
  lt: ID
  lte: ID
  isSet: Boolean
}

"""
Filter on a text field. like/ilike match a substring (Odoo's like/ilike: case-sensitive/insensitive);
isSet: false matches empty values.
"""
input StringFilter {
  eq: String
  ne: String
  in: [String!]
  nin: [String!]
  gt: String
  gte: String
  lt: String
  lte: String
  like: String
  ilike: String
  notLike: String
  notIlike: String
  isSet: Boolean
}

"""Filter on an integer field."""
input IntFilter {
  eq: Int
  ne: Int
  in: [Int!]
  nin: [Int!]
  gt: Int
  gte: Int
  lt: Int
  lte: Int
  isSet: Boolean
}

"""Filter on a float or monetary field."""
input FloatFilter {
  eq: Float
  ne: Float
  in: [Float!]
  nin: [Float!]
  gt: Float
  gte: Float
  lt: Float
  lte: Float
  isSet: Boolean
}

"""Filter on a boolean field."""
input BooleanFilter {
  eq: Boolean
  ne: Boolean
}

"""Filter on a date field."""
input DateFilter {
  eq: Date
  ne: Date
  in: [Date!]
  nin: [Date!]
  gt: Date
  gte: Date
  lt: Date
  lte: Date
  isSet: Boolean
}

"""Filter on a datetime field (UTC)."""
input DateTimeFilter {
  eq: DateTime
  ne: DateTime
  in: [DateTime!]
  nin: [DateTime!]
  gt: DateTime
  gte: DateTime
  lt: DateTime
  lte: DateTime
  isSet: Boolean
}

"""Changes to a one2many or many2many field: replace the whole set, or add and remove ids."""
input X2ManyInput {
  set: [ID!]
  add: [ID!]
  remove: [ID!]
}

"""
A record with a globally unique id (Relay's Node): every record type implements it, and the root
field node fetches any record by its nodeId.
"""
interface Node {
  """Globally unique, opaque id of the record: its model and id. Stable; pass it to node to refetch the record."""
  nodeId: ID!
}

"""Filter on a record of a model the API does not expose."""
input OdooRecordWhere {
  id: IDFilter
}

"""Sort key for records of a model the API does not expose."""
input OdooRecordOrderBy {
  id: OrderDirection
}
`

// nodeIDField is the Node interface's field on a record type.
const nodeIDField = "  \"\"\"Globally unique, opaque id of the record (Node): pass it to node to refetch it.\"\"\"\n  nodeId: ID!\n"

func printSchema(models []*model, refs []RefModel) string {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("# Field names are Odoo's; type and query names are made by schemagen.ModelNames.\n\n")
	b.WriteString(sharedSDL)

	for _, m := range models {
		b.WriteString("\n")
		desc := m.Name
		if desc == "" {
			desc = m.Model.Model
		}
		description(&b, "", fmt.Sprintf("%s (Odoo model %s)", desc, m.Model.Model))
		fmt.Fprintf(&b, "type %s implements Node {\n", m.Type)
		for _, f := range m.fields {
			description(&b, "  ", fieldDescription(m, f))
			switch {
			case f.mapping.kind == kindX2Many:
				fmt.Fprintf(&b, "  %s(where: %sWhere, orderBy: [%sOrderBy!], limit: Int, offset: Int): [%s!]!\n",
					f.Name, whereOf(f), orderOf(f), f.output)
			case f.mapping.NonNull || f.Name == "id":
				fmt.Fprintf(&b, "  %s: %s!\n", f.Name, f.output)
			default:
				fmt.Fprintf(&b, "  %s: %s\n", f.Name, f.output)
			}
			if f.Name == "id" { // first (sorted so); every model type has one (hasID)
				b.WriteString(nodeIDField)
			}
		}
		b.WriteString("}\n\n")

		description(&b, "", fmt.Sprintf("A page of %s records: nodes, or Relay's edges and pageInfo (both from the same read).", m.Model.Model))
		fmt.Fprintf(&b, "type %sConnection {\n", m.Type)
		b.WriteString("  \"\"\"Number of records matching the filter, ignoring limit and offset. Costs one count when selected.\"\"\"\n")
		b.WriteString("  totalCount: Int!\n")
		fmt.Fprintf(&b, "  nodes: [%s!]!\n", m.Type)
		b.WriteString("  \"\"\"The records of the page with their cursors (Relay).\"\"\"\n")
		fmt.Fprintf(&b, "  edges: [%sEdge!]!\n", m.Type)
		b.WriteString("  \"\"\"Where the page is in the whole list (Relay).\"\"\"\n")
		b.WriteString("  pageInfo: PageInfo!\n}\n\n")
		description(&b, "", fmt.Sprintf("A %s record and its cursor (Relay).", m.Model.Model))
		fmt.Fprintf(&b, "type %sEdge {\n  \"\"\"Opaque position of the record in the list: pass it to after or before.\"\"\"\n  cursor: String!\n  node: %s!\n}\n\n", m.Type, m.Type)

		description(&b, "", fmt.Sprintf("What %s deleted: for client caches to evict the records (Apollo, urql: __typename %s and each id; Relay: @deleteRecord on nodeIds).", m.Delete, m.Type))
		fmt.Fprintf(&b, "type %sDeletePayload {\n  \"\"\"Odoo ids of the deleted records, as given.\"\"\"\n  ids: [ID!]!\n  \"\"\"Node ids of the deleted records, in the same order.\"\"\"\n  nodeIds: [ID!]!\n}\n\n", m.Type)

		printAggregateTypes(&b, m)

		description(&b, "", fmt.Sprintf("Filter on %s records. Conditions in one object must all hold; and/or/not combine filters.", m.Model.Model))
		fmt.Fprintf(&b, "input %sWhere {\n", m.Type)
		fmt.Fprintf(&b, "  and: [%sWhere!]\n  or: [%sWhere!]\n  not: %sWhere\n", m.Type, m.Type, m.Type)
		for _, f := range m.fields {
			if f.filter != "" {
				fmt.Fprintf(&b, "  %s: %s\n", f.Name, f.filter)
			}
		}
		b.WriteString("}\n\n")

		description(&b, "", fmt.Sprintf("One sort key of %s records: set exactly one field.", m.Model.Model))
		fmt.Fprintf(&b, "input %sOrderBy {\n", m.Type)
		for _, f := range m.fields {
			if f.Sortable || f.Name == "id" {
				fmt.Fprintf(&b, "  %s: OrderDirection\n", f.Name)
			}
		}
		b.WriteString("}\n")

		for _, kindName := range []string{"Create", "Update"} {
			if !hasWritable(m) {
				break
			}
			b.WriteString("\n")
			description(&b, "", fmt.Sprintf("Values to %s a %s record with; only writable fields.", strings.ToLower(kindName), m.Model.Model))
			fmt.Fprintf(&b, "input %s%sInput {\n", m.Type, kindName)
			for _, f := range m.fields {
				if f.input != "" {
					fmt.Fprintf(&b, "  %s: %s\n", f.Name, f.input)
				}
			}
			b.WriteString("}\n")
		}

		if m.x2mInput {
			b.WriteString("\n")
			description(&b, "", fmt.Sprintf("Changes to a one2many or many2many field of %s records, applied in this order in the parent's "+
				"create or update call (one Odoo call, all or nothing): replace the whole set, add and remove links, "+
				"create, update and delete records.", m.Model.Model))
			fmt.Fprintf(&b, "input %sX2ManyInput {\n", m.Type)
			b.WriteString("  \"\"\"Replace the linked records by these (Odoo command 6).\"\"\"\n  set: [ID!]\n")
			b.WriteString("  \"\"\"Link these existing records (Odoo command 4).\"\"\"\n  add: [ID!]\n")
			b.WriteString("  \"\"\"Unlink these records, without deleting them (Odoo command 3).\"\"\"\n  remove: [ID!]\n")
			fmt.Fprintf(&b, "  \"\"\"Create records and link them (Odoo command 0).\"\"\"\n  create: [%sCreateInput!]\n", m.Type)
			fmt.Fprintf(&b, "  \"\"\"Write to linked records (Odoo command 1).\"\"\"\n  update: [%sX2ManyUpdate!]\n", m.Type)
			b.WriteString("  \"\"\"Delete these records from the database, not only the link (Odoo command 2).\"\"\"\n  delete: [ID!]\n}\n\n")
			description(&b, "", fmt.Sprintf("A write to one linked %s record inside its parent's create or update.", m.Model.Model))
			fmt.Fprintf(&b, "input %sX2ManyUpdate {\n  id: ID!\n  input: %sUpdateInput!\n}\n", m.Type, m.Type)
		}

		for _, f := range m.fields {
			if f.enum == "" {
				continue
			}
			b.WriteString("\n")
			description(&b, "", fmt.Sprintf("Values of %s.%s (%s).", m.Model.Model, f.Name, f.String))
			fmt.Fprintf(&b, "enum %s {\n", f.enum)
			for _, s := range f.enumVals {
				description(&b, "  ", s.Label)
				fmt.Fprintf(&b, "  %s\n", s.Value)
			}
			b.WriteString("}\n")
			if f.filter == "" {
				continue
			}
			b.WriteString("\n")
			description(&b, "", fmt.Sprintf("Filter on %s.%s.", m.Model.Model, f.Name))
			fmt.Fprintf(&b, "input %s {\n  eq: %s\n  ne: %s\n  in: [%s!]\n  nin: [%s!]\n  isSet: Boolean\n}\n",
				f.filter, f.enum, f.enum, f.enum, f.enum)
		}
	}

	for _, r := range refs {
		b.WriteString("\n")
		description(&b, "", fmt.Sprintf("A record of %s, a model this API does not expose: its id, node id and display name.", r.Model))
		fmt.Fprintf(&b, "type %s implements Node {\n  \"\"\"Database id of the record.\"\"\"\n  id: ID!\n%s  \"\"\"Display name — Odoo's name of the record.\"\"\"\n  display_name: String\n}\n", r.Type, nodeIDField)
	}
	printActionTypes(&b, models)

	b.WriteString("\ntype Query {\n")
	b.WriteString("  \"\"\"The models this API exposes, with the caller's access rights.\"\"\"\n")
	b.WriteString("  odooModels: [OdooModel!]!\n")
	b.WriteString("  \"\"\"The record of a nodeId (Relay's refetch); null when it does not exist or is not visible to the caller.\"\"\"\n")
	b.WriteString("  node(nodeId: ID!): Node\n")
	for _, m := range models {
		description(&b, "  ", fmt.Sprintf("One %s record by id; null when it does not exist or is not visible to the caller.", m.Model.Model))
		fmt.Fprintf(&b, "  %s(id: ID!): %s\n", m.Singular, m.Type)
		description(&b, "  ", fmt.Sprintf("%s records matching where and domain (a raw Odoo domain as JSON), sorted by orderBy.", m.Model.Model))
		fmt.Fprintf(&b, "  %s(where: %sWhere, domain: JSON, orderBy: [%sOrderBy!], limit: Int, offset: Int, first: Int, after: String, last: Int, before: String): %sConnection!\n",
			m.Plural, m.Type, m.Type, m.Type)
		printAggregateRoot(&b, m)
	}
	b.WriteString("}\n\ntype Mutation {\n")
	for _, m := range models {
		deleteDoc := fmt.Sprintf("Delete %s records; what they were, for client caches to evict.", m.Model.Model)
		if !hasWritable(m) {
			description(&b, "  ", deleteDoc)
			fmt.Fprintf(&b, "  %s(ids: [ID!]!): %sDeletePayload!\n", m.Delete, m.Type)
			continue
		}
		description(&b, "  ", fmt.Sprintf("Create one %s record and return it.", m.Model.Model))
		fmt.Fprintf(&b, "  %s(input: %sCreateInput!): %s!\n", m.Create, m.Type, m.Type)
		description(&b, "  ", fmt.Sprintf("Create several %s records in one call and return them.", m.Model.Model))
		fmt.Fprintf(&b, "  %s(inputs: [%sCreateInput!]!): [%s!]!\n", m.CreateN, m.Type, m.Type)
		description(&b, "  ", fmt.Sprintf("Write the same values to %s records and return them.", m.Model.Model))
		fmt.Fprintf(&b, "  %s(ids: [ID!]!, input: %sUpdateInput!): [%s!]!\n", m.Update, m.Type, m.Type)
		description(&b, "  ", deleteDoc)
		fmt.Fprintf(&b, "  %s(ids: [ID!]!): %sDeletePayload!\n", m.Delete, m.Type)
	}
	printActionFields(&b, models)
	b.WriteString("}\n")
	return b.String()
}

func whereOf(f *field) string {
	if f.target == nil {
		return "OdooRecord"
	}
	return f.target.Type
}

func orderOf(f *field) string {
	if f.target == nil {
		return "OdooRecord"
	}
	return f.target.Type
}

func hasWritable(m *model) bool {
	for _, f := range m.fields {
		if f.input != "" {
			return true
		}
	}
	return false
}
