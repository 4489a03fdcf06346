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

/// Serde for an optional `jiff::civil::Date` as year, month and day numbers, which decode
/// without the text parser (the compiled catalog reads one for every task of a large
/// catalog on every run).
pub(crate) mod optional_date {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error as _};

    // serde's `with` passes a reference.
    #[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)]
    pub(crate) fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        date.map(|d| (d.year(), d.month(), d.day())).serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        <Option<(i16, i8, i8)>>::deserialize(d)?
            .map(|(year, month, day)| Date::new(year, month, day).map_err(D::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::{Date, date};

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Dated(#[serde(with = "super::optional_date")] Option<Date>);

    #[test]
    fn optional_dates_round_trip_and_invalid_ones_are_refused() {
        for value in [
            None,
            Some(date(1, 1, 1)),
            Some(date(2024, 2, 29)),
            Some(date(9999, 12, 31)),
        ] {
            let bytes = postcard::to_stdvec(&Dated(value)).unwrap();
            assert_eq!(postcard::from_bytes::<Dated>(&bytes).unwrap(), Dated(value));
        }
        // 2023-02-29 written as numbers does not decode.
        let bytes = postcard::to_stdvec(&Some((2023_i16, 2_i8, 29_i8))).unwrap();
        assert!(postcard::from_bytes::<Dated>(&bytes).is_err());
    }
}
