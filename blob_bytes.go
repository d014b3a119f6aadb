package juta

import (
	"bytes"
	"context"
	"io"
)

// PutBlob stores data, held in memory already, for uid (BlobStore.WriteBlob
// with the largest media as the limit) and returns its checksum.
func PutBlob(ctx context.Context, s BlobStore, uid UserID, data []byte, quota int64) ([]byte, error) {
	info, err := s.WriteBlob(ctx, uid, bytes.NewReader(data), 0, quota)
	return info.SHA256, err
}

// ReadBlobAll returns the whole of uid's blob with this checksum, for the
// callers that need it in memory (a file sent to WhatsApp, a voice note
// transcribed).
func ReadBlobAll(ctx context.Context, s BlobStore, uid UserID, sum []byte) ([]byte, error) {
	return readWhole(s.ReadBlob(ctx, uid, sum, WholeBlob))
}

// readWhole reads all of an opened blob span into memory and closes it.
func readWhole(rc io.ReadCloser, sp BlobSpan, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	out := make([]byte, sp.Len)
	if _, err := io.ReadFull(rc, out); err != nil {
		return nil, err
	}
	return out, nil
}
