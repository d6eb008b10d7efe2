package server

import (
	"compress/gzip"
	"net/http"

	"github.com/klauspost/compress/gzhttp"
)

// gzipMinBytes is the smallest response worth compressing.
const gzipMinBytes = 1400

// withGzip compresses responses with gzip when the client accepts it
// (Accept-Encoding, q=0 refusing it) and the response is larger than
// gzipMinBytes: smaller ones would not gain. It is klauspost/compress's
// gzhttp (Vary, Content-Length, Flush for streaming transports, pooled
// writers), at the fastest level: JSON compresses well even so (a 1,000
// partner response by 9×, BENCHMARKS.md) and the gateway's CPU is better
// spent elsewhere.
func withGzip(next http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(gzipMinBytes), gzhttp.CompressionLevel(gzip.BestSpeed))
	if err != nil {
		panic(err) // constant options
	}
	return wrap(next)
}
