package when

import (
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tWord tokKind = iota
	tNum
	tSym
)

// token is one lexeme of the input. Words are lower-cased; glued records
// whether the token touches the previous one with no space ("3pm", "15hb").
type token struct {
	kind   tokKind
	text   string
	num    int // value of a tNum
	digits int // digit count of a tNum ("05" has 2)
	start  int // byte offsets into the original text
	end    int
	glued  bool
}

// lex splits text into words, digit runs and single symbols. Words keep an
// inner apostrophe ("juma'at", "o'clock"). Runs are capped so a hostile input
// cannot make a number overflow.
func lex(text string) []token {
	toks := make([]token, 0, 16)
	prevEnd := -1
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
			continue
		case r >= '0' && r <= '9':
			j, n := i, 0
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				if j-i < 9 {
					n = n*10 + int(text[j]-'0')
				}
				j++
			}
			toks = append(toks, token{kind: tNum, text: text[i:j], num: n, digits: j - i, start: i, end: j, glued: prevEnd == i})
			prevEnd = j
			i = j
		case unicode.IsLetter(r):
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if unicode.IsLetter(r2) {
					j += s2
					continue
				}
				if (r2 == '\'' || r2 == '’') && j+s2 < len(text) {
					r3, _ := utf8.DecodeRuneInString(text[j+s2:])
					if unicode.IsLetter(r3) {
						j += s2
						continue
					}
				}
				break
			}
			toks = append(toks, token{kind: tWord, text: lowerWord(text[i:j]), start: i, end: j, glued: prevEnd == i})
			prevEnd = j
			i = j
		default:
			toks = append(toks, token{kind: tSym, text: text[i : i+size], start: i, end: i + size, glued: prevEnd == i})
			prevEnd = i + size
			i += size
		}
	}
	return toks
}

func lowerWord(s string) string {
	ascii := true
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			ascii = false
			break
		}
		if c >= 'A' && c <= 'Z' {
			upper = true
		}
	}
	if ascii && !upper {
		return s
	}
	b := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '’' {
			r = '\''
		}
		b = append(b, unicode.ToLower(r))
	}
	return string(b)
}
