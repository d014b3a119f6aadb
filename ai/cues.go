package ai

// Cue words and phrases, English and Malay (with chat spellings). Phrases are
// matched on whole words of the lower-cased, symbol-free text.

var ackOnly = set(
	"ok", "okay", "okey", "oke", "okk", "k", "kk", "noted", "baik", "baiklah", "haha", "hahaha", "hehe", "lol",
	"thanks", "thank", "you", "thx", "tq", "tqvm", "terima", "kasih", "tk", "ty", "sure", "yes", "ya", "yup",
	"no", "tak", "x", "nope", "alright", "cool", "nice", "great", "good", "morning", "night", "pagi", "malam",
	"selamat", "hi", "hello", "hai", "helo", "hey", "assalamualaikum", "salam", "waalaikumsalam", "gn", "gm",
	"on", "the", "way", "otw", "done", "siap", "dah", "sudah", "alhamdulillah", "amin", "ameen", "wkwk",
	"nanti", "i", "tengok", "later", "see", "will", "check", "it", "out", "sis", "bro", "boss", "bos", "dear",
	"all", "everyone", "semua", "ye", "yea", "yeah", "jap", "kejap", "sat", "wait",
)

// paymentWords ask for money to move; paymentNouns only name money matters
// and count when an amount or a pay verb is there too.
var paymentWords = set(
	"pay", "paid", "paying", "payment", "bayar", "byr", "bayaran", "transfer", "tf", "trf", "remit", "owe", "owed",
	"hutang", "settle", "deposit", "refund", "reimburse", "pinjam", "banking", "bankin", "duitnow", "venmo", "paypal",
)

var paymentNouns = set("invoice", "bill", "bills", "bil", "duit", "fee", "fees", "yuran", "ansuran", "instalment",
	"installment", "loan", "rent", "sewa", "overdue", "tunggakan", "balance")

var paymentPhrases = phrases("bank in", "bank-in", "send money", "hantar duit", "pay back", "money back", "move money",
	"moving money", "move some money", "add funds", "transer", "money between", "money from one account", "be paid",
	"get my", "needs to be paid")

var meetingWords = set(
	"meet", "meeting", "meetng", "meting", "meetup", "mesyuarat", "jumpa", "jmpa", "jumpe", "lunch", "dinner", "breakfast", "brunch", "coffee", "kopi",
	"makan", "appointment", "appt", "temujanji", "interview", "lepak", "hangout", "catchup", "zoom", "gmeet",
	"teams", "webinar", "perbincangan", "discussion", "sync", "standup", "date", "session", "sesi",
	"conference", "schedule", "reschedule", "calendar", "event", "party",
	"kenduri", "majlis", "mtg", "sarapan", "minum", "yumcha", "presentation", "class", "kelas", "dentist", "doktor",
	"doctor", "klinik", "clinic", "haircut", "gym",
)

var meetingPhrases = phrases("catch up", "janji temu", "temu janji", "teh tarik", "video call", "con call", "conference call", "get together", "pergi makan", "jom makan")

var reminderPhrases = phrases(
	"remind me", "reminder", "ingatkan", "ingatkan saya", "jangan lupa", "jgn lupa", "jngn lupa", "don't forget",
	"dont forget", "do not forget", "remember to", "ingat nak", "ingat untuk", "set an alarm", "set alarm",
	"wake me", "alarm", "set a timer", "timer for", "remind", "remember", "reminders", "jgn lupe", "jangan lupe",
	"alert me", "notify me", "kejutkan", "timer", "be reminded", "tell me later", "want to forget",
)

var requestPhrases = phrases(
	"tolong", "tlg", "tlong", "please", "pls", "plz", "plis", "pliss", "can you", "could you", "would you",
	"can u", "could u", "boleh tak", "boleh x", "bolehkah", "boleh ke", "minta", "mohon", "kindly", "need you to",
	"i need you", "you need to", "you have to", "make sure", "pastikan", "jangan", "let me know", "send me",
	"i need", "we need", "need to", "have to", "must", "should", "harap", "diminta", "sila", "perlu",
	"i want", "i would like", "i'd like", "would like", "want you", "i'd appreciate", "appreciate it if",
	"can someone", "will you", "asap", "by eod", "as soon as", "give me", "get me", "forward me", "bagi",
	"nak minta", "mintak", "kena",
)

var taskVerbs = set(
	"send", "hantar", "check", "semak", "review", "fix", "update", "submit", "prepare", "sediakan", "siapkan",
	"buat", "make", "do", "call", "telefon", "call", "email", "emel", "reply", "balas", "sign", "print", "cetak",
	"buy", "beli", "bring", "bawa", "ambil", "pick", "collect", "book", "confirm", "sahkan", "forward", "share",
	"upload", "download", "scan", "fill", "isi", "complete", "finish", "arrange", "follow", "contact", "hubungi",
	"inform", "maklumkan", "tell", "bagitahu", "bagitau", "give", "bagi", "clean", "cuci", "kemas", "fetch", "jemput",
	"hantarkan", "order", "pesan", "add", "put", "list", "todo", "to-do", "tasks", "task", "draft", "write", "tulis",
	"read", "baca", "look", "tengok", "edit", "approve", "attach", "provide", "let", "get", "find", "cari", "set",
	"create", "schedule", "organize", "organise", "plan", "discuss", "coordinate", "handle", "process", "proses",
	"pass", "return", "pulangkan", "post", "ship", "deliver", "install", "test", "run", "ask", "tanya", "remove",
	"delete", "change", "tukar", "cancel", "batalkan", "track", "verify", "respond", "advise", "note", "see",
	"tgk", "hntr", "htr", "amik", "bwk", "siapkn", "semakkan", "check", "chk",
	"keep", "start", "stop", "move", "join", "attend", "go", "pergi", "come", "datang", "visit", "join",
)

var todoPhrases = phrases("to do list", "todo list", "to-do list", "to do", "my list", "to my list", "on my list", "shopping list", "grocery list", "task list", "add to", "senarai")

// calendarEdit verbs change a calendar entry.
var calendarEdit = set("cancel", "delete", "remove", "erase", "schedule", "reschedule", "move", "postpone", "batalkan", "tangguh", "add", "set", "create")

// addVerbs put something on a list.
var addVerbs = set("add", "put", "insert", "include", "tambah", "masukkan", "please", "can", "could", "i", "remind", "set")

// questionStarts open a question put to the reader.
var questionStarts = set(
	"are", "r", "do", "did", "will", "would", "can", "could", "is", "have", "has", "what", "when", "where", "who",
	"how", "which", "why", "should", "shall", "may", "anyone", "awak", "kau", "u", "you", "ada", "bila", "mana",
	"apa", "siapa", "berapa", "kenapa", "macam", "camne", "camana", "bagaimana", "boleh", "dah", "sudah", "jadi",
	"nak", "jom", "free", "any", "ok", "okay", "can't", "wanna", "want",
)

// questionTails end a Malay yes/no question without a question mark.
var questionTails = set("tak", "x", "ke", "kah", "tk", "ka", "kan", "or", "atau", "tidak", "blm", "belum")

// infoQuery opens a request for information about existing things, not a
// request to act ("what is on my calendar", "how much do I owe").
var infoQuery = []string{
	"what is", "what's", "whats", "what are", "what do", "how much", "how many", "do i have", "are there",
	"is there", "when is", "when's", "when are", "when do", "when did", "where is", "which", "tell me",
	"show me", "list my", "read me", "what time", "how do", "how can", "how long", "what was", "did i",
	"have i", "check my", "check on", "look up", "what", "do you know", "when was", "is my", "who is",
	"can you tell me", "tell me", "please tell me", "give me my", "give me the", "give me a", "please give me",
	"read my", "please read", "let me hear", "play my", "is it possible to read", "should i", "do i", "when will",
	"is the", "is it", "is anything", "i want to know", "i really want to know", "i need to know", "i'd like to know",
	"check what", "check today's", "list my", "list meetings", "my list", "can you see if", "i need to find out",
	"is laundry", "is grocery", "on my reminders", "refresh my memory", "remind me of the items", "please go though",
	"please go through", "can you please remind me of", "i'd like to just confirm", "i would like to hear", "is make",
}

// listWords name the user's own lists; a question or "read" about them is a
// query, not a request.
var listWords = phrases("my reminders", "reminder list", "list of reminders", "my todo list", "my to-do list", "to do list",
	"todo list", "to-do list", "my calendar", "on my calendar", "my list")
