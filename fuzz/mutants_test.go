package fuzz

import (
	"github.com/winqos/winqos/qwave"
)

// mutant is a broken implementation: the model with one documented rule
// broken.
type mutant struct {
	name string
	api  func() qwave.API
}

var mutants []mutant
