package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/redisstore/redistest"
	"github.com/odoogql/odoogql/internal/server"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// replicas are two gateways in front of one Odoo, sharing one Redis.
type replicas struct {
	odoo  *odootest.Server
	redis *redistest.Server
	a, b  *gateway
}

// newReplica builds a warmed-up gateway in front of o.
func newReplica(t *testing.T, o *odootest.Server, edit func(*server.Config)) *gateway {
	t.Helper()
	g := newGatewayOn(t, o, edit)
	if err := g.gw.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	return g
}

func newReplicas(t *testing.T, m mode) *replicas {
	t.Helper()
	redistest.NoLeaks(t) // first: checked after every other cleanup
	rs := redistest.Start(t)
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	edit := func(c *server.Config) { c.Strategy, c.Schema, c.RedisURL = m.strategy, m.schema, rs.URL() }
	return &replicas{odoo: o, redis: rs, a: newReplica(t, o, edit), b: newReplica(t, o, edit)}
}

// warm logs the user login in on both replicas and loads the metadata the
// queries need, running them uncached, so that later only records cost Odoo
// calls.
func (r *replicas) warm(login string, queries ...string) {
	for _, g := range []*gateway{r.a, r.b} {
		for _, q := range queries {
			g.as(login, login).mustDo(strings.Replace(q, "@cached(ttl: 60)", "", 1), nil, nil)
		}
	}
}

// syncShared waits until what g's store was given is written to Redis (the store
// writes in the background).
func syncShared(t *testing.T, g *gateway) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := g.gw.Shared().Sync(ctx); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond for up to 15s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("after 15s: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

const companiesQuery = `query @cached(ttl: 60) { resPartners(where: {is_company: {eq: true}}, orderBy: [{name: ASC}], limit: 5) {
	totalCount nodes { id name email country_id { name } child_ids { name } } } }`

type companies struct {
	ResPartners struct {
		TotalCount int `json:"totalCount"`
		Nodes      []struct {
			ID      string   `json:"id"`
			Name    string   `json:"name"`
			Email   string   `json:"email"`
			Country struct { // null: empty
				Name string `json:"name"`
			} `json:"country_id"`
			Children []struct {
				Name string `json:"name"`
			} `json:"child_ids"`
		} `json:"nodes"`
	} `json:"resPartners"`
}

const ordersQuery = `query @cached(ttl: 60) { saleOrders(limit: 100) { totalCount nodes { id name user_id { id } } } }`

type orders struct {
	SaleOrders struct {
		TotalCount int `json:"totalCount"`
		Nodes      []struct {
			ID     string `json:"id"`
			UserID *struct {
				ID string `json:"id"`
			} `json:"user_id"`
		} `json:"nodes"`
	} `json:"saleOrders"`
}

const creditQuery = `query @cached(ttl: 60) { resPartner(id: "10") { name credit_limit } }`

// TestRedisSharedCache: what one replica read, the other serves without
// asking Odoo, and never to another user.
func TestRedisSharedCache(t *testing.T) {
	for _, s := range strategies {
		t.Run(s.name, func(t *testing.T) {
			r := newReplicas(t, s)
			admin, demo := "admin", "demo"
			r.warm(admin, companiesQuery, ordersQuery, creditQuery)
			r.warm(demo, companiesQuery, ordersQuery)

			r.odoo.ResetCounters()
			var onA, onB companies
			r.a.as(admin, admin).mustDo(companiesQuery, nil, &onA)
			if r.odoo.TotalCalls() == 0 {
				t.Fatal("the first cached query made no Odoo call")
			}
			syncShared(t, r.a)
			r.odoo.ResetCounters()
			r.b.as(admin, admin).mustDo(companiesQuery, nil, &onB)
			if n := r.odoo.TotalCalls(); n != 0 {
				t.Errorf("replica B made %d Odoo calls for what A cached: %v", n, r.odoo.CallCounts())
			}
			if fmt.Sprint(onA) != fmt.Sprint(onB) || len(onB.ResPartners.Nodes) != 5 {
				t.Errorf("B's answer differs from A's:\n%v\n%v", onA, onB)
			}
			if st := r.b.gw.Shared().Stats(); st.Hits == 0 || !st.Up || st.Subscribed != 1 {
				t.Errorf("B's store: %+v", st)
			}

			// Per user: admin's entries, cached through A, are not served to
			// demo on B.
			var adminOrders, demoOrders orders
			r.a.as(admin, admin).mustDo(ordersQuery, nil, &adminOrders)
			syncShared(t, r.a)
			r.odoo.ResetCounters()
			r.b.as(demo, demo).mustDo(ordersQuery, nil, &demoOrders)
			if r.odoo.TotalCalls() == 0 {
				t.Error("demo's query on B was served from admin's entries")
			}
			if adminOrders.SaleOrders.TotalCount <= demoOrders.SaleOrders.TotalCount || len(demoOrders.SaleOrders.Nodes) == 0 {
				t.Errorf("admin sees %d orders, demo %d: the record rule should hide some", adminOrders.SaleOrders.TotalCount, demoOrders.SaleOrders.TotalCount)
			}
			for _, n := range demoOrders.SaleOrders.Nodes {
				if n.UserID != nil && n.UserID.ID != "6" {
					t.Errorf("demo got order %s of user %s", n.ID, n.UserID.ID)
				}
			}
			r.a.as(admin, admin).mustDo(creditQuery, nil, nil)
			syncShared(t, r.a)
			if errs := r.b.as(demo, demo).do(creditQuery, nil, nil); len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
				t.Errorf("demo reading credit_limit on B after admin cached it on A: %+v, want FORBIDDEN", errs)
			}
		})
	}
}

// TestRedisInvalidation: a write through one replica is never served stale
// by the other.
func TestRedisInvalidation(t *testing.T) {
	for _, s := range strategies {
		t.Run(s.name, func(t *testing.T) {
			r := newReplicas(t, s)
			r.warm("admin", companiesQuery)
			a, b := r.a.as("admin", "admin"), r.b.as("admin", "admin")
			var before companies
			a.mustDo(companiesQuery, nil, &before)
			syncShared(t, r.a)
			b.mustDo(companiesQuery, nil, nil) // B holds the entries now, locally too
			for i := range 2 {                 // twice: a bump must work more than once
				email := fmt.Sprintf("replica-%s-%d@example.com", s.name, i)
				target := before.ResPartners.Nodes[i]
				announced := r.b.gw.Shared().Stats().Received
				a.mustDo(`mutation($id: ID!, $e: String) { updateResPartner(ids: [$id], input: {email: $e}) { id } }`,
					map[string]any{"id": target.ID, "e": email}, nil)
				// B learns of the write when Redis delivers the announcement
				// (on loopback, well within the time the mutation's response
				// takes): wait for that delivery rather than race it.
				waitFor(t, "B hears of A's write", func() bool { return r.b.gw.Shared().Stats().Received > announced })
				r.odoo.ResetCounters()
				var after companies
				b.mustDo(companiesQuery, nil, &after)
				if got := after.ResPartners.Nodes[i]; got.ID != target.ID || got.Email != email {
					t.Errorf("B after A's write: %+v, want email %s", got, email)
				}
				if r.odoo.TotalCalls() == 0 {
					t.Error("B served the query from its cache after A's write")
				}
				var onA companies
				a.mustDo(companiesQuery, nil, &onA)
				if onA.ResPartners.Nodes[i].Email != email {
					t.Errorf("A after its own write: %+v", onA.ResPartners.Nodes[i])
				}
			}
		})
	}
}

// TestRedisAway: with redis-server killed both replicas keep answering,
// correctly, from Odoo; once it is back (empty, on the same port) they
// share again and nothing written meanwhile is served stale.
func TestRedisAway(t *testing.T) {
	for _, s := range strategies {
		t.Run(s.name, func(t *testing.T) {
			r := newReplicas(t, s)
			other := `query @cached(ttl: 60) { resPartners(where: {is_company: {eq: false}}, orderBy: [{name: ASC}], limit: 3) { nodes { id name email phone parent_id { name } } } }`
			r.warm("admin", companiesQuery, other)
			a, b := r.a.as("admin", "admin"), r.b.as("admin", "admin")
			var want companies
			a.mustDo(companiesQuery, nil, &want)
			syncShared(t, r.a)
			b.mustDo(companiesQuery, nil, nil)
			var wantOther map[string]any
			a.mustDo(strings.Replace(other, "@cached(ttl: 60)", "", 1), nil, &wantOther)

			r.redis.Kill()
			timed := func(g *gateway, q string, out any) {
				t.Helper()
				// Degrading without waiting, shown without a clock: a query
				// adds at most a couple of store errors (the calls that found
				// Redis away), not one per cache lookup.
				before := g.gw.Shared().Stats().Errors
				g.mustDo(q, nil, out)
				if e := g.gw.Shared().Stats().Errors; e > before+3 {
					t.Errorf("a query with Redis away made %d store errors", e-before)
				}
			}
			for _, g := range []*gateway{a, b} {
				var got companies
				timed(g, companiesQuery, &got)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("with Redis away:\n%v\nwant\n%v", got, want)
				}
				var gotOther map[string]any // never cached: from Odoo
				timed(g, other, &gotOther)
				if fmt.Sprint(gotOther) != fmt.Sprint(wantOther) {
					t.Errorf("uncached query with Redis away:\n%v\nwant\n%v", gotOther, wantOther)
				}
			}
			if st := r.b.gw.Shared().Stats(); st.Up {
				t.Errorf("B's store up with Redis killed: %+v", st)
			}
			// A write while Redis is away: the writer sees it at once.
			target := want.ResPartners.Nodes[0]
			a.mustDo(`mutation($id: ID!) { updateResPartner(ids: [$id], input: {email: "while-away@example.com"}) { id } }`,
				map[string]any{"id": target.ID}, nil)
			var got companies
			timed(a, companiesQuery, &got)
			if got.ResPartners.Nodes[0].Email != "while-away@example.com" {
				t.Errorf("A after its write with Redis away: %+v", got.ResPartners.Nodes[0])
			}

			r.redis.Restart()
			waitFor(t, "both replicas share again", func() bool {
				sa, sb := r.a.gw.Shared().Stats(), r.b.gw.Shared().Stats()
				return sa.Up && sa.Subscribed == 1 && sa.Pending == 0 && sb.Up && sb.Subscribed == 1
			})
			// B serves the write made while Redis was away, not what it
			// held before.
			got = companies{}
			b.mustDo(companiesQuery, nil, &got)
			if got.ResPartners.Nodes[0].Email != "while-away@example.com" {
				t.Errorf("B after Redis came back: %+v, want the email written while it was away", got.ResPartners.Nodes[0])
			}
			// Sharing works again: what A reads, B gets from Redis. Each try
			// asks for a record not asked for before.
			shared := false
			for id := 20; id < 40 && !shared; id++ {
				q := fmt.Sprintf(`query @cached(ttl: 60) { resPartner(id: "%d") { name email } }`, id)
				a.mustDo(q, nil, nil)
				syncShared(t, r.a)
				r.odoo.ResetCounters()
				b.mustDo(q, nil, nil)
				shared = r.odoo.TotalCalls() == 0
			}
			if !shared {
				t.Error("after Redis came back, B never got what A cached")
			}
		})
	}
}

// TestRedisSubscriptionLost: announcements made while a replica's
// subscription is down are lost (Pub/Sub keeps nothing); when it subscribes
// again the replica forgets every counter it holds, so it serves no stale
// entry.
func TestRedisSubscriptionLost(t *testing.T) {
	r := newReplicas(t, single(engine.Batched))
	r.warm("admin", companiesQuery)
	a, b := r.a.as("admin", "admin"), r.b.as("admin", "admin")
	var before companies
	a.mustDo(companiesQuery, nil, &before)
	syncShared(t, r.a)
	b.mustDo(companiesQuery, nil, nil)
	if got := r.redis.Command("CLIENT KILL TYPE pubsub"); got != ":2" {
		t.Fatalf("CLIENT KILL TYPE pubsub: %s", got)
	}
	waitFor(t, "the subscriptions notice", func() bool { return r.b.gw.Shared().Stats().Subscribed == 0 })
	received := r.b.gw.Shared().Stats().Received
	a.mustDo(`mutation($id: ID!) { updateResPartner(ids: [$id], input: {email: "unheard@example.com"}) { id } }`,
		map[string]any{"id": before.ResPartners.Nodes[0].ID}, nil)
	waitFor(t, "B subscribes again", func() bool { return r.b.gw.Shared().Stats().Subscribed == 1 })
	if r.b.gw.Shared().Stats().Received != received {
		t.Log("B subscribed again before the write: the test shows nothing this time")
	}
	var got companies
	b.mustDo(companiesQuery, nil, &got)
	if got.ResPartners.Nodes[0].Email != "unheard@example.com" {
		t.Errorf("B after a write it did not hear of: %+v", got.ResPartners.Nodes[0])
	}
}

// TestRedisHangs: a Redis that stops answering (SIGSTOP) but keeps its data
// costs a write one timeout; the bump it could not make is made when Redis
// answers again, so the other replica, whose subscription never noticed,
// does not serve the old value.
func TestRedisHangs(t *testing.T) {
	r := newReplicas(t, single(engine.Nested))
	r.warm("admin", companiesQuery)
	a, b := r.a.as("admin", "admin"), r.b.as("admin", "admin")
	var before companies
	a.mustDo(companiesQuery, nil, &before)
	syncShared(t, r.a)
	b.mustDo(companiesQuery, nil, nil)
	received := r.b.gw.Shared().Stats().Received

	r.redis.Pause()
	a.mustDo(`mutation($id: ID!) { updateResPartner(ids: [$id], input: {email: "while-hung@example.com"}) { id } }`,
		map[string]any{"id": before.ResPartners.Nodes[0].ID}, nil)
	var got companies
	a.mustDo(companiesQuery, nil, &got)
	if e := r.a.gw.Shared().Stats().Errors; e > 3 {
		t.Errorf("a write and a read with Redis hung made %d store errors: calls kept waiting on it", e)
	}
	if got.ResPartners.Nodes[0].Email != "while-hung@example.com" {
		t.Errorf("A after its write with Redis hung: %+v", got.ResPartners.Nodes[0])
	}
	if st := r.a.gw.Shared().Stats(); st.Up || st.Pending == 0 {
		t.Errorf("A's store with Redis hung: %+v", st)
	}
	r.redis.Resume()
	waitFor(t, "A replays its bump", func() bool { st := r.a.gw.Shared().Stats(); return st.Up && st.Pending == 0 })
	waitFor(t, "B hears of the replayed bump", func() bool { return r.b.gw.Shared().Stats().Received > received })
	got = companies{}
	b.mustDo(companiesQuery, nil, &got)
	if got.ResPartners.Nodes[0].Email != "while-hung@example.com" {
		t.Errorf("B after Redis answered again: %+v", got.ResPartners.Nodes[0])
	}
}

// TestRedisDownAtStart: a gateway starts, and answers, with Redis not
// running; it shares once Redis is there.
func TestRedisDownAtStart(t *testing.T) {
	redistest.NoLeaks(t)
	rs := redistest.Start(t)
	rs.Kill()
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	g := newReplica(t, o, func(c *server.Config) { c.Strategy, c.RedisURL = engine.Batched, rs.URL() })
	var got companies
	g.mustDo(companiesQuery, nil, &got)
	if len(got.ResPartners.Nodes) != 5 {
		t.Errorf("answer with Redis down: %+v", got)
	}
	rs.Restart()
	waitFor(t, "the store comes up", func() bool { st := g.gw.Shared().Stats(); return st.Up && st.Subscribed == 1 })
}

func TestRedisURLSetting(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := server.LoadConfig(nil, env(map[string]string{"ODOOGQL_REDIS_URL": "redis://:pw@redis:6379/1"}), io.Discard)
	if err != nil || c.RedisURL != "redis://:pw@redis:6379/1" {
		t.Errorf("%q, %v", c.RedisURL, err)
	}
	c, err = server.LoadConfig([]string{"-redis-url", "rediss://redis.internal"}, env(nil), io.Discard)
	if err != nil || c.RedisURL != "rediss://redis.internal" {
		t.Errorf("flag: %q, %v", c.RedisURL, err)
	}
	for _, bad := range []string{"redis.internal:6379", "http://redis", "redis://:s3cret@redis:6379/db"} {
		_, err := server.LoadConfig(nil, env(map[string]string{"ODOOGQL_REDIS_URL": bad}), io.Discard)
		if err == nil || !strings.Contains(err.Error(), "ODOOGQL_REDIS_URL must be a URL") || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
