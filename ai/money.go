package ai

import (
	"regexp"
	"strconv"
	"strings"
)

// money is an amount found in a message.
type money struct {
	amount   string // decimal with two places, "250.00"
	currency string // ISO 4217
	span     string
}

var (
	moneyBefore = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(rm|myr|usd|us\$|sgd|s\$|eur|gbp|idr|rp|€|£|\$)\s?(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)(k\b)?`)
	moneyAfter  = regexp.MustCompile(`(?i)\b(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)(k)?\s?(ringgit|rm|myr|usd|sgd|dollars?|bucks|eur|euros?)\b`)
)

var currencyCodes = map[string]string{
	"rm": "MYR", "myr": "MYR", "ringgit": "MYR", "usd": "USD", "us$": "USD", "$": "USD", "dollar": "USD",
	"dollars": "USD", "bucks": "USD", "sgd": "SGD", "s$": "SGD", "eur": "EUR", "€": "EUR", "euro": "EUR",
	"euros": "EUR", "gbp": "GBP", "£": "GBP", "idr": "IDR", "rp": "IDR",
}

// findMoney returns the first amount with a currency in text.
func findMoney(text string) (money, bool) {
	if m := moneyBefore.FindStringSubmatchIndex(text); m != nil {
		cur := strings.ToLower(text[m[2]:m[3]])
		amt := text[m[4]:m[5]]
		k := m[6] >= 0
		return makeMoney(amt, k, currencyCodes[cur], strings.TrimSpace(text[m[2]:m[1]]))
	}
	if m := moneyAfter.FindStringSubmatchIndex(text); m != nil {
		amt := text[m[2]:m[3]]
		k := m[4] >= 0
		cur := strings.ToLower(text[m[6]:m[7]])
		return makeMoney(amt, k, currencyCodes[cur], text[m[0]:m[1]])
	}
	return money{}, false
}

func makeMoney(amt string, thousands bool, cur, span string) (money, bool) {
	v, err := strconv.ParseFloat(strings.ReplaceAll(amt, ",", ""), 64)
	if err != nil || v <= 0 || cur == "" {
		return money{}, false
	}
	if thousands {
		v *= 1000
	}
	return money{amount: strconv.FormatFloat(v, 'f', 2, 64), currency: cur, span: span}, true
}

// symbol renders a currency the way Malaysians write it.
func symbol(cur string) string {
	switch cur {
	case "MYR":
		return "RM"
	case "USD":
		return "$"
	case "SGD":
		return "S$"
	}
	return cur + " "
}
