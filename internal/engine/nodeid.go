package engine

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// The node id of a record (Relay's global object identification): the
// Odoo reference "model,id" (res.partner,7) in URL-safe base64 without
// padding, so that it is opaque, unique across models and stable: it names
// the Odoo model, not the GraphQL type, which a change of the exposed
// models may rename.

// NodeID returns the node id of record id of model.
func NodeID(model string, id int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(model + "," + strconv.Itoa(id)))
}

// NodeIDs returns the node ids of records ids (decimal, as a mutation's
// ids argument) of model.
func NodeIDs(model string, ids []string) []string {
	out := make([]string, len(ids))
	for i, s := range ids {
		id, _ := parseID(s)
		out[i] = NodeID(model, id)
	}
	return out
}

// ParseNodeID returns the model and the record id (decimal, as a root
// field's id argument) of a node id; a BAD_USER_INPUT error when nodeID is
// not one.
func ParseNodeID(nodeID string) (model, id string, err error) {
	raw, derr := base64.RawURLEncoding.DecodeString(nodeID)
	m, idText, ok := strings.Cut(string(raw), ",")
	if derr != nil || !ok || m == "" || !validModelName(m) {
		return "", "", badInput("%q is not a node id (read one from a record's nodeId)", nodeID)
	}
	if n, err := strconv.Atoi(idText); err != nil || n <= 0 || strconv.Itoa(n) != idText {
		return "", "", badInput("%q is not a node id (read one from a record's nodeId)", nodeID)
	}
	return m, idText, nil
}

// validModelName reports whether s can be an Odoo model name: lowercase
// letters, digits, dots and underscores.
func validModelName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_') {
			return false
		}
	}
	return true
}
