package winapi

import (
	"sort"
	"strings"
)

//go:generate go run ../../../gen -winerror-only -winerror ../../../spec/winerror.txt -package winapi -out .

// winerrorEntry is one row of the generated Win32 code tables (zwinerror.go).
type winerrorEntry struct {
	code uint32
	name string
}

// ErrorName returns the name winerror.h gives a Win32 error code, such as
// "ERROR_SERVICE_ALREADY_RUNNING" for 1056, from the complete table of every
// Win32 code (not only those a generated package documents). Where several
// names share a code, it is the first ERROR_ name (ERROR_SUCCESS, not
// NO_ERROR). ok is false for a code winerror.h does not name.
func ErrorName(code Errno) (name string, ok bool) {
	i := sort.Search(len(winerrorByCode), func(i int) bool { return winerrorByCode[i].code >= uint32(code) })
	if i < len(winerrorByCode) && winerrorByCode[i].code == uint32(code) {
		return winerrorByCode[i].name, true
	}
	return "", false
}

// ErrorCode returns the Win32 error code winerror.h defines under name, any
// of its names (aliases such as NO_ERROR included). Case matters, as in C.
func ErrorCode(name string) (Errno, bool) {
	i := sort.Search(len(winerrorByName), func(i int) bool { return strings.Compare(winerrorByName[i].name, name) >= 0 })
	if i < len(winerrorByName) && winerrorByName[i].name == name {
		return Errno(winerrorByName[i].code), true
	}
	return 0, false
}
