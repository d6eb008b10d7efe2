package odootest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/odoogql/odoogql/odoo/odootest"
)

// A search_count call as Python's xmlrpc.client would send it.
const searchCompanies = `<?xml version='1.0'?>
<methodCall>
<methodName>execute_kw</methodName>
<params>
<param><value><string>demo</string></value></param>
<param><value><int>2</int></value></param>
<param><value><string>admin</string></value></param>
<param><value><string>res.partner</string></value></param>
<param><value><string>search_count</string></value></param>
<param><value><array><data>
<value><array><data>
<value><array><data>
<value><string>is_company</string></value>
<value><string>=</string></value>
<value><boolean>1</boolean></value>
</data></array></value>
</data></array></value>
</data></array></value></param>
</params>
</methodCall>
`

func Example() {
	srv := odootest.NewServer()
	defer srv.Close()

	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}

	resp, err := hc.Post(srv.URL+"/xmlrpc/2/object", "text/xml", strings.NewReader(searchCompanies))
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Print(string(body))
	fmt.Println("calls:", srv.Calls("res.partner", "search_count"))
	// Output:
	// <?xml version="1.0"?>
	// <methodResponse>
	// <params>
	// <param>
	// <value><int>10</int></value>
	// </param>
	// </params>
	//
	// </methodResponse>
	// calls: 1
}

func ExampleServer_SetFaults() {
	srv := odootest.NewServer()
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}

	// Every second write fails with a 502 from the "reverse proxy".
	srv.SetFaults(odootest.FaultPlan{Kind: odootest.FaultHTTP502, Every: 2, Methods: []string{"search_count"}})
	for range 4 {
		resp, err := hc.Post(srv.URL+"/xmlrpc/2/object", "text/xml", strings.NewReader(searchCompanies))
		if err != nil {
			panic(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode)
	}
	fmt.Println("injected:", srv.InjectedFaults())
	// Output:
	// 200
	// 502
	// 200
	// 502
	// injected: 2
}

func ExampleWithSynthetic() {
	srv := odootest.NewServer(odootest.WithSynthetic(odootest.SyntheticConfig{Partners: 10000, ContactsPerCompany: 4, Tags: 20}))
	defer srv.Close()
	fmt.Println(srv.Count("res.partner"), srv.Count("res.partner.category"))
	p, _ := srv.Record("res.partner", 50)
	fmt.Println(p["parent_id"].([]any)[0])
	// Output:
	// 10043 27
	// 49
}
