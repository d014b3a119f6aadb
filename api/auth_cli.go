package api

// Helpers for the operator commands, which create accounts outside HTTP but
// must follow the same rules.

// NormalizePhone validates a phone number and returns it in E.164 (EINVALID).
func NormalizePhone(in string) (string, error) { return parsePhone(in) }

// HashPassword checks the password policy (EINVALID) and returns the argon2id
// hash to store.
func HashPassword(pw string) (string, error) {
	if err := checkPassword(pw); err != nil {
		return "", err
	}
	return hashPassword(pw, defaultArgon)
}
