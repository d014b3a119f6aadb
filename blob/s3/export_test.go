package s3

import "github.com/juta-app/juta"

// UserKeyForTest is uid's key under server, for tests that seal a file as
// an older version stored it.
func UserKeyForTest(server []byte, uid juta.UserID) ([]byte, error) { return userKey(server, uid) }

// TrailerSize is the size of a chunked object's trailer.
const TrailerSize = trailerSize
