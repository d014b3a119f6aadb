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

var paymentPhrases = phrases("bank in", "send money", "hantar duit", "pay back", "money back")

var meetingWords = set(
	"meet", "meeting", "meetng", "meting", "meetup", "mesyuarat", "jumpa", "jmpa", "jumpe", "lunch", "dinner", "breakfast", "brunch", "coffee", "kopi",
	"makan", "appointment", "appt", "temujanji", "interview", "lepak", "hangout", "catchup", "zoom", "gmeet",
	"teams", "webinar", "perbincangan", "discussion", "sync", "standup", "date", "session", "sesi",
	"conference", "schedule", "reschedule", "calendar", "event", "party",
	"kenduri", "majlis", "mtg", "sarapan", "minum", "yumcha", "presentation", "class", "kelas", "dentist", "doktor",
	"doctor", "klinik", "clinic", "haircut", "gym", "discuss", "bincang", "gathering",
)

var meetingPhrases = phrases("catch up", "janji temu", "temu janji", "teh tarik", "video call", "con call", "conference call", "get together", "pergi makan", "jom makan",
	"buka puasa", "iftar", "see you", "see u", "works for me")

var reminderPhrases = phrases(
	"reminder", "ingatkan", "jangan lupa", "jgn lupa", "jngn lupa", "dont forget",
	"do not forget", "ingat nak", "ingat untuk", "wake me", "alarm", "remind", "remember", "jgn lupe", "jangan lupe",
	"alert me", "notify me", "kejutkan", "timer", "reminded", "dont want to forget")

var requestPhrases = phrases(
	"tolong", "tlg", "tlong", "please", "pls", "plz", "plis", "pliss", "can you", "could you", "would you",
	"can u", "could u", "boleh tak", "boleh x", "bolehkah", "boleh ke", "minta", "mohon", "kindly", "need you to",
	"i need you", "you need to", "you have to", "make sure", "pastikan", "jangan", "let me know", "send me",
	"i need", "we need", "need to", "have to", "must", "should", "harap", "diminta", "sila", "perlu",
	"i want", "i would like", "id like", "would like", "want you", "id appreciate", "appreciate it if",
	"can someone", "will you", "asap", "by eod", "as soon as", "give me", "get me", "forward me", "bagi",
	"nak minta", "mintak", "kena", "mesti", "wajib",
)

var taskVerbs = set(
	"send", "hantar", "check", "semak", "review", "fix", "update", "submit", "prepare", "sediakan", "siapkan",
	"buat", "make", "do", "call", "telefon", "call", "email", "emel", "reply", "balas", "sign", "print", "cetak",
	"buy", "beli", "bring", "bawa", "ambil", "pick", "collect", "book", "confirm", "sahkan", "forward", "share",
	"upload", "scan", "fill", "isi", "complete", "finish", "arrange", "follow", "contact", "hubungi",
	"inform", "maklumkan", "tell", "bagitahu", "bagitau", "give", "bagi", "clean", "cuci", "kemas", "fetch", "jemput",
	"hantarkan", "order", "pesan", "add", "todo", "draft", "tulis",
	"baca", "tengok", "approve", "attach", "provide", "find", "cari", "set",
	"schedule", "proses",
	"return", "pulangkan", "deliver", "ask", "tanya", "remove",
	"change", "tukar", "cancel", "batalkan", "tgk", "hntr", "htr", "amik", "bwk", "siapkn", "semakkan", "check", "chk",
	"move", "join", "attend", "pergi", "come", "datang", "visit", "join")

var todoPhrases = phrases("todo list", "to do", "my list", "shopping list", "grocery list", "senarai")

// calendarEdit verbs change a calendar entry.
var calendarEdit = set("cancel", "remove", "schedule", "reschedule", "move", "postpone", "batalkan", "tangguh", "add", "set",
	"delete", "clear", "padam")

// removeVerbs take an entry off the calendar: the meeting they name is no
// longer due.
var removeVerbs = set("cancel", "remove", "delete", "clear", "padam", "batalkan", "buang")

// comingVerbs bring people together: at a clock, they make a meeting.
var comingVerbs = set("datang", "come", "visit", "join", "attend", "pergi")

// editVerbs change what is on the user's own list or calendar: a message
// that opens with one asks for a change, not about what is there.
var editVerbs = set("remove", "delete", "clear", "take", "cross", "update", "padam", "buang")

// addVerbs put something on a list.
var addVerbs = set("add", "put", "insert", "include", "tambah", "masukkan", "please", "can", "could", "i", "remind", "set")

// questionTails end a Malay yes/no question without a question mark.
var questionTails = set("tak", "x", "ke", "kah", "tk", "ka", "kan", "or", "atau", "tidak", "blm", "belum")

// infoQuery opens a request for information about existing things, not a
// request to act ("what is on my calendar", "how much do I owe").
var infoQuery = []string{
	"whats", "how much", "how many", "are there",
	"is there", "when is", "whens", "when are", "when do", "when did", "where is", "which", "how do", "how long", "what", "do you know", "when was", "who is",
	"can you tell me", "should i", "do i", "when will",
	"is the", "is it"}

// listWords name the user's own lists; a question or "read" about them is a
// query, not a request.
var listWords = phrases("to do list",
	"todo list", "my calendar", "my list")

// doneWords report a payment or errand as done; donePhrases too.
var doneWords = set("paid", "received", "settled", "transferred", "diterima", "dibayar")

var donePhrases = phrases("done transfer", "done payment", "dah bank in", "was successful", "pembayaran berjaya")

// eventWords and eventPhrases name events that are meetings when a time is
// given, without any meeting cue: "esok pkl 8.30 pg ada site visit".
var eventWords = set("visit", "audit", "lawatan", "briefing", "taklimat", "training", "latihan", "kursus", "exam",
	"seminar", "workshop", "bengkel", "wedding", "nikah")

// deadlinePhrases name a deadline: with a time, the message sets a task.
var deadlinePhrases = phrases("deadline", "due date", "tarikh akhir", "closing date", "last day")

var eventPhrases = phrases("open house", "rumah terbuka", "gotong royong")

// ruleLeads open a line of terms or policy: "Terms: payment within 30 days".
var ruleLeads = set("terms", "policy", "syarat")

// dutyModals state an obligation; followed by a passive ("must be paid",
// "perlu dijelaskan") they make a rule, not a request.
var dutyModals = set("must", "should", "perlu", "mesti", "wajib")

// irregularParticiples complete a passive rule: "must be made", "should be paid".
var irregularParticiples = set("made", "paid", "done", "sent", "kept", "brought", "held", "set", "put", "left")

// addressWords speak to the reader.
var addressWords = set("you", "your", "u", "ur", "awak", "anda", "korang")

// politeAsks ask the reader for something.
var politeAsks = phrases("please", "pls", "plz", "tolong", "tlg", "kindly", "sila", "boleh tak", "can you", "could you")

// noteFormulas open a notice; they ask the reader only to take note.
var noteFormulas = phrases("please note", "kindly note", "harap maklum")

// closedPhrases say a place is closed.
var closedPhrases = phrases("is closed", "be closed", "closed on", "ditutup")

// pastVerbs are what a writer did: "I was", "we met".
var pastVerbs = set("was", "were", "went", "had", "met", "called")

// perfective words after a verb or noun say it is done: "transfer dah buat".
var perfective = set("dah", "sudah", "telah", "done", "siap", "already")
