package qwave

// errorName names a Win32 code that no qWAVE function documents. It is ""
// until a complete winerror name table is generated into this package; Name
// and Error use it then.
func errorName(Errno) string { return "" }
