package assistant

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai/openai"
)

// citeRe finds citation groups: "[m12]", "[a3]", "[m12, m13]".
var citeRe = regexp.MustCompile(`\[\s*[ma]\d{1,18}(?:\s*,\s*[ma]\d{1,18})*\s*\]`)

// removed marks where a citation was dropped, so that the space before it
// goes too ("see [m9]." -> "see.") and the rest of the text keeps its layout.
const removed = "\x00"

var removedRe = regexp.MustCompile(`[ \t]*\x00`)

// answer turns the model's final text into an Answer. Citations are kept
// only for messages and actions our tools returned in this conversation;
// any other citation is removed from the text, so the model cannot point
// the user at data it never saw (or another user's).
func (r *toolRun) answer(content string) (juta.Answer, string, error) {
	var cites []juta.Message
	var acts []juta.Action
	seen := map[string]bool{}
	content = strings.ReplaceAll(content, removed, "")
	text := citeRe.ReplaceAllStringFunc(content, func(group string) string {
		var kept []string
		for _, ref := range strings.Split(strings.Trim(group, "[] "), ",") {
			ref = strings.TrimSpace(ref)
			id, err := strconv.ParseInt(ref[1:], 10, 64)
			if err != nil {
				continue
			}
			if m, ok := r.msgs[id]; ok && ref[0] == 'm' {
				kept = append(kept, ref)
				if !seen[ref] {
					cites = append(cites, m)
				}
			} else if a, ok := r.acts[id]; ok && ref[0] == 'a' {
				kept = append(kept, ref)
				if !seen[ref] {
					acts = append(acts, a)
				}
			}
			seen[ref] = true
		}
		if len(kept) == 0 {
			return removed
		}
		return "[" + strings.Join(kept, ", ") + "]"
	})
	text = strings.TrimSpace(removedRe.ReplaceAllString(text, ""))
	if text == "" {
		return juta.Answer{}, string(openai.KindMalformed), errors.New("the answer is empty")
	}
	if cites == nil {
		cites = []juta.Message{}
	}
	if acts == nil {
		acts = []juta.Action{}
	}
	return juta.Answer{Text: truncateRunes(text, maxAnswerRunes), Citations: cites, Actions: acts, Intent: IntentLLM}, "", nil
}
