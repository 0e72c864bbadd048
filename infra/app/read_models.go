package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// ReadModels are the read models pactledger keeps, built from the log. Start
// feeds them through its runner; RebuildReadModels builds a fresh set for
// the offline tools (replay, replay --verify).
type ReadModels struct {
	Catalog           *projections.Catalog
	Deployments       *projections.Deployments
	Contracts         *projections.Contracts
	Webhooks          *projections.Webhooks
	Tokens            *projections.Tokens
	ProviderContracts *projections.ProviderContracts
	History           *projections.History
	// WebhookDeliveries derives webhook triggers from the other models as
	// they were just before each event, so it is fed first (Projectors).
	WebhookDeliveries *projections.WebhookDeliveries
}

// NewReadModels returns empty read models. webhookBaseURL is the base of the
// URLs in webhook template parameters (StreamingOptions.WebhookBaseURL or
// Options.BaseURL): the same log gives the same models only under the same
// base URL.
func NewReadModels(webhookBaseURL string) ReadModels {
	m := ReadModels{
		Catalog:           projections.NewCatalog(),
		Deployments:       projections.NewDeployments(),
		Contracts:         projections.NewContracts(),
		Webhooks:          projections.NewWebhooks(),
		Tokens:            projections.NewTokens(),
		ProviderContracts: projections.NewProviderContracts(),
		History:           projections.NewHistory(),
	}
	m.WebhookDeliveries = projections.NewWebhookDeliveries(webhookBaseURL, m.Webhooks, m.Catalog, m.Deployments, m.Contracts)
	return m
}

// Projectors lists the models in the order events must be applied to them.
func (m ReadModels) Projectors() []projections.Projector {
	return []projections.Projector{m.WebhookDeliveries, m.Catalog, m.Deployments, m.Contracts, m.Webhooks,
		m.Tokens, m.ProviderContracts, m.History}
}

// Digests returns one digest per read model that can be snapshotted
// (ReadModelDigests).
func (m ReadModels) Digests() map[string]string {
	var models []projections.Snapshotter
	for _, p := range m.Projectors() {
		if s, ok := p.(projections.Snapshotter); ok {
			models = append(models, s)
		}
	}
	return ReadModelDigests(models...)
}

// IsReadModel reports whether name is one of ReadModels' models (a
// snapshot also holds projectors without read-model state).
func IsReadModel(name string) bool {
	for _, p := range NewReadModels("").Projectors() {
		if p.Name() == name {
			return true
		}
	}
	return false
}

var errRebuildDone = errors.New("app: rebuild reached its end")

// RebuildReadModels replays the log from its start into fresh read models:
// up to toPosition (0: the head when it starts) and, when until is set, only
// the events recorded at or before it. onEvent, when set, sees each event
// after it was applied. It returns the models and the last position
// applied (0 when none was).
func RebuildReadModels(ctx context.Context, log *events.Log, webhookBaseURL string, toPosition uint64, until time.Time,
	onEvent func(e events.Envelope, toPosition uint64)) (ReadModels, uint64, error) {
	m := NewReadModels(webhookBaseURL)
	head, err := log.Head(ctx)
	if err != nil {
		return m, 0, err
	}
	if toPosition == 0 || toPosition > head {
		toPosition = head
	}
	if toPosition == 0 {
		return m, 0, nil
	}
	projectors := m.Projectors()
	var last uint64
	err = log.SubscribeAll(ctx, 0, func(e events.Envelope) error {
		if e.Position > toPosition || (!until.IsZero() && e.OccurredAt.After(until)) {
			return errRebuildDone // sparse positions: the next event is past it
		}
		for _, p := range projectors {
			p.Apply(e)
		}
		last = e.Position
		if onEvent != nil {
			onEvent(e, toPosition)
		}
		if e.Position == toPosition {
			return errRebuildDone
		}
		return nil
	})
	if !errors.Is(err, errRebuildDone) {
		return m, last, fmt.Errorf("app: rebuild read models up to position %d: %w", toPosition, err)
	}
	return m, last, nil
}
