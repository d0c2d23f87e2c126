#!/usr/bin/env bash
# Runs the kiosk's main job, `kiosk run`. With no camera and no
# configuration it runs the built-in demo: generated certificates shown to
# the real pipeline, the display page on http://localhost:8080, simulated
# light and tone. Arguments go to `kiosk run` (e.g. --config FILE).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/setup.sh
apt_ensure "${build_deps[@]}"
go_ensure
mkdir -p bin
go build -o bin/kiosk ./cmd/kiosk
exec bin/kiosk run "$@"
