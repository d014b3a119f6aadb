package actors

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

var _ juta.MediaFetcher = (*Runtime)(nil)

// downloadTimeout bounds one media download; large documents take a while.
const downloadTimeout = 2 * time.Minute

// CacheMedia downloads a message's file through the session's client into
// the user's blob store (see juta.MediaFetcher).
func (r *Runtime) CacheMedia(ctx context.Context, uid juta.UserID, sid juta.SessionID, k juta.MessageKind, ref juta.MediaRef, size int64) error {
	res, err := r.request(ctx, &msg.DownloadMediaRequest{UserId: int64(uid), SessionId: int64(sid), Kind: string(k),
		DirectPath: ref.DirectPath, MediaKey: ref.MediaKey, FileSha256: ref.FileSHA256, FileEncSha256: ref.FileEncSHA256,
		Size: size})
	if err != nil {
		return err
	}
	if e := res.(*msg.DownloadMediaReply).GetError(); e != nil {
		return errorOf(e)
	}
	return nil
}

// handleDownload runs the download on a goroutine of its own: a large file
// must not hold the session's mailbox. The reply carries no bytes: the file
// is in the blob store, where every node reads it.
func (s *sessionActor) handleDownload(ctx actor.Context, m *msg.DownloadMediaRequest) {
	if s.client == nil {
		ctx.Respond(&msg.DownloadMediaReply{Error: errorMsg(juta.Errorf(juta.ESTATE, "session is not running"))})
		return
	}
	if s.rt.deps.Blobs == nil {
		ctx.Respond(&msg.DownloadMediaReply{Error: errorMsg(juta.Errorf(juta.ENOTIMPL, "this node keeps no media"))})
		return
	}
	client, sender, root := s.client, ctx.Sender(), ctx.ActorSystem().Root
	ref := juta.MediaRef{DirectPath: m.GetDirectPath(), MediaKey: m.GetMediaKey(), FileSHA256: m.GetFileSha256(),
		FileEncSHA256: m.GetFileEncSha256()}
	go func() {
		c, cancel := context.WithTimeout(s.rt.base(s.uid), juta.MediaTimeout(downloadTimeout, m.GetSize()))
		defer cancel()
		err := s.rt.cacheDownload(c, client, s.uid, juta.MessageKind(m.GetKind()), ref, m.GetSize())
		if sender != nil {
			root.Send(sender, &msg.DownloadMediaReply{Error: errorMsg(err)})
		}
	}()
}

// cacheDownload downloads a file into a temporary file (removed after) and
// streams it from there into uid's blob store under the media quota.
func (r *Runtime) cacheDownload(ctx context.Context, client juta.WAClient, uid juta.UserID, k juta.MessageKind, ref juta.MediaRef, size int64) error {
	tmp, err := os.CreateTemp("", "juta-download-*")
	if err != nil {
		return fmt.Errorf("download media: %w", err)
	}
	defer func() { tmp.Close(); os.Remove(tmp.Name()) }()
	if err := client.Download(ctx, k, ref, size, tmp); err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("download media: %w", err)
	}
	info, err := r.deps.Blobs.WriteBlob(ctx, uid, tmp, 0, r.cfg.MediaQuota)
	if err != nil {
		return fmt.Errorf("cache media of user %d: %w", uid, err)
	}
	if !bytes.Equal(info.SHA256, ref.FileSHA256) {
		return fmt.Errorf("downloaded media of user %d does not match its checksum", uid)
	}
	return nil
}
