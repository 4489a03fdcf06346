//! Serde forms for the jiff types inside socctl's own types (written to the compiled
//! catalog cache): below the calendar, the cadence rules and the catalog, so that none of
//! them borrows its encoding from another. Also the percent escapes of the journal's and
//! the mail server's URLs.

/// `text` with its `%XX` escapes decoded; a `%` not followed by two hex digits stays as it
/// is (`50%off`), so a password typed raw into a URL still means what it says.
pub(crate) fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Serde for `jiff::civil::Weekday` as 1 (Monday) to 7 (Sunday).
pub(crate) mod weekday {
    use jiff::civil::Weekday;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    // serde's `with` passes a reference.
    #[allow(clippy::trivially_copy_pass_by_ref)]
    pub(crate) fn serialize<S: Serializer>(day: &Weekday, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i8(day.to_monday_one_offset())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
        let number = i8::deserialize(d)?;
        Weekday::from_monday_one_offset(number).map_err(D::Error::custom)
    }
}
