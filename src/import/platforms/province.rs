//! The province of a platform order: from a province column, else from the start of the consignee's
//! address (`浙江省 杭州市 …`, `江西南昌市…`), by the names areas are found by. A masked (`****`) or
//! unknown one is no province: the order is left region-less rather than guessed.

use anyhow::Result;

use crate::store::{self, Conn};

/// Finds areas by name, remembering what it was asked.
#[derive(Default)]
pub struct Provinces {
    known: std::collections::HashMap<String, Option<String>>,
}

impl Provinces {
    /// The short name of the area `name` names, if any.
    fn area(&mut self, conn: &Conn, name: &str) -> Result<Option<String>> {
        if let Some(hit) = self.known.get(name) {
            return Ok(hit.clone());
        }
        let found = store::areas::find(conn, name)?.map(|a| a.name);
        self.known.insert(name.to_string(), found.clone());
        Ok(found)
    }

    /// A province column's value.
    pub fn of_column(&mut self, conn: &Conn, text: Option<&str>) -> Result<Option<String>> {
        match text {
            Some(t) if !masked(t) => self.area(conn, t),
            _ => Ok(None),
        }
    }

    /// The first area named at the start of an address: its first word when the address is spaced,
    /// else the longest run of its first characters that names an area.
    pub fn of_address(&mut self, conn: &Conn, address: Option<&str>) -> Result<Option<String>> {
        let Some(address) = address.map(str::trim).filter(|a| !a.is_empty()) else {
            return Ok(None);
        };
        let first_word = address.split_whitespace().next().unwrap_or(address);
        // The street is often masked (`文三路***号`); the province is, only when the address starts so.
        if first_word.starts_with(['*', '＊']) {
            return Ok(None);
        }
        if let Some(area) = self.area(conn, first_word)? {
            return Ok(Some(area));
        }
        // Unspaced Chinese: 江西南昌市… → 江西. Only Chinese characters make a prefix, so a house
        // number or a Latin word is never read as an area's code.
        let chars: Vec<(usize, char)> = first_word
            .char_indices()
            .take_while(|(_, c)| !c.is_ascii())
            .take(MAX_NAME_CHARS)
            .collect();
        for n in (2..=chars.len()).rev() {
            let end = chars.get(n).map(|(i, _)| *i).unwrap_or_else(|| {
                chars
                    .last()
                    .map(|(i, c)| i + c.len_utf8())
                    .unwrap_or_default()
            });
            if let Some(area) = self.area(conn, &first_word[..end])? {
                return Ok(Some(area));
            }
        }
        Ok(None)
    }
}

/// The longest area name with its suffix (新疆维吾尔自治区 has 8 characters).
const MAX_NAME_CHARS: usize = 10;

/// Platforms hide what the seller may not see behind asterisks.
pub fn masked(text: &str) -> bool {
    text.contains('*') || text.contains('＊')
}
