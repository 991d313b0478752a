//! Tolerant decoding of answers, for where Tencent's services drift from their
//! own definitions.
//!
//! # The policy
//!
//! Answers are decoded with [`from_value`], which accepts, besides the defined
//! JSON type:
//!
//! - for integers: a JSON float with no fractional part (`3.0`), and a string
//!   holding an integer (`"3"`), as long as the value fits the type;
//! - for floats: an integer, and a string holding a number;
//! - for lists: `null`, decoded as an empty list;
//! - for optional members: `null` and absence, both decoded as `None`.
//!
//! Booleans and strings stay strict (`"true"` or `1` for a boolean, `3` for a
//! string are errors: guessing would hide bugs). Anything else that does not
//! fit is an error naming the member's path, such as `Tasks[0].State`.
//! Encoding is never lenient: requests always carry the defined types.
//!
//! # Why a deserializer and not per-field attributes
//!
//! The policy lives in one [`serde::Deserializer`] over [`serde_json::Value`]
//! that answers the type hints of derived `Deserialize` impls leniently. The
//! generated types therefore use plain derives: nothing per field, and each
//! type's decoding is compiled once, which keeps a crate of a whole service's
//! types quick to build. The same deserializer tracks the path of an error.

use std::fmt;

use serde::de::value::StringDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Why an answer did not decode, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// What did not fit, in serde's words.
    pub message: String,
    /// Where, e.g. `Tasks[0].State`; empty for the top level.
    pub path: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() { f.write_str(&self.message) } else { write!(f, "{}: {}", self.path, self.message) }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes `value` as `T` with the lenient policy.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, DecodeError> {
    T::deserialize(Lenient(value)).map_err(|e| {
        let mut path = String::new();
        for segment in e.path.iter().rev() {
            match segment {
                Segment::Key(key) if path.is_empty() => path.push_str(key),
                Segment::Key(key) => {
                    path.push('.');
                    path.push_str(key);
                }
                Segment::Index(i) => path.push_str(&format!("[{i}]")),
            }
        }
        DecodeError { message: e.message, path }
    })
}

/// A decoding error on its way up: segments are added innermost first.
#[derive(Debug)]
struct Error {
    message: String,
    path: Vec<Segment>,
}

#[derive(Debug)]
enum Segment {
    Key(String),
    Index(usize),
}

impl Error {
    fn at(mut self, segment: Segment) -> Self {
        self.path.push(segment);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error { message: message.to_string(), path: Vec::new() }
    }
}

fn from_json(error: serde_json::Error) -> Error {
    de::Error::custom(error)
}

/// A JSON value whose type hints are answered with the lenient policy.
struct Lenient(Value);

/// An integer read leniently: as sent, from an integral float, or from a string.
enum Integer {
    Signed(i64),
    Unsigned(u64),
}

impl Lenient {
    fn integer(&self) -> Option<Integer> {
        match &self.0 {
            Value::Number(n) => number_integer(n),
            Value::String(s) => {
                let s = s.trim();
                s.parse::<u64>().map(Integer::Unsigned).or_else(|_| s.parse::<i64>().map(Integer::Signed)).ok()
            }
            _ => None,
        }
    }

    fn float(&self) -> Option<f64> {
        match &self.0 {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
            _ => None,
        }
    }

    /// Integers go to the visitor as integers, so its own range check applies
    /// (a negative value for `u64` is refused with serde's message).
    fn visit_integer<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.integer() {
            Some(Integer::Unsigned(n)) => visitor.visit_u64(n),
            Some(Integer::Signed(n)) => visitor.visit_i64(n),
            None => self.deserialize_any(visitor),
        }
    }

    fn visit_float<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.float() {
            Some(f) => visitor.visit_f64(f),
            None => self.deserialize_any(visitor),
        }
    }
}

fn number_integer(n: &Number) -> Option<Integer> {
    if let Some(u) = n.as_u64() {
        return Some(Integer::Unsigned(u));
    }
    if let Some(i) = n.as_i64() {
        return Some(Integer::Signed(i));
    }
    // An integral float within range, e.g. `3.0`.
    let f = n.as_f64()?;
    if f.fract() != 0.0 {
        None
    } else if f >= 0.0 && f < u64::MAX as f64 {
        Some(Integer::Unsigned(f as u64))
    } else if f < 0.0 && f >= i64::MIN as f64 {
        Some(Integer::Signed(f as i64))
    } else {
        None
    }
}

macro_rules! lenient_integers {
    ($($method:ident),*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                self.visit_integer(visitor)
            }
        )*
    };
}

macro_rules! strict {
    ($($method:ident),*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                self.deserialize_any(visitor)
            }
        )*
    };
}

impl<'de> Deserializer<'de> for Lenient {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => match number_integer(&n).filter(|_| !n.is_f64()) {
                Some(Integer::Unsigned(u)) => visitor.visit_u64(u),
                Some(Integer::Signed(i)) => visitor.visit_i64(i),
                None => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => visit_array(items, visitor),
            Value::Object(map) => visit_object(map, visitor),
        }
    }

    lenient_integers!(deserialize_i8, deserialize_i16, deserialize_i32, deserialize_i64, deserialize_i128);
    lenient_integers!(deserialize_u8, deserialize_u16, deserialize_u32, deserialize_u64, deserialize_u128);
    strict!(deserialize_bool, deserialize_char, deserialize_str, deserialize_string, deserialize_identifier);
    strict!(deserialize_bytes, deserialize_byte_buf, deserialize_unit);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_float(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_float(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visit_array(items, visitor),
            // The policy: `null` where a list is defined is an empty list.
            Value::Null => visit_array(Vec::new(), visitor),
            other => Err(invalid_type(&other, &visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(map) => visit_object(map, visitor),
            other => Err(invalid_type(&other, &visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // Only objects: handing an array to the visitor (as `deserialize_any`
        // would) compiles every structure's sequence decoding for nothing.
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // No spec type is a data-carrying enum; serde_json's own handling will do.
        self.0.deserialize_enum(name, variants, visitor).map_err(from_json)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// The error for a value of the wrong JSON type, in serde's words.
fn invalid_type(value: &Value, expected: &dyn de::Expected) -> Error {
    let unexpected = match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => de::Unexpected::Unsigned(u),
            (None, Some(i)) => de::Unexpected::Signed(i),
            _ => de::Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    };
    de::Error::invalid_type(unexpected, expected)
}

fn visit_array<'de, V: Visitor<'de>>(items: Vec<Value>, visitor: V) -> Result<V::Value, Error> {
    let len = items.len();
    let mut seq = Seq { items: items.into_iter(), index: 0 };
    let value = visitor.visit_seq(&mut seq)?;
    if seq.index == len { Ok(value) } else { Err(de::Error::invalid_length(len, &"fewer elements")) }
}

fn visit_object<'de, V: Visitor<'de>>(map: Map<String, Value>, visitor: V) -> Result<V::Value, Error> {
    visitor.visit_map(Object { entries: map.into_iter(), current: None })
}

struct Seq {
    items: std::vec::IntoIter<Value>,
    index: usize,
}

impl<'de> SeqAccess<'de> for Seq {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some(item) = self.items.next() else { return Ok(None) };
        let index = self.index;
        self.index += 1;
        seed.deserialize(Lenient(item)).map(Some).map_err(|e| e.at(Segment::Index(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Object {
    entries: serde_json::map::IntoIter,
    current: Option<(String, Value)>,
}

impl<'de> MapAccess<'de> for Object {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        let decoded = seed.deserialize(StringDeserializer::<Error>::new(key.clone()))?;
        self.current = Some((key, value));
        Ok(Some(decoded))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.current.take() else {
            return Err(de::Error::custom("a map value was asked for before its key"));
        };
        seed.deserialize(Lenient(value)).map_err(|e| e.at(Segment::Key(key)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn decode<T: DeserializeOwned>(json: &str) -> Result<T, DecodeError> {
        from_value(serde_json::from_str(json).unwrap())
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

    #[derive(Debug, PartialEq, Deserialize)]
    struct Task {
        #[serde(rename = "TaskId")]
        task_id: u64,
        #[serde(rename = "Callers")]
        callers: Vec<String>,
        #[serde(rename = "NotAfter", default)]
        not_after: Option<i64>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Page {
        #[serde(rename = "Tasks")]
        tasks: Vec<Task>,
    }

    #[test]
    fn structures_decode_leniently_and_ignore_unknown_members() {
        let page: Page =
            decode(r#"{"Tasks":[{"TaskId":"7","Callers":null,"NotAfter":null,"New":1}],"Other":true}"#).unwrap();
        assert_eq!(page, Page { tasks: vec![Task { task_id: 7, callers: vec![], not_after: None }] });
    }

    #[test]
    fn errors_name_the_path() {
        let err = decode::<Page>(r#"{"Tasks":[{"TaskId":1,"Callers":[]},{"TaskId":"x","Callers":[]}]}"#).unwrap_err();
        assert_eq!(err.path, "Tasks[1].TaskId");
        let err = decode::<Page>(r#"{"Tasks":[{"Callers":[]}]}"#).unwrap_err();
        assert_eq!(err.path, "Tasks[0]");
        assert!(err.message.contains("TaskId"), "{err}");
        let err = decode::<Page>(r#"{"Tasks":[{"TaskId":1,"Callers":[5]}]}"#).unwrap_err();
        assert_eq!(err.to_string(), "Tasks[0].Callers[0]: invalid type: integer `5`, expected a string");
    }
}
