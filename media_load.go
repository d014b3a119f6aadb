package juta

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
)

// LoadMedia returns m's file: from the blob store, or downloaded through the
// session, checked against its SHA-256 and cached under quota (a file the
// quota refuses is returned all the same: the cache is an optimisation).
// ENOTFOUND when m has no media; f's codes when the download fails; ENOTIMPL
// when the file is not cached and f is nil.
func LoadMedia(ctx context.Context, blobs BlobStore, f MediaFetcher, m Message, quota int64) ([]byte, error) {
	if !m.Kind.HasMedia() || m.Media == nil || m.DeletedAt != nil || len(m.Media.FileSHA256) != sha256.Size {
		return nil, Errorf(ENOTFOUND, "this message has no media")
	}
	data, err := ReadBlobAll(ctx, blobs, m.UserID, m.Media.FileSHA256)
	if ErrorCode(err) != ENOTFOUND {
		return data, err
	}
	if f == nil {
		return nil, Errorf(ENOTIMPL, "this node does not download media")
	}
	data, err = f.FetchMedia(ctx, m.UserID, m.SessionID, m.Kind, *m.Media, m.Size)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(data); !bytes.Equal(sum[:], m.Media.FileSHA256) {
		return nil, fmt.Errorf("downloaded media of message %d does not match its checksum", m.ID)
	}
	if _, err := PutBlob(ctx, blobs, m.UserID, data, quota); err != nil && ErrorCode(err) != EQUOTA && ErrorCode(err) != ETOOLARGE {
		return nil, err
	}
	return data, nil
}
