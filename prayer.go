package juta

import (
	"sort"
	"strings"
)

// DefaultPrayerZone is JAKIM's zone for Kuala Lumpur and Putrajaya, the
// place of prayer times ("lepas zohor") for users who have not chosen one.
const DefaultPrayerZone = "WLY01"

// PrayerZone is one of JAKIM's e-Solat zones: detection reads "lepas asar"
// at the prayer times of the user's zone. Lat and Lng are a main town of the
// zone, where the times are computed.
type PrayerZone struct {
	Code     string
	Area     string
	Lat, Lng float64
}

// prayerZones are JAKIM's zones, each with a representative town. Codes and
// areas as JAKIM's e-Solat portal lists them (https://www.e-solat.gov.my,
// "Tukar Zon"); coordinates of the town named first (for a zone named for an
// island or a peak, of that island or peak), to about a kilometre. JAKIM's
// times for 2026, as archived by the open-source Malaysia Prayer Time project
// (github.com/mptwaktusolat/api-waktusolat-x, resources/csv/Dump-output-2026.csv),
// check them (ai.TestZoneTimesMatchJAKIMTable2026); two zones are placed by
// them: SBH02 at Pinangah, the zone's western edge (at Beluran every time of
// 1 January 2026 came 2-4 minutes early), and SWK09, the special zone of
// Kampung Patarikan, at the point that project's zone map gives it
// (github.com/mptwaktusolat/jakim_zones_map, lib/locations/location_coordinate.dart),
// where each time of that day equals the table's.
var prayerZones = map[string]PrayerZone{
	"JHR01": {"JHR01", "Pulau Aur, Pulau Pemanggil", 2.4500, 104.5160},
	"JHR03": {"JHR03", "Kluang, Pontian", 2.0251, 103.3328},
	"JHR04": {"JHR04", "Batu Pahat, Muar, Segamat, Gemas Johor, Tangkak", 1.8548, 102.9325},
	"KDH02": {"KDH02", "Kuala Muda (Sungai Petani), Yan, Pendang", 5.6470, 100.4877},
	"KDH03": {"KDH03", "Padang Terap (Kuala Nerang), Sik", 6.2540, 100.6110},
	"KDH04": {"KDH04", "Baling", 5.6766, 100.9166},
	"KDH05": {"KDH05", "Kulim, Bandar Baharu", 5.3650, 100.5617},
	"KDH06": {"KDH06", "Langkawi (Kuah)", 6.3265, 99.8432},
	"KDH07": {"KDH07", "Puncak Gunung Jerai", 5.7880, 100.4330},
	"KTN02": {"KTN02", "Gua Musang, Jeli, Lojing", 4.8823, 101.9644},
	"NGS01": {"NGS01", "Tampin, Jempol", 2.4701, 102.2302},
	"NGS03": {"NGS03", "Seremban, Port Dickson", 2.7258, 101.9424},
	"PHG01": {"PHG01", "Pulau Tioman (Tekek)", 2.8176, 104.1600},
	"PHG03": {"PHG03", "Temerloh, Jerantut, Maran, Bera, Chenor, Jengka", 3.4500, 102.4170},
	"PHG04": {"PHG04", "Bentong, Lipis, Raub", 3.5220, 101.9080},
	"PHG05": {"PHG05", "Genting Sempah, Janda Baik, Bukit Tinggi", 3.3640, 101.7860},
	"PHG06": {"PHG06", "Cameron Highlands (Tanah Rata), Genting Highlands, Bukit Fraser", 4.4700, 101.3790},
	"PHG07": {"PHG07", "Rompin, Endau, Pontian (Pahang)", 2.8000, 103.4850},
	"PRK01": {"PRK01", "Tapah, Slim River, Tanjung Malim", 4.1970, 101.2610},
	"PRK03": {"PRK03", "Gerik, Lenggong, Pengkalan Hulu", 5.4300, 101.1260},
	"PRK04": {"PRK04", "Temengor, Belum", 5.5450, 101.3470},
	"PRK05": {"PRK05", "Teluk Intan, Kampung Gajah, Bagan Datuk, Seri Iskandar, Lumut, Sitiawan, Pangkor", 4.0260, 101.0210},
	"PRK06": {"PRK06", "Taiping, Selama, Bagan Serai, Parit Buntar", 4.8510, 100.7410},
	"PRK07": {"PRK07", "Bukit Larut", 4.8620, 100.7930},
	"SBH02": {"SBH02", "Beluran, Telupid, Pinangah, Terusan, Kuamut", 4.9907, 116.8324},
	"SBH03": {"SBH03", "Lahad Datu, Kunak, Semporna, Silabukan, Tungku", 5.0270, 118.3270},
	"SBH05": {"SBH05", "Kudat, Kota Marudu, Pitas, Pulau Banggi", 6.8830, 116.8470},
	"SBH06": {"SBH06", "Gunung Kinabalu", 6.0750, 116.5580},
	"SBH08": {"SBH08", "Keningau, Pensiangan, Tambunan, Nabawan", 5.3380, 116.1600},
	"SBH09": {"SBH09", "Beaufort, Kuala Penyu, Sipitang, Tenom, Long Pasia, Membakut, Weston", 5.3470, 115.7460},
	"SGR02": {"SGR02", "Kuala Selangor, Sabak Bernam", 3.3400, 101.2500},
	"SWK01": {"SWK01", "Limbang, Lawas, Sundar, Trusan", 4.7500, 115.0000},
	"SWK03": {"SWK03", "Bintulu, Pandan, Belaga, Suai, Tatau, Sebauh", 3.1700, 113.0300},
	"SWK04": {"SWK04", "Sibu, Mukah, Dalat, Song, Igan, Oya, Balingian, Kanowit, Kapit", 2.2870, 111.8300},
	"SWK05": {"SWK05", "Sarikei, Matu, Julau, Rajang, Daro, Bintangor, Belawai", 2.1250, 111.5220},
	"SWK06": {"SWK06", "Sri Aman, Lubok Antu, Roban, Debak, Kabong, Lingga, Engkelili, Betong, Spaoh, Pusa, Saratok", 1.2370, 111.4620},
	"SWK07": {"SWK07", "Samarahan, Serian, Simunjan, Sebuyau, Meludam", 1.4600, 110.4900},
	"TRG02": {"TRG02", "Besut, Setiu", 5.8300, 102.5500},
	"TRG03": {"TRG03", "Hulu Terengganu", 5.0700, 103.0100},
	"TRG04": {"TRG04", "Kemaman, Dungun", 4.2330, 103.4220},

	"WLY01": {"WLY01", "Kuala Lumpur, Putrajaya", 3.1390, 101.6869},
	"WLY02": {"WLY02", "Labuan", 5.2831, 115.2308},
	"SGR01": {"SGR01", "Shah Alam, Petaling, Gombak, Sepang, Hulu Langat, Hulu Selangor", 3.0733, 101.5185},
	"SGR03": {"SGR03", "Klang, Kuala Langat", 3.0449, 101.4456},
	"JHR02": {"JHR02", "Johor Bahru, Kota Tinggi, Mersing, Kulai", 1.4927, 103.7414},
	"MLK01": {"MLK01", "Melaka", 2.1896, 102.2501},
	"NGS02": {"NGS02", "Kuala Pilah, Jelebu, Rembau", 2.7389, 102.2487},
	"PHG02": {"PHG02", "Kuantan, Pekan, Muadzam Shah", 3.8077, 103.3260},
	"PRK02": {"PRK02", "Ipoh, Kuala Kangsar, Batu Gajah, Kampar", 4.5975, 101.0901},
	"PNG01": {"PNG01", "Pulau Pinang", 5.4141, 100.3288},
	"KDH01": {"KDH01", "Kota Setar, Kubang Pasu, Pokok Sena", 6.1210, 100.3670},
	"PLS01": {"PLS01", "Kangar, Padang Besar, Arau", 6.4414, 100.1986},
	"KTN01": {"KTN01", "Kota Bharu, Bachok, Pasir Mas, Tumpat", 6.1254, 102.2381},
	"TRG01": {"TRG01", "Kuala Terengganu, Marang, Kuala Nerus", 5.3302, 103.1408},
	"SBH01": {"SBH01", "Sandakan", 5.8402, 118.1179},
	"SBH04": {"SBH04", "Tawau, Balong, Merotai, Kalabakan", 4.2448, 117.8912},
	"SBH07": {"SBH07", "Kota Kinabalu, Penampang, Tuaran, Papar, Kota Belud, Putatan, Ranau", 5.9804, 116.0735},
	"SWK02": {"SWK02", "Miri, Niah, Sibuti, Bekenu, Marudi", 4.3995, 113.9914},
	"SWK08": {"SWK08", "Kuching, Bau, Lundu, Sematan", 1.5535, 110.3593},
	"SWK09": {"SWK09", "Zon Khas (Kampung Patarikan)", 4.9626, 115.5543},
}

// LookupPrayerZone returns the zone of a code ("wly01" is read as "WLY01").
// EINVALID for a code that is not one of PrayerZoneCodes.
func LookupPrayerZone(code string) (PrayerZone, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if z, ok := prayerZones[code]; ok {
		return z, nil
	}
	return PrayerZone{}, Errorf(EINVALID, "prayerZone must be one of JAKIM's zone codes: %s", strings.Join(PrayerZoneCodes(), ", "))
}

// PrayerZoneOrDefault is the zone of code, or DefaultPrayerZone's.
func PrayerZoneOrDefault(code string) PrayerZone {
	if z, err := LookupPrayerZone(code); err == nil {
		return z
	}
	return prayerZones[DefaultPrayerZone]
}

// PrayerZoneCodes lists the known zone codes in order.
func PrayerZoneCodes() []string {
	out := make([]string, 0, len(prayerZones))
	for _, z := range PrayerZones() {
		out = append(out, z.Code)
	}
	return out
}

// PrayerZones lists the known zones in code order: what a user chooses from.
func PrayerZones() []PrayerZone {
	out := make([]PrayerZone, 0, len(prayerZones))
	for _, z := range prayerZones {
		out = append(out, z)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}
