package juta

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"
)

// mediaDownloadTimeout bounds a download that readers share: it runs apart
// from the reader that started it, whose going away must not fail the rest.
const mediaDownloadTimeout = 5 * time.Minute

// MediaFlights serves media files from the blob store and downloads a file
// not cached yet once, however many read it at once: the first reader's
// download is the others'. The zero value is ready; it is safe for
// concurrent use.
type MediaFlights struct {
	mu      sync.Mutex
	flights map[string]*mediaFlight
}

type mediaFlight struct {
	done    chan struct{}
	waiting int
	data    []byte
	err     error
}

// Open returns rng of m's file: from the blob store, or downloaded through
// the session, checked against its SHA-256 and cached under quota (a file
// the quota refuses is served all the same: the cache is an optimisation).
// ENOTFOUND when m has no media; ERANGE past its end; f's codes when the
// download fails; ENOTIMPL when the file is not cached and f is nil. The
// reader reads with ctx, which must outlive it.
func (mf *MediaFlights) Open(ctx context.Context, blobs BlobStore, f MediaFetcher, m Message, quota int64, rng ByteRange) (io.ReadCloser, BlobSpan, error) {
	if !m.Kind.HasMedia() || m.Media == nil || m.DeletedAt != nil || len(m.Media.FileSHA256) != sha256.Size {
		return nil, BlobSpan{}, Errorf(ENOTFOUND, "this message has no media")
	}
	rc, sp, err := blobs.ReadBlob(ctx, m.UserID, m.Media.FileSHA256, rng)
	if ErrorCode(err) != ENOTFOUND {
		return rc, sp, err
	}
	if f == nil {
		return nil, BlobSpan{}, Errorf(ENOTIMPL, "this node does not download media")
	}
	data, err := mf.download(ctx, blobs, f, m, quota)
	if err != nil {
		return nil, BlobSpan{}, err
	}
	sp, ok := rng.Span(int64(len(data)))
	if !ok {
		return nil, sp, Errorf(ERANGE, "the range is past the end of the file (%d bytes)", len(data))
	}
	return MemoryBlobReader(data, sp), sp, nil
}

// Waiting is how many readers wait on the download of uid's file sum now.
func (mf *MediaFlights) Waiting(uid UserID, sum []byte) int {
	mf.mu.Lock()
	defer mf.mu.Unlock()
	if fl := mf.flights[flightKey(uid, sum)]; fl != nil {
		return fl.waiting
	}
	return 0
}

func flightKey(uid UserID, sum []byte) string {
	return strconv.FormatInt(int64(uid), 10) + ":" + string(sum)
}

// download joins the download of m's file under way, or starts it.
func (mf *MediaFlights) download(ctx context.Context, blobs BlobStore, f MediaFetcher, m Message, quota int64) ([]byte, error) {
	key := flightKey(m.UserID, m.Media.FileSHA256)
	mf.mu.Lock()
	fl := mf.flights[key]
	if fl == nil {
		fl = &mediaFlight{done: make(chan struct{})}
		if mf.flights == nil {
			mf.flights = map[string]*mediaFlight{}
		}
		mf.flights[key] = fl
		go mf.fly(ctx, key, fl, blobs, f, m, quota)
	}
	fl.waiting++
	mf.mu.Unlock()
	defer func() {
		mf.mu.Lock()
		fl.waiting--
		mf.mu.Unlock()
	}()
	select {
	case <-fl.done:
		return fl.data, fl.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (mf *MediaFlights) fly(ctx context.Context, key string, fl *mediaFlight, blobs BlobStore, f MediaFetcher, m Message, quota int64) {
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), mediaDownloadTimeout)
	defer cancel()
	fl.data, fl.err = fetchAndCache(c, blobs, f, m, quota)
	mf.mu.Lock()
	delete(mf.flights, key)
	mf.mu.Unlock()
	close(fl.done)
}

// fetchAndCache downloads m's file, checks it and streams it into the store.
func fetchAndCache(ctx context.Context, blobs BlobStore, f MediaFetcher, m Message, quota int64) ([]byte, error) {
	data, err := f.FetchMedia(ctx, m.UserID, m.SessionID, m.Kind, *m.Media, m.Size)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(data); !bytes.Equal(sum[:], m.Media.FileSHA256) {
		return nil, fmt.Errorf("downloaded media of message %d does not match its checksum", m.ID)
	}
	_, err = blobs.WriteBlob(ctx, m.UserID, bytes.NewReader(data), 0, quota)
	if err != nil && ErrorCode(err) != EQUOTA && ErrorCode(err) != ETOOLARGE {
		return nil, err
	}
	return data, nil
}

// LoadMedia returns m's whole file as Open does, for the callers that need
// it in memory (a voice note to transcribe).
func LoadMedia(ctx context.Context, blobs BlobStore, f MediaFetcher, m Message, quota int64) ([]byte, error) {
	var mf MediaFlights
	return readWhole(mf.Open(ctx, blobs, f, m, quota, WholeBlob))
}
