package juta

import (
	"context"
	"crypto/sha256"
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
	err     error
}

// Open returns rng of m's file from the blob store, downloaded first
// through the session (checked against its SHA-256 and stored there) when
// it is not cached yet. ENOTFOUND when m has no media; ERANGE past its end;
// f's codes when the download fails (EQUOTA when the user's media quota has
// no room for the file); ENOTIMPL when the file is not cached and f is nil.
// The reader reads with ctx, which must outlive it.
func (mf *MediaFlights) Open(ctx context.Context, blobs BlobStore, f MediaFetcher, m Message, rng ByteRange) (io.ReadCloser, BlobSpan, error) {
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
	if err := mf.download(ctx, f, m); err != nil {
		return nil, BlobSpan{}, err
	}
	return blobs.ReadBlob(ctx, m.UserID, m.Media.FileSHA256, rng)
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
func (mf *MediaFlights) download(ctx context.Context, f MediaFetcher, m Message) error {
	key := flightKey(m.UserID, m.Media.FileSHA256)
	mf.mu.Lock()
	fl := mf.flights[key]
	if fl == nil {
		fl = &mediaFlight{done: make(chan struct{})}
		if mf.flights == nil {
			mf.flights = map[string]*mediaFlight{}
		}
		mf.flights[key] = fl
		go mf.fly(ctx, key, fl, f, m)
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
		return fl.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (mf *MediaFlights) fly(ctx context.Context, key string, fl *mediaFlight, f MediaFetcher, m Message) {
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), MediaTimeout(mediaDownloadTimeout, m.Size))
	defer cancel()
	fl.err = f.CacheMedia(c, m.UserID, m.SessionID, m.Kind, *m.Media, m.Size)
	if ErrorCode(fl.err) == ETOOLARGE { // larger than the whole quota: the quota's refusal too
		fl.err = &Error{Code: EQUOTA, Message: "the media quota has no room for this file", Err: fl.err}
	}
	mf.mu.Lock()
	delete(mf.flights, key)
	mf.mu.Unlock()
	close(fl.done)
}

// LoadMedia returns m's whole file as Open does, for the callers that need
// it in memory (a voice note to transcribe).
func LoadMedia(ctx context.Context, blobs BlobStore, f MediaFetcher, m Message) ([]byte, error) {
	var mf MediaFlights
	return readWhole(mf.Open(ctx, blobs, f, m, WholeBlob))
}
