package odootest

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// mustSupply reports whether a required field has no default, so create
// fails without it (like Odoo's NOT NULL constraint).
func (e *env) mustSupply(m *model, f *field) bool {
	switch f.typ {
	case "char", "text", "html":
		switch m.name + "." + f.name {
		case "sale.order.name", "sale.order.line.name", "stock.move.name", "ir.config_parameter.value":
			return false
		}
		return true
	case "many2one":
		if co := e.ds.model(f.relation); co == nil || co.stub {
			return false
		}
		switch f.name {
		case "company_id", "currency_id", "partner_invoice_id", "partner_shipping_id", "categ_id", "uom_id", "uom_po_id", "product_uom":
			return false
		}
		switch m.name + "." + f.name {
		case "res.users.partner_id", "res.company.partner_id", "product.product.product_tmpl_id":
			return false
		}
		return true
	}
	return false
}

// defaultValue is the value create gives a field the caller left out.
func (e *env) defaultValue(m *model, f *field, vals rec) (any, bool) {
	switch f.name {
	case "active":
		return true, true
	case "create_date", "write_date":
		return e.now, f.store
	case "create_uid", "write_uid":
		return e.u.uid, f.store
	}
	switch m.name + "." + f.name {
	case "res.partner.type":
		return "contact", true
	case "res.partner.lang":
		return "en_US", true
	case "sale.order.name":
		return e.nextSequence(m, "S", 5), true
	case "sale.order.state":
		return "draft", true
	case "sale.order.date_order", "stock.move.date", "stock.picking.scheduled_date":
		return e.now, true
	case "sale.order.user_id", "project.task.user_ids":
		if f.typ == "many2many" {
			return []int{e.u.uid}, true
		}
		return e.u.uid, true
	case "sale.order.partner_invoice_id", "sale.order.partner_shipping_id":
		if vals != nil {
			if p, ok := vals["partner_id"].(int); ok && p != 0 {
				return p, true
			}
		}
	case "sale.order.line.product_uom_qty":
		return 1.0, true
	}
	if f.required && f.store {
		if v, ok := m.modes[f.name]; ok {
			return v, true
		}
		switch f.typ {
		case "date":
			return e.now[:10], true
		case "datetime":
			return e.now, true
		case "integer":
			return 0, true
		case "float", "monetary":
			return 0.0, true
		case "boolean":
			return false, true
		}
	}
	return nil, false
}

var seqRe = regexp.MustCompile(`^(\D*)(\d+)$`)

func (e *env) nextSequence(m *model, prefix string, width int) string {
	max := 0
	for _, r := range m.recs {
		if mm := seqRe.FindStringSubmatch(strVal(r["name"])); mm != nil && mm[1] == prefix {
			if n, _ := strconv.Atoi(mm[2]); n > max {
				max = n
			}
		}
	}
	return fmt.Sprintf("%s%0*d", prefix, width, max+1)
}

func (e *env) mandatoryFault(m *model, f *field) *rpcFault {
	label := fieldLabel(f)
	if e.s.major >= 19 {
		return userError(fmt.Sprintf("The operation cannot be completed: Missing required value for the field '%s' (%s).\n"+
			"Model: '%s' (%s)\n- create/update: a mandatory field is not set\n"+
			"- delete: another model requires the record being deleted, you can archive it instead\n", label, f.name, m.desc, m.name))
	}
	return userError(fmt.Sprintf("The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n"+
		"- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n"+
		"Model: %s (%s)\nField: %s (%s)\n", m.desc, m.name, label, f.name))
}

func fieldLabel(f *field) string {
	if v, ok := f.attrs.get("string"); ok {
		if s, ok := v.(string); ok {
			return s
		}
	}
	return f.name
}

func (e *env) fkFault(m *model, f *field) *rpcFault {
	return userError(fmt.Sprintf("The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\n"+
		"Model: %s (%s)\nConstraint: %s_%s_fkey\n", m.desc, m.name, strings.ReplaceAll(m.name, ".", "_"), f.name))
}

// coerce converts a written value to the internal form of field f.
func (e *env) coerce(m *model, f *field, v any) (any, *rpcFault) {
	switch f.typ {
	case "many2one":
		switch x := v.(type) {
		case nil, bool:
			return 0, nil
		case int:
			if co := e.ds.model(f.relation); co != nil && !co.stub && co.recs[x] == nil && x != 0 {
				return nil, e.fkFault(m, f)
			}
			return x, nil
		case float64:
			return int(x), nil
		case []any:
			if len(x) > 0 {
				if id, ok := x[0].(int); ok {
					return id, nil
				}
			}
		}
		return nil, serverError("TypeError", fmt.Sprintf("int() argument must be a string, a bytes-like object or a real number, not '%s'", pyTypeName(v)))
	case "integer":
		switch x := v.(type) {
		case nil:
			return nil, nil
		case bool:
			if x {
				return 1, nil
			}
			return 0, nil
		case int:
			return x, nil
		case float64:
			return int(x), nil
		case string:
			if n, err := strconv.Atoi(x); err == nil {
				return n, nil
			}
		}
		return nil, serverError("ValueError", fmt.Sprintf("invalid literal for int() with base 10: %s", pyRepr(v)))
	case "float", "monetary":
		switch x := v.(type) {
		case nil:
			return nil, nil
		case bool:
			if x {
				return 1.0, nil
			}
			return 0.0, nil
		case int:
			return float64(x), nil
		case float64:
			return x, nil
		case string:
			if n, err := strconv.ParseFloat(x, 64); err == nil {
				return n, nil
			}
		}
		return nil, serverError("ValueError", fmt.Sprintf("could not convert string to float: %s", pyRepr(v)))
	case "boolean":
		switch x := v.(type) {
		case nil:
			return false, nil
		case bool:
			return x, nil
		case int:
			return x != 0, nil
		case string:
			return x != "", nil
		}
		return true, nil
	case "selection":
		if v == nil || v == false {
			return nil, nil
		}
		s := fmt.Sprint(v)
		if sel, ok := f.attrs.get("selection"); ok {
			if list, ok := sel.([]any); ok && len(list) > 0 {
				found := false
				for _, it := range list {
					if pair, ok := it.([]any); ok && len(pair) == 2 && fmt.Sprint(pair[0]) == s {
						found = true
					}
				}
				if !found {
					return nil, serverError("ValueError", fmt.Sprintf("Wrong value for %s.%s: %s", m.name, f.name, pyRepr(v)))
				}
			}
		}
		return s, nil
	case "char", "text", "html", "date", "datetime", "binary":
		switch x := v.(type) {
		case nil, bool:
			if x == true {
				return "True", nil
			}
			return nil, nil
		case string:
			if f.typ == "datetime" && len(x) == 10 {
				x += " 00:00:00"
			}
			if f.typ == "datetime" && len(x) >= 19 && x[10] == 'T' {
				x = x[:10] + " " + x[11:19]
			}
			return x, nil
		}
		return fmt.Sprint(pyRepr(v)), nil
	}
	if v == false {
		return nil, nil
	}
	return v, nil
}

// createMethod: create(vals_list) with a dict or a list of dicts.
func (e *env) createMethod(m *model, _ []int, a *boundArgs) (any, *rpcFault) {
	if f := e.checkModelAccess(m, "create"); f != nil {
		return nil, f
	}
	var list []ostruct
	single := false
	switch x := a.get("vals_list").(type) {
	case ostruct:
		list, single = []ostruct{x}, true
	case []any:
		for _, it := range x {
			vs, ok := it.(ostruct)
			if !ok {
				return nil, serverError("AttributeError", fmt.Sprintf("'%s' object has no attribute 'items'", pyTypeName(it)))
			}
			list = append(list, vs)
		}
	default:
		return nil, serverError("AttributeError", fmt.Sprintf("'%s' object has no attribute 'items'", pyTypeName(a.get("vals_list"))))
	}
	ids := make([]int, 0, len(list))
	for _, vals := range list {
		id, f := e.createRecord(m, vals)
		if f != nil {
			return nil, f
		}
		ids = append(ids, id)
	}
	if single {
		return ids[0], nil
	}
	return ids, nil
}

func (e *env) nameCreateMethod(m *model, _ []int, a *boundArgs) (any, *rpcFault) {
	if f := e.checkModelAccess(m, "create"); f != nil {
		return nil, f
	}
	name := strArg(a.get("name"))
	recName := "name"
	if m.fields["name"] == nil {
		return nil, userError(fmt.Sprintf("Cannot execute name_create, no _rec_name defined on %s", m.name))
	}
	id, f := e.createRecord(m, ostruct{{recName, name}})
	if f != nil {
		return nil, f
	}
	return []any{id, e.displayName(m, m.recs[id])}, nil
}

// validateVals checks that every written field exists.
func (e *env) validateVals(m *model, vals ostruct, method string) *rpcFault {
	for _, kv := range vals {
		if m.fields[kv.Name] == nil {
			return e.s.invalidWriteFieldFault(method, m.name, kv.Name)
		}
	}
	return nil
}

// createRecord creates one record from vals and returns its id.
func (e *env) createRecord(m *model, vals ostruct) (int, *rpcFault) {
	if f := e.validateVals(m, vals, "create"); f != nil {
		return 0, f
	}
	r := rec{}
	var x2m []member
	var related []member
	for _, kv := range vals {
		f := m.fields[kv.Name]
		switch {
		case kv.Name == "id" || kv.Name == "display_name":
			continue
		case f.x2many():
			x2m = append(x2m, kv)
			continue
		case len(f.related) > 1 && !f.store:
			related = append(related, kv)
			continue
		case !f.store:
			continue
		}
		v, fault := e.coerce(m, f, kv.Value)
		if fault != nil {
			return 0, fault
		}
		if v != nil {
			r[kv.Name] = v
			if str, ok := v.(string); ok && f.translate && e.lang != "" {
				setTranslation(r, kv.Name, e.lang, str) // en_US and the context's language
			}
		}
	}
	// Auto-created parents (_inherits and friends).
	if f := e.autoCreateParents(m, r, related); f != nil {
		return 0, f
	}
	for _, name := range m.fieldOrder {
		f := m.fields[name]
		if _, ok := r[name]; ok || f == nil || f.x2many() {
			continue
		}
		if dv, ok := e.defaultValue(m, f, r); ok {
			if f.required && e.mustSupply(m, f) && !(name == "active" || name == "create_uid" || name == "write_uid") {
				continue
			}
			r[name] = dv
		}
	}
	if m.fields["active"] != nil {
		if _, ok := r["active"]; !ok {
			r["active"] = true
		}
	}
	for _, name := range m.fieldOrder {
		f := m.fields[name]
		if f == nil || !f.required || !f.store || f.x2many() {
			continue
		}
		if v, ok := r[name]; !ok || v == nil || v == 0 && f.typ == "many2one" {
			return 0, e.mandatoryFault(m, f)
		}
	}
	if m.name == "res.partner" {
		if strVal(r["type"]) == "contact" && strVal(r["name"]) == "" {
			return 0, userError("The operation cannot be completed: Contacts require a name")
		}
	}
	if f := e.checkSQLConstraints(m, r); f != nil {
		return 0, f
	}
	e.touch(m) // txn.go: undone if the call fails
	m.maxID++
	id := m.maxID
	r["id"] = id
	e.computeStored(m, r)
	m.recs[id] = r
	m.indexAdd(id, r)
	for _, kv := range related {
		if f := e.writeRelated(m, r, m.fields[kv.Name], kv.Value); f != nil {
			return 0, f
		}
	}
	if len(x2m) > 0 {
		if _, f := e.writeRecord(m, m.recs[id], x2m); f != nil {
			return 0, f
		}
	}
	e.refreshDisplayName(m, id)
	return id, nil
}

// autoCreateParents creates the records some models need on create: the
// partner of a user or company, the template of a product variant.
func (e *env) autoCreateParents(m *model, r rec, related []member) *rpcFault {
	relVal := func(name string) any {
		for _, kv := range related {
			if kv.Name == name {
				return kv.Value
			}
		}
		return nil
	}
	switch m.name {
	case "res.users", "res.company":
		if _, ok := r["partner_id"]; ok {
			return nil
		}
		p := e.ds.model("res.partner")
		if p == nil {
			return nil
		}
		name := relVal("name")
		if name == nil {
			name = r["name"]
		}
		if name == nil {
			name = r["login"]
		}
		vals := ostruct{{"name", name}}
		if m.name == "res.company" {
			vals = append(vals, member{"is_company", true})
		}
		if em := relVal("email"); em != nil {
			vals = append(vals, member{"email", em})
		}
		pid, f := e.createRecord(p, vals)
		if f != nil {
			return f
		}
		r["partner_id"] = pid
	case "product.product":
		if _, ok := r["product_tmpl_id"]; ok {
			return nil
		}
		t := e.ds.model("product.template")
		if t == nil {
			return nil
		}
		var vals ostruct
		for _, kv := range related {
			f := m.fields[kv.Name]
			if len(f.related) == 2 && f.related[0] == "product_tmpl_id" && t.fields[f.related[1]] != nil {
				vals = append(vals, member{f.related[1], kv.Value})
			}
		}
		tid, f := e.createRecord(t, vals)
		if f != nil {
			return f
		}
		r["product_tmpl_id"] = tid
	}
	return nil
}

// computeStored recomputes the stored fields odootest derives from others.
func (e *env) computeStored(m *model, r rec) {
	switch m.name {
	case "res.partner":
		name := strVal(r["name"])
		cn := name
		if pid, _ := r["parent_id"].(int); pid != 0 {
			if pr := m.recs[pid]; pr != nil {
				pn := strVal(pr["commercial_company_name"])
				if pn == "" {
					pn = strVal(pr["name"])
				}
				cn = pn + ", " + name
				r["commercial_partner_id"] = pr["commercial_partner_id"]
				if r["commercial_partner_id"] == nil {
					r["commercial_partner_id"] = pid
				}
				r["commercial_company_name"] = pn
			}
		} else if m.fields["commercial_partner_id"] != nil {
			r["commercial_partner_id"] = r["id"]
			if b, _ := r["is_company"].(bool); b {
				r["commercial_company_name"] = name
			} else {
				delete(r, "commercial_company_name")
			}
		}
		if m.fields["complete_name"] != nil {
			r["complete_name"] = cn
		}
		if em := strVal(r["email"]); em != "" && m.fields["email_normalized"] != nil {
			r["email_normalized"] = strings.ToLower(strings.TrimSpace(em))
		}
	case "product.category", "res.partner.category":
		if m.fields["complete_name"] != nil {
			cn := strVal(r["name"])
			if pid, _ := r["parent_id"].(int); pid != 0 && m.recs[pid] != nil {
				cn = strVal(m.recs[pid]["complete_name"]) + " / " + cn
			}
			r["complete_name"] = cn
		}
	case "sale.order.line":
		qty := toFloat(r["product_uom_qty"])
		price := toFloat(r["price_unit"])
		if m.fields["price_subtotal"] != nil {
			r["price_subtotal"] = qty * price
		}
	}
}

// refreshDisplayName recomputes the display name of a record (and of
// records whose display name depends on it).
func (e *env) refreshDisplayName(m *model, id int) {
	r := m.recs[id]
	if r == nil {
		return
	}
	dn := computeDisplayName(e.ds.models, m, r)
	if dn != strVal(r["display_name"]) {
		nr := maps.Clone(r)
		nr["display_name"] = dn
		e.touch(m)
		m.recs[id] = nr
	}
}

func (e *env) writeMethod(m *model, ids []int, a *boundArgs) (any, *rpcFault) {
	vals, ok := a.get("vals").(ostruct)
	if !ok {
		return nil, serverError("AttributeError", fmt.Sprintf("'%s' object has no attribute 'items'", pyTypeName(a.get("vals"))))
	}
	if f := e.checkModelAccess(m, "write"); f != nil {
		return nil, f
	}
	if f := e.validateVals(m, vals, "write"); f != nil {
		return nil, f
	}
	recs := existing(m, ids)
	if len(recs) < len(slices.Compact(slices.Sorted(slices.Values(ids)))) {
		return nil, userError(fmt.Sprintf("Record does not exist or has been deleted.\n(Record: %s(%s,), User: %d)", m.name, joinMissing(m, ids), e.u.uid))
	}
	if f := e.checkRules(m, recs, "write"); f != nil {
		return nil, f
	}
	for _, r := range recs {
		if _, f := e.writeRecord(m, m.recs[r["id"].(int)], vals); f != nil {
			return nil, f
		}
	}
	return true, nil
}

func joinMissing(m *model, ids []int) string {
	var miss []string
	for _, id := range ids {
		if m.recs[id] == nil {
			miss = append(miss, strconv.Itoa(id))
		}
	}
	return strings.Join(miss, ", ")
}

// writeRecord applies vals to one record.
func (e *env) writeRecord(m *model, r rec, vals ostruct) (rec, *rpcFault) {
	id := r["id"].(int)
	nr := maps.Clone(r)
	var x2m []member
	var related []member
	for _, kv := range vals {
		f := m.fields[kv.Name]
		switch {
		case f == nil || kv.Name == "id" || kv.Name == "display_name":
			continue
		case f.x2many():
			x2m = append(x2m, kv)
			continue
		case len(f.related) > 1 && !f.store:
			related = append(related, kv)
			continue
		case !f.store:
			continue
		}
		v, fault := e.coerce(m, f, kv.Value)
		if fault != nil {
			return nil, fault
		}
		if f.required && (v == nil || (f.typ == "many2one" && v == 0)) {
			return nil, e.mandatoryFault(m, f)
		}
		switch {
		case f.typ == "many2one" && v == 0:
			delete(nr, kv.Name)
		case v == nil:
			delete(nr, kv.Name)
			delete(nr, trKey(kv.Name)) // False empties every language
		case f.translate && e.lang != "":
			// The context's language only; en_US too when it had no value.
			if _, had := nr[kv.Name]; !had {
				nr[kv.Name] = v
			}
			str, _ := v.(string)
			setTranslation(nr, kv.Name, e.lang, str)
		default:
			nr[kv.Name] = v
		}
	}
	if m.name == "res.partner" && strVal(nr["type"]) == "contact" && strVal(nr["name"]) == "" {
		return nil, userError("The operation cannot be completed: Contacts require a name")
	}
	if m.fields["write_date"] != nil {
		nr["write_date"] = e.now
	}
	if m.fields["write_uid"] != nil {
		nr["write_uid"] = e.u.uid
	}
	if f := e.checkSQLConstraints(m, nr); f != nil {
		return nil, f
	}
	e.computeStored(m, nr)
	e.touch(m)
	m.indexRemove(id, r)
	m.recs[id] = nr
	m.indexAdd(id, nr)
	for _, kv := range related {
		if f := e.writeRelated(m, nr, m.fields[kv.Name], kv.Value); f != nil {
			return nil, f
		}
	}
	for _, kv := range x2m {
		if f := e.writeX2Many(m, id, m.fields[kv.Name], kv.Value); f != nil {
			return nil, f
		}
	}
	e.syncAllGroups(m, id)
	e.refreshDisplayName(m, id)
	e.propagate(m, id)
	return m.recs[id], nil
}

// propagate refreshes records whose stored names derive from record id.
func (e *env) propagate(m *model, id int) {
	switch m.name {
	case "res.partner", "product.category", "res.partner.category":
		children := m.inverse["parent_id"][id]
		if children == nil && m.name != "res.partner" {
			for cid, cr := range m.recs {
				if p, _ := cr["parent_id"].(int); p == id {
					e.refreshChild(m, cid)
				}
			}
			return
		}
		for cid := range children {
			e.refreshChild(m, cid)
		}
	}
}

func (e *env) refreshChild(m *model, cid int) {
	cr := maps.Clone(m.recs[cid])
	e.computeStored(m, cr)
	e.touch(m)
	m.recs[cid] = cr
	e.refreshDisplayName(m, cid)
	e.propagate(m, cid)
}

// writeRelated writes through a non-stored related field (res.users.name →
// res.partner.name).
func (e *env) writeRelated(m *model, r rec, f *field, v any) *rpcFault {
	cur, cr := m, r
	for _, hop := range f.related[:len(f.related)-1] {
		hf := cur.fields[hop]
		if hf == nil || hf.typ != "many2one" {
			return nil
		}
		tid, _ := cr[hop].(int)
		co := e.ds.model(hf.relation)
		if tid == 0 || co == nil || co.stub || co.recs[tid] == nil {
			return nil
		}
		cur, cr = co, co.recs[tid]
	}
	last := f.related[len(f.related)-1]
	if cur.fields[last] == nil {
		return nil
	}
	_, fault := e.writeRecord(cur, cr, ostruct{{last, v}})
	return fault
}

// writeX2Many applies x2many commands (or a plain id list) to field f of
// record id.
func (e *env) writeX2Many(m *model, id int, f *field, v any) *rpcFault {
	co := e.ds.model(f.relation)
	if co == nil {
		return nil
	}
	cmds, ok := v.([]any)
	if !ok {
		if v == nil || v == false {
			cmds = []any{[]any{5}}
		} else {
			return serverError("ValueError", fmt.Sprintf("Wrong value for %s.%s: %s", m.name, f.name, pyRepr(v)))
		}
	}
	// A plain list of ids means "set".
	if len(cmds) > 0 {
		if _, isID := cmds[0].(int); isID {
			cmds = []any{[]any{6, 0, cmds}}
		}
	}
	cur := e.get(m, m.recs[id], f)
	ids, _ := cur.([]int)
	ids = slices.Clone(ids)
	link := func(cid int) {
		if !slices.Contains(ids, cid) {
			ids = append(ids, cid)
		}
	}
	unlinkID := func(cid int) { ids = slices.DeleteFunc(ids, func(x int) bool { return x == cid }) }
	for _, c := range cmds {
		cmd, ok := c.([]any)
		if !ok || len(cmd) == 0 {
			return serverError("ValueError", fmt.Sprintf("Wrong value for %s.%s: %s", m.name, f.name, pyRepr(c)))
		}
		code, _ := cmd[0].(int)
		arg := func(i int) any {
			if i < len(cmd) {
				return cmd[i]
			}
			return nil
		}
		cid, _ := arg(1).(int)
		switch code {
		case 0: // CREATE
			vals, _ := arg(2).(ostruct)
			if f.typ == "one2many" && f.relationField != "" && co.fields[f.relationField] != nil {
				vals = append(slices.Clone(vals.without(f.relationField)), member{f.relationField, id})
			}
			if f := e.checkModelAccess(co, "create"); f != nil {
				return f
			}
			nid, fault := e.createRecord(co, vals)
			if fault != nil {
				return fault
			}
			link(nid)
		case 1: // UPDATE
			vals, _ := arg(2).(ostruct)
			if cr := co.recs[cid]; cr != nil {
				if _, fault := e.writeRecord(co, cr, vals); fault != nil {
					return fault
				}
			}
		case 2: // DELETE
			if co.recs[cid] != nil {
				if fault := e.unlinkIDs(co, []int{cid}); fault != nil {
					return fault
				}
			}
			unlinkID(cid)
		case 3: // UNLINK
			unlinkID(cid)
		case 4: // LINK
			if co.recs[cid] == nil && !co.stub {
				return userError(fmt.Sprintf("Record does not exist or has been deleted.\n(Record: %s(%d,), User: %d)", co.name, cid, e.u.uid))
			}
			link(cid)
		case 5: // CLEAR
			ids = ids[:0]
		case 6: // SET
			ids = ids[:0]
			newIDs, _ := toIDs(arg(2))
			for _, x := range newIDs {
				link(x)
			}
		default:
			return serverError("ValueError", fmt.Sprintf("Wrong value for %s.%s: %s", m.name, f.name, pyRepr(c)))
		}
	}
	if f.inverse {
		// The list is derived from the comodel's many2one: update it.
		before, _ := cur.([]int)
		for _, cid := range before {
			if !slices.Contains(ids, cid) {
				if cr := co.recs[cid]; cr != nil {
					if _, fault := e.writeRecord(co, cr, ostruct{{f.relationField, false}}); fault != nil {
						return fault
					}
				}
			}
		}
		for _, cid := range ids {
			if cr := co.recs[cid]; cr != nil {
				if t, _ := cr[f.relationField].(int); t != id {
					if _, fault := e.writeRecord(co, cr, ostruct{{f.relationField, id}}); fault != nil {
						return fault
					}
				}
			}
		}
		return nil
	}
	r := maps.Clone(m.recs[id])
	r[f.name] = ids
	e.touch(m)
	m.recs[id] = r
	return nil
}

func (e *env) unlinkMethod(m *model, ids []int, _ *boundArgs) (any, *rpcFault) {
	if f := e.checkModelAccess(m, "unlink"); f != nil {
		return nil, f
	}
	if f := e.checkRules(m, existing(m, ids), "unlink"); f != nil {
		return nil, f
	}
	if f := e.unlinkIDs(m, ids); f != nil {
		return nil, f
	}
	return true, nil
}

// unlinkIDs deletes records. Many2one references to them read as empty
// from then on; one2many children with a cascading inverse go too.
func (e *env) unlinkIDs(m *model, ids []int) *rpcFault {
	for _, id := range ids {
		r := m.recs[id]
		if r == nil {
			continue
		}
		e.touch(m)
		m.indexRemove(id, r)
		delete(m.recs, id)
		// Cascade to one2many lines (sale.order.line of an order, ...).
		for _, f := range m.fields {
			if !f.inverse {
				continue
			}
			co := e.ds.model(f.relation)
			inv := co.fields[f.relationField]
			if inv == nil || !inv.required {
				continue
			}
			var children []int
			for cid := range co.inverse[f.relationField][id] {
				children = append(children, cid)
			}
			if len(children) > 0 && co != m {
				if fault := e.unlinkIDs(co, children); fault != nil {
					return fault
				}
			}
		}
	}
	return nil
}
