package main

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
)

// Scale is the size of the synthetic organisation.
type Scale struct {
	Name     string
	Apps     int // pacticipants
	Versions int // versions per pacticipant
}

// scales are the sizes the issue names; -apps and -versions override them.
var scales = map[string]Scale{
	"small":  {"small", 20, 100},
	"medium": {"medium", 100, 500},
	"large":  {"large", 300, 2000},
}

// Rates of the synthetic organisation, per version of one application. They
// are the same at every scale, so the scales differ in size only.
const (
	pFeature       = 0.15 // a version is built on a feature branch instead of main
	pContentChange = 0.05 // a main pact gets new content (otherwise it reuses one)
	pContentRevert = 0.01 // a main pact goes back to its previous content
	pFeatureChange = 0.50 // a feature-branch pact differs from main's
	pSuccess       = 0.93 // a verification of a main or deployed pact passes
	pFeatureOK     = 0.70 // a verification of a feature-branch pact passes
	pDeployTest    = 0.50 // a main version is deployed to test
	pDeployStaging = 0.20 // ... to staging
	pDeployProd    = 0.08 // ... to production (every instance)
	pRollback      = 0.03 // a production deployment is followed by a rollback
	pUndeploy      = 0.02 // staging is torn down (undeployed) after a round
	pRelease       = 0.10 // a mobile main version is released to production
	maxSupported   = 3    // mobile releases supported at once; older ones end support
	verifyPerPV    = 6    // verifications published per provider version (at most)
)

// App is one pacticipant of the organisation and its place in the graph.
type App struct {
	Name       string
	Providers  []int // indexes of the applications it consumes
	Consumers  []int // indexes of the applications consuming it
	Mobile     bool  // released (not deployed) to production, never a provider
	LegacyTags bool  // also tags every version with its branch (old CLI habit)
	// Instances are its production application instances; nil holds only
	// the null instance.
	Instances []*string
}

// Org is the organisation: its applications and environments. It is a pure
// function of the scale and the seed.
type Org struct {
	Scale Scale
	Seed  uint64
	Apps  []App
	Envs  []string // test, staging, production; production is the last
}

var appWords = []string{"orders", "billing", "catalog", "search", "users", "auth", "cart", "payments",
	"shipping", "pricing", "inventory", "reviews", "notify", "reports", "ledger", "gateway"}

// NewOrg builds the organisation: about one application in twenty is a
// mobile app (consumer only, released), every other one consumes two or
// three providers picked among the next half of the ring of non-mobile
// applications, so each application has about five integrations in all.
func NewOrg(sc Scale, seed uint64) *Org {
	rng := rand.New(rand.NewPCG(seed, 0x6f7267))
	o := &Org{Scale: sc, Seed: seed, Envs: []string{"test", "staging", "production"}}
	mobiles := max(1, sc.Apps/20)
	if sc.Apps < 4 {
		mobiles = 0
	}
	var backends []int
	for i := range sc.Apps {
		a := App{Name: fmt.Sprintf("%s-%03d", appWords[i%len(appWords)], i)}
		if i >= sc.Apps-mobiles {
			a.Mobile, a.Name = true, fmt.Sprintf("mobile-%03d", i)
		} else {
			backends = append(backends, i)
		}
		a.LegacyTags = i%7 == 3
		if !a.Mobile && i%5 == 1 {
			eu, us := "eu", "us"
			a.Instances = []*string{&eu, &us}
		} else {
			a.Instances = []*string{nil}
		}
		o.Apps = append(o.Apps, a)
	}
	for i := range o.Apps {
		want := 2 + rng.IntN(2) // 2 or 3 providers
		if o.Apps[i].Mobile {
			want = 3
		}
		for tries := 0; len(o.Apps[i].Providers) < min(want, len(backends)-1) && tries < 100; tries++ {
			span := max(1, len(backends)/2)
			p := backends[(slices.Index(backends, i)+1+rng.IntN(span)+len(backends))%len(backends)]
			if o.Apps[i].Mobile {
				p = backends[rng.IntN(len(backends))]
			}
			if p != i && !slices.Contains(o.Apps[i].Providers, p) {
				o.Apps[i].Providers = append(o.Apps[i].Providers, p)
				o.Apps[p].Consumers = append(o.Apps[p].Consumers, i)
			}
		}
	}
	return o
}

// Integrations counts consumer→provider pairs.
func (o *Org) Integrations() int {
	n := 0
	for _, a := range o.Apps {
		n += len(a.Providers)
	}
	return n
}

// versionNumber is the version an application builds in round r: a short
// git-like SHA, unique per application (a collision takes the next hash).
func (o *Org) versionNumber(app, round int, taken map[string]bool) string {
	for salt := uint64(0); ; salt++ {
		h := mix(o.Seed ^ uint64(app)<<40 ^ uint64(round)<<8 ^ salt<<60)
		n := fmt.Sprintf("%07x", h&0xfffffff)
		if !taken[n] {
			taken[n] = true
			return n
		}
	}
}

// mix is splitmix64's finaliser.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// pactDoc is the pact consumer publishes for provider with content number k:
// two to five HTTP interactions (about 1 KiB), different for every k.
func pactDoc(consumer, provider string, k int) []byte {
	f := fnv.New64a()
	f.Write([]byte(consumer + "\x00" + provider))
	h := mix(uint64(k) ^ f.Sum64())
	type req struct {
		Method  string            `json:"method"`
		Path    string            `json:"path"`
		Headers map[string]string `json:"headers,omitempty"`
	}
	type resp struct {
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    map[string]any    `json:"body"`
	}
	type interaction struct {
		Description   string `json:"description"`
		ProviderState string `json:"providerState"`
		Request       req    `json:"request"`
		Response      resp   `json:"response"`
	}
	var its []interaction
	for i := range 2 + int(h%4) {
		its = append(its, interaction{
			Description:   fmt.Sprintf("a request from %s for resource %d (contract %d)", consumer, i, k),
			ProviderState: fmt.Sprintf("%s has resource %d", provider, i),
			Request:       req{Method: "GET", Path: fmt.Sprintf("/api/v1/resources/%d", i), Headers: map[string]string{"Accept": "application/json"}},
			Response: resp{Status: 200, Headers: map[string]string{"Content-Type": "application/json"},
				Body: map[string]any{"id": i, "name": fmt.Sprintf("resource-%d", i), "revision": k, "tags": []string{"a", "b"}}},
		})
	}
	doc := map[string]any{
		"consumer": map[string]string{"name": consumer}, "provider": map[string]string{"name": provider},
		"interactions": its, "metadata": map[string]any{"pactSpecification": map[string]string{"version": "2.0.0"}},
	}
	b, _ := json.Marshal(doc)
	return b
}
