package server

import (
	"fmt"
	"testing"

	"github.com/odoogql/odoogql/loaders"
)

func TestParseAcceptLanguage(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"", "[]"},
		{"fr", "[{fr 1}]"},
		{"fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "[{fr_ch 1} {fr 0.9} {en 0.8} {de 0.7}]"},
		{"de;q=0.5, en, fr;q=0.5", "[{en 1} {de 0.5} {fr 0.5}]"}, // equal qualities keep their order
		{"en;q=0, fr", "[{fr 1}]"},                     // q=0: not acceptable
		{"en;q=1.5, fr;q=abc, de;Q=0.3", "[{de 0.3}]"}, // malformed qualities drop the range
		{"zh-Hant-TW;q=0.8 , es-419", "[{es_419 1} {zh_hant_tw 0.8}]"},
		{"fr-, -fr, f!r, 12, en--US, abcdefghi", "[]"},
		{"fr;level=1;q=0.4", "[{fr 0.4}]"},
	} {
		if got := fmt.Sprint(parseAcceptLanguage(tc.header)); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.header, got, tc.want)
		}
	}
}

func TestMatchAcceptLanguage(t *testing.T) {
	installed := []loaders.Language{
		{Code: "de_DE", ISOCode: "de", URLCode: "de"},
		{Code: "en_US", ISOCode: "en", URLCode: "en"},
		{Code: "fr_FR", ISOCode: "fr", URLCode: "fr"},
	}
	withBelgium := append([]loaders.Language{{Code: "fr_BE", ISOCode: "fr_BE", URLCode: "fr_BE"}}, installed...)
	canadaOnly := []loaders.Language{{Code: "en_US", ISOCode: "en", URLCode: "en"}, {Code: "fr_CA", ISOCode: "fr_CA", URLCode: "fr_CA"}}
	for _, tc := range []struct {
		header string
		langs  []loaders.Language
		want   string
	}{
		{"fr-BE", installed, "fr_FR"},
		{"fr-BE", withBelgium, "fr_BE"},
		{"fr", withBelgium, "fr_FR"}, // the language's main variant (ISO code fr)
		{"fr", canadaOnly, "fr_CA"},  // else another variant
		{"en", installed, "en_US"},
		{"en-GB", installed, "en_US"},
		{"fr_fr", installed, "fr_FR"},
		{"pt-BR, es;q=0.9", installed, ""},
		{"pt-BR, es;q=0.9, de;q=0.1", installed, "de_DE"},
		{"de;q=0.5, fr-CA;q=0.6", installed, "fr_FR"}, // fr-CA's fallback before the less preferred de
		{"*", installed, ""},
		{"fr", nil, ""},
	} {
		if got := matchAcceptLanguage(tc.header, tc.langs); got != tc.want {
			t.Errorf("%q among %v: %q, want %q", tc.header, tc.langs, got, tc.want)
		}
	}
}

func TestValidTimeZone(t *testing.T) {
	for tz, want := range map[string]bool{
		"Europe/Brussels": true, "America/New_York": true, "UTC": true, "Asia/Kolkata": true, "Etc/GMT+5": true,
		"": false, "Local": false, "Europe/Atlantis": false, "../etc/passwd": false, "/etc/localtime": false,
	} {
		if got := validTimeZone(tz); got != want {
			t.Errorf("%q: %v, want %v", tz, got, want)
		}
	}
}
