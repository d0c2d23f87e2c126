package link

import "net/http"

// NewPairing makes a key and certificate, for a test's own servers.
var NewPairing = newPairing

// HTTP is the client's own HTTP client, for requests a kiosk never makes.
func (c *Client) HTTP() *http.Client { return c.http }
