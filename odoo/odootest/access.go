package odootest

import (
	"fmt"
	"strings"
)

// Users of the demo database.
const (
	AdminUID = 2 // admin / admin, "Mitchell Admin", every right
	DemoUID  = 6 // demo / demo, "Marc Demo", an internal user with limited rights
)

type user struct {
	uid      int
	login    string
	password string
	name     string
	admin    bool
	groups   map[string]bool // the groups a non-admin user belongs to
	apiKeys  []string
}

func (u *user) hasGroups(spec string) bool {
	if spec == "" {
		return true
	}
	for _, g := range strings.Split(spec, ",") {
		g = strings.TrimSpace(g)
		if neg, ok := strings.CutPrefix(g, "!"); ok {
			if u.admin {
				if neg != "base.group_portal" && neg != "base.group_public" {
					continue
				}
				return true
			}
			if !u.groups[neg] {
				return true
			}
			continue
		}
		if u.admin || u.groups[g] {
			return true
		}
	}
	return false
}

func defaultUsers() map[int]*user {
	return map[int]*user{
		AdminUID: {uid: AdminUID, login: "admin", password: "admin", name: "Mitchell Admin", admin: true},
		DemoUID: {uid: DemoUID, login: "demo", password: "demo", name: "Marc Demo",
			groups: map[string]bool{"base.group_user": true}},
	}
}

// demoAccess is the demo user's model access (ir.model.access): r read,
// w write, c create, u unlink. Models not listed are read-only for demo;
// stub models are read-only for everybody but admin.
var demoAccess = map[string]string{
	"res.partner":          "rwcu",
	"res.partner.category": "rwcu",
	"res.users":            "r",
	"res.company":          "r",
	"res.country":          "r",
	"res.country.state":    "r",
	"res.currency":         "r",
	"product.product":      "r",
	"product.template":     "r",
	"product.category":     "r",
	"uom.uom":              "r",
	"account.tax":          "",
	"crm.tag":              "rwcu",
	"sale.order":           "rwcu",
	"sale.order.line":      "rwcu",
	"stock.picking":        "rwc",
	"stock.move":           "rwc",
	"stock.warehouse":      "r",
	"project.project":      "r",
	"project.task":         "rwcu",
	"ir.config_parameter":  "",
	"ir.model.access":      "",
}

// accessGroups names the groups an AccessError lists as allowed, per model
// and operation.
func accessGroups(model, op string) []string {
	switch model {
	case "res.users", "res.company", "ir.model.access":
		return []string{"Administration/Access Rights"}
	case "res.country", "res.country.state", "res.currency", "ir.config_parameter":
		return []string{"Administration/Settings"}
	case "product.product", "product.template", "product.category", "uom.uom":
		return []string{"Inventory/Administrator", "Sales/Administrator"}
	case "account.tax":
		if op == "read" {
			return []string{"Accounting/Billing", "Accounting/Read-only"}
		}
		return []string{"Accounting/Billing Administrator"}
	case "stock.warehouse", "stock.picking", "stock.move":
		return []string{"Inventory/Administrator"}
	case "project.project":
		return []string{"Project/Administrator"}
	}
	return []string{"Administration/Settings"}
}

var opVerb = map[string]string{"read": "access", "write": "modify", "create": "create", "unlink": "delete"}
var opLetter = map[string]byte{"read": 'r', "write": 'w', "create": 'c', "unlink": 'u'}

// canAccess reports the model-level right of the user for operation.
func (e *env) canAccess(m *model, op string) bool {
	if e.u.admin {
		return true
	}
	perms, ok := demoAccess[m.name]
	if !ok {
		perms = "r"
	}
	return strings.IndexByte(perms, opLetter[op]) >= 0
}

func (e *env) modelAccessError(m *model, op string) *rpcFault {
	var sb strings.Builder
	fmt.Fprintf(&sb, "You are not allowed to %s '%s' (%s) records.\n\n", opVerb[op], m.desc, m.name)
	groups := accessGroups(m.name, op)
	if len(groups) == 0 {
		sb.WriteString("No group currently allows this operation.\n\n")
	} else {
		sb.WriteString("This operation is allowed for the following groups:\n")
		for _, g := range groups {
			if e.s.major >= 19 {
				if i := strings.LastIndexByte(g, '/'); i >= 0 {
					g = g[i+1:]
				}
			}
			sb.WriteString("\t- " + g + "\n")
		}
		sb.WriteString("\n")
	}
	sb.WriteString("Contact your administrator to request access if necessary.")
	return accessError(sb.String())
}

func (e *env) checkModelAccess(m *model, op string) *rpcFault {
	if e.canAccess(m, op) {
		return nil
	}
	return e.modelAccessError(m, op)
}

// ruleNode returns the compiled record rules of the user on m, or nil: the
// demo user's "Personal Orders" on sale.order, and for everybody the
// multi-company rule of m (see i18n.go) when some companies are not active.
func (e *env) ruleNode(m *model) dnode {
	if e.ruleCache == nil {
		e.ruleCache = map[string]dnode{}
	}
	if n, ok := e.ruleCache[m.name]; ok {
		return n
	}
	var dom []any
	if !e.u.admin && m.name == "sale.order" {
		// "Personal Orders": ['|', ('user_id', '=', user.id), ('user_id', '=', False)]
		dom = []any{"|", []any{"user_id", "=", e.u.uid}, []any{"user_id", "=", false}}
	}
	if e.restricted {
		if cr := companyRule(m, e.companies); cr != nil {
			if dom != nil {
				dom = append(append([]any{"&"}, dom...), cr...)
			} else {
				dom = cr
			}
		}
	}
	var n dnode
	if dom != nil {
		var err error
		if n, err = e.compileDomain(m, dom); err != nil {
			n = nil
		}
	}
	e.ruleCache[m.name] = n
	return n
}

func (e *env) recordRuleError(m *model, op string) *rpcFault {
	return accessError(fmt.Sprintf("Uh-oh! Looks like you have stumbled upon some top-secret records.\n\n"+
		"Sorry, %s (id=%d) doesn't have '%s' access to:\n- %s (%s)\n\n"+
		"If you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.",
		e.u.name, e.u.uid, op, m.desc, m.name))
}

// checkRules fails with an AccessError when one of the records is outside
// the user's record rules.
func (e *env) checkRules(m *model, recs []rec, op string) *rpcFault {
	rule := e.ruleNode(m)
	if rule == nil {
		return nil
	}
	for _, r := range recs {
		if !e.eval(rule, m, r) {
			return e.recordRuleError(m, op)
		}
	}
	return nil
}

func (e *env) fieldAccessError(m *model, f *field, op string) *rpcFault {
	return accessError(fmt.Sprintf("You do not have enough rights to access the field \"%s\" on %s (%s). "+
		"Please contact your system administrator.\n\nOperation: %s", f.name, m.desc, m.name, op))
}
