package server

import (
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfigDefaults(t *testing.T) {
	c, err := LoadConfig(nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Demo() || c.Listen != ":8080" || c.DefaultLimit != 100 || c.MaxLimit != 1000 || c.OdooTimeout != 30*time.Second || c.MaxConns != 64 {
		t.Errorf("defaults: %+v", c)
	}
}

func TestLoadConfigPrecedence(t *testing.T) {
	c, err := LoadConfig([]string{"-port", "9000", "-max-limit", "50"}, env(map[string]string{"PORT": "7000", "ODOOGQL_MAX_LIMIT": "70", "ODOOGQL_DEFAULT_LIMIT": "20"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != ":9000" || c.MaxLimit != 50 || c.DefaultLimit != 20 {
		t.Errorf("flags must win over env: %+v", c)
	}
	c, err = LoadConfig(nil, env(map[string]string{"LISTEN_ADDR": "127.0.0.1:1234", "PORT": "7000"}), io.Discard)
	if err != nil || c.Listen != "127.0.0.1:1234" {
		t.Errorf("LISTEN_ADDR must override PORT: %+v %v", c, err)
	}
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"1": 1, "512KiB": 512 << 10, "1MiB": 1 << 20, "2GiB": 2 << 30, "8589934591GiB": 8589934591 << 30, "9223372036854775807": 1<<63 - 1} {
		if got, err := parseBytes(in); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"8589934592GiB", "17179869184GiB", "9007199254740992KiB", "0", "-5", "-1GiB", "x", ""} {
		if got, err := parseBytes(in); err == nil {
			t.Errorf("parseBytes(%q) = %d, want an error", in, got)
		}
	}
}

func TestLoadConfigErrors(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"PORT": "http"}, "PORT must be a port number"},
		{map[string]string{"ODOOGQL_MAX_LIMIT": "-1"}, "ODOOGQL_MAX_LIMIT must be a positive integer"},
		{map[string]string{"ODOOGQL_DEFAULT_LIMIT": "500", "ODOOGQL_MAX_LIMIT": "100"}, "must not exceed"},
		{map[string]string{"ODOOGQL_ODOO_TIMEOUT": "soon"}, "ODOOGQL_ODOO_TIMEOUT must be a positive duration"},
		{map[string]string{"ODOOGQL_LOG_LEVEL": "loud"}, "ODOOGQL_LOG_LEVEL must be"},
		{map[string]string{"ODOO_URL": "odoo.example.com", "ODOO_DB": "x", "ODOO_USERNAME": "u", "ODOO_PASSWORD": "p"}, "ODOO_URL must be an http(s) URL"},
		{map[string]string{"ODOO_URL": "https://odoo.example.com"}, "ODOO_DB is required"},
		{map[string]string{"ODOO_URL": "https://odoo.example.com", "ODOO_DB": "x"}, "ODOO_USERNAME and ODOO_PASSWORD are required"},
		{map[string]string{"ODOOGQL_MAX_TOKENS": "0"}, "ODOOGQL_MAX_TOKENS must be a positive integer"},
		// 2^34 GiB = 2^64 bytes wraps to 0, 2^33+1 GiB to a negative size:
		// either turned the body limit off.
		{map[string]string{"ODOOGQL_MAX_BODY_BYTES": "17179869184GiB"}, `ODOOGQL_MAX_BODY_BYTES: size "17179869184GiB" is too large`},
		{map[string]string{"ODOOGQL_MAX_BODY_BYTES": "8589934593GiB"}, `ODOOGQL_MAX_BODY_BYTES: size "8589934593GiB" is too large`},
		{map[string]string{"ODOOGQL_CACHE_MAX_BYTES": "9007199254740992KiB"}, `ODOOGQL_CACHE_MAX_BYTES: size "9007199254740992KiB" is too large`},
		{map[string]string{"ODOOGQL_MAX_BODY_BYTES": "-1MiB"}, `ODOOGQL_MAX_BODY_BYTES: want a positive size such as 256MiB, got "-1MiB"`},
		{map[string]string{"ODOOGQL_MAX_BODY_BYTES": "99999999999999999999"}, `ODOOGQL_MAX_BODY_BYTES: want a positive size`},
	}
	for _, tt := range tests {
		_, err := LoadConfig(nil, env(tt.env), io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got %v, want %q", tt.env, err, tt.want)
		}
	}
}

// TestReadmeConfigTable keeps README.md's configuration table in step with
// the settings the code reads.
func TestReadmeConfigTable(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	for _, s := range settings() {
		def := "(empty)"
		if s.def != "" {
			def = "`" + s.def + "`"
		}
		row := "| `-" + s.flag + "` | `" + s.env + "` | " + def + " |"
		if !strings.Contains(readme, row) {
			t.Errorf("README.md lacks the row %q", row)
		}
	}
	if got, want := strings.Count(readme, "\n| `-"), len(settings()); got != want {
		t.Errorf("README.md has %d flag rows, the code %d settings", got, want)
	}
}
