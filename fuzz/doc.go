// Package fuzz holds the project's Go native fuzz targets: the doc page
// parser, the C declaration parser and the generator end to end; the
// per-call contract of any qwave.API; and op sequences run against two
// implementations. Plain `go test ./fuzz` replays the seeds and the committed
// corpus in testdata/fuzz; `go test ./fuzz -run '^$' -fuzz FuzzX -fuzztime 60s`
// explores.
package fuzz
