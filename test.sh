#!/usr/bin/env bash
# Runs every test of the project on a fresh Debian machine, installing what
# the tests need: OpenCV (camera path), zbar and ZXing (the decoders the
# scanner is compared with), Chromium (the display page).
#   ./test.sh            everything (what CI runs)
#   FUZZSCALE=3 ./test.sh   fuzz three times longer
set -euo pipefail
cd "$(dirname "$0")"
. scripts/setup.sh
apt_ensure "${build_deps[@]}" zbar-tools zxing-cpp-tools chromium fonts-dejavu-core strace
go_ensure
export CI="${CI:-true}" # the shared conformance data must be there: missing is a failure
fuzzscale="${FUZZSCALE:-1}"

# Packages under testdata/ are not matched by ./..., so they are named.
testdata_pkgs=$(find testdata -name '*.go' -not -path '*/generated/*' -exec dirname {} \; | sort -u | sed 's|^|./|')

say "format and vet"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './testdata/generated/*'))
if [ -n "$unformatted" ]; then echo "gofmt would change: $unformatted"; exit 1; fi
go vet ./... $testdata_pkgs

say "generate the test fixtures (keys, certificates, QR images)"
go generate ./testdata/fixtures

# Timing goals are measured alone, after the parallel run: two cores shared
# with other test processes would measure the neighbours.
timed='^(TestScanLatency|TestIdleCostAndMemory)$'

say "unit, integration and conformance tests"
go test -count=1 -skip "$timed" ./... $testdata_pkgs

say "EU conformance vectors, per country"
go test -count=1 -run '^TestConformance$' -v ./verify | sed -n '/country/,/total/p'

say "timing goals (latency, idle cost, memory), measured alone"
go test -count=1 -p 1 -run "$timed" -v ./kiosk/daemon ./cmd/kiosk | grep -E '^(=== RUN|--- |\s+\S+_test.go|ok|FAIL)'

say "race detector on the concurrent packages"
go test -count=1 -race -skip "$timed" $(go list ./... | grep -E '^github.com/scuola/kiosk/(privacy|kiosk|trustdata|scanner|hardware)(/|$)')

say "fuzzing (scripts/fuzz-targets.txt)"
while read -r pkg target duration; do
	case "$pkg" in ''|'#'*) continue ;; esac
	secs=$(( ${duration%s} * fuzzscale ))
	if ! go test -run '^$' -fuzz "^$target\$" -fuzztime "${secs}s" "$pkg" >/tmp/fuzz-$$.log 2>&1; then
		cat /tmp/fuzz-$$.log; echo "fuzz target $target in $pkg failed (the input is saved under $pkg/testdata/fuzz)"; exit 1
	fi
	echo "  $pkg $target: ${secs}s, no failure"
done < scripts/fuzz-targets.txt
rm -f /tmp/fuzz-$$.log

say "the pure-Go parts: tested without cgo, cross-compiled for the Raspberry Pi (arm64)"
pure=$(grep -v '^#' scripts/pure-go-packages.txt)
CGO_ENABLED=0 go test -count=1 -skip "$timed" $pure >/dev/null
CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build $pure

say "benchmarks run (one iteration each, to keep them working; scripts/bench for the figures)"
go test -count=1 -run '^$' -bench . -benchtime 1x ./... >/dev/null

say "all tests passed"
