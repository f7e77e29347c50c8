package fuzz

import (
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/winqos/winqos/qwave"
	"github.com/winqos/winqos/qwave/qwavetest"
)

// TestReplayOps's flags. The op count is -ops, not -n, because go test
// takes -n for itself.
var (
	replaySeed = flag.Uint64("seed", 0, "TestReplayOps: the GenerateOps seed to replay")
	replayOps  = flag.Int("ops", 64, "TestReplayOps: the number of ops to replay")
)

// opsLen is the number of ops a fuzz input (seed, n) runs.
func opsLen(n uint8) int { return int(n)%64 + 1 }

// opsDiff runs ops on a fresh qwavetest.Model and a fresh Shadow and
// returns "" when their histories agree, else a report.
func opsDiff(seed uint64, ops []Op) string {
	return opsCompare(seed, ops, "qwavetest.Model", qwavetest.New(), "Shadow", NewShadow())
}

// opsCompare runs ops on a and b and returns "" when their histories agree,
// else a report: the shortest failing prefix (GenerateOps sequences are
// prefixes of longer ones, so it ends at the first line that differs), its
// ops, the diff and the replay command.
func opsCompare(seed uint64, ops []Op, nameA string, a qwave.API, nameB string, b qwave.API) string {
	histA, histB := Execute(a, ops), Execute(b, ops)
	i := 0
	for i < len(ops) && histA[i] == histB[i] {
		i++
	}
	if i == len(ops) {
		return ""
	}
	var r strings.Builder
	fmt.Fprintf(&r, "%s and %s disagree on seed %d at op %d (of %d); the ops up to there:\n", nameA, nameB, seed, i, len(ops))
	for _, op := range ops[:i+1] {
		fmt.Fprintf(&r, "\t%v\n", op)
	}
	fmt.Fprintf(&r, "history (-%s +%s):\n%s", nameA, nameB, cmp.Diff(histA[:i+1], histB[:i+1]))
	fmt.Fprintf(&r, "replay: go test ./fuzz -run TestReplayOps -v -seed=%d -ops=%d", seed, i+1)
	return r.String()
}

// FuzzOps runs a generated op sequence on qwavetest.Model and on Shadow and
// compares their histories line by line.
func FuzzOps(f *testing.F) {
	for _, seed := range []uint64{0, 1, 2, 3, 42, 1000, 1 << 32, ^uint64(0)} {
		f.Add(seed, uint8(63))
	}
	f.Add(uint64(7), uint8(9))
	f.Fuzz(func(t *testing.T, seed uint64, n uint8) {
		if report := opsDiff(seed, GenerateOps(seed, opsLen(n))); report != "" {
			replay := "go test -fuzz writes this input to testdata/fuzz/FuzzOps/<file>; replay it with\n" +
				"        go test ./fuzz -run 'FuzzOps/<file>'"
			if _, file, ok := strings.Cut(t.Name(), "/"); ok {
				replay = "        go test ./fuzz -run 'FuzzOps/" + file + "'"
			}
			t.Fatalf("%s\n%s", report, replay)
		}
	})
}

// TestReplayOps is a replay tool, not a check: it skips unless -seed is
// given, then runs GenerateOps(-seed, -ops) on both implementations, logs
// the ops and both histories, and fails if they differ.
func TestReplayOps(t *testing.T) {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "seed" })
	if !given {
		t.Skip("replay tool: run with -seed=N [-ops=M]")
	}
	ops := GenerateOps(*replaySeed, *replayOps)
	model, shadow := Execute(qwavetest.New(), ops), Execute(NewShadow(), ops)
	t.Log("lines: - qwavetest.Model only, + Shadow only")
	for i := range ops {
		if model[i] == shadow[i] {
			t.Logf("  %s", model[i])
		} else {
			t.Logf("- %s\n+ %s", model[i], shadow[i])
		}
	}
	if report := opsDiff(*replaySeed, ops); report != "" {
		t.Fatal(report)
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
		if report := opsDiff(seed, GenerateOps(seed, 64)); report != "" {
			t.Fatal(report)
		}
	}
}

// TestOpsCoverage keeps the generator honest: over the seeds
// TestShadowAgreesOnSeeds runs, every kind of outcome the target is meant to
// compare occurs.
func TestOpsCoverage(t *testing.T) {
	seen := map[string]int{}
	for seed := range uint64(2000) {
		for _, line := range Execute(NewShadow(), GenerateOps(seed, 64)) {
			call, result, _ := strings.Cut(line, " = ")
			fn, _, _ := strings.Cut(call[strings.IndexByte(call, ' ')+1:], "(")
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
		}
	}
	for _, want := range []string{
		"QOSCreateHandle TRUE",
		"QOSCloseHandle TRUE", "QOSCloseHandle ERROR_INVALID_PARAMETER",
		"QOSAddSocketToFlow TRUE", "QOSAddSocketToFlow ERROR_INVALID_HANDLE",
		"QOSAddSocketToFlow ERROR_INVALID_PARAMETER", "QOSAddSocketToFlow ERROR_HOST_UNREACHABLE",
		"QOSRemoveSocketFromFlow TRUE", "QOSRemoveSocketFromFlow ERROR_NOT_FOUND", "QOSRemoveSocketFromFlow ERROR_INVALID_HANDLE",
		"QOSSetFlow TRUE", "QOSSetFlow ERROR_NOT_FOUND", "QOSSetFlow ERROR_INVALID_PARAMETER",
		"QOSQueryFlow TRUE", "QOSQueryFlow ERROR_INSUFFICIENT_BUFFER", "QOSQueryFlow ERROR_NOT_FOUND",
		"QOSEnumerateFlows TRUE", "QOSEnumerateFlows ERROR_INSUFFICIENT_BUFFER", "QOSEnumerateFlows ERROR_INVALID_HANDLE",
		"QOSStartTrackingClient TRUE", "QOSStartTrackingClient ERROR_HOST_UNREACHABLE", "QOSStartTrackingClient ERROR_NOT_SUPPORTED",
		"QOSStopTrackingClient TRUE", "QOSStopTrackingClient ERROR_INVALID_PARAMETER",
		"non-adaptive flow created", "socket added to an existing flow", "flows listed",
	} {
		if seen[want] == 0 {
			t.Errorf("no generated op gives %q", want)
		}
	}
}

// lastSocketKeepsFlow breaks one rule of the model: removing the last
// socket of a flow by its socket leaves the flow (and the socket in it)
// instead of ending it ("For a flow with a single socket, passing that
// socket and passing NULL have the same effect").
type lastSocketKeepsFlow struct {
	*qwavetest.Model
	socks map[qwave.QOS_FLOWID][]qwave.Socket
}

func (b *lastSocketKeepsFlow) QOSAddSocketToFlow(h qwave.Handle, s qwave.Socket, dest *qwave.RawSockaddrAny, t qwave.QOS_TRAFFIC_TYPE, flags uint32, id *qwave.QOS_FLOWID) error {
	err := b.Model.QOSAddSocketToFlow(h, s, dest, t, flags, id)
	if err == nil {
		b.socks[*id] = append(b.socks[*id], s)
	}
	return err
}

func (b *lastSocketKeepsFlow) QOSRemoveSocketFromFlow(h qwave.Handle, s qwave.Socket, id qwave.QOS_FLOWID, flags uint32) error {
	var size uint32 // a query with no room fails with ERROR_INSUFFICIENT_BUFFER iff id is a flow of h
	live := insufficient(b.Model.QOSQueryFlow(h, id, qwave.QOSQueryPacketPriority, &size, nil, 0, nil))
	if live && s != 0 && flags == 0 && slices.Equal(b.socks[id], []qwave.Socket{s}) {
		return nil
	}
	err := b.Model.QOSRemoveSocketFromFlow(h, s, id, flags)
	switch i := slices.Index(b.socks[id], s); {
	case err != nil:
	case s == 0:
		delete(b.socks, id)
	case i >= 0:
		b.socks[id] = slices.Delete(b.socks[id], i, i+1)
	}
	return err
}

// enumerateSizeInFlows breaks another: on ERROR_INSUFFICIENT_BUFFER,
// QOSEnumerateFlows reports the size needed in flows, not in bytes.
type enumerateSizeInFlows struct{ *qwavetest.Model }

func (b enumerateSizeInFlows) QOSEnumerateFlows(h qwave.Handle, size *uint32, buf unsafe.Pointer) error {
	err := b.Model.QOSEnumerateFlows(h, size, buf)
	if insufficient(err) {
		*size /= 4
	}
	return err
}

// TestOpsFindsPlantedBug proves the target can fail: each broken model must
// disagree with Shadow on one of the first 5000 seeds.
func TestOpsFindsPlantedBug(t *testing.T) {
	for name, broken := range map[string]func() qwave.API{
		"last socket keeps flow": func() qwave.API {
			return &lastSocketKeepsFlow{Model: qwavetest.New(), socks: map[qwave.QOS_FLOWID][]qwave.Socket{}}
		},
		"enumerate size in flows": func() qwave.API { return enumerateSizeInFlows{qwavetest.New()} },
	} {
		t.Run(name, func(t *testing.T) {
			for seed := range uint64(5000) {
				if report := opsCompare(seed, GenerateOps(seed, 64), "broken model", broken(), "Shadow", NewShadow()); report != "" {
					t.Logf("found after %d seeds:\n%s", seed+1, report)
					return
				}
			}
			t.Fatal("no seed of the first 5000 tells the broken model from Shadow")
		})
	}
}

// BenchmarkOps measures one FuzzOps exec: a 64-op sequence generated from a
// seed and run on the model and on Shadow, histories compared.
func BenchmarkOps(b *testing.B) {
	b.ReportAllocs()
	seed := uint64(0)
	for b.Loop() {
		if report := opsDiff(seed, GenerateOps(seed, opsLen(63))); report != "" {
			b.Fatal(report)
		}
		seed++
	}
}
