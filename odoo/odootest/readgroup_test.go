package odootest

import (
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
