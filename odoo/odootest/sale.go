package odootest

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Business actions of sale.order, as Odoo 18's sale (and sale_stock)
// modules run them: action_confirm and action_cancel. Other models do not
// have them (Odoo's AttributeError fault).

// saleRecords checks a sale.order action's call: the model has the method,
// the caller may write the records, they exist and the record rules let
// the caller write them.
func (e *env) saleRecords(m *model, ids []int, method string) ([]rec, *rpcFault) {
	if m.name != "sale.order" {
		return nil, e.s.unknownMethodFault(m.name, method)
	}
	if f := e.checkModelAccess(m, "write"); f != nil {
		return nil, f
	}
	recs := existing(m, ids)
	if len(recs) < len(slices.Compact(slices.Sorted(slices.Values(ids)))) {
		return nil, userError(fmt.Sprintf("Record does not exist or has been deleted.\n(Record: %s(%s,), User: %d)", m.name, joinMissing(m, ids), e.u.uid))
	}
	if f := e.checkRules(m, recs, "write"); f != nil {
		return nil, f
	}
	return recs, nil
}

// actionConfirmMethod is sale.order.action_confirm (Odoo 18, sale/models/
// sale_order.py): every order must be a quotation (draft or sent) whose
// lines all have a product — else the UserError of
// _confirmation_error_message, before anything is written —; then state
// 'sale' and date_order now, and (sale_stock, when stock.picking is
// installed) a delivery order per order. Returns True.
func (e *env) actionConfirmMethod(m *model, ids []int, _ *boundArgs) (any, *rpcFault) {
	recs, f := e.saleRecords(m, ids, "action_confirm")
	if f != nil {
		return nil, f
	}
	lines := e.ds.model("sale.order.line")
	for _, r := range recs {
		if st, _ := r["state"].(string); st != "draft" && st != "sent" {
			return nil, userError("Some orders are not in a state requiring confirmation.")
		}
		if lines == nil {
			continue
		}
		for _, l := range lines.recs {
			if oid, _ := l["order_id"].(int); oid != r["id"] {
				continue
			}
			display, _ := l["display_type"].(string)
			down, _ := l["is_downpayment"].(bool)
			product, _ := l["product_id"].(int)
			if display == "" && !down && product == 0 {
				return nil, userError("A line on these orders missing a product, you cannot confirm it.")
			}
		}
	}
	vals := ostruct{{"state", "sale"}}
	if m.fields["date_order"] != nil {
		vals = append(vals, member{"date_order", e.now})
	}
	for _, r := range recs {
		if _, f := e.writeRecord(m, m.recs[r["id"].(int)], vals); f != nil {
			return nil, f
		}
	}
	if pickings := e.ds.model("stock.picking"); pickings != nil && !pickings.stub {
		for _, r := range recs {
			if f := e.createDelivery(m, pickings, m.recs[r["id"].(int)]); f != nil {
				return nil, f
			}
		}
	}
	return true, nil
}

// createDelivery creates the delivery order of a confirmed sale order, as
// sale_stock's procurement does, minimally: a stock.picking of the delivery
// type (that of the demo's other deliveries), from the warehouse's stock to
// the customers, named after the last WH/OUT/ number, with origin the
// order's name and sale_id the order (when the model has these fields).
func (e *env) createDelivery(orders, pickings *model, order rec) *rpcFault {
	var tmpl rec
	last := 0
	for _, id := range slices.Sorted(maps.Keys(pickings.recs)) {
		p := pickings.recs[id]
		name, _ := p["name"].(string)
		if n, err := strconv.Atoi(strings.TrimPrefix(name, "WH/OUT/")); err == nil && strings.HasPrefix(name, "WH/OUT/") {
			last = max(last, n)
			tmpl = p
		}
	}
	if tmpl == nil {
		return nil // no delivery type known: nothing to copy
	}
	vals := ostruct{{"name", fmt.Sprintf("WH/OUT/%05d", last+1)}}
	for _, k := range []string{"picking_type_id", "location_id", "location_dest_id", "move_type", "company_id"} {
		if v, ok := tmpl[k]; ok && pickings.fields[k] != nil {
			vals = append(vals, member{k, v})
		}
	}
	if pickings.fields["partner_id"] != nil {
		vals = append(vals, member{"partner_id", order["partner_id"]})
	}
	if pickings.fields["origin"] != nil {
		vals = append(vals, member{"origin", order["name"]})
	}
	if pickings.fields["sale_id"] != nil && pickings.fields["sale_id"].relation == orders.name {
		vals = append(vals, member{"sale_id", order["id"]})
	}
	if pickings.fields["scheduled_date"] != nil {
		vals = append(vals, member{"scheduled_date", e.now})
	}
	id, f := e.createRecord(pickings, vals)
	if f != nil {
		return f
	}
	if pickings.fields["state"] != nil {
		// Waiting for availability.
		if _, f := e.writeRecord(pickings, pickings.recs[id], ostruct{{"state", "confirmed"}}); f != nil {
			return f
		}
	}
	if pf := orders.fields["picking_ids"]; pf != nil && !pf.inverse {
		// A stored list (not computed from sale_id): add the picking.
		if _, f := e.writeRecord(orders, orders.recs[order["id"].(int)], ostruct{{"picking_ids", []any{[]any{4, id}}}}); f != nil {
			return f
		}
	}
	return nil
}

// actionCancelMethod is sale.order.action_cancel (Odoo 18): a locked order
// cannot be cancelled (UserError); when an order is not a draft, Odoo
// returns the cancellation wizard's window action for one order (here
// without the view and template ids, which the demo does not hold); else
// _action_cancel writes state 'cancel' and returns write's True.
func (e *env) actionCancelMethod(m *model, ids []int, _ *boundArgs) (any, *rpcFault) {
	recs, f := e.saleRecords(m, ids, "action_cancel")
	if f != nil {
		return nil, f
	}
	wizard := false
	for _, r := range recs {
		if locked, _ := r["locked"].(bool); locked {
			return nil, userError("You cannot cancel a locked order. Please unlock it first.")
		}
		if st, _ := r["state"].(string); st != "draft" {
			wizard = true
		}
	}
	if wizard {
		if len(recs) != 1 {
			parts := make([]string, len(recs))
			for i, r := range recs {
				parts[i] = strconv.Itoa(r["id"].(int))
			}
			return nil, serverError("ValueError", fmt.Sprintf("Expected singleton: sale.order(%s)", strings.Join(parts, ", ")))
		}
		return ostruct{
			{"name", "Cancel Sales Order"},
			{"view_mode", "form"},
			{"res_model", "sale.order.cancel"},
			{"type", "ir.actions.act_window"},
			{"context", ostruct{{"default_order_id", recs[0]["id"]}, {"mark_so_as_canceled", true}}},
			{"target", "new"},
		}, nil
	}
	for _, r := range recs {
		if _, f := e.writeRecord(m, m.recs[r["id"].(int)], ostruct{{"state", "cancel"}}); f != nil {
			return nil, f
		}
	}
	return true, nil
}
