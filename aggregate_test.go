package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// Aggregates: <list>Aggregate root fields, one read_group each for the
// totals and for the groups, plus one read for many2one keys' fields.

// aggCalls returns the Odoo calls of a query on a warm gateway.
func aggCalls(t *testing.T, g *gateway, query string, out any) []odootest.Call {
	t.Helper()
	g.mustDo(`{ saleOrdersAggregate { count } }`, nil, nil) // warm: logins, metadata
	g.odoo.ResetCounters()
	g.mustDo(query, nil, out)
	return g.odoo.CallLog()
}

// wantReadGroup checks that call is a read_group of model with these
// fields, groupby and kwargs.
func wantReadGroup(t *testing.T, c odootest.Call, domain any, fields, groupby []string, kwargs map[string]any) {
	t.Helper()
	if c.Model != "sale.order" || c.Method != "read_group" {
		t.Fatalf("call %s.%s, want sale.order.read_group", c.Model, c.Method)
	}
	want := []any{domain, strs(fields), strs(groupby)}
	if fmt.Sprint(c.Args) != fmt.Sprint(want) {
		t.Errorf("read_group args = %v, want %v", c.Args, want)
	}
	if fmt.Sprint(c.Kwargs) != fmt.Sprint(kwargs) {
		t.Errorf("read_group kwargs = %v, want %v", c.Kwargs, kwargs)
	}
}

func strs(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

// saleOrders are the demo's sale orders a user sees (uid 0: all).
func saleOrders(t *testing.T, uid int) []record {
	return filter(demo(t, "sale.order"), func(r record) bool {
		if uid == 0 {
			return true
		}
		u, ok := r["user_id"].([]any)
		return !ok || int(u[0].(float64)) == uid
	})
}

type aggTotals struct {
	Count int `json:"count"`
	Sum   struct {
		AmountTotal *float64 `json:"amount_total"`
	} `json:"sum"`
	Avg struct {
		AmountTotal *float64 `json:"amount_total"`
	} `json:"avg"`
	Min struct {
		AmountTotal *float64 `json:"amount_total"`
		DateOrder   *string  `json:"date_order"`
	} `json:"min"`
	Max struct {
		DateOrder *string `json:"date_order"`
	} `json:"max"`
}

const aggTotalsQuery = `{ saleOrdersAggregate%s { count sum { amount_total } avg { amount_total } min { amount_total date_order } max { date_order } } }`

var aggTotalsFields = []string{"amount_total__avg:avg(amount_total)", "amount_total__min:min(amount_total)",
	"amount_total__sum:sum(amount_total)", "date_order__max:max(date_order)", "date_order__min:min(date_order)"}

// checkTotals compares totals with the demo's orders recs.
func checkTotals(t *testing.T, got aggTotals, recs []record) {
	t.Helper()
	if got.Count != len(recs) {
		t.Errorf("count = %d, want %d", got.Count, len(recs))
	}
	if len(recs) == 0 {
		if got.Sum.AmountTotal != nil || got.Avg.AmountTotal != nil || got.Min.DateOrder != nil || got.Max.DateOrder != nil {
			t.Errorf("totals of no record must be null: %+v", got)
		}
		return
	}
	sum, mn := 0.0, math.Inf(1)
	minDate, maxDate := "9999", ""
	for _, r := range recs {
		a := r["amount_total"].(float64)
		sum += a
		mn = math.Min(mn, a)
		d := r["date_order"].(string)
		minDate, maxDate = min(minDate, d), max(maxDate, d)
	}
	iso := func(s string) string { return strings.Replace(s, " ", "T", 1) + "Z" }
	switch {
	case got.Sum.AmountTotal == nil || !near(*got.Sum.AmountTotal, sum):
		t.Errorf("sum = %v, want %v", got.Sum.AmountTotal, sum)
	case got.Avg.AmountTotal == nil || !near(*got.Avg.AmountTotal, sum/float64(len(recs))):
		t.Errorf("avg = %v, want %v", got.Avg.AmountTotal, sum/float64(len(recs)))
	case got.Min.AmountTotal == nil || !near(*got.Min.AmountTotal, mn):
		t.Errorf("min = %v, want %v", got.Min.AmountTotal, mn)
	case got.Min.DateOrder == nil || *got.Min.DateOrder != iso(minDate):
		t.Errorf("min date_order = %v, want %s", got.Min.DateOrder, iso(minDate))
	case got.Max.DateOrder == nil || *got.Max.DateOrder != iso(maxDate):
		t.Errorf("max date_order = %v, want %s", got.Max.DateOrder, iso(maxDate))
	}
}

func TestAggregateTotals(t *testing.T) {
	forXMLRPCStrategies(t, func(t *testing.T, g *gateway) {
		var got struct {
			A aggTotals `json:"saleOrdersAggregate"`
		}
		calls := aggCalls(t, g, fmt.Sprintf(aggTotalsQuery, ""), &got)
		if len(calls) != 1 {
			t.Fatalf("want 1 call (read_group), got %d: %+v", len(calls), calls)
		}
		wantReadGroup(t, calls[0], []any{}, aggTotalsFields, nil, map[string]any{"lazy": false})
		checkTotals(t, got.A, saleOrders(t, 0))

		// Filtered, and empty.
		g.odoo.ResetCounters()
		g.mustDo(fmt.Sprintf(aggTotalsQuery, `(where: {state: {in: [draft, sent]}})`), nil, &got)
		checkTotals(t, got.A, filter(saleOrders(t, 0), func(r record) bool { return r["state"] != "sale" }))
		g.mustDo(fmt.Sprintf(aggTotalsQuery, `(where: {name: {eq: "no such order"}})`), nil, &got)
		checkTotals(t, got.A, nil)
		if n := g.odoo.TotalCalls(); n != 2 {
			t.Errorf("two aggregates made %d calls: %v", n, g.odoo.CallCounts())
		}
	})
}

// TestAggregateRights: the demo user's totals count only the orders its
// record rules let it see.
func TestAggregateRights(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		var got struct {
			A aggTotals `json:"saleOrdersAggregate"`
		}
		d := g.as("demo", "demo")
		d.mustDo(fmt.Sprintf(aggTotalsQuery, ""), nil, &got)
		mine := saleOrders(t, odootest.DemoUID)
		if len(mine) == len(saleOrders(t, 0)) {
			t.Fatal("the demo user's rules hide no order: the test proves nothing")
		}
		checkTotals(t, got.A, mine)
		var groups struct {
			A struct {
				Groups []struct {
					Count int
				} `json:"groups"`
			} `json:"saleOrdersAggregate"`
		}
		d.mustDo(`{ saleOrdersAggregate(groupBy: [state]) { groups { count } } }`, nil, &groups)
		n := 0
		for _, gr := range groups.A.Groups {
			n += gr.Count
		}
		if n != len(mine) {
			t.Errorf("the demo user's groups count %d orders, want %d", n, len(mine))
		}
	})
}

type aggGroup struct {
	Count int `json:"count"`
	Sum   struct {
		AmountTotal *float64 `json:"amount_total"`
	} `json:"sum"`
	State     *string `json:"state"`
	PartnerID *struct {
		ID    string  `json:"id"`
		Name  string  `json:"name"`
		Email *string `json:"email"`
	} `json:"partner_id"`
	Date *string `json:"date"`
}

type aggGroups struct {
	A struct {
		Count  int        `json:"count"`
		Groups []aggGroup `json:"groups"`
	} `json:"saleOrdersAggregate"`
}

func TestAggregateGroupBySelection(t *testing.T) {
	forXMLRPCStrategies(t, func(t *testing.T, g *gateway) {
		var got aggGroups
		calls := aggCalls(t, g, `{ saleOrdersAggregate(groupBy: [state]) { groups { state count sum { amount_total } } } }`, &got)
		if len(calls) != 1 {
			t.Fatalf("want 1 call, got %d: %+v", len(calls), calls)
		}
		wantReadGroup(t, calls[0], []any{}, []string{"amount_total__sum:sum(amount_total)"}, []string{"state"}, map[string]any{"lazy": false, "limit": 100})
		want := map[string]int{}
		sums := map[string]float64{}
		for _, r := range saleOrders(t, 0) {
			want[r["state"].(string)]++
			sums[r["state"].(string)] += r["amount_total"].(float64)
		}
		var order []string
		for _, gr := range got.A.Groups {
			s := *gr.State
			order = append(order, s)
			if gr.Count != want[s] || !near(*gr.Sum.AmountTotal, sums[s]) {
				t.Errorf("group %s: count %d sum %v, want %d %v", s, gr.Count, *gr.Sum.AmountTotal, want[s], sums[s])
			}
		}
		if fmt.Sprint(order) != "[draft sale sent]" {
			t.Errorf("groups in order %v, want [draft sale sent] (by key)", order)
		}
	})
}

func TestAggregateGroupByMany2one(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		// The key's id and name come with the groups: no other call.
		var got aggGroups
		calls := aggCalls(t, g, `{ saleOrdersAggregate(groupBy: [partner_id]) { groups { partner_id { id name: display_name } count } } }`, &got)
		if len(calls) != 1 {
			t.Fatalf("want 1 call, got %d: %+v", len(calls), calls)
		}
		want := map[string]int{}
		names := map[string]string{}
		for _, r := range saleOrders(t, 0) {
			id, name := r.m2o("partner_id")
			want[id]++
			names[id] = name
		}
		check := func(got aggGroups) {
			t.Helper()
			if len(got.A.Groups) != len(want) {
				t.Fatalf("%d groups, want %d", len(got.A.Groups), len(want))
			}
			prev := ""
			for _, gr := range got.A.Groups {
				p := gr.PartnerID
				if p == nil || gr.Count != want[p.ID] || p.Name != names[p.ID] {
					t.Errorf("group %+v count %d, want %d (%s)", p, gr.Count, want[p.ID], names[p.ID])
					continue
				}
				if p.Name < prev {
					t.Errorf("groups not ordered by the partner's name: %s after %s", p.Name, prev)
				}
				prev = p.Name
			}
		}
		check(got)

		// More of the key record: one read of the partners, in the same
		// plan.
		got = aggGroups{}
		calls = aggCalls(t, g, `{ saleOrdersAggregate(groupBy: [partner_id]) { groups { partner_id { id name: display_name email } count } } }`, &got)
		if len(calls) != 2 {
			t.Fatalf("want 2 calls (read_group, read of res.partner), got %d: %+v", len(calls), calls)
		}
		if c := calls[1]; c.Model != "res.partner" || (c.Method != "read" && c.Method != "web_read") {
			t.Errorf("second call %s.%s, want a read of res.partner", c.Model, c.Method)
		}
		if ids, _ := calls[1].Args[0].([]any); len(ids) != len(want) {
			t.Errorf("partners read: %v, want the %d keys at once", calls[1].Args[0], len(want))
		}
		check(got)
		partners := map[string]record{}
		for _, r := range demo(t, "res.partner") {
			partners[r.id()] = r
		}
		for _, gr := range got.A.Groups {
			if e := partners[gr.PartnerID.ID].str("email"); gr.PartnerID.Email == nil || *gr.PartnerID.Email != e {
				t.Errorf("partner %s email %v, want %q", gr.PartnerID.ID, gr.PartnerID.Email, e)
			}
		}
	})
}

// periodStart is the first day of the period of an Odoo datetime.
func periodStart(t *testing.T, s, gran string) string {
	d, err := time.Parse(time.DateTime, s)
	if err != nil {
		t.Fatal(err)
	}
	y, m, day := d.Date()
	switch gran {
	case "week":
		d = time.Date(y, m, day-(int(d.Weekday())+6)%7, 0, 0, 0, 0, time.UTC)
	case "month":
		d = time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	case "quarter":
		d = time.Date(y, m-(m-1)%3, 1, 0, 0, 0, 0, time.UTC)
	case "year":
		d = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	default:
		d = time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	}
	return d.Format("2006-01-02T15:04:05Z")
}

func TestAggregateGroupByDate(t *testing.T) {
	forXMLRPCStrategies(t, func(t *testing.T, g *gateway) {
		for _, gran := range []string{"day", "week", "month", "quarter", "year"} {
			var got aggGroups
			q := fmt.Sprintf(`{ saleOrdersAggregate(groupBy: [date_order_%s]) { groups { date: date_order_%s count } } }`, gran, gran)
			calls := aggCalls(t, g, q, &got)
			if len(calls) != 1 {
				t.Fatalf("%s: want 1 call, got %d: %+v", gran, len(calls), calls)
			}
			wantReadGroup(t, calls[0], []any{}, nil, []string{"date_order:" + gran}, map[string]any{"lazy": false, "limit": 100})
			want := map[string]int{}
			for _, r := range saleOrders(t, 0) {
				want[periodStart(t, r["date_order"].(string), gran)]++
			}
			var keys []string
			for _, gr := range got.A.Groups {
				if gr.Date == nil {
					t.Fatalf("%s: group without a key", gran)
				}
				keys = append(keys, *gr.Date)
				if gr.Count != want[*gr.Date] {
					t.Errorf("%s %s: count %d, want %d", gran, *gr.Date, gr.Count, want[*gr.Date])
				}
			}
			if len(keys) != len(want) || !sort.StringsAreSorted(keys) {
				t.Errorf("%s: keys %v, want the %d periods in order", gran, keys, len(want))
			}
		}
	})
}

func TestAggregateGroupOrderAndPaging(t *testing.T) {
	forXMLRPCStrategies(t, func(t *testing.T, g *gateway) {
		sums := map[string]float64{}
		for _, r := range saleOrders(t, 0) {
			id, _ := r.m2o("partner_id")
			sums[id] += r["amount_total"].(float64)
		}
		var ids []string
		for id := range sums {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return sums[ids[i]] > sums[ids[j]] })
		var got aggGroups
		calls := aggCalls(t, g, `{ saleOrdersAggregate(groupBy: [partner_id], orderBy: [{amount_total_sum: DESC}], limit: 3, offset: 1) { groups { partner_id { id } count } } }`, &got)
		if len(calls) != 1 {
			t.Fatalf("want 1 call, got %d: %+v", len(calls), calls)
		}
		wantReadGroup(t, calls[0], []any{}, []string{"amount_total__sum:sum(amount_total)"}, []string{"partner_id"},
			map[string]any{"lazy": false, "limit": 3, "offset": 1, "orderby": "amount_total__sum desc"})
		var gotIDs []string
		for _, gr := range got.A.Groups {
			gotIDs = append(gotIDs, gr.PartnerID.ID)
		}
		if fmt.Sprint(gotIDs) != fmt.Sprint(ids[1:4]) {
			t.Errorf("groups %v, want %v (by sum, descending, second to fourth)", gotIDs, ids[1:4])
		}

		// By count, then key; a page past the end is empty.
		g.mustDo(`{ saleOrdersAggregate(groupBy: [state], orderBy: [{count: DESC}]) { groups { state count } } }`, nil, &got)
		if len(got.A.Groups) != 3 || *got.A.Groups[0].State != "sale" || got.A.Groups[0].Count < got.A.Groups[1].Count {
			t.Errorf("groups by count descending: %+v", got.A.Groups)
		}
		got = aggGroups{}
		g.mustDo(`{ saleOrdersAggregate(groupBy: [state], offset: 10) { count groups { state } } }`, nil, &got)
		if len(got.A.Groups) != 0 || got.A.Count != len(saleOrders(t, 0)) {
			t.Errorf("a page past the last group: %+v", got.A)
		}
		// Ordering by a key not grouped by is the client's mistake.
		errs := g.do(`{ saleOrdersAggregate(groupBy: [state], orderBy: [{partner_id: ASC}]) { groups { count } } }`, nil, nil)
		if len(errs) != 1 || errs[0].code() != "BAD_USER_INPUT" {
			t.Errorf("orderBy a key not in groupBy: %+v", errs)
		}
	})
}

func TestAggregateEmpty(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		var got aggGroups
		g.mustDo(`{ saleOrdersAggregate(where: {name: {eq: "no such order"}}, groupBy: [state]) { count groups { state count } } }`, nil, &got)
		if got.A.Count != 0 || got.A.Groups == nil || len(got.A.Groups) != 0 {
			t.Errorf("empty aggregate: %+v", got.A)
		}
		// No groupBy: no groups, and no call for them.
		g.odoo.ResetCounters()
		g.mustDo(`{ saleOrdersAggregate { groups { count } } }`, nil, &got)
		if len(got.A.Groups) != 0 || g.odoo.TotalCalls() != 0 {
			t.Errorf("groups without groupBy: %+v, %v", got.A.Groups, g.odoo.CallCounts())
		}
	})
}

// TestAggregateCached: @cached serves a repeated aggregate without Odoo; a
// write to the model invalidates it.
func TestAggregateCached(t *testing.T) {
	forXMLRPCStrategies(t, func(t *testing.T, g *gateway) {
		q := `query @cached(ttl: 60) { saleOrdersAggregate(groupBy: [state]) { count sum { amount_total } groups { state count } } }`
		g.mustDo(q, nil, nil)
		g.odoo.ResetCounters()
		g.mustDo(q, nil, nil)
		if n := g.odoo.TotalCalls(); n != 0 {
			t.Errorf("second @cached aggregate made %d calls: %v", n, g.odoo.CallCounts())
		}
		g.mustDo(`mutation { updateSaleOrder(ids: ["1"], input: {client_order_ref: "x"}) { id } }`, nil, nil)
		g.odoo.ResetCounters()
		g.mustDo(q, nil, nil)
		if n := g.odoo.Calls("sale.order", "read_group"); n != 2 {
			t.Errorf("after a write, want 2 read_group calls, got %v", g.odoo.CallCounts())
		}
	})
}

// TestAggregateLiveCompiledIdentical: both schemas answer the same bytes.
func TestAggregateLiveCompiledIdentical(t *testing.T) {
	q := `{ saleOrdersAggregate(where: {state: {in: [sale, draft]}}, groupBy: [partner_id, date_order_month], orderBy: [{amount_total_sum: DESC}], limit: 10) {
		count sum { amount_total } avg { amount_total } min { date_order } max { date_order amount_total } countDistinct { partner_id state }
		groups { partner_id { name nodeId country_id { code } } date_order_month count sum { amount_total amount_untaxed } max { date_order } countDistinct { user_id } } }
	  empty: saleOrdersAggregate(domain: [["id", "=", -1]], groupBy: [state]) { count sum { amount_total } groups { state } } }`
	var bodies []string
	for _, s := range strategies {
		g := newGateway(t, s)
		body, _ := json.Marshal(map[string]any{"query": q})
		resp, err := http.Post(g.url+"/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !bytes.Contains(raw, []byte(`"groups":[{`)) || bytes.Contains(raw, []byte(`"errors"`)) {
			t.Fatalf("%s: %s", s.name, raw)
		}
		bodies = append(bodies, string(raw))
	}
	for i := range bodies {
		if bodies[i] != bodies[0] {
			t.Errorf("%s answers differently from %s:\n%s\n%s", strategies[i].name, strategies[0].name, bodies[i], bodies[0])
		}
	}
}

// TestAggregateOdoo19: on Odoo 19, where read_group is deprecated, each
// part of an aggregate is one formatted_read_group call (and no read_group),
// and the answers are byte for byte those of Odoo 18: totals, groups by a
// many2one with a selection of its own, by date periods, ordered and paged.
func TestAggregateOdoo19(t *testing.T) {
	cases := []struct {
		name, query string
		calls       int // formatted_read_group calls
		other       int // other calls (a read of the keys' records; batched: one per model)
		args        []any
		kwargs      map[string]any
	}{
		{"totals", fmt.Sprintf(aggTotalsQuery, ""), 1, 0,
			[]any{[]any{}, []any{}, strs([]string{"__count", "amount_total:avg", "amount_total:min", "amount_total:sum", "date_order:max", "date_order:min"})}, map[string]any{}},
		{"filtered-empty", fmt.Sprintf(aggTotalsQuery, `(where: {name: {eq: "no such order"}})`), 1, 0, nil, nil},
		{"many2one", `{ saleOrdersAggregate(groupBy: [partner_id]) { groups { partner_id { id display_name } count sum { amount_total } } } }`, 1, 0,
			[]any{[]any{}, strs([]string{"partner_id"}), strs([]string{"__count", "amount_total:sum"})}, map[string]any{"limit": 100}},
		{"many2one-nested", `{ saleOrdersAggregate(groupBy: [partner_id, state]) { groups { partner_id { name email country_id { code } } state count } } }`, 1, -1, nil, nil},
		{"date-month", `{ saleOrdersAggregate(groupBy: [date_order_month]) { groups { date_order_month count max { date_order } } } }`, 1, 0,
			[]any{[]any{}, strs([]string{"date_order:month"}), strs([]string{"__count", "date_order:max"})}, map[string]any{"limit": 100}},
		{"date-week", `{ saleOrdersAggregate(groupBy: [date_order_week, state]) { groups { date_order_week state count } } }`, 1, 0, nil, nil},
		{"order-paging", `{ saleOrdersAggregate(groupBy: [partner_id], orderBy: [{amount_total_sum: DESC}], limit: 3, offset: 1) { count groups { partner_id { id } count } } }`, 2, 0,
			nil, nil},
		{"count-distinct", `{ saleOrdersAggregate(groupBy: [state]) { count countDistinct { partner_id state } groups { state count countDistinct { partner_id name } } } }`, 2, 0, nil, nil},
		{"count-distinct-totals", `{ saleOrdersAggregate { count countDistinct { partner_id } } }`, 1, 0,
			[]any{[]any{}, []any{}, strs([]string{"__count", "partner_id:count_distinct"})}, map[string]any{}},
		{"order-count-key", `{ saleOrdersAggregate(groupBy: [state, date_order_year], orderBy: [{count: DESC}, {date_order_year: DESC}]) { groups { state date_order_year count avg { amount_total } } } }`, 1, 0,
			[]any{[]any{}, strs([]string{"state", "date_order:year"}), strs([]string{"__count", "amount_total:avg"})},
			map[string]any{"limit": 100, "order": "__count desc, date_order:year desc"}},
	}
	for _, s := range xmlrpcModes() {
		t.Run(s.name, func(t *testing.T) {
			g18 := newGateway(t, s)
			g19 := newGateway(t, s, odootest.WithVersion("19.0"))
			for _, g := range []*gateway{g18, g19} {
				g.mustDo(`{ saleOrdersAggregate { count } }`, nil, nil) // warm: logins, metadata
			}
			for _, c := range cases {
				var want, got json.RawMessage
				if errs := g18.do(c.query, nil, &want); len(errs) > 0 {
					t.Fatalf("%s on 18: %+v", c.name, errs)
				}
				g19.odoo.ResetCounters()
				if errs := g19.do(c.query, nil, &got); len(errs) > 0 {
					t.Fatalf("%s on 19: %+v", c.name, errs)
				}
				calls := g19.odoo.CallLog()
				if !bytes.Equal(got, want) {
					t.Errorf("%s: Odoo 19 answers\n%s\nOdoo 18\n%s", c.name, got, want)
				}
				if strings.Contains(c.query, "groups") && !bytes.Contains(want, []byte(`"groups":[{`)) {
					t.Errorf("%s: no group in %s", c.name, want)
				}
				if !bytes.Contains(want, []byte(`"count":`)) {
					t.Errorf("%s: no count in %s", c.name, want)
				}
				n := g19.odoo.Calls("sale.order", "formatted_read_group")
				if c.other < 0 { // the partners, then (batched) their countries
					c.other = 1
					if s.strategy == engine.Batched {
						c.other = 2
					}
				}
				if n != c.calls || len(calls) != c.calls+c.other || g19.odoo.Calls("sale.order", "read_group") != 0 {
					t.Errorf("%s: want %d formatted_read_group and %d other calls, got %v", c.name, c.calls, c.other, g19.odoo.CallCounts())
					continue
				}
				if c.args != nil {
					if fmt.Sprint(calls[0].Args) != fmt.Sprint(c.args) || fmt.Sprint(calls[0].Kwargs) != fmt.Sprint(c.kwargs) {
						t.Errorf("%s: call %s(%v, %v), want (%v, %v)", c.name, calls[0].Method, calls[0].Args, calls[0].Kwargs, c.args, c.kwargs)
					}
				}
			}
			// Ordered by an aggregate, paged: Odoo 19 orders by its spec.
			g19.odoo.ResetCounters()
			g19.mustDo(`{ saleOrdersAggregate(groupBy: [partner_id], orderBy: [{amount_total_sum: DESC}], limit: 3, offset: 1) { groups { count } } }`, nil, nil)
			calls := g19.odoo.CallLog()
			if len(calls) != 1 || fmt.Sprint(calls[0].Args) != fmt.Sprint([]any{[]any{}, []any{"partner_id"}, []any{"__count", "amount_total:sum"}}) ||
				fmt.Sprint(calls[0].Kwargs) != fmt.Sprint(map[string]any{"limit": 3, "offset": 1, "order": "amount_total:sum desc"}) {
				t.Errorf("ordered, paged groups on 19: %+v", calls)
			}
			// @cached serves it again without Odoo; a write invalidates it.
			q := `query @cached(ttl: 60) { saleOrdersAggregate(groupBy: [state]) { count groups { state count } } }`
			g19.mustDo(q, nil, nil)
			g19.odoo.ResetCounters()
			g19.mustDo(q, nil, nil)
			if n := g19.odoo.TotalCalls(); n != 0 {
				t.Errorf("second @cached aggregate on 19 made %d calls: %v", n, g19.odoo.CallCounts())
			}
			g19.mustDo(`mutation { updateSaleOrder(ids: ["1"], input: {client_order_ref: "x"}) { id } }`, nil, nil)
			g19.odoo.ResetCounters()
			g19.mustDo(q, nil, nil)
			if n := g19.odoo.Calls("sale.order", "formatted_read_group"); n != 2 {
				t.Errorf("after a write on 19, want 2 formatted_read_group calls, got %v", g19.odoo.CallCounts())
			}
			// The gateway on 18 never asks for formatted_read_group.
			g18.odoo.ResetCounters()
			g18.mustDo(`{ saleOrdersAggregate(groupBy: [state]) { count groups { count } } }`, nil, nil)
			if g18.odoo.Calls("sale.order", "read_group") != 2 || g18.odoo.Calls("sale.order", "formatted_read_group") != 0 {
				t.Errorf("on 18: %v", g18.odoo.CallCounts())
			}
		})
	}
}

// TestAggregateCountDistinct: countDistinct counts the distinct set values
// of many2one, char, selection and integer fields (Odoo's count_distinct),
// in the totals and per group, in the same read_group.
func TestAggregateCountDistinct(t *testing.T) {
	forXMLRPCStrategies(t, func(t *testing.T, g *gateway) {
		var got struct {
			A struct {
				Count    int `json:"count"`
				Distinct struct {
					PartnerID *int `json:"partner_id"`
					State     *int `json:"state"`
					Name      *int `json:"name"`
				} `json:"countDistinct"`
				Groups []struct {
					State    string `json:"state"`
					Distinct struct {
						PartnerID *int `json:"partner_id"`
					} `json:"countDistinct"`
				} `json:"groups"`
			} `json:"saleOrdersAggregate"`
		}
		calls := aggCalls(t, g, `{ saleOrdersAggregate(groupBy: [state]) { count countDistinct { partner_id state name } groups { state countDistinct { partner_id } } } }`, &got)
		if len(calls) != 2 {
			t.Fatalf("want 2 calls (totals, groups), got %d: %+v", len(calls), calls)
		}
		wantReadGroup(t, calls[0], []any{}, []string{"name__countDistinct:count_distinct(name)", "partner_id__countDistinct:count_distinct(partner_id)", "state__countDistinct:count_distinct(state)"}, nil, map[string]any{"lazy": false})
		wantReadGroup(t, calls[1], []any{}, []string{"partner_id__countDistinct:count_distinct(partner_id)"}, []string{"state"}, map[string]any{"lazy": false, "limit": 100})
		partners, states, names := map[string]bool{}, map[string]bool{}, map[string]bool{}
		byState := map[string]map[string]bool{}
		for _, r := range saleOrders(t, 0) {
			id, _ := r.m2o("partner_id")
			s := r["state"].(string)
			partners[id], states[s], names[r.str("name")] = true, true, true
			if byState[s] == nil {
				byState[s] = map[string]bool{}
			}
			byState[s][id] = true
		}
		d := got.A.Distinct
		if d.PartnerID == nil || *d.PartnerID != len(partners) || d.State == nil || *d.State != len(states) || d.Name == nil || *d.Name != len(names) {
			t.Errorf("countDistinct %+v, want partners %d states %d names %d", d, len(partners), len(states), len(names))
		}
		if len(got.A.Groups) != len(byState) {
			t.Fatalf("%d groups, want %d", len(got.A.Groups), len(byState))
		}
		for _, gr := range got.A.Groups {
			if n := gr.Distinct.PartnerID; n == nil || *n != len(byState[gr.State]) {
				t.Errorf("state %s: %v distinct partners, want %d", gr.State, n, len(byState[gr.State]))
			}
		}
		// Of no record: 0.
		got.A.Distinct.PartnerID = nil
		g.mustDo(`{ saleOrdersAggregate(where: {name: {eq: "no such order"}}) { countDistinct { partner_id } } }`, nil, &got)
		if n := got.A.Distinct.PartnerID; n == nil || *n != 0 {
			t.Errorf("countDistinct of nothing: %v, want 0", n)
		}
	})
}
