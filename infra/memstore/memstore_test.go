package memstore_test

import (
	"testing"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/memstore"
	"github.com/pactledger/pactledger/infra/storetest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(*testing.T) events.Store { return memstore.New() })
}
