package odootest

import (
	"log/slog"
	"strings"
	"testing"
)

// TestReadGroup: read_group as Odoo 18 answers it with lazy=False: date
// periods with their labels and __range, aggregates by alias, orderby on an
// aggregate and on __count, offset and limit, and the totals row without
// groupby.
func TestReadGroup(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	rows := c.must("sale.order", "read_group", L(L(), L("total:sum(amount_total)", "amount_total:max", "date_order:min"), L("date_order:month")),
		KW("lazy", false)).([]any)
	if len(rows) == 0 {
		t.Fatal("no groups")
	}
	n := 0
	prev := ""
	for _, r := range rows {
		row := r.(ostruct)
		label, _ := row.get("date_order:month")
		rng, _ := row.get("__range")
		bounds, _ := rng.(ostruct).get("date_order:month")
		from, _ := bounds.(ostruct).get("from")
		to, _ := bounds.(ostruct).get("to")
		f, _ := from.(string)
		if !strings.HasSuffix(f, "-01 00:00:00") || f <= prev || to.(string) <= f {
			t.Errorf("range %v–%v after %s", from, to, prev)
		}
		prev = f
		if l, _ := label.(string); len(strings.Fields(l)) != 2 || !strings.HasSuffix(l, f[:4]) {
			t.Errorf("label %q for the month of %s (want \"October 2026\" style)", label, f)
		}
		cnt, _ := row.get("__count")
		n += cnt.(int)
		for _, k := range []string{"total", "amount_total", "date_order", "__domain"} {
			if _, ok := row.get(k); !ok {
				t.Errorf("row without %s: %s", k, pyRepr(row))
			}
		}
	}
	all := c.must("sale.order", "search_count", L(L()), nil).(int)
	if n != all {
		t.Errorf("groups count %d orders, want %d", n, all)
	}

	// Ordered by an aggregate, paged.
	rows = c.must("sale.order", "read_group", L(L(), L("total:sum(amount_total)"), L("partner_id")),
		KW("lazy", false, "orderby", "total desc", "offset", 1, "limit", 2)).([]any)
	if len(rows) != 2 {
		t.Fatalf("%d groups, want 2", len(rows))
	}
	a, _ := rows[0].(ostruct).get("total")
	b, _ := rows[1].(ostruct).get("total")
	if toFloat(a) < toFloat(b) {
		t.Errorf("not by total descending: %v then %v", a, b)
	}
	rows = c.must("sale.order", "read_group", L(L(), L(), L("state")), KW("lazy", false, "orderby", "__count desc")).([]any)
	first, _ := rows[0].(ostruct).get("state")
	if first != "sale" {
		t.Errorf("most frequent state first, got %v", first)
	}

	// No groupby: one row of totals, even for no record.
	rows = c.must("sale.order", "read_group", L(L(L("id", "=", -1)), L("amount_total:sum", "date_order:max"), L()), KW("lazy", false)).([]any)
	if len(rows) != 1 {
		t.Fatalf("totals of nothing: %s", pyRepr(rows))
	}
	cnt, _ := rows[0].(ostruct).get("__count")
	sum, _ := rows[0].(ostruct).get("amount_total")
	if cnt != 0 || sum != false {
		t.Errorf("totals of nothing: %s", pyRepr(rows[0]))
	}

	// The demo user's record rules apply.
	rows = c.as(DemoUID, "demo").must("sale.order", "read_group", L(L(), L(), L()), KW("lazy", false)).([]any)
	mine, _ := rows[0].(ostruct).get("__count")
	if mine.(int) >= all {
		t.Errorf("demo counts %v orders of %d", mine, all)
	}
}

// TestFormattedReadGroup: formatted_read_group as Odoo 19 answers it (keys
// in order: groupby specs, __extra_domain, aggregate specs), the same groups
// as read_group's; read_group still answers on 19 and only logs its
// deprecation; 18 has no formatted_read_group.
func TestFormattedReadGroup(t *testing.T) {
	var buf syncBuffer
	s := NewServer(WithVersion("19.0"), WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	defer s.Close()
	c := newClient(t, s)
	rows := c.must("sale.order", "formatted_read_group", L(L(), L("partner_id", "date_order:month"), L("__count", "amount_total:sum", "amount_total:max")),
		KW("order", "amount_total:sum desc", "limit", 3)).([]any)
	old := c.must("sale.order", "read_group", L(L(), L("s:sum(amount_total)", "m:max(amount_total)"), L("partner_id", "date_order:month")),
		KW("lazy", false, "orderby", "s desc", "limit", 3)).([]any)
	if len(rows) != 3 || len(old) != 3 {
		t.Fatalf("%d groups (read_group: %d), want 3", len(rows), len(old))
	}
	for i, r := range rows {
		row, o := r.(ostruct), old[i].(ostruct)
		var keys []string
		for _, m := range row {
			keys = append(keys, m.Name)
		}
		if strings.Join(keys, ",") != "partner_id,date_order:month,__extra_domain,__count,amount_total:sum,amount_total:max" {
			t.Errorf("keys %v", keys)
		}
		partner, _ := row.get("partner_id")
		oldPartner, _ := o.get("partner_id")
		month, _ := row.get("date_order:month")
		label, _ := o.get("date_order:month")
		rng, _ := o.get("__range")
		bounds, _ := rng.(ostruct).get("date_order:month")
		from, _ := bounds.(ostruct).get("from")
		to, _ := bounds.(ostruct).get("to")
		if pyRepr(partner) != pyRepr(oldPartner) || pyRepr(month) != pyRepr(L(from, label)) {
			t.Errorf("keys %s %s, want %s [%v, %v]", pyRepr(partner), pyRepr(month), pyRepr(oldPartner), from, label)
		}
		extra, _ := row.get("__extra_domain")
		id := partner.([]any)[0]
		if want := L("&", L("partner_id", "=", id), "&", L("date_order", ">=", from), L("date_order", "<", to)); pyRepr(extra) != pyRepr(want) {
			t.Errorf("__extra_domain %s, want %s", pyRepr(extra), pyRepr(want))
		}
		for spec, alias := range map[string]string{"__count": "__count", "amount_total:sum": "s", "amount_total:max": "m"} {
			v, _ := row.get(spec)
			w, _ := o.get(alias)
			if pyRepr(v) != pyRepr(w) {
				t.Errorf("%s = %s, read_group %s", spec, pyRepr(v), pyRepr(w))
			}
		}
	}

	// Totals: one row, even of nothing; count 0, other aggregates false.
	rows = c.must("sale.order", "formatted_read_group", L(L(L("id", "=", -1))), KW("aggregates", L("__count", "amount_total:sum", "date_order:min"))).([]any)
	if len(rows) != 1 || pyRepr(rows[0]) != pyRepr(ostruct{{"__extra_domain", L(L(1, "=", 1))}, {"__count", 0}, {"amount_total:sum", false}, {"date_order:min", false}}) {
		t.Errorf("totals of nothing: %s", pyRepr(rows))
	}
	// No __count unless asked; __count orders.
	rows = c.must("sale.order", "formatted_read_group", L(L(), L("state")), KW("order", "__count desc")).([]any)
	if first := rows[0].(ostruct); len(first) != 2 || first[0].Value != "sale" {
		t.Errorf("by state, most frequent first, no aggregate: %s", pyRepr(first))
	}
	// Odoo's errors: an aggregate without function, an order on nothing asked.
	if f := c.fault("sale.order", "formatted_read_group", L(L(), L("state"), L("amount_total")), nil); !strings.Contains(f.String, "Aggregate method is mandatory for 'amount_total'") {
		t.Errorf("aggregate without function: %s", f.String)
	}
	if f := c.fault("sale.order", "formatted_read_group", L(L(), L("state")), KW("order", "partner_id")); !strings.Contains(f.String, "is not a valid aggregate nor valid groupby") {
		t.Errorf("order by a key not grouped: %s", f.String)
	}
	if n := strings.Count(buf.String(), "deprecated"); n != 1 { // the read_group above
		t.Errorf("formatted_read_group logged a deprecation: %s", buf.String())
	}
	// read_group still answers, the deprecation only logged.
	c.must("sale.order", "read_group", L(L(), L(), L("state")), KW("lazy", false))
	if strings.Count(buf.String(), "Since 19.0, read_group is deprecated") != 2 {
		t.Errorf("no deprecation logged: %q", buf.String())
	}

	s18 := NewServer()
	defer s18.Close()
	if f := newClient(t, s18).fault("sale.order", "formatted_read_group", L(L()), nil); !strings.Contains(f.String, "formatted_read_group") {
		t.Errorf("18: %s", f.String)
	}
}
