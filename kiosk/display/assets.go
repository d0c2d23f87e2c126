package display

import (
	"embed"
	"net/http"
)

// The page is embedded in the binary: the kiosk is offline, and nothing it
// shows may come from anywhere but this server.
//
//go:embed assets
var assets embed.FS

// serveAsset serves one embedded file with its content type. The files are
// few and small, so no ranges, no conditional requests (nothing is cached
// anyway) and no directory listings.
func serveAsset(name, contentType string) http.HandlerFunc {
	data, err := assets.ReadFile("assets/" + name)
	if err != nil {
		panic("display: missing embedded asset " + name) // a build mistake, caught by every test
	}
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(data)
	}
}
