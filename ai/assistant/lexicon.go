package assistant

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Questions only a language model can answer well.
var draftWords = set("draft", "compose", "rewrite", "translate", "reply", "respond",
	"balas", "balaskan", "tuliskan", "karang", "draf", "terjemah", "terjemahkan", "jawab",
	// Advice is an open question too.
	"should", "advise", "advice", "suggest", "recommend", "patut", "nasihat", "nasihatkan", "cadang", "cadangkan")

var summaryWords = set("summarise", "summarize", "summary", "summarising", "summarizing", "recap", "overview",
	"ringkas", "ringkaskan", "ringkasan", "rumus", "rumuskan", "rumusan")

var sayWords = set("say", "said", "says", "saying", "tell", "told", "telling", "wrote", "write", "sent", "mention", "mentioned",
	"cakap", "kata", "sebut", "cerita", "bagitahu", "beritahu", "bagitau", "tulis", "hantar", "mesej", "messages")

var meetingWords = set("meeting", "meetings", "appointment", "appointments", "calendar", "call", "calls", "event", "events",
	"mesyuarat", "temujanji", "janji", "jumpa", "perjumpaan", "kalendar", "meet")

var paymentWords = set("owe", "owes", "owed", "owing", "debt", "debts", "payment", "payments", "pay", "bill", "bills",
	"invoice", "invoices", "hutang", "berhutang", "bayar", "bayaran", "bil", "invois", "duit", "transfer")

var pendingWords = set("pending", "todo", "to-do", "tasks", "task", "outstanding", "overdue", "due", "reminder", "reminders",
	"agenda", "open", "tugas", "tugasan", "kerja", "belum", "tertunggak", "peringatan", "perlu", "lewat")

// Words that lean a question to one language; words both languages use
// ("meeting", "pending", "chat") count for neither.
var malayWords = set("apa", "yang", "hari", "ini", "ni", "esok", "semalam", "kelmarin", "lusa", "cakap", "kata", "ada",
	"saya", "aku", "dengan", "dari", "daripada", "ringkaskan", "ringkas", "hutang", "bayar", "bayaran", "berapa",
	"mesyuarat", "minggu", "bulan", "tak", "tidak", "belum", "sudah", "dah", "nak", "mahu", "boleh", "tolong", "dia",
	"kami", "kita", "petang", "pagi", "malam", "tadi", "nanti", "untuk", "pada", "tentang", "pasal", "siapa", "bila",
	"mana", "kenapa", "mengapa", "perlu", "balas", "tulis", "mesej", "jumpa", "lepas", "depan", "lagi", "je", "sahaja",
	"tugas", "kerja", "apakah", "adakah", "sebut", "beritahu", "bagitahu", "bagitau", "kepada", "hari-hari", "tertunggak",
	"rumuskan", "draf", "karang", "tuliskan", "balaskan", "jawab", "lewat", "sekarang", "kah", "ke")

var englishWords = set("what", "is", "are", "the", "do", "did", "does", "i", "owe", "any", "meetings", "tomorrow", "today",
	"yesterday", "say", "said", "my", "with", "summarise", "summarize", "from", "a", "reply", "to", "draft", "have",
	"there", "how", "much", "who", "when", "which", "tell", "me", "about", "please", "week", "this", "next", "last",
	"morning", "tonight", "write", "payments", "payment", "due", "overdue", "tasks", "of", "and", "for", "on", "at",
	"has", "were", "was", "summary", "messages", "can", "you", "should", "why", "whom", "need", "we")

// Words that are never part of a contact's name.
var notName = set(
	// English function words and question words.
	"what", "did", "does", "do", "has", "have", "had", "is", "are", "was", "were", "i", "me", "my", "you", "your",
	"the", "a", "an", "any", "about", "with", "from", "to", "by", "in", "on", "at", "of", "for", "and", "or", "chat",
	"chats", "conversation", "conversations", "messages", "message", "all", "last", "latest", "recent", "please",
	"who", "whom", "when", "which", "how", "why", "there", "that", "this", "it", "us", "we", "they", "them", "he",
	"she", "his", "her", "their", "can", "could", "would", "should", "tell", "say", "said", "says", "ask", "asked",
	"reply", "draft", "write", "summarise", "summarize", "summary", "recap", "so", "far", "just", "also", "then",
	"been", "being", "will", "might", "ever", "yet", "send", "sent",
	"thread", "group", "again", "today", "yesterday", "tomorrow", "pending", "meeting", "meetings", "everything",
	// Malay function words and question words.
	"apa", "apakah", "yang", "saya", "aku", "awak", "anda", "kau", "dia", "mereka", "kami", "kita", "dengan", "dari",
	"daripada", "kepada", "pada", "untuk", "tentang", "pasal", "dalam", "ada", "adakah", "tak", "tidak", "dah", "sudah",
	"nak", "mahu", "boleh", "tolong", "cakap", "kata", "sebut", "beritahu", "bagitahu", "bagitau", "cerita", "mesej",
	"sembang", "perbualan", "ringkaskan", "ringkas", "rumuskan", "balas", "tulis", "ke", "kah", "lah", "je", "ni",
	"ini", "itu", "tu", "semua", "terakhir", "terbaru", "lagi", "siapa", "bila", "mana", "kenapa", "hantar", "buat",
	"semalam", "esok", "hari", "minggu", "bulan")

// Words after which a contact follows ("chat with Ali", "mesej dari Siti").
var beforeContact = set("with", "from", "to", "by", "dengan", "dari", "daripada", "kepada", "kat", "sama")
