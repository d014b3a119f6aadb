package when

import "time"

// English and Malay vocabulary. Malay spellings include the chat short forms
// Malaysians type ("esk", "pkl", "mlm", "ptg").

var monthWords = map[string]time.Month{
	"january": 1, "jan": 1, "januari": 1,
	"february": 2, "feb": 2, "februari": 2, "febuari": 2,
	"march": 3, "mar": 3, "mac": 3,
	"april": 4, "apr": 4,
	"may": 5, "mei": 5,
	"june": 6, "jun": 6,
	"july": 7, "jul": 7, "julai": 7,
	"august": 8, "aug": 8, "ogos": 8, "ogo": 8, "ogs": 8,
	"september": 9, "sep": 9, "sept": 9,
	"october": 10, "oct": 10, "oktober": 10, "okt": 10,
	"november": 11, "nov": 11,
	"december": 12, "dec": 12, "disember": 12, "dis": 12,
}

// ambiguousMonths are month words that are also everyday words ("may",
// "mac" the laptop, "jun" the name); they count only next to a day number or
// a date preposition.
var ambiguousMonths = map[string]bool{"may": true, "mac": true, "mar": true, "jun": true, "dis": true, "sep": true, "jan": true, "ogo": true}

var weekdayWords = map[string]time.Weekday{
	"sunday": 0, "sun": 0, "ahad": 0,
	"monday": 1, "mon": 1, "isnin": 1,
	"tuesday": 2, "tue": 2, "tues": 2, "selasa": 2,
	"wednesday": 3, "wed": 3, "rabu": 3,
	"thursday": 4, "thu": 4, "thur": 4, "thurs": 4, "khamis": 4,
	"friday": 5, "fri": 5, "jumaat": 5, "juma'at": 5, "jummat": 5,
	"saturday": 6, "sat": 6, "sabtu": 6,
}

// ambiguousWeekdays are abbreviations that are also words ("sat down",
// "sun is hot", "wed" as in married).
var ambiguousWeekdays = map[string]bool{"sun": true, "sat": true, "wed": true, "mon": true}

var numberWords = map[string]int{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
	"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
	"eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
	"fifty": 50, "a": 1, "an": 1, "couple": 2, "pair": 2, "few": 3, "several": 7,
	"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6,
	"tujuh": 7, "lapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11,
	"beberapa": 3,
}

var ordinalWords = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
	"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
	"twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
	"sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
	"twentieth": 20, "thirtieth": 30,
}

// unit is a calendar or clock unit of a duration.
type unit uint8

const (
	uNone unit = iota
	uSecond
	uMinute
	uHour
	uDay
	uWeek
	uMonth
	uQuarter
	uYear
)

var unitWords = map[string]unit{
	"second": uSecond, "seconds": uSecond, "sec": uSecond, "secs": uSecond, "s": uSecond, "saat": uSecond,
	"minute": uMinute, "minutes": uMinute, "min": uMinute, "mins": uMinute, "m": uMinute, "minit": uMinute, "mnt": uMinute,
	"hour": uHour, "hours": uHour, "hr": uHour, "hrs": uHour, "h": uHour, "jam": uHour,
	"day": uDay, "days": uDay, "d": uDay, "hari": uDay,
	"week": uWeek, "weeks": uWeek, "wk": uWeek, "wks": uWeek, "w": uWeek, "minggu": uWeek,
	"month": uMonth, "months": uMonth, "mo": uMonth, "mon": uMonth, "mos": uMonth, "bulan": uMonth, "bln": uMonth,
	"quarter": uQuarter, "quarters": uQuarter, "qtr": uQuarter, "qtrs": uQuarter,
	"year": uYear, "years": uYear, "yr": uYear, "yrs": uYear, "y": uYear, "tahun": uYear, "thn": uYear,
}

// Malay "se-" forms: one unit.
var seUnitWords = map[string]unit{"sehari": uDay, "seminggu": uWeek, "sebulan": uMonth, "setahun": uYear, "sejam": uHour, "seminit": uMinute}

// relDayWords are days named relative to today.
var relDayWords = map[string]int{
	"today": 0, "tdy": 0, "2day": 0, "tday": 0, "harini": 0, "hariini": 0,
	"tomorrow": 1, "tomorrows": 1, "tmrw": 1, "tmr": 1, "tmrow": 1, "tmoro": 1, "tomoro": 1, "tomorow": 1, "tommorow": 1,
	"tommorrow": 1, "tomorroe": 1, "2moro": 1, "2morrow": 1, "2mrw": 1, "esok": 1, "esk": 1, "besok": 1, "bsk": 1, "esoknya": 1,
	"lusa": 2, "tulat": 3,
	"yesterday": -1, "ytd": -1, "semalam": -1, "smlm": -1, "kelmarin": -1, "kemarin": -1,
}

// part is a part of the day.
type part uint8

const (
	partNone part = iota
	partEarly
	partMorning
	partNoon
	partAfternoon
	partEvening
	partNight
	partMidnight
)

var partWords = map[string]part{
	"morning": partMorning, "mornin": partMorning, "pagi": partMorning, "pg": partMorning, "pagi2": partEarly, "subuh": partEarly,
	"noon": partNoon, "midday": partNoon, "lunch": partNoon, "lunchtime": partNoon, "tengahari": partNoon, "tghari": partNoon, "tgh": partNoon,
	"afternoon": partAfternoon, "afternoonish": partAfternoon, "arvo": partAfternoon, "petang": partAfternoon, "ptg": partAfternoon,
	"evening": partEvening, "eve": partEvening, "senja": partEvening,
	"night": partNight, "malam": partNight, "mlm": partNight, "tonight": partNight, "tonite": partNight, "2nite": partNight, "2night": partNight,
	"midnight": partMidnight,
}

// defaultHour is the clock hour a bare part of the day stands for in chat
// ("tomorrow morning" -> 09:00).
var defaultHour = map[part]int{
	partEarly: 6, partMorning: 9, partNoon: 12, partAfternoon: 15, partEvening: 19, partNight: 20, partMidnight: 0,
}
