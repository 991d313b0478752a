//! Tolerant decoding of answers, for where Tencent's services drift from their
//! own definitions.
//!
//! # The policy
//!
//! Generated response types decode every member through [`lenient`], which
//! accepts, besides the defined JSON type:
//!
//! - for integers: a JSON float with no fractional part (`3.0`), and a string
//!   holding an integer (`"3"`), as long as the value fits the type;
//! - for floats: an integer, and a string holding a number;
//! - for booleans: nothing else (`"true"` or `1` stay errors: guessing would hide bugs);
//! - for strings: nothing else;
//! - for lists: `null` where the list is not nullable, decoded as an empty list;
//! - for optional members: `null` and absence, both decoded as `None`.
//!
//! Anything else is an error naming the member's path. Encoding is never
//! lenient: requests always carry the defined types.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};

/// A type decoded with the lenient policy. Implemented for the member types of
/// generated code; generated models implement it by delegating to
/// [`serde::Deserialize`] (see [`impl_lenient_via_deserialize!`](crate::impl_lenient_via_deserialize)).
pub trait Lenient<'de>: Sized {
    /// Decodes `Self`, accepting the tolerated variations.
    fn deserialize_lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// Use as `#[serde(deserialize_with = "tencentcloud_runtime::de::lenient")]`.
pub fn lenient<'de, D: Deserializer<'de>, T: Lenient<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::deserialize_lenient(deserializer)
}

/// Implements [`Lenient`] for types whose own `Deserialize` is already the policy
/// (structures whose fields are lenient themselves, strings, enums).
#[macro_export]
macro_rules! impl_lenient_via_deserialize {
    ($($ty:ty),* $(,)?) => {
        $(
            impl<'de> $crate::de::Lenient<'de> for $ty {
                fn deserialize_lenient<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    <$ty as ::serde::Deserialize<'de>>::deserialize(deserializer)
                }
            }
        )*
    };
}

impl_lenient_via_deserialize!(String, bool);

/// Accepts integers, integral floats and integer strings, within `T`'s range.
struct IntegerVisitor<T>(PhantomData<T>);

impl<'de, T> Visitor<'de> for IntegerVisitor<T>
where
    T: TryFrom<i128> + fmt::Display,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer (or an integral float, or a string holding an integer)")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.visit_i128(i128::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.visit_i128(i128::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::custom(format_args!("integer {v} is out of range")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        // Only floats that are exactly integers, and well inside i128, are accepted.
        if v.fract() == 0.0 && v.abs() < 1e38 {
            self.visit_i128(v as i128)
        } else {
            Err(E::invalid_type(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        match v.trim().parse::<i128>() {
            Ok(n) => self.visit_i128(n),
            Err(_) => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

macro_rules! lenient_integer {
    ($($ty:ty),*) => {
        $(
            impl<'de> Lenient<'de> for $ty {
                fn deserialize_lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    deserializer.deserialize_any(IntegerVisitor::<$ty>(PhantomData))
                }
            }
        )*
    };
}

lenient_integer!(i64, u64);

struct FloatVisitor;

impl<'de> Visitor<'de> for FloatVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number (or a string holding a number)")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(n),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

impl<'de> Lenient<'de> for f64 {
    fn deserialize_lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FloatVisitor)
    }
}

/// Decodes one element with the lenient policy.
struct Seed<T>(PhantomData<T>);

impl<'de, T: Lenient<'de>> DeserializeSeed<'de> for Seed<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize_lenient(deserializer)
    }
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list (or null)")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(Seed::<T>(PhantomData))? {
            out.push(item);
        }
        Ok(out)
    }
}

impl<'de, T: Lenient<'de>> Lenient<'de> for Vec<T> {
    fn deserialize_lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(ListVisitor(PhantomData))
    }
}

struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient<'de>> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        T::deserialize_lenient(deserializer).map(Some)
    }
}

impl<'de, T: Lenient<'de>> Lenient<'de> for Option<T> {
    fn deserialize_lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(OptionVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode<T: for<'de> Lenient<'de>>(json: &str) -> Result<T, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        T::deserialize_lenient(&mut de)
    }

    #[test]
    fn integers_accept_integral_floats_and_strings() {
        assert_eq!(decode::<u64>("3").unwrap(), 3);
        assert_eq!(decode::<u64>("3.0").unwrap(), 3);
        assert_eq!(decode::<u64>("\"3\"").unwrap(), 3);
        assert_eq!(decode::<i64>("\"-7\"").unwrap(), -7);
        assert!(decode::<u64>("3.5").is_err());
        assert!(decode::<u64>("-1").is_err());
        assert!(decode::<u64>("\"x\"").is_err());
        assert!(decode::<u64>("true").is_err());
        assert!(decode::<u64>("null").is_err());
    }

    #[test]
    fn floats_accept_integers_and_strings() {
        assert_eq!(decode::<f64>("2").unwrap(), 2.0);
        assert_eq!(decode::<f64>("\"2.5\"").unwrap(), 2.5);
        assert!(decode::<f64>("\"NaN\"").is_err());
    }

    #[test]
    fn strings_and_bools_stay_strict() {
        assert!(decode::<String>("3").is_err());
        assert!(decode::<bool>("\"true\"").is_err());
        assert!(decode::<bool>("1").is_err());
    }

    #[test]
    fn null_lists_are_empty_and_elements_are_lenient() {
        assert_eq!(decode::<Vec<u64>>("null").unwrap(), Vec::<u64>::new());
        assert_eq!(decode::<Vec<u64>>("[1, \"2\", 3.0]").unwrap(), vec![1, 2, 3]);
        assert_eq!(decode::<Vec<Vec<u64>>>("[null, [1]]").unwrap(), vec![vec![], vec![1]]);
    }

    #[test]
    fn options_take_null_and_lenient_values() {
        assert_eq!(decode::<Option<u64>>("null").unwrap(), None);
        assert_eq!(decode::<Option<u64>>("\"5\"").unwrap(), Some(5));
        assert_eq!(decode::<Option<Vec<u64>>>("null").unwrap(), None);
    }
}
