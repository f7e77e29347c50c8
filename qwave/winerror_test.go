package qwave_test

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/winqos/winqos/qwave"
)

// TestErrorNameAgainstMingw looks every Win32 code mingw-w64's winerror.h
// defines as __MSABI_LONG(n) up in both directions, read here with a regexp
// independent of gen's parser.
func TestErrorNameAgainstMingw(t *testing.T) {
	f, err := os.Open("/usr/share/mingw-w64/include/winerror.h")
	if err != nil {
		t.Skipf("mingw-w64 headers not installed (%v)", err)
	}
	defer f.Close()
	re := regexp.MustCompile(`^#define ((?:ERROR|WSA|RPC_S|DNS_ERROR)_[A-Z0-9_]+) __MSABI_LONG\(([0-9]+)\)`)
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		m := re.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		v, _ := strconv.ParseUint(m[2], 10, 32)
		if v >= 0x10000 {
			continue
		}
		n++
		code, ok := qwave.ErrorCode(m[1])
		if !ok || uint64(code) != v {
			t.Errorf("ErrorCode(%s) = %d, %v; winerror.h says %d", m[1], code, ok, v)
		}
		name, ok := qwave.ErrorName(qwave.Errno(v))
		if got, _ := qwave.ErrorCode(name); !ok || uint64(got) != v {
			t.Errorf("ErrorName(%d) = %q, %v, which is code %d", v, name, ok, got)
		}
	}
	if n < 1500 {
		t.Errorf("only %d codes read from winerror.h", n)
	}
}

func TestErrorNamePrefersERROR(t *testing.T) {
	// NO_ERROR and ERROR_SUCCESS are both 0; the other two are #defined as
	// ERROR_OUTOFMEMORY and WSA_QOS_EUNKNOWNPSOBJ.
	for _, alias := range []string{"NO_ERROR", "DNS_ERROR_NO_MEMORY", "WSA_QOS_EUNKOWNPSOBJ"} {
		code, ok := qwave.ErrorCode(alias)
		if !ok {
			t.Fatalf("ErrorCode(%s) not found", alias)
		}
		name, _ := qwave.ErrorName(code)
		if name == alias {
			t.Errorf("ErrorName(%d) = %s, an alias; want the code's first name", code, name)
		}
	}
	if _, ok := qwave.ErrorName(0xdeadbeef); ok {
		t.Error("ErrorName(0xdeadbeef) found a name")
	}
	if _, ok := qwave.ErrorCode("ERROR_NO_SUCH_THING"); ok {
		t.Error("ErrorCode(ERROR_NO_SUCH_THING) found a code")
	}
}

func ExampleErrorName() {
	name, _ := qwave.ErrorName(1056)
	code, _ := qwave.ErrorCode("WSAEINTR")
	fmt.Println(name, uint32(code))
	// Output: ERROR_SERVICE_ALREADY_RUNNING 10004
}
