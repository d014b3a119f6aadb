module github.com/juta-app/juta/ai/eval/dateparser

go 1.26.8

replace github.com/juta-app/juta => ../../..

require (
	github.com/juta-app/juta v0.0.0-00010101000000-000000000000
	github.com/markusmobius/go-dateparser v1.4.7
)

require (
	github.com/6tail/lunar-go v1.4.7 // indirect
	github.com/hablullah/go-hijri v1.0.2 // indirect
	github.com/hablullah/go-juliandays v1.0.0 // indirect
	github.com/markusmobius/go-dateutil/v2 v2.9.1 // indirect
	github.com/tetratelabs/wazero v1.12.0 // indirect
	github.com/wasilibs/go-re2 v1.12.0 // indirect
	github.com/wasilibs/wazero-helpers v0.0.0-20250123031827-cd30c44769bb // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)
