package winapi

import (
	"strings"

	"golang.org/x/sys/windows"
)

// systemMessage is the system's text for a Win32 code (FormatMessage, the
// user's default language), or "" when the system has none.
func systemMessage(e Errno) string {
	var buf [512]uint16
	n, err := windows.FormatMessage(windows.FORMAT_MESSAGE_FROM_SYSTEM|windows.FORMAT_MESSAGE_IGNORE_INSERTS, 0, uint32(e), 0, buf[:], nil)
	if err != nil || n == 0 {
		return ""
	}
	return strings.TrimRight(windows.UTF16ToString(buf[:n]), " \r\n.") + "."
}
