// Package fuzz holds the project's Go native fuzz targets: the doc page
// parser, the C declaration parser and the generator end to end; single
// calls of any qwave.API judged by an oracle (CheckCall: the contract
// tables and the state the call runs in say what it must do); and op
// sequences over all 11 functions run on two implementations and compared
// (CompareOps, CheckOps, with Shadow as an independent reference). Plain
// `go test ./fuzz` replays the seeds and the committed corpus in
// testdata/fuzz and holds the suite to its mutant set (TestMutantsKilled);
// `go test ./fuzz -run '^$' -fuzz FuzzX -fuzztime 60s` explores.
package fuzz
