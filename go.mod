module github.com/scuola/kiosk

go 1.26.8

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/fxamacker/cbor/v2 v2.10.0
	github.com/makiuchi-d/gozxing v0.1.1
	github.com/veraison/go-cose v1.3.0
	github.com/x448/float16 v0.8.4
	gocv.io/x/gocv v0.32.0
	golang.org/x/crypto v0.58.0
)

require (
	golang.org/x/text v0.43.0 // indirect
	golang.org/x/xerrors v0.0.0-20200804184101-5ec99f83aff1 // indirect
)
