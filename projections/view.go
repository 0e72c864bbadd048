package projections

// View joins the read models for the queries package: each query declares
// the small reader interface it needs, and View implements them on top of
// the catalog, the deployments and the contracts (view_*.go, one file per
// query). Its methods are safe for concurrent use, like the models'.
//
// Hazard: a method that reads two models sees each at its own moment. The
// runner applies a batch model by model (BatchApplier), so one model may be
// up to a batch (1,024 events) ahead of another: a reader can see, say, a
// deployment of a version whose pacts the contracts model has not taken in
// yet. Every lookup here treats a missing entry as absent. The gap concerns
// only events whose commands have not answered yet: the runner publishes a
// position after every model holds the whole batch, and commands wait for
// their own position before answering.
type View struct {
	Catalog     *Catalog
	Deployments *Deployments
	Contracts   *Contracts
}

// NewView returns a View over the three read models.
func NewView(c *Catalog, d *Deployments, k *Contracts) *View {
	return &View{Catalog: c, Deployments: d, Contracts: k}
}
