package traffic

//go:generate go run ../../gen -spec ../../spec/traffic -header /usr/share/mingw-w64/include/traffic.h -header /usr/share/mingw-w64/include/qos.h -header /usr/share/mingw-w64/include/ntddndis.h -package traffic -title "Traffic Control" -runtime github.com/winqos/winqos/qwave/internal/winapi -out .
