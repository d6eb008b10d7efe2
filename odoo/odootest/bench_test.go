package odootest

import (
	"testing"
)

func BenchmarkSearchRead10k(b *testing.B) {
	s := NewServer(WithSynthetic(SyntheticConfig{Partners: 10000, ContactsPerCompany: 4, Tags: 30}))
	defer s.Close()
	c := newClient(b, s)
	kw := KW("fields", L("name", "email", "country_id", "parent_id", "child_ids", "category_id", "is_company", "write_date"))
	b.ResetTimer()
	for range b.N {
		c.must("res.partner", "search_read", L(L()), kw)
	}
}

func BenchmarkWebSearchRead10k(b *testing.B) {
	s := NewServer(WithSynthetic(SyntheticConfig{Partners: 10000, ContactsPerCompany: 4, Tags: 30}))
	defer s.Close()
	c := newClient(b, s)
	spec := KW("name", KW(), "country_id", KW("fields", KW("code", KW())), "child_ids", KW("fields", KW("name", KW())), "category_id", KW("fields", KW("name", KW())))
	b.ResetTimer()
	for range b.N {
		c.must("res.partner", "web_search_read", L(L(), spec), nil)
	}
}

func BenchmarkNewServer(b *testing.B) {
	for range b.N {
		s := NewUnstarted()
		s.Close()
	}
}
