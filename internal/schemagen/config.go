package schemagen

import (
	"fmt"
	"path"
	"strings"

	"github.com/goccy/go-yaml"
)

// Config chooses what of a metadata snapshot becomes the API. It is read
// from generate.yml.
type Config struct {
	// Metadata is the snapshot file, relative to the configuration file.
	Metadata string `yaml:"metadata"`
	// Models lists the exposed models by name or glob pattern ("sale.*").
	// Empty means every model of the snapshot.
	Models []string `yaml:"models"`
	// ExcludeModels removes models matched by Models.
	ExcludeModels []string `yaml:"exclude_models"`
	// ExcludeFields are field name patterns ("message_*"), or
	// "model-pattern:field-pattern" ("res.partner:x_legacy_*"), left out.
	ExcludeFields []string `yaml:"exclude_fields"`
	// Binary includes binary fields (base64 strings). Off by default: they
	// make responses large.
	Binary bool `yaml:"binary"`
}

// ParseConfig reads a generate.yml.
func ParseConfig(b []byte) (Config, error) {
	var c Config
	if err := yaml.UnmarshalWithOptions(b, &c, yaml.DisallowUnknownField()); err != nil {
		return c, fmt.Errorf("schemagen: config: %w", err)
	}
	for _, p := range append(append(append([]string{}, c.Models...), c.ExcludeModels...), c.ExcludeFields...) {
		for _, part := range strings.SplitN(p, ":", 2) {
			if _, err := path.Match(part, ""); err != nil {
				return c, fmt.Errorf("schemagen: config: bad pattern %q: %w", p, err)
			}
		}
	}
	return c, nil
}

func matchAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, s); ok {
			return true
		}
	}
	return false
}

// modelIncluded reports whether a model is exposed.
func (c Config) modelIncluded(model string) bool {
	if len(c.Models) > 0 && !matchAny(c.Models, model) {
		return false
	}
	return !matchAny(c.ExcludeModels, model)
}

// fieldExcluded reports whether a field of a model is left out by pattern.
func (c Config) fieldExcluded(model, field string) bool {
	for _, p := range c.ExcludeFields {
		mp, fp, ok := strings.Cut(p, ":")
		if !ok {
			mp, fp = "*", p
		}
		if m1, _ := path.Match(mp, model); !m1 {
			continue
		}
		if f1, _ := path.Match(fp, field); f1 {
			return true
		}
	}
	return false
}
