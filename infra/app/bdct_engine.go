package app

import "github.com/pactledger/pactledger/domain"

// defaultComparator is the engine used when Options.Comparator is nil.
func defaultComparator() domain.ContractComparator { return nil }
