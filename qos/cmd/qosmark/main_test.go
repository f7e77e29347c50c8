package main

import (
	"bytes"
	"net"
	"strings"
	"testing"
)

func runQosmark(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestMarkUDPAgainstTheModel(t *testing.T) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Skip(err)
	}
	defer pc.Close()
	code, out, errs := runQosmark(t, "-model", "-peer", pc.LocalAddr().String(), "-class", "voice", "-nonadaptive", "-dscp", "46")
	if code != 0 {
		t.Fatalf("qosmark = %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"Voice from 127.0.0.1:", "to " + pc.LocalAddr().String(), "marks: DSCP 46 (0x2e), 802.1p 0", "rate: qos: QOSQueryFlow(QOSQueryOutgoingRate): ERROR_NO_DATA", "estimates: qos: QOSQueryFlow(QOSQueryFlowFundamentals): ERROR_NOT_SUPPORTED"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestMarkTCPAgainstTheModel(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Close()
		}
	}()
	code, out, errs := runQosmark(t, "-model", "-net", "tcp", "-peer", ln.Addr().String(), "-class", "AudioVideo", "-rate", "2000000")
	if code != 0 {
		t.Fatalf("qosmark = %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"AudioVideo", "marks: DSCP 40 (0x28), 802.1p 5", "rate: 2000000 bit/s", "estimates: bottleneck 1000000000 bit/s, available 800000000 bit/s, RTT 1ms"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-peer", "127.0.0.1:1", "-class", "Gold"},
		{"-peer", "127.0.0.1:1", "-dscp", "64"},
		{"-peer", "127.0.0.1:1", "-net", "sctp"},
		{"-peer", "127.0.0.1:1", "-net", "tcp", "-unconnected"},
		{"-peer", "127.0.0.1:1", "extra"},
	} {
		if code, _, errs := runQosmark(t, args...); code != 2 || errs == "" {
			t.Errorf("qosmark %q = %d, %q; want 2 and a message", args, code, errs)
		}
	}
}

// An unconnected dual-stack socket with an IPv4 peer is connected first, as
// Windows needs.
func TestMarkUnconnectedUDP(t *testing.T) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Skip(err)
	}
	defer pc.Close()
	code, out, errs := runQosmark(t, "-model", "-unconnected", "-peer", pc.LocalAddr().String(), "-class", "Background")
	if code != 0 {
		t.Fatalf("qosmark = %d\n%s%s", code, out, errs)
	}
	if want := "to " + pc.LocalAddr().String(); !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}

// Without -model outside Windows (or without qWAVE), qosmark says how to
// get qWAVE and fails.
func TestWithoutQWAVE(t *testing.T) {
	code, out, errs := runQosmark(t, "-peer", "127.0.0.1:9")
	if code == 0 {
		t.Skipf("qWAVE is available here:\n%s", out)
	}
	if code != 1 || !strings.Contains(errs, "qWAVE is not available") {
		t.Errorf("qosmark = %d, %q; want 1 and the reason", code, errs)
	}
}
