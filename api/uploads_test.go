package api

// partExample is the part the route walks send to PUT .../uploads/{id}, and
// partRange its place in the fixture's 10-byte uploads.
const (
	partExample = "hello"
	partRange   = "bytes 0-4/10"
)
