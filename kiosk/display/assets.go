package display

import (
	"embed"
	"encoding/json"
	"net/http"

	"github.com/scuola/kiosk/kiosk/lang"
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
	return serveBytes(data, contentType)
}

// wordsScript is /words.js: the page's own words in every language, from
// the tables of kiosk/lang, so that the page holds no text of its own and
// switches language at a touch.
func wordsScript() []byte {
	words, err := json.Marshal(struct {
		Languages []lang.Lang                     `json:"languages"`
		Words     map[lang.Lang]map[string]string `json:"words"`
	}{lang.All(), lang.Screen()})
	if err != nil {
		panic("display: the words do not encode: " + err.Error()) // strings only: cannot happen
	}
	return append(append([]byte("window.kioskWords = "), words...), ";\n"...)
}

func serveBytes(data []byte, contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(data)
	}
}
