//go:build !windows

package qwave

// systemMessage is "": only Windows has the system's message table.
func systemMessage(Errno) string { return "" }
