package app

import (
	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/infra/openapicompare"
)

// defaultComparator is the engine used when Options.Comparator is nil: the
// OpenAPI comparator (openapi-pact-comparator rules).
func defaultComparator() domain.ContractComparator { return openapicompare.New() }
