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
