//! Serde forms for the jiff types inside socctl's own types (written to the compiled
//! catalog cache): below the calendar, the cadence rules and the catalog, so that none of
//! them borrows its encoding from another.

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
