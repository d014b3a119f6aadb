package actors

import (
	"context"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

var _ juta.MediaFetcher = (*Runtime)(nil)

// downloadTimeout bounds one media download; large documents take a while.
const downloadTimeout = 2 * time.Minute

// FetchMedia downloads a message's file through the session's client.
func (r *Runtime) FetchMedia(ctx context.Context, uid juta.UserID, sid juta.SessionID, k juta.MessageKind, ref juta.MediaRef, size int64) ([]byte, error) {
	res, err := r.request(ctx, &msg.DownloadMediaRequest{UserId: int64(uid), SessionId: int64(sid), Kind: string(k),
		DirectPath: ref.DirectPath, MediaKey: ref.MediaKey, FileSha256: ref.FileSHA256, FileEncSha256: ref.FileEncSHA256,
		Size: size})
	if err != nil {
		return nil, err
	}
	rep := res.(*msg.DownloadMediaReply)
	if e := rep.GetError(); e != nil {
		return nil, errorOf(e)
	}
	return rep.GetData(), nil
}

// handleDownload runs the download on a goroutine of its own: a large file
// must not hold the session's mailbox.
func (s *sessionActor) handleDownload(ctx actor.Context, m *msg.DownloadMediaRequest) {
	if s.client == nil {
		ctx.Respond(&msg.DownloadMediaReply{Error: errorMsg(juta.Errorf(juta.ESTATE, "session is not running"))})
		return
	}
	client, sender, root := s.client, ctx.Sender(), ctx.ActorSystem().Root
	ref := juta.MediaRef{DirectPath: m.GetDirectPath(), MediaKey: m.GetMediaKey(), FileSHA256: m.GetFileSha256(),
		FileEncSHA256: m.GetFileEncSha256()}
	go func() {
		c, cancel := context.WithTimeout(context.Background(), downloadTimeout)
		defer cancel()
		data, err := client.Download(c, juta.MessageKind(m.GetKind()), ref, m.GetSize())
		if sender != nil {
			root.Send(sender, &msg.DownloadMediaReply{Data: data, Error: errorMsg(err)})
		}
	}()
}
