package odoo_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/odoogql/odoogql/odoo"
)

// fakeOdoo replays captured Odoo 18 responses: for each request, the
// first route whose method name appears in the body answers with its file.
func fakeOdoo(routes ...[2]string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		for _, rt := range routes {
			if bytes.Contains(body, []byte("<methodName>"+rt[0]+"</methodName>")) ||
				bytes.Contains(body, []byte("<string>"+rt[0]+"</string>")) {
				b, err := os.ReadFile("testdata/xmlrpc/" + rt[1] + ".response.xml")
				if err != nil {
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
				}
				w.Header().Set("Content-Type", "text/xml")
				_, _ = w.Write(b)
				return
			}
		}
		http.Error(w, "no route", http.StatusNotFound)
	}))
}

func Example() {
	srv := fakeOdoo(
		[2]string{"authenticate", "002-common-authenticate-admin-ok"},
		[2]string{"search_read", "087-res.partner-search_read-demo-limit3"},
	)
	defer srv.Close()

	client, err := odoo.NewClient(odoo.Config{URL: srv.URL, DB: "demo"})
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()

	uid, err := client.Authenticate(ctx, "admin", "admin")
	if err != nil {
		log.Fatal(err)
	}
	session := client.Session(uid, "admin").WithContext(map[string]any{"lang": "en_US"})

	partners, err := session.SearchRead(ctx, "res.partner", nil,
		[]string{"name", "email", "country_id"}, odoo.SearchOptions{Limit: 3})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range partners {
		id, _ := p.ID()
		name, _ := odoo.AsString(p["name"])
		_, country, _ := odoo.Many2One(p["country_id"])
		fmt.Printf("%d %s (%s)\n", id, name, country)
	}
	// Output:
	// 15 Azure Interior (United States)
	// 27 Brandon Freeman (United States)
	// 34 Colleen Diaz (United States)
}

func ExampleSession_WebSearchRead() {
	srv := fakeOdoo([2]string{"web_search_read", "090-sale.order-web_search_read-x2many-limit"})
	defer srv.Close()
	client, _ := odoo.NewClient(odoo.Config{URL: srv.URL, DB: "demo"})
	defer client.CloseIdleConnections()
	session := client.Session(2, "admin")

	res, err := session.WebSearchRead(context.Background(), "sale.order",
		[]any{[]any{"state", "=", "sale"}},
		odoo.Spec{
			"name":       {},
			"partner_id": {}, // no sub-fields: a bare id
			"order_line": {Fields: odoo.Spec{"name": {}}, Limit: 2, Order: "id desc"},
			"tag_ids":    {Fields: odoo.Spec{"display_name": {}}},
		},
		odoo.SearchOptions{Limit: 2})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("matching orders:", res.Length)
	for _, order := range res.Records {
		partnerID, _, _ := odoo.Many2One(order["partner_id"])
		fmt.Println(order["name"], "partner", partnerID, "lines", odoo.IDs(order["order_line"]))
	}
	// Output:
	// matching orders: 21
	// S00026 partner 10 lines [56 55 54 53]
	// S00025 partner 10 lines [52 51]
}

func ExampleFault() {
	srv := fakeOdoo([2]string{"read", "071-res.partner-read-bad-field"})
	defer srv.Close()
	client, _ := odoo.NewClient(odoo.Config{URL: srv.URL, DB: "demo"})
	defer client.CloseIdleConnections()

	_, err := client.Session(2, "admin").Read(context.Background(), "res.partner", []int{1}, []string{"name", "no_such_field"})
	var fault *odoo.Fault
	if errors.As(err, &fault) {
		fmt.Println(fault.Code, fault.Kind, fault.Exception)
		fmt.Println(fault.Message)
		fmt.Println(err) // never the traceback
	}
	// Output:
	// 1 validation ValueError
	// Invalid field 'no_such_field' on model 'res.partner'
	// odoo: read res.partner: ValueError: Invalid field 'no_such_field' on model 'res.partner'
}

func ExampleIsNoneReturned() {
	srv := fakeOdoo([2]string{"action_archive", "095-res.partner-action_archive-returns-None"})
	defer srv.Close()
	client, _ := odoo.NewClient(odoo.Config{URL: srv.URL, DB: "demo"})
	defer client.CloseIdleConnections()

	_, err := client.Session(2, "admin").ExecuteKW(context.Background(), "res.partner", "action_archive", []any{[]int{49}}, nil)
	if odoo.IsNoneReturned(err) {
		err = nil // the partner was archived; only the None result could not be sent
	}
	fmt.Println("archived, err =", err)
	// Output:
	// archived, err = <nil>
}

func ExampleClient_Authenticate() {
	srv := fakeOdoo([2]string{"authenticate", "003-common-authenticate-admin-badpassword"})
	defer srv.Close()
	client, _ := odoo.NewClient(odoo.Config{URL: srv.URL, DB: "demo"})
	defer client.CloseIdleConnections()

	_, err := client.Authenticate(context.Background(), "admin", "wrong-password")
	fmt.Println(errors.Is(err, odoo.ErrAuthentication))
	fmt.Println(err)
	// Output:
	// true
	// odoo: authenticate "admin" on database "demo": wrong login or password
}

func ExampleMany2One() {
	// The three shapes a many2one takes on the wire.
	for _, v := range []any{
		[]any{233, "United States"}, // read / search_read
		6,                           // web_read without sub-fields
		odoo.Record{"id": 10, "display_name": "Deco Addict"}, // web_read with sub-fields
		false, // empty
	} {
		id, name, ok := odoo.Many2One(v)
		fmt.Println(id, name, ok)
	}
	// Output:
	// 233 United States true
	// 6  true
	// 10 Deco Addict true
	// 0  false
}
