package odootest

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
)

// SyntheticConfig grows the dataset for scale tests. Records are generated
// deterministically and are consistent with the metadata: companies with
// contacts (parent_id / child_ids), countries and states, tags.
type SyntheticConfig struct {
	// Partners is the number of res.partner records to add, companies and
	// contacts together.
	Partners int
	// ContactsPerCompany is the number of contacts generated under each
	// generated company (0: every generated partner is a company).
	ContactsPerCompany int
	// Tags is the number of res.partner.category records to add; generated
	// partners get 0 to 2 of the tags.
	Tags int
	// Seed varies the generated data (0 is a valid seed).
	Seed uint64
}

// WithSynthetic grows the dataset with generated records (see
// SyntheticConfig).
func WithSynthetic(c SyntheticConfig) Option {
	return func(cfg *config) { cfg.synthetic = &c }
}

var (
	synthWords = []string{"Alpine", "Blue", "Cedar", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Iris", "Juniper",
		"Kestrel", "Lumen", "Maple", "Nova", "Onyx", "Pioneer", "Quartz", "River", "Summit", "Timber", "Umber", "Vertex",
		"Willow", "Xenon", "Yarrow", "Zenith"}
	synthKinds  = []string{"Furniture", "Logistics", "Interiors", "Systems", "Supplies", "Consulting", "Design", "Trading"}
	synthSuffix = []string{"Inc", "LLC", "Ltd", "Group", "SA", "GmbH"}
	synthFirst  = []string{"Alice", "Bruno", "Chloe", "Diego", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jonas",
		"Kara", "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wen", "Yara"}
	synthLast = []string{"Adams", "Bauer", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ivanov", "Jensen",
		"Kowalski", "Lopez", "Meyer", "Novak", "Olsen", "Peeters", "Rossi", "Silva", "Tanaka", "Urban", "Vargas", "Weber"}
	synthCities = []string{"Springfield", "Riverton", "Lakeside", "Fairview", "Greenville", "Madison", "Georgetown", "Arlington"}
)

// grow adds the synthetic records. Called before the server serves.
func (s *Server) grow(c SyntheticConfig) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.newEnv(s.users[AdminUID], false)
	rng := rand.New(rand.NewPCG(c.Seed, 0x5eed))
	now := "2026-11-21 20:30:00"
	partners := s.ds.models["res.partner"]
	tags := s.ds.models["res.partner.category"]
	countries := s.ds.models["res.country"]
	states := s.ds.models["res.country.state"]

	var tagIDs []int
	if tags != nil {
		for i := 0; i < c.Tags; i++ {
			tags.maxID++
			id := tags.maxID
			name := fmt.Sprintf("%s %s %d", synthWords[i%len(synthWords)], "Segment", i+1)
			r := rec{"id": id, "name": name, "active": true, "color": i % 12,
				"create_date": now, "write_date": now, "create_uid": AdminUID, "write_uid": AdminUID,
				"display_name": name, "partner_ids": []int{}}
			if tags.fields["complete_name"] != nil {
				r["complete_name"] = name
			}
			keep(tags, r)
			tags.recs[id] = r
			tags.indexAdd(id, r)
			tagIDs = append(tagIDs, id)
		}
	}
	if partners == nil || c.Partners <= 0 {
		return
	}
	// Countries with their states, biggest first, for realistic addresses.
	var countryIDs []int
	statesOf := map[int][]int{}
	if countries != nil {
		countryIDs = countries.sortedIDs()
		if states != nil {
			for id, r := range states.recs {
				if cid, _ := r["country_id"].(int); cid != 0 {
					statesOf[cid] = append(statesOf[cid], id)
				}
			}
			for _, l := range statesOf {
				slices.Sort(l)
			}
		}
		// Favour a few countries like real data does.
		var fav []int
		for _, id := range countryIDs {
			if len(statesOf[id]) > 0 {
				fav = append(fav, id)
			}
		}
		if len(fav) > 0 {
			countryIDs = append(fav, countryIDs...)
		}
	}
	tagPartners := map[int][]int{}
	per := c.ContactsPerCompany
	if per < 0 {
		per = 0
	}
	var company rec
	var companyName string
	for i := 0; i < c.Partners; i++ {
		partners.maxID++
		id := partners.maxID
		isCompany := per == 0 || i%(per+1) == 0
		r := rec{"id": id, "active": true, "type": "contact", "lang": "en_US",
			"create_date": now, "write_date": now, "create_uid": AdminUID, "write_uid": AdminUID,
			"is_company": isCompany, "customer_rank": rng.IntN(5), "supplier_rank": 0, "color": 0,
			"partner_share": true, "autopost_bills": "ask", "trust": "normal",
			"invoice_warn": "no-message", "sale_warn": "no-message", "picking_warn": "no-message"}
		var name string
		if isCompany {
			name = fmt.Sprintf("%s %s %s %d", synthWords[rng.IntN(len(synthWords))], synthKinds[rng.IntN(len(synthKinds))],
				synthSuffix[rng.IntN(len(synthSuffix))], i+1)
			companyName = name
			r["commercial_company_name"] = name
			r["commercial_partner_id"] = id
			r["complete_name"] = name
			if len(countryIDs) > 0 {
				cid := countryIDs[rng.IntN(min(len(countryIDs), 40))]
				r["country_id"] = cid
				if st := statesOf[cid]; len(st) > 0 {
					r["state_id"] = st[rng.IntN(len(st))]
				}
			}
			r["street"] = fmt.Sprintf("%d %s Street", 1+rng.IntN(999), synthWords[rng.IntN(len(synthWords))])
			r["city"] = synthCities[rng.IntN(len(synthCities))]
			r["zip"] = fmt.Sprintf("%05d", rng.IntN(100000))
			r["email"] = fmt.Sprintf("info@%s.example.com", strings.ToLower(strings.ReplaceAll(name, " ", "-")))
			r["phone"] = fmt.Sprintf("+1 555-%03d-%04d", rng.IntN(1000), rng.IntN(10000))
			r["website"] = fmt.Sprintf("https://%s.example.com", strings.ToLower(strings.ReplaceAll(name, " ", "-")))
			company = r
		} else {
			first := synthFirst[rng.IntN(len(synthFirst))]
			last := synthLast[rng.IntN(len(synthLast))]
			name = first + " " + last
			pid := company["id"].(int)
			r["parent_id"] = pid
			r["commercial_partner_id"] = pid
			r["commercial_company_name"] = companyName
			r["complete_name"] = companyName + ", " + name
			for _, k := range []string{"country_id", "state_id", "street", "city", "zip"} {
				if v, ok := company[k]; ok {
					r[k] = v
				}
			}
			r["email"] = fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(first), strings.ToLower(last), id)
			r["function"] = []string{"Sales Manager", "Buyer", "Accountant", "CEO", "Office Manager"}[rng.IntN(5)]
		}
		r["name"] = name
		r["display_name"] = r["complete_name"]
		if em, ok := r["email"].(string); ok {
			r["email_normalized"] = em
		}
		if len(tagIDs) > 0 {
			n := rng.IntN(3)
			var cats []int
			for range n {
				t := tagIDs[rng.IntN(len(tagIDs))]
				if !slices.Contains(cats, t) {
					cats = append(cats, t)
					tagPartners[t] = append(tagPartners[t], id)
				}
			}
			r["category_id"] = cats
		} else {
			r["category_id"] = []int{}
		}
		if i%97 == 96 {
			r["active"] = false
		}
		keep(partners, r)
		partners.recs[id] = r
		partners.indexAdd(id, r)
	}
	if tags != nil {
		for t, ids := range tagPartners {
			r := maps.Clone(tags.recs[t])
			r["partner_ids"] = append(slices.Clone(r["partner_ids"].([]int)), ids...)
			tags.recs[t] = r
		}
	}
	_ = e
}

// keep drops the generated values of fields the model does not have (after
// WithoutFields / WithModels).
func keep(m *model, r rec) {
	for k := range r {
		if k == "id" || k == "display_name" {
			continue
		}
		f := m.fields[k]
		if f == nil {
			delete(r, k)
			continue
		}
		if f.relation != "" && f.typ == "many2one" {
			if id, _ := r[k].(int); id == 0 {
				delete(r, k)
			}
		}
	}
}
