package server

// The Odoo context of a request (issue 11): the language of its
// Accept-Language header, and the operation's @context(lang, tz, companies)
// directive, which overrides it. Both set keys of the Odoo context every
// call of the request carries (lang, tz, allowed_company_ids); the record
// cache keys what it keeps by that context (loaders' scope), so one
// language's or one set of companies' values never serve another.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // @context(tz:) knows every IANA zone, whatever the host has

	"github.com/99designs/gqlgen/graphql"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/loaders"
	"github.com/odoogql/odoogql/odoo"
)

// requestContext returns s with the language of r's Accept-Language header
// as the lang of its Odoo context: the installed language nearest to the
// client's preferences. No header, no installed language matching it, or
// languages that cannot be read leave s as it is (the user's language).
func (g *Gateway) requestContext(r *http.Request, s *odoo.Session) *odoo.Session {
	header := r.Header.Get("Accept-Language")
	if header == "" {
		return s
	}
	langs, err := g.meta.Languages(r.Context(), s)
	if err != nil {
		g.log.DebugContext(r.Context(), "installed languages unreadable; Accept-Language ignored", slog.Any("err", err))
		return s
	}
	if code := matchAcceptLanguage(header, langs); code != "" {
		return s.WithContext(map[string]any{"lang": code})
	}
	return s
}

// langRange is one language range of an Accept-Language header.
type langRange struct {
	tag string  // lower case, "_" for "-": fr_be
	q   float64 // quality, 0 to 1
}

// maxLangRanges bounds the ranges of an Accept-Language header considered.
const maxLangRanges = 32

// parseAcceptLanguage reads an Accept-Language header (RFC 9110 §12.5.4):
// its language ranges, most preferred first (by quality, then in the order
// given), without the wildcard, the ranges of quality 0 and the malformed
// ones.
func parseAcceptLanguage(header string) []langRange {
	var out []langRange
	for i, part := range strings.Split(header, ",") {
		if i >= maxLangRanges {
			break
		}
		tag, params, _ := strings.Cut(part, ";")
		tag = strings.TrimSpace(tag)
		if tag == "" || tag == "*" || !validLangTag(tag) {
			continue
		}
		q := 1.0
		valid := true
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
				continue
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 {
				valid = false
				break
			}
			q = f
		}
		if !valid || q == 0 {
			continue
		}
		out = append(out, langRange{tag: strings.ReplaceAll(strings.ToLower(tag), "-", "_"), q: q})
	}
	slices.SortStableFunc(out, func(a, b langRange) int {
		switch {
		case a.q > b.q:
			return -1
		case a.q < b.q:
			return 1
		}
		return 0
	})
	return out
}

// validLangTag reports whether tag looks like a language range: 1 to 8
// letters, then subtags of 1 to 8 letters or digits, separated by "-" (or
// "_", as Odoo writes them).
func validLangTag(tag string) bool {
	for i, sub := range strings.FieldsFunc(tag, func(r rune) bool { return r == '-' || r == '_' }) {
		if len(sub) == 0 || len(sub) > 8 {
			return false
		}
		for _, c := range sub {
			letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
			if !letter && (i == 0 || c < '0' || c > '9') {
				return false
			}
		}
	}
	return !strings.HasPrefix(tag, "-") && !strings.HasSuffix(tag, "-") && !strings.Contains(tag, "--")
}

// matchAcceptLanguage returns the installed language nearest to the
// preferences of an Accept-Language header, "" when none matches. Ranges
// are tried in order of preference, each as RFC 4647's lookup does: the
// language of that exact code (fr-BE: fr_BE), else, dropping the region,
// the installed language of that ISO code (fr: fr_FR; en: en_US), else
// another installed variant of the language (fr_CA). So fr-BE is fr_BE
// when installed, else fr_FR, before any less preferred range.
func matchAcceptLanguage(header string, langs []loaders.Language) string {
	for _, r := range parseAcceptLanguage(header) {
		if code := lookupLanguage(r.tag, langs, true); code != "" {
			return code
		}
	}
	return ""
}

// lookupLanguage finds tag (lower case, "_"-separated) among langs: by
// code, ISO code or URL code; with fallback, by its primary language too.
func lookupLanguage(tag string, langs []loaders.Language, fallback bool) string {
	for _, l := range langs {
		if strings.EqualFold(l.Code, tag) {
			return l.Code
		}
	}
	for _, l := range langs {
		if strings.EqualFold(l.ISOCode, tag) || strings.EqualFold(l.URLCode, tag) {
			return l.Code
		}
	}
	if !fallback {
		return ""
	}
	primary, _, hasRegion := strings.Cut(tag, "_")
	if hasRegion {
		if code := lookupLanguage(primary, langs, false); code != "" {
			return code
		}
	}
	for _, l := range langs { // another variant: fr_CA for fr
		if p, _, _ := strings.Cut(l.Code, "_"); strings.EqualFold(p, primary) {
			return l.Code
		}
	}
	return ""
}

// contextDirective is @context(lang, tz, companies): it checks its
// arguments and sets them in the Odoo context of the request's calls, before
// the operation makes any. A language that is not installed and a time
// zone that is not an IANA one are BAD_USER_INPUT; a company that is not
// one of the user's is FORBIDDEN. Both schema modes run it.
func (g *Gateway) contextDirective(ctx context.Context, lang, tz *string, companies []string) error {
	l := loaders.For(ctx)
	if l == nil {
		return errors.New("@context: no loaders")
	}
	s := l.Session()
	kv := map[string]any{}
	if lang != nil {
		langs, err := g.meta.Languages(ctx, s)
		if err != nil {
			return err
		}
		code := lookupLanguage(strings.ReplaceAll(strings.ToLower(*lang), "-", "_"), langs, false)
		if code == "" {
			installed := make([]string, len(langs))
			for i, l := range langs {
				installed[i] = l.Code
			}
			return &engine.Error{Code: engine.CodeBadUserInput, Message: fmt.Sprintf(
				"@context(lang: %q): no such language is installed in Odoo; the installed languages are %s", *lang, strings.Join(installed, ", "))}
		}
		kv["lang"] = code
	}
	if tz != nil {
		if !validTimeZone(*tz) {
			return &engine.Error{Code: engine.CodeBadUserInput, Message: fmt.Sprintf(
				"@context(tz: %q): not an IANA time zone (such as Europe/Brussels or America/New_York)", *tz)}
		}
		kv["tz"] = *tz
	}
	if len(companies) > 0 {
		ids := make([]int, 0, len(companies))
		for _, c := range companies {
			id, err := strconv.Atoi(c)
			if err != nil || id <= 0 {
				return &engine.Error{Code: engine.CodeBadUserInput, Message: fmt.Sprintf("@context(companies): %q is not a company id", c)}
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		mine, err := g.logins.Companies(ctx, s)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if !slices.Contains(mine, id) {
				allowed := make([]string, len(mine))
				for i, m := range mine {
					allowed[i] = strconv.Itoa(m)
				}
				return &engine.Error{Code: engine.CodeForbidden, Message: fmt.Sprintf(
					"@context(companies): company %d is not one of your allowed companies (%s)", id, strings.Join(allowed, ", "))}
			}
		}
		kv["allowed_company_ids"] = ids
	}
	l.SetContext(kv)
	return nil
}

// validTimeZone reports whether tz names an IANA time zone (Go's
// time.LoadLocation, without its "" and "Local" shorthands).
func validTimeZone(tz string) bool {
	if tz == "" || tz == "Local" || len(tz) > 64 {
		return false
	}
	_, err := time.LoadLocation(tz)
	return err == nil
}

// liveContextDirective is @context for the live executor: its arguments,
// coerced as gqlgen's generated code coerces them for compiled mode
// (String: *string, [ID!]: []string).
func (g *Gateway) liveContextDirective(ctx context.Context, args map[string]any, next func(ctx context.Context) error) error {
	str := func(name string) *string {
		if s, ok := args[name].(string); ok {
			return &s
		}
		return nil
	}
	var companies []string
	if v, ok := args["companies"]; ok && v != nil {
		list, isList := v.([]any)
		if !isList {
			list = []any{v}
		}
		for _, it := range list {
			id, err := graphql.UnmarshalID(it)
			if err != nil {
				return err
			}
			companies = append(companies, id)
		}
	}
	if err := g.contextDirective(ctx, str("lang"), str("tz"), companies); err != nil {
		return err
	}
	return next(ctx)
}

// compiledContextDirective is @context for compiled mode (graph's
// DirectiveRoot.Context).
func (g *Gateway) compiledContextDirective(ctx context.Context, next graphql.Resolver, lang, tz *string, companies []string) (any, error) {
	if err := g.contextDirective(ctx, lang, tz, companies); err != nil {
		return nil, err
	}
	return next(ctx)
}
