package odootest

import "maps"

// A call that writes is one transaction, as in Odoo: when it fails, nothing
// it changed stays, whatever it had stored before the fault (the order of
// a create whose nested line is invalid, the first records of a batch).
// Each model a call changes is saved the first time it changes (touch),
// and restored on a fault (rollback). Record maps are never changed in place
// (writers copy a record before changing it), so saving a model copies its
// id → record map and its inverse indexes, not the records.

// undoModel is what a model was before the call changed it.
type undoModel struct {
	recs    map[int]rec
	maxID   int
	inverse map[string]map[int]map[int]struct{}
}

// touch saves m before the call's first change to it.
func (e *env) touch(m *model) {
	if e.undo == nil {
		e.undo = map[*model]*undoModel{}
	}
	if _, ok := e.undo[m]; ok {
		return
	}
	u := &undoModel{recs: maps.Clone(m.recs), maxID: m.maxID, inverse: make(map[string]map[int]map[int]struct{}, len(m.inverse))}
	for f, idx := range m.inverse {
		ci := make(map[int]map[int]struct{}, len(idx))
		for t, set := range idx {
			ci[t] = maps.Clone(set)
		}
		u.inverse[f] = ci
	}
	e.undo[m] = u
}

// rollback restores every model the call changed.
func (e *env) rollback() {
	for m, u := range e.undo {
		m.recs, m.maxID, m.inverse = u.recs, u.maxID, u.inverse
	}
	e.undo = nil
}

// checkSQLConstraints checks the table constraints odootest knows of on a
// record about to be stored, failing as Odoo does (_as_validation_error:
// "The operation cannot be completed: " and the constraint's message).
func (e *env) checkSQLConstraints(m *model, r rec) *rpcFault {
	switch m.name {
	case "sale.order.line":
		// accountable_required_fields: CHECK(display_type IS NOT NULL OR
		// is_downpayment OR (product_id IS NOT NULL AND ...)).
		if m.fields["product_id"] == nil || strVal(r["display_type"]) != "" {
			return nil
		}
		if dp, _ := r["is_downpayment"].(bool); dp {
			return nil
		}
		if p, _ := r["product_id"].(int); p == 0 {
			return userError("The operation cannot be completed: Missing required fields on accountable sale order line.")
		}
	}
	return nil
}
