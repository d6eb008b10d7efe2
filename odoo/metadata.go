package odoo

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Field describes one field of an Odoo model, with the attributes of
// fields_get that odoogql uses.
type Field struct {
	Name          string      `json:"name"`
	Type          string      `json:"type"`
	String        string      `json:"string,omitempty"`
	Help          string      `json:"help,omitempty"`
	Relation      string      `json:"relation,omitempty"`
	RelationField string      `json:"relation_field,omitempty"`
	Required      bool        `json:"required,omitempty"`
	Readonly      bool        `json:"readonly,omitempty"`
	Store         bool        `json:"store,omitempty"`
	Searchable    bool        `json:"searchable,omitempty"`
	Sortable      bool        `json:"sortable,omitempty"`
	Selection     []Selection `json:"selection,omitempty"`
	Groups        string      `json:"groups,omitempty"`
	// Aggregator is the function Odoo aggregates the field with by default
	// in groups ("sum", "avg", "max", …; "" for none): fields_get's
	// aggregator (Odoo 18 and later), group_operator before.
	Aggregator string `json:"aggregator,omitempty"`
}

// Selection is one allowed value of a selection field: the stored value and
// its label.
type Selection struct {
	Value string
	Label string
}

// MarshalJSON writes a selection as Odoo does: ["value", "Label"].
func (s Selection) MarshalJSON() ([]byte, error) {
	return json.Marshal([2]string{s.Value, s.Label})
}

// UnmarshalJSON reads Odoo's [value, label] pair. Non-string values (Odoo
// allows integer selection keys) are kept in their JSON text form.
func (s *Selection) UnmarshalJSON(b []byte) error {
	var pair []json.RawMessage
	if err := json.Unmarshal(b, &pair); err != nil {
		return fmt.Errorf("odoo: selection: %w", err)
	}
	if len(pair) != 2 {
		return fmt.Errorf("odoo: selection: want [value, label], got %d items", len(pair))
	}
	str := func(r json.RawMessage) string {
		var v string
		if json.Unmarshal(r, &v) == nil {
			return v
		}
		return string(r)
	}
	s.Value, s.Label = str(pair[0]), str(pair[1])
	return nil
}

// IsRelational reports whether the field points at records of another model.
func (f Field) IsRelational() bool {
	switch f.Type {
	case "many2one", "one2many", "many2many":
		return true
	}
	return false
}

// IsX2Many reports whether the field holds a list of records.
func (f Field) IsX2Many() bool { return f.Type == "one2many" || f.Type == "many2many" }

// Model describes one Odoo model: its technical name (res.partner), its
// description from ir.model (Contact), and its fields.
type Model struct {
	Model     string           `json:"model"`
	Name      string           `json:"name"`
	Transient bool             `json:"transient,omitempty"`
	Fields    map[string]Field `json:"fields"`
}

// FieldNames returns the model's field names in sorted order.
func (m Model) FieldNames() []string {
	names := make([]string, 0, len(m.Fields))
	for n := range m.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Metadata is a snapshot of the models a gateway exposes.
type Metadata struct {
	// ServerVersion is the server_version the snapshot was read from.
	ServerVersion string `json:"server_version,omitempty"`
	// Models, sorted by technical name.
	Models []Model `json:"models"`
}

// Model returns the model with the given technical name.
func (m *Metadata) Model(name string) (*Model, bool) {
	i := sort.Search(len(m.Models), func(i int) bool { return m.Models[i].Model >= name })
	if i < len(m.Models) && m.Models[i].Model == name {
		return &m.Models[i], true
	}
	return nil, false
}

// Sort orders the models by technical name, as Model expects.
func (m *Metadata) Sort() {
	sort.Slice(m.Models, func(i, j int) bool { return m.Models[i].Model < m.Models[j].Model })
}
