//go:build tools

// Package tools pins the versions of the commands that go:generate, the
// benchmarks and CI run, so `go run` of each resolves through go.mod:
//
//	go run golang.org/x/sys/windows/mkwinsyscall  (the baseline stub generator the benchmarks compare against)
//	go run golang.org/x/perf/cmd/benchstat        (benchmark comparisons in README's Performance section)
//	go run github.com/rhysd/actionlint/cmd/actionlint  (checks .github/workflows in .ci/test)
//	go run honnef.co/go/tools/cmd/staticcheck         (static checks for linux and windows in .ci/test)
package tools

import (
	_ "github.com/rhysd/actionlint/cmd/actionlint"
	_ "golang.org/x/perf/cmd/benchstat"
	_ "golang.org/x/sys/windows/mkwinsyscall"
	_ "honnef.co/go/tools/cmd/staticcheck"
)
