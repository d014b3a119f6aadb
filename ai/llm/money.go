package llm

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// currencyAliases are the names a model may use instead of the ISO 4217 code.
var currencyAliases = map[string]string{
	"RM": "MYR", "RINGGIT": "MYR", "US$": "USD", "$": "USD", "S$": "SGD", "RP": "IDR", "€": "EUR", "£": "GBP",
}

// maxAmount keeps amounts within what a float64 renders exactly to the cent.
const maxAmount = 1e12

// parseMoney reads the amount (a decimal string, or a JSON number some models
// write instead) and its currency. A currency without an amount is ignored.
func parseMoney(rawAmount json.RawMessage, currency *string) (amount, code string, err error) {
	text, err := amountText(rawAmount)
	if err != nil || text == "" {
		return "", "", err
	}
	if !isDecimal(text) {
		return "", "", errors.New("amount is not a decimal")
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || v <= 0 || v >= maxAmount {
		return "", "", errors.New("amount out of range")
	}
	amount = strconv.FormatFloat(v, 'f', 2, 64)
	if currency == nil || strings.TrimSpace(*currency) == "" {
		return amount, "", nil
	}
	code = strings.ToUpper(strings.TrimSpace(*currency))
	if alias, ok := currencyAliases[code]; ok {
		code = alias
	}
	if !isISOCode(code) {
		return "", "", errors.New("currency is not an ISO 4217 code")
	}
	return amount, code, nil
}

func amountText(raw json.RawMessage) (string, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return "", nil
	}
	if s[0] != '"' {
		// A JSON number: its literal is already a decimal or an exponent form
		// that isDecimal rejects.
		return s, nil
	}
	var str string
	if err := json.Unmarshal(raw, &str); err != nil {
		return "", errors.New("amount is not a string")
	}
	// Thousands separators are how people write money; the value is the same.
	return strings.ReplaceAll(strings.TrimSpace(str), ",", ""), nil
}

// isDecimal accepts digits with an optional fraction: "250", "250.5", "1200.00".
func isDecimal(s string) bool {
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || len(intPart) > 13 || (hasDot && (frac == "" || len(frac) > 4)) {
		return false
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
		}
	}
	return true
}

func isISOCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
