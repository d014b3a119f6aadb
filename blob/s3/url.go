package s3

import (
	"fmt"
	"net/url"
	"strings"
)

// location is where a JUTA_BLOB_URL points:
// s3://bucket[/prefix]?endpoint=http://host:port&region=us-east-1.
type location struct {
	bucket   string
	prefix   string // "" or ending in "/"
	endpoint string // host:port
	secure   bool
	region   string
}

// parseURL reads a blob URL. Without endpoint it is AWS's S3 over HTTPS.
func parseURL(raw string) (location, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return location{}, fmt.Errorf("blob URL: %w", err)
	}
	if u.Scheme != "s3" || u.Host == "" {
		return location{}, fmt.Errorf("blob URL must look like s3://bucket?endpoint=http://host:9000&region=us-east-1")
	}
	loc := location{bucket: u.Host, prefix: strings.Trim(u.Path, "/"), endpoint: "s3.amazonaws.com", secure: true,
		region: u.Query().Get("region")}
	if loc.prefix != "" {
		loc.prefix += "/"
	}
	if ep := u.Query().Get("endpoint"); ep != "" {
		e, err := url.Parse(ep)
		if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" {
			return location{}, fmt.Errorf("blob URL: endpoint must be http://host:port or https://host:port, got %q", ep)
		}
		loc.endpoint, loc.secure = e.Host, e.Scheme == "https"
	}
	return loc, nil
}
