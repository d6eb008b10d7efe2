package schemagen

import (
	"strings"
	"unicode"
)

// goName is the Go identifier gqlgen makes of a GraphQL name
// (templates.ToGo of gqlgen v0.17.95, with its default initialisms:
// sale_pdf → SalePDF, SalePdfFormField → SalePDFFormField). It is a copy,
// not a call: gqlgen's codegen/templates package pulls in go/types and
// golang.org/x/tools, which the live binary does not otherwise compile.
// TestGoNameIsGqlgens checks it against templates.ToGo on every name of
// the test snapshots.
func goName(name string) string {
	if name == "_" {
		return "_"
	}
	out := make([]rune, 0, len(name))
	goWords(name, func(word string, matchInitial, hasInitial bool) {
		switch {
		case matchInitial:
			word = strings.ToUpper(word)
		case !hasInitial && (strings.ToUpper(word) == word || strings.ToLower(word) == word):
			word = upperFirst(strings.ToLower(word))
		}
		out = append(out, []rune(word)...)
	})
	return string(out)
}

func upperFirst(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

func isGoDelimiter(c rune) bool {
	return c == '-' || c == '_' || unicode.IsSpace(c)
}

// goInitialisms are gqlgen's templates.CommonInitialisms.
var goInitialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "CSV": true, "DNS": true,
	"EOF": true, "GUID": true, "HTML": true, "HTTP": true, "HTTPS": true, "ICMP": true, "ID": true,
	"IP": true, "JSON": true, "KVK": true, "LHS": true, "PDF": true, "PGP": true, "QPS": true,
	"QR": true, "RAM": true, "RHS": true, "RPC": true, "SLA": true, "SMTP": true, "SQL": true,
	"SSH": true, "SVG": true, "TCP": true, "TLS": true, "TTL": true, "UDP": true, "UI": true,
	"UID": true, "URI": true, "URL": true, "UTF8": true, "UUID": true, "VM": true, "XML": true,
	"XMPP": true, "XSRF": true, "XSS": true, "AWS": true, "GCP": true,
}

// goWords splits str into words as gqlgen's wordWalker does (itself after
// golint's): at delimiters and at lower → non-lower changes, with
// initialisms kept whole.
func goWords(str string, f func(word string, matchInitial, hasInitial bool)) {
	runes := []rune(strings.TrimFunc(str, isGoDelimiter))
	w, i := 0, 0 // [w,i) is a word
	hasInitial := false
	for i+1 <= len(runes) {
		eow := false
		switch {
		case i+1 == len(runes):
			eow = true
		case isGoDelimiter(runes[i+1]):
			eow = true
			n := 1
			for i+n+1 < len(runes) && isGoDelimiter(runes[i+n+1]) {
				n++
			}
			// One underscore stays between two digits.
			if i+n+1 < len(runes) && unicode.IsDigit(runes[i]) && unicode.IsDigit(runes[i+n+1]) {
				n--
			}
			copy(runes[i+1:], runes[i+n+1:])
			runes = runes[:len(runes)-n]
		case unicode.IsLower(runes[i]) && !unicode.IsLower(runes[i+1]):
			eow = true
		}
		i++

		word := string(runes[w:i])
		if !eow && goInitialisms[word] && !unicode.IsLower(runes[i]) {
			// IDFoo splits into ID, Foo; URLs stays one word.
		} else if !eow {
			if goInitialisms[word] {
				hasInitial = true
			}
			continue
		}

		matchInitial := false
		upper := strings.ToUpper(word)
		if goInitialisms[upper] {
			switch upper {
			case "ID", "IP":
				if rest := runes[w:]; word == string(rest[:2]) && !eow && len(rest) > 3 && unicode.IsUpper(rest[3]) {
					continue
				}
			}
			hasInitial = true
			matchInitial = true
		}
		f(word, matchInitial, hasInitial)
		hasInitial = false
		w = i
	}
}
