package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"time"
)

// Known-device tokens keep the lock-out from being turned against a user.
// Failed logins lock a phone number for everyone who cannot prove that they
// signed in to it before, so a stranger can still lock the number; but a
// client that shows a device token from an earlier successful login has a
// lock-out of its own, keyed by that token, and is not held up by the
// stranger's failures. This is the device-cookie scheme of OWASP's
// "Slow Down Online Guessing Attacks with Device Cookies".
//
// A token is "jd1.<payload>.<mac>": payload is the issue time (unix seconds,
// 8 bytes) and a random id (16 bytes); mac is HMAC-SHA256 over the phone
// number and the payload, so a token proves one phone's earlier login only.
// It is stateless: nothing is stored, and it is valid for DeviceTokenTTL.

// DeviceCookie is the cookie a browser keeps its device token in;
// DeviceTokenTTL is how long a device token proves an earlier login.
const (
	DevicePrefix   = "jd1."
	DeviceTokenTTL = 90 * 24 * time.Hour
	deviceIDLen    = 16
	devicePayload  = 8 + deviceIDLen
	DeviceCookie   = "juta_device"
	maxDeviceToken = 128
)

// deviceTokens issues and checks known-device tokens with one key.
type deviceTokens struct {
	key []byte
	now func() time.Time
}

func newDeviceTokens(key []byte, now func() time.Time) deviceTokens {
	if len(key) == 0 {
		// A per-process key: tokens stop working at restart, and the caller
		// is then treated as a new device (the account-wide lock applies).
		key = make([]byte, 32)
		_, _ = rand.Read(key)
	}
	return deviceTokens{key: key, now: now}
}

func (d deviceTokens) mac(phone string, payload []byte) []byte {
	m := hmac.New(sha256.New, d.key)
	m.Write([]byte("juta device\x00" + phone + "\x00"))
	m.Write(payload)
	return m.Sum(nil)
}

// issue returns a new token proving a successful login to phone.
func (d deviceTokens) issue(phone string) string {
	payload := make([]byte, devicePayload)
	binary.BigEndian.PutUint64(payload, uint64(d.now().Unix()))
	_, _ = rand.Read(payload[8:])
	enc := base64.RawURLEncoding
	return DevicePrefix + enc.EncodeToString(payload) + "." + enc.EncodeToString(d.mac(phone, payload))
}

// lockKey is the lock-out key of a login attempt on phone: the device's own
// key when raw is a live token of that phone, else the phone itself.
func (d deviceTokens) lockKey(phone, raw string) string {
	if id, ok := d.verify(phone, raw); ok {
		return "device:" + id
	}
	return phone
}

// verify checks raw for phone and returns the device's id (hex).
func (d deviceTokens) verify(phone, raw string) (string, bool) {
	if len(raw) > maxDeviceToken || !strings.HasPrefix(raw, DevicePrefix) {
		return "", false
	}
	p64, m64, ok := strings.Cut(raw[len(DevicePrefix):], ".")
	if !ok {
		return "", false
	}
	enc := base64.RawURLEncoding.Strict()
	payload, err1 := enc.DecodeString(p64)
	mac, err2 := enc.DecodeString(m64)
	if err1 != nil || err2 != nil || len(payload) != devicePayload || !hmac.Equal(mac, d.mac(phone, payload)) {
		return "", false
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(payload)), 0)
	if age := d.now().Sub(issued); age < -time.Minute || age > DeviceTokenTTL {
		return "", false
	}
	return hex.EncodeToString(payload[8:]), true
}
