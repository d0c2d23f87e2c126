# shellcheck shell=bash
# Shared set-up for scripts/run and scripts/test: makes a fresh Debian machine
# ready, installing only what is missing. Sourced, not run.

# go_version is the toolchain the project is built and tested with.
go_version=1.26.8

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
		say "need root for: $*"; return 1
	fi
}

# apt_ensure installs the Debian packages that are not installed yet.
apt_ensure() {
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing Debian packages: ${missing[*]}"
	as_root apt-get update -qq
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# go_ensure puts a Go toolchain of at least $go_version on PATH. Debian's
# own Go is too old, so the toolchain is fetched from the Go module proxy
# (the same archive GOTOOLCHAIN=auto downloads) into ~/.cache.
go_ensure() {
	[ -x /usr/local/go/bin/go ] && export PATH="/usr/local/go/bin:$PATH"
	if command -v go >/dev/null && [ "$(printf '%s\n' "$go_version" "$(go env GOVERSION | sed 's/^go//')" | sort -V | head -1)" = "$go_version" ]; then
		return 0
	fi
	local arch dir zip
	arch=$(dpkg --print-architecture)
	dir="$HOME/.cache/kiosk-go/go$go_version"
	if [ ! -x "$dir/bin/go" ]; then
		apt_ensure curl unzip ca-certificates
		say "fetching Go $go_version ($arch) from the module proxy"
		zip=$(mktemp --suffix=.zip)
		curl -fsSL -o "$zip" "https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-go$go_version.linux-$arch.zip"
		mkdir -p "$dir.tmp" && unzip -q -o "$zip" -d "$dir.tmp" && rm -f "$zip"
		mv "$dir.tmp/golang.org/toolchain@v0.0.1-go$go_version.linux-$arch" "$dir" && rm -rf "$dir.tmp"
	fi
	export PATH="$dir/bin:$PATH"
}

# The C side: OpenCV for the camera path (gocv), a C compiler for cgo.
build_deps=(gcc g++ pkg-config libopencv-dev)
