//! Built-in area universes (China's provincial-level divisions, US states) and the
//! name normalisation used to match user input against them. Matching is exact on
//! normalised keys, never fuzzy, so Shanxi and Shaanxi can never be confused.

use std::fmt;
use std::str::FromStr;

/// Which built-in set of areas a database uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Universe {
    Cn,
    Us,
    None,
}

impl Universe {
    #[cfg(test)]
    pub const ALL: [Universe; 3] = [Universe::Cn, Universe::Us, Universe::None];

    pub fn as_str(self) -> &'static str {
        match self {
            Universe::Cn => "cn",
            Universe::Us => "us",
            Universe::None => "none",
        }
    }
}

impl fmt::Display for Universe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Universe {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cn" => Ok(Universe::Cn),
            "us" => Ok(Universe::Us),
            "none" => Ok(Universe::None),
            _ => Err(format!(
                "unknown area universe '{s}': expected one of cn, us, none"
            )),
        }
    }
}

/// One built-in area.
#[derive(Debug, Clone, Copy)]
pub struct AreaDef {
    /// cn: 2-digit GB/T 2260 prefix ("44"); us: USPS code ("AK").
    pub code: &'static str,
    /// Display name: cn short simplified ("广东"); us state name ("Alaska").
    pub name: &'static str,
    /// cn: full official name ("广东省"); us: same as `name`.
    pub official: &'static str,
    /// Every other name the area is known by.
    pub aliases: &'static [&'static str],
}

/// Administrative suffixes people attach (or wrongly attach) to a short Chinese
/// name; accepting them all means "广西自治区" or "廣東省" still match.
const CN_SUFFIXES: &[&str] = &["省", "市", "自治区", "特别行政区", "自治區", "特別行政區"];

const fn cn(
    code: &'static str,
    name: &'static str,
    official: &'static str,
    aliases: &'static [&'static str],
) -> AreaDef {
    AreaDef {
        code,
        name,
        official,
        aliases,
    }
}

const fn us(code: &'static str, name: &'static str) -> AreaDef {
    AreaDef {
        code,
        name,
        official: name,
        aliases: &[],
    }
}

// Traditional forms appear only where they differ from the simplified ones; the
// rest would be deduplicated away by `keys` anyway.
static CN: [AreaDef; 34] = [
    cn("11", "北京", "北京市", &["Beijing", "110000"]),
    cn("12", "天津", "天津市", &["Tianjin", "120000"]),
    cn("13", "河北", "河北省", &["Hebei", "130000"]),
    cn("14", "山西", "山西省", &["Shanxi", "140000"]),
    cn(
        "15",
        "内蒙古",
        "内蒙古自治区",
        &[
            "內蒙古",
            "內蒙古自治區",
            "Neimenggu",
            "Nei Mongol",
            "Nei Monggol",
            "Inner Mongolia",
            "Inner Mongolia Autonomous Region",
            "150000",
        ],
    ),
    cn(
        "21",
        "辽宁",
        "辽宁省",
        &["遼寧", "遼寧省", "Liaoning", "210000"],
    ),
    cn("22", "吉林", "吉林省", &["Jilin", "220000"]),
    cn(
        "23",
        "黑龙江",
        "黑龙江省",
        &["黑龍江", "黑龍江省", "Heilongjiang", "230000"],
    ),
    cn("31", "上海", "上海市", &["Shanghai", "310000"]),
    cn(
        "32",
        "江苏",
        "江苏省",
        &["江蘇", "江蘇省", "Jiangsu", "320000"],
    ),
    cn("33", "浙江", "浙江省", &["Zhejiang", "330000"]),
    cn("34", "安徽", "安徽省", &["Anhui", "340000"]),
    cn("35", "福建", "福建省", &["Fujian", "350000"]),
    cn("36", "江西", "江西省", &["Jiangxi", "360000"]),
    cn(
        "37",
        "山东",
        "山东省",
        &["山東", "山東省", "Shandong", "370000"],
    ),
    cn("41", "河南", "河南省", &["Henan", "410000"]),
    cn("42", "湖北", "湖北省", &["Hubei", "420000"]),
    cn("43", "湖南", "湖南省", &["Hunan", "430000"]),
    cn(
        "44",
        "广东",
        "广东省",
        &["廣東", "廣東省", "Guangdong", "440000"],
    ),
    cn(
        "45",
        "广西",
        "广西壮族自治区",
        &[
            "廣西",
            "廣西壯族自治區",
            "Guangxi",
            "Guangxi Zhuang Autonomous Region",
            "450000",
        ],
    ),
    cn("46", "海南", "海南省", &["Hainan", "460000"]),
    cn(
        "50",
        "重庆",
        "重庆市",
        &["重慶", "重慶市", "Chongqing", "500000"],
    ),
    cn("51", "四川", "四川省", &["Sichuan", "510000"]),
    cn(
        "52",
        "贵州",
        "贵州省",
        &["貴州", "貴州省", "Guizhou", "520000"],
    ),
    cn(
        "53",
        "云南",
        "云南省",
        &["雲南", "雲南省", "Yunnan", "530000"],
    ),
    cn(
        "54",
        "西藏",
        "西藏自治区",
        &[
            "西藏自治區",
            "Xizang",
            "Tibet",
            "Tibet Autonomous Region",
            "540000",
        ],
    ),
    cn(
        "61",
        "陕西",
        "陕西省",
        &["陝西", "陝西省", "Shaanxi", "610000"],
    ),
    cn(
        "62",
        "甘肃",
        "甘肃省",
        &["甘肅", "甘肅省", "Gansu", "620000"],
    ),
    cn("63", "青海", "青海省", &["Qinghai", "630000"]),
    cn(
        "64",
        "宁夏",
        "宁夏回族自治区",
        &[
            "寧夏",
            "寧夏回族自治區",
            "Ningxia",
            "Ningxia Hui Autonomous Region",
            "640000",
        ],
    ),
    cn(
        "65",
        "新疆",
        "新疆维吾尔自治区",
        &[
            "新疆維吾爾自治區",
            "Xinjiang",
            "Xinjiang Uyghur Autonomous Region",
            "Xinjiang Uygur Autonomous Region",
            "650000",
        ],
    ),
    cn(
        "71",
        "台湾",
        "台湾省",
        &["臺灣", "台灣", "臺灣省", "台灣省", "Taiwan", "710000"],
    ),
    cn(
        "81",
        "香港",
        "香港特别行政区",
        &[
            "香港特別行政區",
            "Xianggang",
            "Hong Kong",
            "Hong Kong SAR",
            "810000",
        ],
    ),
    cn(
        "82",
        "澳门",
        "澳门特别行政区",
        &[
            "澳門",
            "澳門特別行政區",
            "Aomen",
            "Macau",
            "Macao",
            "Macau SAR",
            "Macao SAR",
            "820000",
        ],
    ),
];

static US: [AreaDef; 51] = [
    us("AL", "Alabama"),
    us("AK", "Alaska"),
    us("AZ", "Arizona"),
    us("AR", "Arkansas"),
    us("CA", "California"),
    us("CO", "Colorado"),
    us("CT", "Connecticut"),
    us("DE", "Delaware"),
    AreaDef {
        code: "DC",
        name: "District of Columbia",
        official: "District of Columbia",
        // Plain "Washington" is deliberately absent: it is the state.
        aliases: &["Washington DC", "Washington D.C.", "D.C."],
    },
    us("FL", "Florida"),
    us("GA", "Georgia"),
    us("HI", "Hawaii"),
    us("ID", "Idaho"),
    us("IL", "Illinois"),
    us("IN", "Indiana"),
    us("IA", "Iowa"),
    us("KS", "Kansas"),
    us("KY", "Kentucky"),
    us("LA", "Louisiana"),
    us("ME", "Maine"),
    us("MD", "Maryland"),
    us("MA", "Massachusetts"),
    us("MI", "Michigan"),
    us("MN", "Minnesota"),
    us("MS", "Mississippi"),
    us("MO", "Missouri"),
    us("MT", "Montana"),
    us("NE", "Nebraska"),
    us("NV", "Nevada"),
    us("NH", "New Hampshire"),
    us("NJ", "New Jersey"),
    us("NM", "New Mexico"),
    us("NY", "New York"),
    us("NC", "North Carolina"),
    us("ND", "North Dakota"),
    us("OH", "Ohio"),
    us("OK", "Oklahoma"),
    us("OR", "Oregon"),
    us("PA", "Pennsylvania"),
    us("RI", "Rhode Island"),
    us("SC", "South Carolina"),
    us("SD", "South Dakota"),
    us("TN", "Tennessee"),
    us("TX", "Texas"),
    us("UT", "Utah"),
    us("VT", "Vermont"),
    us("VA", "Virginia"),
    us("WA", "Washington"),
    us("WV", "West Virginia"),
    us("WI", "Wisconsin"),
    us("WY", "Wyoming"),
];

/// The built-in areas of a universe: cn in GB/T 2260 code order, us in
/// alphabetical order of name, none empty.
pub fn universe(u: Universe) -> &'static [AreaDef] {
    match u {
        Universe::Cn => &CN,
        Universe::Us => &US,
        Universe::None => &[],
    }
}

/// Normalise a name for matching: trim, drop all whitespace (incl. full-width space U+3000), fold full-width ASCII (U+FF01..U+FF5E) to ASCII, lowercase ASCII.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            // The full-width block mirrors printable ASCII at a fixed offset.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn is_cn(def: &AreaDef) -> bool {
    def.code.len() == 2 && def.code.bytes().all(|b| b.is_ascii_digit())
}

fn has_cn_suffix(s: &str) -> bool {
    CN_SUFFIXES.iter().any(|suf| s.ends_with(suf))
}

/// A bare Chinese alias (no ASCII, no suffix yet) is a short form such as the
/// traditional 廣東, so it takes the same suffixes as the simplified name.
fn is_bare_cjk_alias(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(|c| c.is_ascii()) && !has_cn_suffix(s)
}

fn finish(mut keys: Vec<String>) -> Vec<String> {
    keys.retain(|k| !k.is_empty());
    keys.sort();
    keys.dedup();
    keys
}

/// All normalised keys an area answers to: code, name, official, aliases, and, for cn, the name and the traditional short name each with every administrative suffix appended (省, 市, 自治区, 特别行政区 and their traditional forms 自治區, 特別行政區; also the full ethnic suffix forms like 壮族自治区 are covered by official). Deduplicated, sorted.
pub fn keys(def: &AreaDef) -> Vec<String> {
    let mut out: Vec<String> = [def.code, def.name, def.official]
        .iter()
        .chain(def.aliases.iter())
        .map(|s| normalize(s))
        .collect();
    if is_cn(def) {
        let bases = std::iter::once(def.name)
            .chain(def.aliases.iter().copied().filter(|a| is_bare_cjk_alias(a)));
        for base in bases {
            let base = normalize(base);
            out.extend(CN_SUFFIXES.iter().map(|suf| format!("{base}{suf}")));
        }
    }
    finish(out)
}

/// Keys for a custom area added by a user (`areas add NAME --code C --alias A...`): normalised name, code and aliases, deduplicated.
pub fn custom_keys(name: &str, code: Option<&str>, aliases: &[String]) -> Vec<String> {
    let out = std::iter::once(name)
        .chain(code)
        .chain(aliases.iter().map(String::as_str))
        .map(normalize)
        .collect();
    finish(out)
}

/// The area whose keys contain `normalize(input)`; exact match only.
#[cfg(test)]
pub fn find<'a>(areas: &'a [AreaDef], input: &str) -> Option<&'a AreaDef> {
    let needle = normalize(input);
    if needle.is_empty() {
        return None;
    }
    // `keys` returns a sorted list, which makes the exact lookup a binary search.
    areas
        .iter()
        .find(|def| keys(def).binary_search(&needle).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cn_code(input: &str) -> Option<&'static str> {
        find(universe(Universe::Cn), input).map(|d| d.code)
    }

    fn us_code(input: &str) -> Option<&'static str> {
        find(universe(Universe::Us), input).map(|d| d.code)
    }

    fn assert_keys_unique(u: Universe) {
        let mut owner: HashMap<String, &str> = HashMap::new();
        for def in universe(u) {
            for k in keys(def) {
                if let Some(prev) = owner.insert(k.clone(), def.code) {
                    panic!("{u}: key {k:?} belongs to both {prev} and {}", def.code);
                }
            }
        }
    }

    #[test]
    fn universe_sizes() {
        assert_eq!(universe(Universe::Cn).len(), 34);
        assert_eq!(universe(Universe::Us).len(), 51);
        assert!(universe(Universe::None).is_empty());
    }

    #[test]
    fn cn_in_code_order_with_expected_codes() {
        let codes: Vec<&str> = universe(Universe::Cn).iter().map(|d| d.code).collect();
        let expected = [
            "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
            "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
            "63", "64", "65", "71", "81", "82",
        ];
        assert_eq!(codes, expected);
    }

    #[test]
    fn us_in_name_order_with_two_letter_codes() {
        let us = universe(Universe::Us);
        assert!(us.windows(2).all(|w| w[0].name < w[1].name));
        for d in us {
            assert_eq!(d.code.len(), 2);
            assert!(d.code.bytes().all(|b| b.is_ascii_uppercase()));
            assert_eq!(d.name, d.official);
        }
    }

    #[test]
    fn cn_official_names() {
        let official = |code: &str| {
            universe(Universe::Cn)
                .iter()
                .find(|d| d.code == code)
                .map(|d| d.official)
        };
        assert_eq!(official("11"), Some("北京市"));
        assert_eq!(official("15"), Some("内蒙古自治区"));
        assert_eq!(official("44"), Some("广东省"));
        assert_eq!(official("45"), Some("广西壮族自治区"));
        assert_eq!(official("54"), Some("西藏自治区"));
        assert_eq!(official("64"), Some("宁夏回族自治区"));
        assert_eq!(official("65"), Some("新疆维吾尔自治区"));
        assert_eq!(official("81"), Some("香港特别行政区"));
        assert_eq!(official("82"), Some("澳门特别行政区"));
    }

    #[test]
    fn universe_parse_and_as_str() {
        for u in Universe::ALL {
            assert_eq!(u.as_str().parse::<Universe>(), Ok(u));
            assert_eq!(u.as_str().to_uppercase().parse::<Universe>(), Ok(u));
        }
        assert_eq!("Cn".parse::<Universe>(), Ok(Universe::Cn));
        let err = "eu".parse::<Universe>().unwrap_err();
        assert!(err.contains("cn") && err.contains("us") && err.contains("none"));
        assert!("".parse::<Universe>().is_err());
    }

    #[test]
    fn normalize_rules() {
        assert_eq!(normalize("  Guang Dong \t"), "guangdong");
        assert_eq!(normalize("广\u{3000}东"), "广东");
        assert_eq!(normalize("ＧＵＡＮＧＤＯＮＧ"), "guangdong");
        assert_eq!(normalize("４４"), "44");
        assert_eq!(normalize("Ｄ．Ｃ．"), "d.c.");
        assert_eq!(normalize(""), "");
        // Non-ASCII letters are left alone: only ASCII is case-folded.
        assert_eq!(normalize("ÄÖ"), "ÄÖ");
    }

    #[test]
    fn guangdong_variants() {
        for input in [
            "广东",
            "广东省",
            "廣東",
            "廣東省",
            "Guangdong",
            "GUANGDONG",
            " guang dong ",
            "ＧＵＡＮＧＤＯＮＧ",
            "44",
            "440000",
            "广东自治区",
        ] {
            assert_eq!(cn_code(input), Some("44"), "input {input:?}");
        }
    }

    #[test]
    fn guangxi_variants() {
        for input in [
            "广西壮族自治区",
            "广西自治区",
            "广西",
            "廣西",
            "廣西壯族自治區",
            "廣西自治區",
            "Guangxi",
            "45",
        ] {
            assert_eq!(cn_code(input), Some("45"), "input {input:?}");
        }
    }

    #[test]
    fn english_and_pinyin_names() {
        assert_eq!(cn_code("Tibet"), Some("54"));
        assert_eq!(cn_code("西藏自治区"), Some("54"));
        assert_eq!(cn_code("Xizang"), Some("54"));
        assert_eq!(cn_code("Inner Mongolia"), Some("15"));
        assert_eq!(cn_code("Neimenggu"), Some("15"));
        assert_eq!(cn_code("內蒙古"), Some("15"));
        assert_eq!(cn_code("Hong Kong"), Some("81"));
        assert_eq!(cn_code("Xianggang"), Some("81"));
        assert_eq!(cn_code("香港特別行政區"), Some("81"));
        assert_eq!(cn_code("Macau"), Some("82"));
        assert_eq!(cn_code("Macao"), Some("82"));
        assert_eq!(cn_code("Aomen"), Some("82"));
        assert_eq!(cn_code("澳門"), Some("82"));
        assert_eq!(cn_code("Taiwan"), Some("71"));
        assert_eq!(cn_code("臺灣"), Some("71"));
        assert_eq!(cn_code("台灣省"), Some("71"));
        assert_eq!(cn_code("Heilongjiang"), Some("23"));
        assert_eq!(cn_code("黑龍江"), Some("23"));
    }

    #[test]
    fn shanxi_and_shaanxi_are_distinct() {
        assert_eq!(cn_code("shanxi"), Some("14"));
        assert_eq!(cn_code("Shaanxi"), Some("61"));
        assert_eq!(cn_code("山西省"), Some("14"));
        assert_eq!(cn_code("陝西"), Some("61"));
    }

    #[test]
    fn traditional_short_names_match() {
        let expected = [
            ("廣東", "44"),
            ("廣西", "45"),
            ("內蒙古", "15"),
            ("遼寧", "21"),
            ("黑龍江", "23"),
            ("江蘇", "32"),
            ("浙江", "33"),
            ("安徽", "34"),
            ("福建", "35"),
            ("江西", "36"),
            ("山東", "37"),
            ("河南", "41"),
            ("湖北", "42"),
            ("湖南", "43"),
            ("海南", "46"),
            ("重慶", "50"),
            ("四川", "51"),
            ("貴州", "52"),
            ("雲南", "53"),
            ("西藏", "54"),
            ("陝西", "61"),
            ("甘肅", "62"),
            ("青海", "63"),
            ("寧夏", "64"),
            ("新疆", "65"),
            ("臺灣", "71"),
            ("台灣", "71"),
            ("香港", "81"),
            ("澳門", "82"),
            ("北京", "11"),
            ("天津", "12"),
            ("河北", "13"),
            ("山西", "14"),
            ("上海", "31"),
            ("吉林", "22"),
        ];
        for (input, code) in expected {
            assert_eq!(cn_code(input), Some(code), "input {input:?}");
        }
    }

    #[test]
    fn every_cn_area_has_six_digit_code_and_pinyin() {
        for d in universe(Universe::Cn) {
            let six = format!("{}0000", d.code);
            assert_eq!(cn_code(&six), Some(d.code), "{six}");
            assert!(
                d.aliases
                    .iter()
                    .any(|a| a.bytes().all(|b| b.is_ascii_alphabetic())),
                "{} has no pinyin alias",
                d.name
            );
            assert_eq!(cn_code(d.official), Some(d.code));
        }
    }

    #[test]
    fn us_matches() {
        assert_eq!(us_code("AK"), Some("AK"));
        assert_eq!(us_code("alaska"), Some("AK"));
        assert_eq!(us_code("ALASKA"), Some("AK"));
        assert_eq!(us_code("new york"), Some("NY"));
        assert_eq!(us_code("NewYork"), Some("NY"));
        assert_eq!(us_code("District of Columbia"), Some("DC"));
        assert_eq!(us_code("Washington DC"), Some("DC"));
        assert_eq!(us_code("Washington"), Some("WA"));
        assert_eq!(us_code("wa"), Some("WA"));
    }

    #[test]
    fn matching_is_exact_not_fuzzy() {
        assert_eq!(cn_code("guang"), None);
        assert_eq!(cn_code("guangdongg"), None);
        assert_eq!(cn_code("4"), None);
        assert_eq!(cn_code("Alaska"), None);
        assert_eq!(cn_code(""), None);
        assert_eq!(cn_code("   "), None);
        assert_eq!(us_code("Alask"), None);
        assert_eq!(us_code("广东"), None);
        assert!(find(universe(Universe::None), "广东").is_none());
    }

    #[test]
    fn keys_unique_within_cn() {
        assert_keys_unique(Universe::Cn);
    }

    #[test]
    fn keys_unique_within_us() {
        assert_keys_unique(Universe::Us);
    }

    #[test]
    fn keys_sorted_deduped_normalised_and_round_trip() {
        for u in [Universe::Cn, Universe::Us] {
            for d in universe(u) {
                let ks = keys(d);
                assert!(ks.windows(2).all(|w| w[0] < w[1]), "{}", d.code);
                for k in &ks {
                    assert!(!k.is_empty());
                    assert_eq!(&normalize(k), k);
                    assert_eq!(find(universe(u), k).map(|x| x.code), Some(d.code));
                }
            }
        }
    }

    #[test]
    fn cn_keys_include_suffix_forms() {
        let gd = find(universe(Universe::Cn), "44")
            .map(keys)
            .unwrap_or_default();
        for k in [
            "广东市",
            "广东特别行政区",
            "廣東自治區",
            "廣東特別行政區",
            "广东省",
        ] {
            assert!(gd.iter().any(|x| x == k), "missing {k}");
        }
        let ak = find(universe(Universe::Us), "AK")
            .map(keys)
            .unwrap_or_default();
        assert_eq!(ak, vec!["ak".to_string(), "alaska".to_string()]);
    }

    #[test]
    fn custom_keys_normalise_and_dedup() {
        let aliases = vec![
            "North Zone".to_string(),
            "ＮＯＲＴＨ".to_string(),
            "  ".to_string(),
            "north zone".to_string(),
        ];
        let ks = custom_keys(" North ", Some("N1"), &aliases);
        assert_eq!(ks, vec!["n1", "north", "northzone"]);
        assert_eq!(custom_keys("华北", None, &[]), vec!["华北"]);
    }

    mod props {
        use super::super::normalize;
        use proptest::prelude::*;

        proptest! {

            #![proptest_config(crate::domain::proptest_config())]
            #[test]
            fn normalize_is_idempotent(s in "\\PC*") {
                let once = normalize(&s);
                prop_assert_eq!(normalize(&once), once.clone());
                prop_assert!(!once.chars().any(char::is_whitespace));
                prop_assert!(!once.chars().any(|c| c.is_ascii_uppercase()));
                let full_width = '\u{FF01}'..='\u{FF5E}';
                prop_assert!(!once.chars().any(|c| full_width.contains(&c)));
            }

            #[test]
            fn normalize_ignores_surrounding_whitespace(s in "[a-zA-Z0-9\u{4e00}-\u{4e20}]{0,12}") {
                let padded = format!(" \u{3000}{s}\t ");
                prop_assert_eq!(normalize(&padded), normalize(&s));
            }
        }
    }
}
