package fuzz

import (
	"flag"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// TestReplayOps's flags. The op count is -ops, not -n, because go test
// takes -n for itself.
var (
	replaySeed = flag.Uint64("seed", 0, "TestReplayOps: the GenerateOps seed to replay")
	replayOps  = flag.Int("ops", 64, "TestReplayOps: the number of ops to replay")
	replayKeep = flag.String("keep", "", "TestReplayOps: replay only the ops at these indexes (a shrunk sequence), e.g. 0,3,7")
	noSeeds    = flag.Bool("noseeds", false, "FuzzOps: add no seeds, so that a run from a directory without testdata times the fuzzing engine alone")
	mutantFlag = flag.String("mutant", "", "FuzzOps, TestReplayOps: hold this mutant (mutants_test.go) to Shadow instead of the model")
)

// opsLen is the number of ops a fuzz input (seed, n) runs.
func opsLen(n uint8) int { return int(n)%64 + 1 }

// opsTarget is the implementation FuzzOps, TestReplayOps and the seed tests
// hold to Shadow: the model, or with -mutant=NAME one of the mutants of
// mutants_test.go (a planted bug, to measure how fast the target finds it).
func opsTarget() (func() qwave.API, string) {
	if *mutantFlag != "" {
		for _, m := range mutants {
			if m.name == *mutantFlag {
				return m.api, "mutant " + m.name
			}
		}
		panic("no mutant named " + *mutantFlag)
	}
	return func() qwave.API { return qwavetest.New() }, "qwavetest.Model"
}

// opsDiff compares GenerateOps(seed, len) on the target and on a fresh
// Shadow, and returns nil or the *OpsMismatch with a replay command.
func opsDiff(seed uint64, n int) error {
	target, name := opsTarget()
	replay := "go test ./fuzz -run TestReplayOps -v -seed=%d -ops=%d -keep=%s"
	if *mutantFlag != "" {
		replay += " -mutant=" + *mutantFlag
	}
	return CompareOps(target, name, func() qwave.API { return NewShadow() }, "Shadow", seed, n, replay)
}

// FuzzOps runs a generated op sequence on qwavetest.Model (or the mutant
// -mutant names) and on Shadow and compares their histories line by line.
func FuzzOps(f *testing.F) {
	if *noSeeds {
		f.Add(uint64(0), uint8(0)) // one op: the sequence the engine mutates from
	} else {
		for _, seed := range []uint64{0, 1, 2, 3, 42, 1000, 1 << 32, ^uint64(0)} {
			f.Add(seed, uint8(63))
		}
		f.Add(uint64(7), uint8(9))
	}
	f.Fuzz(func(t *testing.T, seed uint64, n uint8) {
		if err := opsDiff(seed, opsLen(n)); err != nil {
			replay := "go test -fuzz writes this input to testdata/fuzz/FuzzOps/<file>; replay it with\n" +
				"        go test ./fuzz -run 'FuzzOps/<file>'"
			if _, file, ok := strings.Cut(t.Name(), "/"); ok {
				replay = "        go test ./fuzz -run 'FuzzOps/" + file + "'"
			}
			t.Fatalf("%v\n%s", err, replay)
		}
	})
}

// TestReplayOps is a replay tool, not a check: it skips unless -seed is
// given, then runs GenerateOps(-seed, -ops) on the target (the model, or
// -mutant) and on Shadow, logs the ops and both histories, and fails if
// they differ.
func TestReplayOps(t *testing.T) {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "seed" })
	if !given {
		t.Skip("replay tool: run with -seed=N [-ops=M] [-mutant=NAME]")
	}
	ops := GenerateOps(*replaySeed, *replayOps)
	if *replayKeep != "" {
		var kept []int
		for _, f := range strings.Split(*replayKeep, ",") {
			k, err := strconv.Atoi(f)
			if err != nil || k < 0 || k >= len(ops) {
				t.Fatalf("-keep: %q is not an op index below %d", f, len(ops))
			}
			kept = append(kept, k)
		}
		ops = Pick(ops, kept)
	}
	target, name := opsTarget()
	got, want := Execute(target(), ops), Execute(NewShadow(), ops)
	t.Logf("lines: - Shadow only, + %s only", name)
	for i := range ops {
		if got[i] == want[i] {
			t.Logf("  %s", got[i])
		} else {
			t.Logf("- %s\n+ %s", want[i], got[i])
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s and Shadow disagree", name)
	}
}

func TestOpsDeterministic(t *testing.T) {
	for seed := range uint64(50) {
		a, b := GenerateOps(seed, 64), GenerateOps(seed, 64)
		if !slices.Equal(a, b) {
			t.Fatalf("seed %d: GenerateOps differs between two runs:\n%v\n%v", seed, a, b)
		}
		if short := GenerateOps(seed, 10); !slices.Equal(short, a[:10]) {
			t.Fatalf("seed %d: GenerateOps(seed, 10) is not a prefix of GenerateOps(seed, 64)", seed)
		}
		for name, api := range map[string]func() qwave.API{
			"qwavetest.Model": func() qwave.API { return qwavetest.New() },
			"Shadow":          func() qwave.API { return NewShadow() },
		} {
			if diff := cmp.Diff(Execute(api(), a), Execute(api(), a)); diff != "" {
				t.Fatalf("seed %d: %s gives two histories for the same ops (-first +second):\n%s", seed, name, diff)
			}
		}
	}
}

// TestShadowAgreesOnSeeds runs 2000 seeds through both implementations:
// the fuzz target's work in plain go test.
func TestShadowAgreesOnSeeds(t *testing.T) {
	for seed := range uint64(2000) {
		if err := opsDiff(seed, 64); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOpsCoverage keeps the generator honest: over the seeds
// TestShadowAgreesOnSeeds runs, every kind of outcome the target is meant to
// compare occurs, for all 11 functions and overlapped completion.
func TestOpsCoverage(t *testing.T) {
	seen := map[string]int{}
	for seed := range uint64(2000) {
		for _, line := range Execute(qwavetest.New(), GenerateOps(seed, 64)) {
			call, result, _ := strings.Cut(line, " = ")
			call = call[strings.IndexByte(call, ' ')+1:]
			fn, _, _ := strings.Cut(call, "(")
			code, _, _ := strings.Cut(strings.TrimPrefix(result, "FALSE, "), ",")
			seen[fn+" "+code]++
			if strings.Contains(line, "(new ") && strings.HasPrefix(result, "TRUE") && strings.Contains(line, "QOS_NON_ADAPTIVE_FLOW") {
				seen["non-adaptive flow created"]++
			}
			if fn == "QOSAddSocketToFlow" && !strings.Contains(line, "(new ") && strings.HasPrefix(result, "TRUE") {
				seen["socket added to an existing flow"]++
			}
			if fn == "QOSEnumerateFlows" && strings.Contains(result, " f") {
				seen["flows listed"]++
			}
			if strings.HasPrefix(call, "complete") {
				for _, state := range []string{"pending", "aborted", "ok, size", "ok, 0 bytes", "ok, 8 bytes", "failed"} {
					if strings.Contains(result, " "+state) {
						seen["overlapped "+state]++
					}
				}
			}
		}
	}
	for _, want := range []string{
		"QOSCreateHandle TRUE", "QOSCreateHandle ERROR_INVALID_PARAMETER",
		"QOSCloseHandle TRUE", "QOSCloseHandle ERROR_INVALID_PARAMETER",
		"QOSAddSocketToFlow TRUE", "QOSAddSocketToFlow ERROR_INVALID_HANDLE",
		"QOSAddSocketToFlow ERROR_INVALID_PARAMETER", "QOSAddSocketToFlow ERROR_HOST_UNREACHABLE",
		"QOSRemoveSocketFromFlow TRUE", "QOSRemoveSocketFromFlow ERROR_NOT_FOUND", "QOSRemoveSocketFromFlow ERROR_INVALID_HANDLE",
		"QOSSetFlow TRUE", "QOSSetFlow ERROR_NOT_FOUND", "QOSSetFlow ERROR_INVALID_PARAMETER", "QOSSetFlow ERROR_IO_PENDING",
		"QOSSetFlow ERROR_NETWORK_BUSY", "QOSSetFlow ERROR_ACCESS_DISABLED_BY_POLICY",
		"QOSQueryFlow TRUE", "QOSQueryFlow ERROR_INSUFFICIENT_BUFFER", "QOSQueryFlow ERROR_NOT_FOUND", "QOSQueryFlow ERROR_IO_PENDING",
		"QOSQueryFlow ERROR_NO_DATA", "QOSQueryFlow ERROR_NOT_SUPPORTED", "QOSQueryFlow ERROR_INVALID_PARAMETER",
		"QOSNotifyFlow TRUE", "QOSNotifyFlow ERROR_IO_PENDING", "QOSNotifyFlow ERROR_ALREADY_EXISTS", "QOSNotifyFlow ERROR_NOT_SUPPORTED",
		"QOSNotifyFlow ERROR_INVALID_PARAMETER", "QOSNotifyFlow ERROR_NOT_FOUND",
		"QOSCancel TRUE", "QOSCancel ERROR_INVALID_PARAMETER", "QOSCancel ERROR_INVALID_HANDLE",
		"QOSEnumerateFlows TRUE", "QOSEnumerateFlows ERROR_INSUFFICIENT_BUFFER", "QOSEnumerateFlows ERROR_INVALID_HANDLE",
		"QOSStartTrackingClient TRUE", "QOSStartTrackingClient ERROR_HOST_UNREACHABLE", "QOSStartTrackingClient ERROR_NOT_SUPPORTED",
		"QOSStartTrackingClient ERROR_INVALID_PARAMETER",
		"QOSStopTrackingClient TRUE", "QOSStopTrackingClient ERROR_INVALID_PARAMETER",
		"overlapped pending", "overlapped aborted", "overlapped ok, size", "overlapped ok, 0 bytes", "overlapped ok, 8 bytes",
		"non-adaptive flow created", "socket added to an existing flow", "flows listed",
	} {
		if seen[want] == 0 {
			t.Errorf("no generated op gives %q", want)
		}
	}
	if t.Failed() {
		for _, k := range slices.Sorted(maps.Keys(seen)) {
			t.Logf("%6d %s", seen[k], k)
		}
	}
}

// BenchmarkOps measures one FuzzOps exec: a 64-op sequence generated from a
// seed and run on the model and on Shadow, histories compared.
func BenchmarkOps(b *testing.B) {
	b.ReportAllocs()
	seed := uint64(0)
	for b.Loop() {
		if err := opsDiff(seed, opsLen(63)); err != nil {
			b.Fatal(err)
		}
		seed++
	}
}

// TestExecuteLeavesNothingOpen: whatever the ops leave open is closed at
// the end, pending operations included.
func TestExecuteLeavesNothingOpen(t *testing.T) {
	for seed := range uint64(200) {
		m := qwavetest.New()
		Execute(m, GenerateOps(seed, 64))
		if h, f, p := m.LiveHandles(), m.LiveFlows(), m.Pending(); h+f+p != 0 {
			t.Fatalf("seed %d: %d handles, %d flows and %d operations left after Execute", seed, h, f, p)
		}
	}
}

// realSockets is the model on a machine whose sockets are real: it refuses
// the fake values Execute passes by default (the socket is not one).
type realSockets struct{ *qwavetest.Model }

func (m realSockets) QOSAddSocketToFlow(h qwave.Handle, s qwave.Socket, dest *qwave.RawSockaddrAny, t qwave.QOS_TRAFFIC_TYPE, flags uint32, id *qwave.QOS_FLOWID) error {
	if s < 0x10000 {
		m.SetLastError(qwave.ERROR_INVALID_PARAMETER)
		return qwave.ERROR_INVALID_PARAMETER
	}
	return m.Model.QOSAddSocketToFlow(h, s, dest, t, flags, id)
}

// TestCheckOpsConfig runs the op fuzzer against an implementation on
// another network with real sockets: without OpsConfig it disagrees with the
// model; with the lab's sockets, its hosts mapped and only outcomes
// compared, it agrees.
func TestCheckOpsConfig(t *testing.T) {
	lab := map[netip.Addr]netip.Addr{
		qwavetest.OnLinkIPv4:      netip.MustParseAddr("10.0.0.7"),
		qwavetest.OnLinkIPv6:      netip.MustParseAddr("fd00::7"),
		qwavetest.OffLinkIPv4:     netip.MustParseAddr("10.9.9.9"),
		qwavetest.UnreachableIPv4: netip.MustParseAddr("10.255.255.1"),
	}
	def := qwavetest.DefaultNetwork()
	hosts := map[netip.Addr]qwavetest.Host{}
	for from, to := range lab {
		if h, ok := def.Hosts[from]; ok {
			h.RTT *= 3 // a real path: other figures than the model's, the same outcomes
			hosts[to] = h
		}
	}
	labNetwork := func(congested bool) qwavetest.Network {
		n := qwavetest.Network{Hosts: map[netip.Addr]qwavetest.Host{}}
		for ip, h := range hosts {
			h.Congested = congested
			n.Hosts[ip] = h
		}
		return n
	}
	impl := func() qwave.API { return realSockets{qwavetest.New(qwavetest.WithNetwork(labNetwork(false)))} }
	cfg := OpsConfig{
		Network:      labNetwork,
		Socket:       func(i int) qwave.Socket { return 0x10000 + qwave.Socket(4*i) },
		Addr:         func(ap netip.AddrPort) netip.AddrPort { return netip.AddrPortFrom(lab[ap.Addr()], ap.Port()) },
		OutcomesOnly: true,
	}
	values := cfg
	values.OutcomesOnly = false
	disagreed, valuesDiffer := false, false
	for seed := range uint64(300) {
		if CheckOps(impl, "lab", qwave.ProfileDocumented, seed, 64, "") != nil {
			disagreed = true
		}
		if CheckOps(impl, "lab", qwave.ProfileDocumented, seed, 64, "", values) != nil {
			valuesDiffer = true
		}
		if err := CheckOps(impl, "lab", qwave.ProfileDocumented, seed, 64, "", cfg); err != nil {
			t.Fatalf("with the lab's sockets and hosts: %v", err)
		}
	}
	if !disagreed || !valuesDiffer {
		t.Errorf("without OpsConfig (%v) or OutcomesOnly (%v) the lab implementation never disagreed: the test proves nothing", disagreed, valuesDiffer)
	}
}
