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

// prayerZones are the zones with a main town on record. Codes and areas as
// JAKIM's e-Solat portal lists them (https://www.e-solat.gov.my, "Tukar
// Zon"); coordinates of the town named first.
var prayerZones = map[string]PrayerZone{
	"WLY01": {"WLY01", "Kuala Lumpur, Putrajaya", 3.1390, 101.6869},
	"WLY02": {"WLY02", "Labuan", 5.2831, 115.2308},
	"SGR01": {"SGR01", "Shah Alam, Petaling, Gombak, Sepang, Hulu Langat, Hulu Selangor", 3.0733, 101.5185},
	"SGR03": {"SGR03", "Klang, Kuala Langat", 3.0449, 101.4456},
	"JHR02": {"JHR02", "Johor Bahru, Kota Tinggi, Mersing, Kulai", 1.4927, 103.7414},
	"MLK01": {"MLK01", "Melaka", 2.1896, 102.2501},
	"NGS02": {"NGS02", "Seremban, Port Dickson, Jelebu, Kuala Pilah, Rembau", 2.7258, 101.9424},
	"PHG02": {"PHG02", "Kuantan, Pekan, Rompin, Muadzam Shah", 3.8077, 103.3260},
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
