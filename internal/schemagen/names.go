package schemagen

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Names are the GraphQL names made for one Odoo model.
type Names struct {
	Type     string // ResPartner
	Singular string // resPartner: the by-id query
	Plural   string // resPartners: the list query
	Create   string // createResPartner
	CreateN  string // createResPartnerMany
	Update   string // updateResPartner
	Delete   string // deleteResPartner
}

// modelWords splits a model name on dots and underscores: "sale.order_line"
// gives ["sale", "order", "line"].
func modelWords(model string) []string {
	return strings.FieldsFunc(model, func(r rune) bool { return r == '.' || r == '_' || r == '-' })
}

// pascal joins words with each one's first letter upper-cased.
func pascal(words []string) string {
	var b strings.Builder
	for _, w := range words {
		if w == "" {
			continue
		}
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return b.String()
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// singular turns the last word of a model name into its singular form:
// users → user, categories → category. Words that only look plural (status,
// analysis, address) are kept.
func singular(w string) string {
	lw := strings.ToLower(w)
	switch {
	case strings.HasSuffix(lw, "ies") && len(w) > 3:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(lw, "sses"), strings.HasSuffix(lw, "xes"):
		return w[:len(w)-2]
	case strings.HasSuffix(lw, "ss"), strings.HasSuffix(lw, "us"), strings.HasSuffix(lw, "is"):
		return w
	case strings.HasSuffix(lw, "s") && len(w) > 1:
		return w[:len(w)-1]
	}
	return w
}

// plural turns a singular word into its plural form: partner → partners,
// category → categories, tax → taxes.
func plural(w string) string {
	lw := strings.ToLower(w)
	vowel := func(b byte) bool { return strings.IndexByte("aeiou", b) >= 0 }
	switch {
	case strings.HasSuffix(lw, "y") && len(lw) > 1 && !vowel(lw[len(lw)-2]):
		return w[:len(w)-1] + "ies"
	case strings.HasSuffix(lw, "is") && len(lw) > 2:
		return w[:len(w)-2] + "es"
	case strings.HasSuffix(lw, "s"), strings.HasSuffix(lw, "x"), strings.HasSuffix(lw, "z"),
		strings.HasSuffix(lw, "ch"), strings.HasSuffix(lw, "sh"):
		return w + "es"
	}
	return w + "s"
}

var graphQLName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]*$`)

// validName reports whether s is a valid GraphQL name that is not reserved
// for introspection.
func validName(s string) bool {
	return graphQLName.MatchString(s) && !strings.HasPrefix(s, "__")
}

// reservedTypeNames are type names odoogql or gqlgen already use; a model
// whose PascalCase name is one of these gets the suffix "Model".
var reservedTypeNames = map[string]bool{
	// GraphQL built-ins and root types.
	"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true,
	"Query": true, "Mutation": true, "Subscription": true,
	// odoogql's shared types.
	"Date": true, "DateTime": true, "JSON": true, "OrderDirection": true,
	"IDFilter": true, "StringFilter": true, "IntFilter": true, "FloatFilter": true,
	"BooleanFilter": true, "DateFilter": true, "DateTimeFilter": true,
	"X2ManyInput": true, "OdooRecord": true, "OdooRecordWhere": true, "OdooRecordOrderBy": true, "OdooModel": true, "OdooAccess": true,
	"Node": true, "PageInfo": true,
	// gqlgen's generated identifiers in the executable package.
	"Resolver": true, "ResolverRoot": true, "DirectiveRoot": true, "ComplexityRoot": true,
	"Config": true,
}

// reservedRootFields are Query fields odoogql adds itself: no model's
// query may take them.
var reservedRootFields = []string{"odooModels", "node"}

// namer hands out names deterministically: the first caller of a name keeps
// it, later callers get a numeric suffix. A name is also taken when its Go
// form is (templates.ToGo, the function gqlgen names Go types and methods
// with: SalePdfFormField → SalePDFFormField), so two GraphQL names never
// become one Go identifier in compiled mode.
type namer struct{ used, usedGo map[string]bool }

func newNamer(reserved ...string) *namer {
	n := &namer{used: map[string]bool{}, usedGo: map[string]bool{}}
	for _, k := range reserved {
		n.mark(k)
	}
	return n
}

func (n *namer) free(name string) bool {
	return !n.used[name] && !n.usedGo[goName(name)]
}

func (n *namer) mark(name string) {
	n.used[name] = true
	n.usedGo[goName(name)] = true
}

// newTypeNamer is a namer for type names: GraphQL's and odoogql's own
// types are taken.
func newTypeNamer() *namer {
	n := newNamer()
	for k := range reservedTypeNames {
		n.mark(k)
	}
	return n
}

// take returns name, or name2, name3, ... if it is taken, and marks the
// result as taken.
func (n *namer) take(name string) string {
	return n.takeGroup(name)
}

// takeGroup returns the first of base, base2, base3, ... that is free
// together with every base+suffix, and marks them all as taken.
func (n *namer) takeGroup(base string, suffixes ...string) string {
	for i := 1; ; i++ {
		c := base
		if i > 1 {
			c += strconv.Itoa(i)
		}
		ok := n.free(c)
		for _, s := range suffixes {
			ok = ok && n.free(c+s)
		}
		if !ok {
			continue
		}
		n.mark(c)
		for _, s := range suffixes {
			n.mark(c + s)
		}
		return c
	}
}

// typeSuffixes are the types made for each model besides its own:
// ResPartnerConnection, ResPartnerWhere, ...
var typeSuffixes = []string{"Connection", "Edge", "DeletePayload", "Where", "OrderBy", "CreateInput", "UpdateInput", "X2ManyInput", "X2ManyUpdate"}

// ModelNames makes the names of each model, in the order given (callers pass
// models sorted by technical name so the result is deterministic). Names are
// mechanical:
//
//   - type: PascalCase of the model name split on dots and underscores
//     (res.partner → ResPartner, res.users → ResUsers); a reserved name gets
//     the suffix "Model", and a name taken by an earlier model a number. A
//     name is taken when it, its Go form or one of the model's other types
//     (Connection, Where, OrderBy, CreateInput, UpdateInput, X2ManyInput,
//     X2ManyUpdate) is: a model
//     res.partner.where gets ResPartnerWhere2, as ResPartner has
//     ResPartnerWhere;
//   - by-id query: camelCase with the last word singular (resPartner, resUser);
//   - list query: camelCase with the last word plural (resPartners, resUsers);
//   - mutations: create/update/delete + type name, and create + type + "Many".
func ModelNames(models []string) map[string]Names {
	types := newTypeNamer()
	roots := newNamer(reservedRootFields...)
	out := make(map[string]Names, len(models))
	for _, m := range models {
		words := modelWords(m)
		for i, w := range words {
			// Only ASCII letters, digits and _ make GraphQL names.
			words[i] = strings.Map(func(r rune) rune {
				if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
					return r
				}
				return '_'
			}, w)
		}
		if len(words) == 0 {
			words = []string{"model"}
		}
		if base := pascal(words); !validName(base) || unicode.IsDigit([]rune(base)[0]) {
			// 2fa.device → M2faDevice, m2faDevice, m2faDevices.
			words = append([]string{"m"}, words...)
		}
		base := pascal(words)
		if reservedTypeNames[base] {
			base += "Model"
		}
		typ := types.takeGroup(base, typeSuffixes...)
		suffix := strings.TrimPrefix(typ, base) // "" or a number after a collision

		last := words[len(words)-1]
		sw := append(append([]string{}, words[:len(words)-1]...), singular(last))
		pw := append(append([]string{}, words[:len(words)-1]...), plural(singular(last)))
		one := lowerFirst(pascal(sw)) + suffix
		many := lowerFirst(pascal(pw)) + suffix
		if one == many {
			many += "List"
		}
		out[m] = Names{
			Type:     typ,
			Singular: roots.take(one),
			Plural:   roots.take(many),
			Create:   roots.take("create" + typ),
			CreateN:  roots.take("create" + typ + "Many"),
			Update:   roots.take("update" + typ),
			Delete:   roots.take("delete" + typ),
		}
	}
	return out
}
