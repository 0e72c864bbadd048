package projections

// View joins the read models for the queries package: each query declares
// the small reader interface it needs, and View implements them on top of
// the catalog, the deployments and the contracts (view_*.go, one file per
// query). Its methods are safe for concurrent use, like the models'.
//
// Hazard: a method that reads two models sees each at its own moment; the
// runner applies an event to every model before the next, so the gap is one
// event at most, and commands wait for their own position before answering.
type View struct {
	Catalog     *Catalog
	Deployments *Deployments
	Contracts   *Contracts
}

// NewView returns a View over the three read models.
func NewView(c *Catalog, d *Deployments, k *Contracts) *View {
	return &View{Catalog: c, Deployments: d, Contracts: k}
}
