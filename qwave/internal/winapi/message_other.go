//go:build !windows

package winapi

// systemMessage is "": only Windows has the system's message table.
func systemMessage(Errno) string { return "" }
