package when

import "time"

// The holidays the parser reads, by name. Sources of the rules are in
// holiday.go, hebrew.go and holiday_rules.go.

func oneDay(names []string, in func(int) []time.Time) holiday { return holiday{names: names, in: in} }

// span is a holiday of several days: end gives the day after its last day.
func span(names []string, in func(int) []time.Time, end func(time.Time) time.Time) holiday {
	return holiday{names: names, in: in, end: end}
}

// forDays ends a span n days after its start.
func forDays(n int) func(time.Time) time.Time {
	return func(t time.Time) time.Time { return t.AddDate(0, 0, n) }
}

var holidays = []holiday{
	oneDay([]string{"christmas", "christmas day", "xmas", "x'mas", "krismas", "hari krismas"}, fixed(time.December, 25)),
	oneDay([]string{"christmas eve", "xmas eve", "malam krismas"}, fixed(time.December, 24)),
	oneDay([]string{"boxing day"}, fixed(time.December, 26)),
	oneDay([]string{"new year's day", "new years day", "new year day", "new year", "new year's", "tahun baru", "hari tahun baru"}, fixed(time.January, 1)),
	oneDay([]string{"new year's eve", "new years eve", "nye", "malam tahun baru"}, fixed(time.December, 31)),
	oneDay([]string{"valentine's day", "valentines day", "valentine's", "valentine day", "hari kekasih"}, fixed(time.February, 14)),
	oneDay([]string{"halloween"}, fixed(time.October, 31)),
	oneDay([]string{"merdeka", "hari merdeka", "hari kebangsaan", "national day", "merdeka day"}, fixed(time.August, 31)),
	oneDay([]string{"malaysia day", "hari malaysia"}, fixed(time.September, 16)),
	oneDay([]string{"labour day", "labor day", "hari pekerja", "may day"}, fixed(time.May, 1)),
	oneDay([]string{"st patrick's day", "st. patrick's day", "saint patrick's day", "st patricks day", "saint patricks day", "st paddy's day", "saint paddy's day", "st paddys day"}, fixed(time.March, 17)),
	oneDay([]string{"thanksgiving", "thanksgiving day"}, nth(time.November, time.Thursday, 4, 0)),
	oneDay([]string{"black friday"}, nth(time.November, time.Thursday, 4, 1)),
	oneDay([]string{"cyber monday"}, nth(time.November, time.Thursday, 4, 4)),
	oneDay([]string{"mother's day", "mothers day", "mother day", "hari ibu"}, nth(time.May, time.Sunday, 2, 0)),
	oneDay([]string{"father's day", "fathers day", "father day", "hari bapa"}, nth(time.June, time.Sunday, 3, 0)),
	oneDay([]string{"martin luther king day", "martin luther king's day", "martin luther kings day", "mlk day", "martin luther king jr day", "mlk jr day"}, nth(time.January, time.Monday, 3, 0)),
	oneDay([]string{"memorial day"}, nth(time.May, time.Monday, -1, 0)),
	oneDay([]string{"presidents day", "president's day", "presidents' day", "president day", "washington's birthday", "george washington day"}, nth(time.February, time.Monday, 3, 0)),
	oneDay([]string{"easter", "easter sunday", "hari easter"}, easterPlus(0)),
	oneDay([]string{"easter monday", "easter mon"}, easterPlus(1)),
	oneDay([]string{"good friday", "jumaat agung"}, easterPlus(-2)),
	oneDay([]string{"maundy thursday"}, easterPlus(-3)),
	oneDay([]string{"holy thursday", "covenant thursday", "covenant thu", "thursday of mysteries", "thu of mysteries"}, easterPlus(-3)),
	{names: []string{"lent"}, in: easterPlus(-46), end: func(t time.Time) time.Time { return easter(t.Year()) }, word: true},
	oneDay([]string{"palm sunday"}, easterPlus(-7)),
	oneDay([]string{"branch sunday", "passion sunday"}, easterPlus(-7)),
	oneDay([]string{"ash wednesday"}, easterPlus(-46)),
	oneDay([]string{"shrove tuesday", "pancake day", "mardi gras"}, easterPlus(-47)),
	oneDay([]string{"pentecost", "whit sunday", "whitsunday", "white sunday"}, easterPlus(49)),
	oneDay([]string{"whit monday"}, easterPlus(50)),
	oneDay([]string{"pentecost monday", "monday of the holy spirit"}, easterPlus(50)),
	oneDay([]string{"ascension day"}, easterPlus(39)),
	oneDay([]string{"chinese new year", "cny", "tahun baru cina", "lunar new year", "gong xi fa cai",
		"chinese new years", "chinese new year's day", "chinese lunar new year", "chinese lunar new year's day", "lunar new year's day"}, lunar(1, 1)),
	oneDay([]string{"chap goh mei"}, lunar(1, 15)),
	oneDay([]string{"wesak", "vesak", "hari wesak", "wesak day", "vesak day", "buddha day", "buddha purnima", "buddha jayanti"}, wesak),
	oneDay([]string{"mid-autumn festival", "mid autumn festival", "mooncake festival", "pesta tanglung"}, lunar(8, 15)),
	oneDay([]string{"deepavali", "diwali", "hari deepavali"}, deepavali),
	oneDay([]string{"hari raya", "raya", "hari raya aidilfitri", "aidilfitri", "hari raya puasa", "raya puasa", "eid", "eid al-fitr",
		"eid al fitr", "eid ul fitr", "eid-ul-fitr", "eid ul-fitr", "lebaran", "syawal", "1 syawal"}, islamic(10, 1)),
	oneDay([]string{"hari raya haji", "raya haji", "hari raya aidiladha", "aidiladha", "hari raya korban", "raya korban",
		"eid al-adha", "eid al adha", "eid ul adha", "eid ul-adha", "eid-ul-adha", "id ul-adha", "hari raya qurban", "bakri eid", "bakrid", "bakr id",
		"sacrifice feast", "feast of the sacrifice", "feast of sacrifice"}, islamic(12, 10)),
	oneDay([]string{"awal muharram", "maal hijrah", "ma'al hijrah", "islamic new year", "hijri new year", "muharram", "amun jadid"}, islamic(1, 1)),
	oneDay([]string{"maulidur rasul", "maulid nabi", "maulud nabi", "mawlid", "maulid", "mawlid al-nabi", "mawlid al-nabawi", "prophet's birthday"}, islamic(3, 12)),
	oneDay([]string{"nuzul al-quran", "nuzul al quran", "nuzul quran", "nuzul al-qur'an", "nuzul"}, islamic(9, 17)),
	oneDay([]string{"awal puasa", "puasa pertama", "1 ramadan", "first day of ramadan"}, islamic(9, 1)),
	span([]string{"ramadan", "ramadhan", "ramzan", "ramzaan", "bulan puasa", "bulan ramadan"}, islamic(9, 1), islamicMonthEnd),
	oneDay([]string{"israk mikraj", "isra mi'raj", "isra and mi'raj", "isra' mi'raj", "israk dan mikraj",
		"the prophet's ascension", "prophet's ascension", "the night journey", "night journey", "lailat al miraj", "shab-e-miraj"}, islamic(7, 27)),
	oneDay([]string{"laylat al-qadr", "laylat al qadr", "laylat al kadr", "lailatul qadar", "laylatul qadr", "malam lailatul qadar", "night of power",
		"night of measures", "night of destiny", "shab-e-qadr"}, islamic(9, 27)),
	oneDay([]string{"asyura", "ashura", "day of ashura", "hari asyura", "10 muharram"}, islamic(1, 10)),
	oneDay([]string{"jumu'atul-wida", "jumu'atul wida", "jamat ul-vida", "jamat ul vida", "jumaat terakhir ramadan"}, lastFridayOfRamadan),
	oneDay([]string{"hazarat ali's birthday", "hazrat ali's birthday", "hazrat ali birthday"}, islamic(7, 13)),

	// Malaysia: festivals and state holidays with fixed or tabled days
	oneDay([]string{"pongal", "thai pongal", "ponggal", "makar sankranti", "makara sankranti", "makara sankranthi", "makar sankranthi",
		"sankranti", "maghi"}, sankranti(270)),
	oneDay([]string{"bhogi", "bogi", "bhogi pongal", "bogi pandigai", "bhogi pandigai"}, sankrantiPlus(270, -1)),
	oneDay([]string{"mattu pongal", "maattu pongal"}, sankrantiPlus(270, 1)),
	oneDay([]string{"kaanum pongal", "kanum pongal", "kanni pongal"}, sankrantiPlus(270, 2)),
	oneDay([]string{"puthandu", "tamil new year", "vishu", "mesha sankranti", "vaisakhi", "baisakhi", "vasakhi", "vaishakhi"}, sankranti(0)),
	oneDay([]string{"thaipusam", "thaipoosam", "hari thaipusam"}, tabled(thaipusamDays)),
	oneDay([]string{"hari wilayah", "hari wilayah persekutuan", "federal territory day"}, fixed(time.February, 1)),
	span([]string{"gawai", "hari gawai", "gawai dayak", "hari gawai dayak"}, fixed(time.June, 1), forDays(2)),
	span([]string{"kaamatan", "pesta kaamatan", "tadau kaamatan", "harvest festival"}, fixed(time.May, 30), forDays(2)),
	oneDay([]string{"hari sarawak", "sarawak day"}, fixed(time.July, 22)),
	oneDay([]string{"george town heritage day", "george town world heritage day"}, fixed(time.July, 7)),

	// English days by their usual rule
	oneDay([]string{"veterans day", "veteran's day", "veterans' day", "veteran day", "armistice day", "remembrance day"}, fixed(time.November, 11)),
	oneDay([]string{"columbus day"}, nth(time.October, time.Monday, 2, 0)),
	oneDay([]string{"groundhog day", "groundhogs day", "groundhog's day"}, fixed(time.February, 2)),
	oneDay([]string{"guy fawkes day", "guy fawkes night", "bonfire night"}, fixed(time.November, 5)),
	oneDay([]string{"anzac day"}, fixed(time.April, 25)),
	oneDay([]string{"canada day"}, fixed(time.July, 1)),
	oneDay([]string{"earth day"}, fixed(time.April, 22)),
	oneDay([]string{"boss's day", "bosses day", "boss day", "bosses' day", "national boss day", "national boss's day"}, bossDay),
	oneDay([]string{"administrative professionals' day", "administrative professionals day", "administrative professional day",
		"administrative professional's day", "admin day", "admins day", "admin's day", "secretaries day", "secretaries' day",
		"secretary's day", "secretary day"}, adminDay),
	oneDay([]string{"world vegan day"}, fixed(time.November, 1)),
	oneDay([]string{"siblings day", "national siblings day", "national sibling day", "sibling day"}, fixed(time.April, 10)),
	oneDay([]string{"king's day", "kings day", "koningsdag"}, kingsDay),
	oneDay([]string{"decoration day"}, nth(time.May, time.Monday, -1, 0)),
	oneDay([]string{"civil rights day", "mlk jr. day", "martin luther king jr. day", "m.l.k. day"}, nth(time.January, time.Monday, 3, 0)),
	oneDay([]string{"april fools day", "april fool's day", "april fools", "april fool"}, fixed(time.April, 1)),
	oneDay([]string{"st george's day", "st georges day", "saint george's day"}, fixed(time.April, 23)),
	oneDay([]string{"st andrew's day", "st andrews day", "saint andrew's day"}, fixed(time.November, 30)),
	oneDay([]string{"mothering sunday"}, easterPlus(-21)),
	oneDay([]string{"trinity sunday"}, easterPlus(56)),
	span([]string{"holy week"}, easterPlus(-7), forDays(7)),

	// Orthodox Easter and the days tied to it
	oneDay([]string{"orthodox easter", "orthodox easter sunday", "orthodox pascha", "pascha"}, orthodoxPlus(0)),
	oneDay([]string{"orthodox easter monday"}, orthodoxPlus(1)),
	oneDay([]string{"orthodox good friday", "orthodox great friday"}, orthodoxPlus(-2)),
	oneDay([]string{"orthodox holy saturday", "orthodox great saturday"}, orthodoxPlus(-1)),
	oneDay([]string{"lazarus saturday"}, orthodoxPlus(-8)),
	oneDay([]string{"orthodox palm sunday"}, orthodoxPlus(-7)),
	oneDay([]string{"clean monday", "orthodox shrove monday", "pure monday", "ash monday"}, orthodoxPlus(-48)),
	span([]string{"great lent", "great fast", "orthodox lent"}, orthodoxPlus(-48), forDays(40)),

	// Jewish days: the Hebrew date begins at sunset, so each is read from its
	// eve (the day the holiday starts), as calendars print "begins at sundown".
	span([]string{"rosh hashanah", "rosh hashana", "rosh hashanna", "rosh ha-shanah", "jewish new year"},
		hebrew(tishrei, 1, -1, nil), forDays(3)),
	oneDay([]string{"yom kippur", "day of atonement"}, hebrew(tishrei, 10, -1, nil)),
	span([]string{"sukkot", "succot", "succos", "sukkos", "feast of tabernacles", "feast of booths", "feast of the ingathering"},
		hebrew(tishrei, 15, -1, nil), forDays(9)),
	oneDay([]string{"shemini atzeret", "shmini atzeret"}, hebrew(tishrei, 22, -1, nil)),
	oneDay([]string{"simchat torah", "simchas torah", "simhat torah"}, hebrew(tishrei, 23, -1, nil)),
	span([]string{"hanukkah", "chanukah", "hanukah", "hannukah", "hannukkah", "chanukkah", "hanuka", "chanuka"},
		hebrew(kislev, 25, -1, nil), forDays(8)),
	oneDay([]string{"tu bishvat", "tu b'shvat", "tu bshvat", "tu beshvat"}, hebrew(shevat, 15, -1, nil)),
	oneDay([]string{"purim"}, hebrew(adar, 14, -1, nil)),
	oneDay([]string{"shushan purim"}, hebrew(adar, 15, -1, nil)),
	span([]string{"passover", "pesach", "pesah"}, hebrew(nisan, 15, -1, nil), forDays(9)),
	oneDay([]string{"yom hashoah", "yom ha-shoah", "holocaust remembrance day", "holocaust day"}, hebrew(nisan, 27, -1, shoahFix)),
	oneDay([]string{"yom haatzmaut", "yom ha'atzmaut", "yom ha-atzmaut", "israel independence day"}, hebrew(iyar, 5, -1, atzmautFix)),
	oneDay([]string{"lag baomer", "lag b'omer", "lag bomer", "lag ba'omer"}, hebrew(iyar, 18, -1, nil)),
	span([]string{"shavuot", "shavuos", "shavuoth", "feast of weeks"}, hebrew(sivan, 6, -1, nil), forDays(3)),
	oneDay([]string{"tisha b'av", "tisha bav", "tisha b av", "tisha beav"}, hebrew(av, 9, -1, avFix)),
}
