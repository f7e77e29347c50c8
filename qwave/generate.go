package qwave

//go:generate go run ../gen -spec ../spec/qos2 -out .
