#!/bin/sh
# Shows the kiosk's screen full-screen on the Raspberry Pi's display:
# Chromium in kiosk mode on http://127.0.0.1:8080, with nothing kept (a
# throw-away profile, no cache, no history, no crash reports). Started by
# the desktop session (deploy/kiosk-screen.desktop in ~/.config/autostart).
set -eu
url="${KIOSK_URL:-http://127.0.0.1:8080/}"
browser=$(command -v chromium-browser || command -v chromium)

# Wait for the kiosk daemon's page (it starts at boot with systemd).
i=0
until curl -fsS -o /dev/null "$url" 2>/dev/null; do
	i=$((i + 1)); [ "$i" -gt 120 ] && break; sleep 1
done

profile=$(mktemp -d /tmp/kiosk-screen.XXXXXX)
trap 'rm -rf "$profile"' EXIT INT TERM
# No screen blanking while the kiosk is on (X11; Wayland compositors on
# Raspberry Pi OS have their own idle setting, see the README).
command -v xset >/dev/null && [ -n "${DISPLAY:-}" ] && xset s off -dpms || true

exec "$browser" --kiosk --incognito "--user-data-dir=$profile" \
	--noerrdialogs --disable-infobars --disable-session-crashed-bubble \
	--disk-cache-size=1 --disable-crash-reporter --disable-breakpad \
	--no-first-run --disable-translate --disable-features=Translate,MediaRouter \
	--disable-background-networking --disable-component-update --disable-sync \
	--check-for-update-interval=31536000 --overscroll-history-navigation=0 \
	--disable-pinch "$url"
