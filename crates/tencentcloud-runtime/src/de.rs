//! Tolerant decoding of answers, for where Tencent's services drift from their
//! own definitions.
//!
//! # The policy
//!
//! Answers are decoded with [`from_slice`], which accepts, besides the defined
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
//! fit is an error naming the member's path, such as `Tasks[0].State`, in
//! serde's words (`invalid type: string "x", expected u64`); the value of a
//! member the spec marks sensitive is never quoted. Encoding is never
//! lenient: requests always carry the defined types.
//!
//! # How
//!
//! Every type an answer can carry implements [`Decode`], reading itself from
//! a [`Reader`], a pull reader over the body. The generated impls are not
//! generic: a structure's is one ordinary function, a table of its members
//! and a `match` from member index to field, and the loop over an object's
//! members ([`Reader::object`]), the matching of names, the lenient scalars
//! and the error wording live once, here. The reader keeps the path it is at
//! as it goes (static member names and list indices, no allocation), so one
//! pass both decodes and names what did not fit.
//!
//! # Members an answer leaves out
//!
//! A member the definition says is always sent but that an answer leaves out
//! does not fail the call: it decodes as its type's empty value (`0`,
//! `false`, `""`, an empty list, a structure of such values) and a `tracing`
//! warning names its path (`Tasks[3].Name`); a structure left out whole is
//! reported once, as itself. Members the definition lets be absent or `null`
//! are `Option`s and decode as `None`, without a warning. Tencent's official
//! examples leave out members they mark as always sent, and Tencent's own
//! SDKs never fail a call over a missing member; failing the whole answer
//! over one would be worse than an empty value that the log points out.

mod members;
mod reader;

use std::fmt;

pub use members::{Member, Members};
pub use reader::Reader;
pub(crate) use reader::{Envelope, ErrorMembers};

/// Why an answer did not decode, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// What did not fit, in serde's words.
    pub message: String,
    /// Where, e.g. `Tasks[0].State`; empty for the top level.
    pub path: String,
    /// The text is not JSON at all (rather than JSON that does not fit).
    syntax: bool,
}

impl DecodeError {
    fn new(message: String, path: String) -> Box<Self> {
        Box::new(DecodeError {
            message,
            path,
            syntax: false,
        })
    }

    fn syntax(message: String, path: String) -> Box<Self> {
        Box::new(DecodeError {
            message,
            path,
            syntax: true,
        })
    }

    /// True when the text is not JSON, as opposed to JSON of another shape.
    pub fn is_syntax(&self) -> bool {
        self.syntax
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for DecodeError {}

/// The result of decoding. The error is boxed so that a result is small
/// enough to come back in registers through every layer of decoding.
pub type Result<T> = std::result::Result<T, Box<DecodeError>>;

/// A type that reads itself from a [`Reader`], with the lenient policy.
///
/// `cargo xtask gen` implements it for every structure and enumeration an
/// answer can carry; this crate for strings, booleans, numbers, lists,
/// `Option`s and `serde_json::Value` (any JSON).
pub trait Decode: Sized {
    /// Reads one value.
    fn decode(reader: &mut Reader<'_>) -> Result<Self>;
}

/// Decodes the JSON text `bytes` as `T` with the lenient policy, naming the
/// path of a mismatch. Members left out are logged as `tracing` warnings.
pub fn from_slice<T: Decode>(bytes: &[u8]) -> Result<T> {
    let mut reader = Reader::from_bytes(bytes)?;
    let value = T::decode(&mut reader)?;
    reader.end()?;
    reader.warn_omitted();
    Ok(value)
}

/// Decodes `value` as `T` with the lenient policy.
///
/// For values already in memory (tests, examples); answers are decoded from
/// their bytes with [`from_slice`]. The value is written out and read back.
pub fn from_value<T: Decode>(value: serde_json::Value) -> Result<T> {
    let bytes =
        serde_json::to_vec(&value).map_err(|e| DecodeError::new(e.to_string(), String::new()))?;
    from_slice(&bytes)
}

/// Decodes `T` from any serde deserializer, with the lenient policy: the
/// `Deserialize` impl of answer types, for code that reads an answer with
/// `serde_json::from_str` or another serde format. The value is read as a
/// `serde_json::Value` (compiled once per deserializer, whatever `T`), then
/// decoded as `T` with [`from_value`]; errors keep the path in their text.
pub fn bridge<'de, D: serde::Deserializer<'de>, T: Decode>(
    deserializer: D,
) -> std::result::Result<T, D::Error> {
    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
    from_value(value).map_err(serde::de::Error::custom)
}

impl Decode for String {
    fn decode(reader: &mut Reader<'_>) -> Result<Self> {
        reader.string().map(std::borrow::Cow::into_owned)
    }
}

impl Decode for bool {
    fn decode(reader: &mut Reader<'_>) -> Result<Self> {
        reader.boolean()
    }
}

macro_rules! integers {
    ($($ty:ident),*) => {
        $(
            impl Decode for $ty {
                fn decode(reader: &mut Reader<'_>) -> Result<Self> {
                    let n = reader.integer(stringify!($ty))?;
                    let fits = match n {
                        reader::Number::Unsigned(n) => $ty::try_from(n).ok(),
                        reader::Number::Signed(n) => $ty::try_from(n).ok(),
                        reader::Number::Float(_) => None,
                    };
                    fits.ok_or_else(|| reader.out_of_range(n, stringify!($ty)))
                }
            }
        )*
    };
}

integers!(i8, i16, i32, i64, u8, u16, u32, u64);

impl Decode for f64 {
    fn decode(reader: &mut Reader<'_>) -> Result<Self> {
        reader.float("f64")
    }
}

impl Decode for f32 {
    fn decode(reader: &mut Reader<'_>) -> Result<Self> {
        reader.float("f32").map(|f| f as f32)
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(reader: &mut Reader<'_>) -> Result<Self> {
        let mut items = Vec::new();
        reader.list(&mut |reader| {
            items.push(T::decode(reader)?);
            Ok(())
        })?;
        Ok(items)
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(reader: &mut Reader<'_>) -> Result<Self> {
        if reader.null()? {
            return Ok(None);
        }
        T::decode(reader).map(Some)
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(reader: &mut Reader<'_>) -> Result<Self> {
        T::decode(reader).map(Box::new)
    }
}

impl Decode for serde_json::Value {
    fn decode(reader: &mut Reader<'_>) -> Result<Self> {
        reader.value()
    }
}

#[cfg(test)]
mod tests;
