package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strings"
)

// MaxAudio is the largest file the transcription route takes: 25 MB
// (OpenAI's Audio API reference, "Create transcription": file uploads are
// limited to 25 MB).
const MaxAudio = 25 << 20

// Audio is one file to transcribe.
type Audio struct {
	Data     []byte
	MIME     string // e.g. "audio/ogg; codecs=opus", WhatsApp's voice notes
	Model    string // e.g. "whisper-1", or a local server's model name
	Language string // ISO-639-1 hint ("ms", "en"); "" lets the model detect it
	Prompt   string // words to expect (names, code-mixed terms); "" for none
}

// Transcribe posts a to the endpoint's /audio/transcriptions route as
// multipart/form-data (fields file, model, response_format=json, and
// language and prompt when set: OpenAI's Audio API reference) and returns
// the text. It blocks until the answer or ctx's end; it does not retry.
func (c *Client) Transcribe(ctx context.Context, a Audio) (string, *Error) {
	if len(a.Data) == 0 || len(a.Data) > MaxAudio {
		return "", &Error{Kind: KindClient, Err: fmt.Errorf("audio of %d bytes: want 1 to %d", len(a.Data), MaxAudio)}
	}
	body, contentType, err := transcriptionForm(a)
	if err != nil {
		return "", &Error{Kind: KindClient, Err: err}
	}
	raw, e := c.post(ctx, c.base+"/audio/transcriptions", contentType, body)
	if e != nil {
		return "", e
	}
	var r struct {
		Text *string `json:"text"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return "", &Error{Kind: KindMalformed, Err: fmt.Errorf("decode transcription: %w", err)}
	}
	if r.Text == nil {
		return "", &Error{Kind: KindMalformed, Err: errors.New("transcription has no text")}
	}
	return *r.Text, nil
}

func transcriptionForm(a Audio) ([]byte, string, error) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+audioFileName(a.MIME)+`"`)
	h.Set("Content-Type", or(a.MIME, "application/octet-stream"))
	part, err := w.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	if _, err := part.Write(a.Data); err != nil {
		return nil, "", err
	}
	fields := [][2]string{{"model", a.Model}, {"response_format", "json"}, {"language", a.Language}, {"prompt", a.Prompt}}
	for _, f := range fields {
		if f[1] == "" {
			continue
		}
		if err := w.WriteField(f[0], f[1]); err != nil {
			return nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return b.Bytes(), w.FormDataContentType(), nil
}

// audioFileName names the upload by its type: servers pick the decoder from
// the file name's extension (OpenAI takes flac, mp3, mp4, mpeg, mpga, m4a,
// ogg, wav and webm).
func audioFileName(mimeType string) string {
	base, _, _ := mime.ParseMediaType(mimeType)
	switch strings.ToLower(base) {
	case "audio/ogg", "audio/opus":
		return "voice.ogg"
	case "audio/mpeg", "audio/mp3":
		return "voice.mp3"
	case "audio/mp4", "audio/aac", "audio/x-m4a", "audio/m4a":
		return "voice.m4a"
	case "audio/wav", "audio/x-wav", "audio/wave":
		return "voice.wav"
	case "audio/webm":
		return "voice.webm"
	case "audio/flac":
		return "voice.flac"
	}
	return "voice.ogg" // WhatsApp's voice notes are Ogg Opus
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// Transcriber transcribes voice notes with one model; it satisfies the
// detector's transcriber port (ai.Transcriber).
type Transcriber struct {
	Client   *Client
	Model    string
	Language string // "" lets the model detect it (Malay, English or both)
}

// Transcribe returns what audio says.
func (t *Transcriber) Transcribe(ctx context.Context, audio []byte, mimeType string) (string, error) {
	text, e := t.Client.Transcribe(ctx, Audio{Data: audio, MIME: mimeType, Model: t.Model, Language: t.Language})
	if e != nil {
		return "", e
	}
	return text, nil
}
