package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"os"

	"go.mau.fi/whatsmeow"

	"github.com/juta-app/juta"
)

// mediaTypes are the key-derivation types and MMS types of WhatsApp's media
// encryption per kind (stickers are keyed as images), as whatsmeow names them.
var mediaTypes = map[juta.MessageKind]whatsmeow.MediaType{
	juta.KindImage:    whatsmeow.MediaImage,
	juta.KindSticker:  whatsmeow.MediaImage,
	juta.KindVideo:    whatsmeow.MediaVideo,
	juta.KindAudio:    whatsmeow.MediaAudio,
	juta.KindVoice:    whatsmeow.MediaAudio,
	juta.KindDocument: whatsmeow.MediaDocument,
}

var mmsTypes = map[whatsmeow.MediaType]string{
	whatsmeow.MediaImage: "image", whatsmeow.MediaVideo: "video",
	whatsmeow.MediaAudio: "audio", whatsmeow.MediaDocument: "document",
}

// Download fetches and decrypts a media file into into (whatsmeow checks
// both checksums as it writes). The media hosts come from the connection,
// hence ESTATE without one.
func (c *Client) Download(ctx context.Context, k juta.MessageKind, ref juta.MediaRef, size int64, into *os.File) error {
	mt, ok := mediaTypes[k]
	if !ok || ref.DirectPath == "" {
		return juta.Errorf(juta.ENOTFOUND, "this message has no media")
	}
	if !c.wa.IsConnected() {
		return juta.Errorf(juta.ESTATE, "the session is not connected")
	}
	length := -1
	if size > 0 && size < int64(^uint(0)>>1) {
		length = int(size)
	}
	err := c.wa.DownloadMediaWithPathToFile(ctx, ref.DirectPath, ref.FileEncSHA256, ref.FileSHA256, ref.MediaKey,
		length, mt, mmsTypes[mt], into)
	switch {
	case errors.Is(err, whatsmeow.ErrMediaDownloadFailedWith404), errors.Is(err, whatsmeow.ErrMediaDownloadFailedWith410):
		return &juta.Error{Code: juta.ENOTFOUND, Message: "WhatsApp no longer has this media", Err: err}
	case err != nil:
		return fmt.Errorf("download media: %w", err)
	}
	return nil
}
