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
//! fit is an error naming the member's path, such as `Tasks[0].State`.
//! Encoding is never lenient: requests always carry the defined types.
//!
//! # How
//!
//! The policy lives in one [`serde::Deserializer`] that wraps serde_json's
//! own, streaming from the bytes: it answers the type hints of derived
//! `Deserialize` impls leniently and hands everything else straight through,
//! so no intermediate `serde_json::Value` tree is built and decoding needs
//! little memory beyond the decoded value itself. The generated types have
//! nothing per field: structures that only answers carry get a small written-out
//! `Deserialize` that matches members with [`MemberIndex`] (serde's derive
//! costs twice the build time for checks this policy makes moot), the others
//! plain derives; each type's decoding is compiled once, which keeps a crate
//! of a whole service's types quick to build.
//!
//! Tracking where an error happened costs a copy of every key, so it is off on
//! the way that succeeds: when decoding fails, the same bytes are decoded again
//! with a [`Path`] tracker to name the member (`Tasks[3].State`). A decoder
//! that needs the path of something that did not fail (a warning, say) can
//! decode with a tracker from the start.
//!
//! # Members an answer leaves out
//!
//! A member the definition says is always sent but that an answer leaves out
//! does not fail the call: it decodes as its type's empty value (`0`,
//! `false`, `""`, an empty list) and a `tracing` warning names its path
//! (`Tasks[3].Name`). Members the definition lets be absent or `null` are
//! `Option`s and decode as `None`, without a warning. Tencent's official
//! examples leave out members they mark as always sent, and Tencent's own
//! SDKs never fail a call over a missing member; failing the whole answer
//! over one would be worse than an empty value that the log points out.

pub(crate) mod omitted;

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use serde::de::value::StrDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use serde_json::value::RawValue;

use crate::envelope::Facts;
use omitted::{KeySeed, Names};

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
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for DecodeError {}

/// The key seed of generated `Deserialize` impls: a member name's index among
/// the structure's wire names, `None` for a member it does not define.
///
/// The lenient decoder has already matched the name when it noted which
/// members came (see [`omitted`]), so it hands over the index instead of the
/// name: the seed asks for a newtype named [`MEMBER_INDEX`], which that
/// decoder answers with the index and any other deserializer with the name
/// itself, matched here.
#[derive(Debug, Clone, Copy)]
pub struct MemberIndex(pub &'static [&'static str]);

/// The newtype name by which [`MemberIndex`] asks for an index rather than a name.
pub(crate) const MEMBER_INDEX: &str = "$tencentcloud_runtime::de::MemberIndex";

impl<'de> DeserializeSeed<'de> for MemberIndex {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_newtype_struct(MEMBER_INDEX, self)
    }
}

impl<'de> Visitor<'de> for MemberIndex {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_u64<E: de::Error>(self, index: u64) -> Result<Option<usize>, E> {
        Ok(usize::try_from(index).ok().filter(|&i| i < self.0.len()))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_identifier(self)
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|&field| field == name))
    }
}

/// Decodes the JSON text `bytes` as `T` with the lenient policy, naming the
/// path of a mismatch.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    let mut value = None;
    decode_into(bytes, &mut |json| {
        value = Some(T::deserialize(json)?);
        Ok(())
    })?;
    value.ok_or_else(|| DecodeError {
        message: "nothing was decoded".to_owned(),
        path: String::new(),
    })
}

/// Decodes `value` as `T` with the lenient policy.
///
/// For values already in memory (tests, examples); answers are decoded from
/// their bytes with [`from_slice`]. The value is written out and decoded from
/// the text, so that each type's decoding is compiled once, for the streaming
/// decoder.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, DecodeError> {
    let bytes = serde_json::to_vec(&value).map_err(|e| DecodeError {
        message: e.to_string(),
        path: String::new(),
    })?;
    from_slice(&bytes)
}

/// Decodes a value from the deserializer it is given and keeps it: the only
/// part of decoding that depends on the decoded type. The rest (passes,
/// locating errors, naming omissions) takes it as a trait object, so it is
/// compiled once, in this crate, instead of once per type.
pub(crate) type Store<'s, 'de> =
    dyn FnMut(Lenient<'_, &mut Json<'de>>) -> Result<(), serde_json::Error> + 's;

/// [`from_slice`] without the type: `store` decodes and keeps the value.
fn decode_into<'de>(bytes: &'de [u8], store: &mut Store<'_, 'de>) -> Result<(), DecodeError> {
    omitted::reset();
    if let Err(first) = decode_slice(bytes, None, store) {
        return Err(locate(&first, |path| {
            decode_slice(bytes, Some(path), store)
        }));
    }
    if omitted::counted() > 0 {
        // The same pass again, with a tracker, to name each member left out.
        let _ = decode_slice(bytes, Some(&Path::default()), store);
    }
    Ok(())
}

/// One lenient pass over `bytes`, tracking the path into `path` if given.
fn decode_slice<'de>(
    bytes: &'de [u8],
    path: Option<&Path>,
    store: &mut Store<'_, 'de>,
) -> Result<(), serde_json::Error> {
    let mut json = Json::from_str(json_text(bytes)?);
    store(Lenient::new(&mut json, path))?;
    json.end()
}

/// The body as text. JSON is UTF-8; checking it all at once is cheaper than
/// serde_json checking each string as it reads it (which it does for bytes,
/// and not for `&str`).
pub(crate) fn json_text(bytes: &[u8]) -> Result<&str, serde_json::Error> {
    std::str::from_utf8(bytes).map_err(|e| de::Error::custom(format_args!("not UTF-8: {e}")))
}

/// Turns the error of a pass without tracking into a [`DecodeError`] with its
/// path, by running `again` (the same decoding) with a tracker.
pub(crate) fn locate(
    first: &serde_json::Error,
    again: impl FnOnce(&Path) -> Result<(), serde_json::Error>,
) -> DecodeError {
    let path = Path::default();
    match again(&path) {
        Err(error) => DecodeError {
            message: message_of(&error),
            path: path.to_string(),
        },
        // Cannot happen for a deterministic decoder; report what is known.
        Ok(()) => DecodeError {
            message: message_of(first),
            path: String::new(),
        },
    }
}

/// serde's message without serde_json's ` at line L column C`: the path says
/// where, and the position in a one-line body says little.
pub(crate) fn message_of(error: &serde_json::Error) -> String {
    let text = error.to_string();
    if error.line() == 0 {
        return text;
    }
    let position = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&position) {
        Some(message) => message.to_owned(),
        None => text,
    }
}

/// Where decoding is: filled on the way out of a failure, innermost first.
///
/// Each map value and list element that fails adds its key or index as the
/// error passes up through it, so after a failure the segments spell the
/// path of the member that did not fit. Besides, the value being decoded is
/// followed on the way in (`live`), to name a member that was left out (see
/// [`omitted`]).
#[derive(Debug, Default)]
pub(crate) struct Path {
    failed: RefCell<Vec<Segment>>,
    live: RefCell<Vec<Segment>>,
}

#[derive(Debug)]
enum Segment {
    Key(String),
    Index(usize),
}

impl Path {
    /// Enters the value at `segment` (a member or an element).
    ///
    /// Callers bracket the decoding of a value with `enter` and [`Path::leave`]
    /// rather than passing it as a closure: these are compiled once, while a
    /// closure-taking helper would be compiled once per decoded type.
    fn enter(&self, segment: Segment) {
        self.live.borrow_mut().push(segment);
    }

    /// Leaves the value entered last, noting on failure that the error passed through it.
    fn leave(&self, failed: bool) {
        let segment = self.live.borrow_mut().pop();
        if failed {
            self.failed.borrow_mut().extend(segment);
        }
    }

    /// The path of the member `name` of the value being decoded, e.g. `Tasks[3].Name`.
    fn here(&self, name: &str) -> String {
        let live = self.live.borrow();
        let mut out = write_path(live.iter());
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(name);
        out
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&write_path(self.failed.borrow().iter().rev()))
    }
}

/// Segments, outermost first, as `Tasks[3].Name`.
fn write_path<'a>(segments: impl Iterator<Item = &'a Segment>) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Key(key) if out.is_empty() => out.push_str(key),
            Segment::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Segment::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}

/// A deserializer whose type hints are answered with the lenient policy.
///
/// `path`, when given, records where a failure happened (see [`Path`]).
pub(crate) struct Lenient<'p, D> {
    inner: D,
    path: Option<&'p Path>,
    /// Set for the `Response` object of an answer: its `Error` and
    /// `RequestId` members are noted there (see [`crate::envelope`]).
    envelope: Option<&'p Facts>,
}

impl<'p, D> Lenient<'p, D> {
    pub(crate) fn new(inner: D, path: Option<&'p Path>) -> Self {
        Lenient {
            inner,
            path,
            envelope: None,
        }
    }

    /// The deserializer of an answer's `Response` object, noting into `facts`.
    pub(crate) fn response(inner: D, path: Option<&'p Path>, facts: &'p Facts) -> Self {
        Lenient {
            inner,
            path,
            envelope: Some(facts),
        }
    }
}

/// The JSON deserializer every answer is read with: from text checked as
/// UTF-8 once (see [`json_text`]). Everything is decoded through this one
/// type, so that each type's decoding is compiled once.
pub(crate) type Json<'de> = serde_json::Deserializer<serde_json::de::StrRead<'de>>;

macro_rules! strict {
    ($($method:ident),*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                self.inner.$method(visitor)
            }
        )*
    };
}

macro_rules! lenient {
    ($wrapper:ident: $($method:ident),*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                self.inner.deserialize_any($wrapper(visitor))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Lenient<'_, D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(Any {
            visitor,
            path: self.path,
            envelope: self.envelope,
        })
    }

    lenient!(Integer: deserialize_i8, deserialize_i16, deserialize_i32, deserialize_i64, deserialize_i128);
    lenient!(Integer: deserialize_u8, deserialize_u16, deserialize_u32, deserialize_u64, deserialize_u128);
    lenient!(Float: deserialize_f32, deserialize_f64);
    // Strings and booleans have nothing inside to be lenient about: serde_json
    // answers them directly, with the same messages.
    strict!(
        deserialize_bool,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_identifier
    );
    strict!(
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_unit,
        deserialize_ignored_any
    );

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_option(Optional {
            visitor,
            path: self.path,
        })
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_newtype_struct(
            name,
            Newtype {
                visitor,
                path: self.path,
            },
        )
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        // The policy: `null` where a list is defined is an empty list.
        self.inner.deserialize_option(NullableList {
            visitor,
            path: self.path,
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_map(Object {
            visitor,
            path: self.path,
            envelope: self.envelope,
            fields: &[],
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        // Only objects: accepting arrays too (as serde_json's own
        // `deserialize_struct` does) compiles every structure's sequence
        // decoding for nothing. Members left out are completed (see `omitted`).
        self.inner.deserialize_map(Object {
            visitor,
            path: self.path,
            envelope: self.envelope,
            fields,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        // No spec type is a data-carrying enum; serde_json's own handling will do.
        self.inner.deserialize_enum(name, variants, visitor)
    }
}

/// A seed whose value is decoded leniently.
pub(crate) struct LenientSeed<'p, S> {
    seed: S,
    path: Option<&'p Path>,
}

impl<'p, S> LenientSeed<'p, S> {
    pub(crate) fn new(seed: S, path: Option<&'p Path>) -> Self {
        LenientSeed { seed, path }
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for LenientSeed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Lenient::new(deserializer, self.path))
    }
}

/// The elements of a list, each decoded leniently.
struct Elements<'p, A> {
    inner: A,
    path: Option<&'p Path>,
    index: usize,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Elements<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let index = self.index;
        self.index += 1;
        let seed = LenientSeed::new(seed, self.path);
        let Some(path) = self.path else {
            return self.inner.next_element_seed(seed);
        };
        path.enter(Segment::Index(index));
        let result = self.inner.next_element_seed(seed);
        path.leave(result.is_err());
        result
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// The list that `null` stands for.
struct NoElements<E>(std::marker::PhantomData<E>);

impl<'de, E: de::Error> SeqAccess<'de> for NoElements<E> {
    type Error = E;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        _seed: T,
    ) -> Result<Option<T::Value>, E> {
        Ok(None)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(0)
    }
}

/// The members of an object, each value decoded leniently. With a tracker,
/// each key is kept until its value is decoded, to name it if that fails.
struct Entries<'p, 'de, A> {
    inner: A,
    path: Option<&'p Path>,
    key: Option<String>,
    /// Set for an answer's `Response` object: `Error` is taken out and noted
    /// there, `RequestId` noted on its way through.
    envelope: Option<&'p Facts>,
    /// `RequestId`'s value, read to note it, waiting for the output type.
    request_id: Option<&'de RawValue>,
}

impl<'de, A: MapAccess<'de>> Entries<'_, 'de, A> {
    /// The value of the member whose name was just read.
    fn value<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        match self.request_id.take() {
            None => self.inner.next_value_seed(seed),
            // Already read to note it: decoded from its text, through the same
            // deserializer as everything else.
            Some(text) => seed
                .deserialize(&mut Json::from_str(text.get()))
                .map_err(|e| de::Error::custom(message_of(&e))),
        }
    }
}

impl<'de, A: MapAccess<'de>> Names<'de> for Entries<'_, 'de, A> {
    fn next_name(&mut self) -> Result<Option<Cow<'de, str>>, A::Error> {
        if self.path.is_none() && self.envelope.is_none() {
            // The usual case, kept short: nothing to note or intercept.
            return self.inner.next_key_seed(KeySeed);
        }
        loop {
            let Some(key) = self.inner.next_key_seed(KeySeed)? else {
                return Ok(None);
            };
            if let Some(facts) = self.envelope {
                match key.as_ref() {
                    "Error" => {
                        facts.note_error(self.inner.next_value()?);
                        continue;
                    }
                    "RequestId" => {
                        let value: &'de RawValue = self.inner.next_value()?;
                        facts.note_request_id(value);
                        self.request_id = Some(value);
                    }
                    _ => {}
                }
            }
            if self.path.is_some() {
                self.key = Some(key.clone().into_owned());
            }
            return Ok(Some(key));
        }
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Entries<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.next_name()? {
            Some(key) => seed.deserialize(StrDeserializer::new(&key)).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        let seed = LenientSeed::new(seed, self.path);
        let Some(path) = self.path else {
            return self.value(seed);
        };
        path.enter(Segment::Key(self.key.take().unwrap_or_default()));
        let result = self.value(seed);
        path.leave(result.is_err());
        result
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// Forwards what `deserialize_any` finds, decoding what is inside leniently.
struct Any<'p, V> {
    visitor: V,
    path: Option<&'p Path>,
    envelope: Option<&'p Facts>,
}

macro_rules! forward {
    ($($method:ident($ty:ty)),*) => {
        $(
            fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
                self.visitor.$method(value)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Any<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    forward!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_i128(i128),
        visit_u128(u128),
        visit_f64(f64)
    );
    forward!(
        visit_str(&str),
        visit_borrowed_str(&'de str),
        visit_string(String)
    );
    forward!(
        visit_bytes(&[u8]),
        visit_borrowed_bytes(&'de [u8]),
        visit_byte_buf(Vec<u8>)
    );

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.visitor
            .visit_some(Lenient::new(deserializer, self.path))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.visitor
            .visit_newtype_struct(Lenient::new(deserializer, self.path))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(Elements {
            inner: seq,
            path: self.path,
            index: 0,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(Entries {
            inner: map,
            path: self.path,
            key: None,
            envelope: self.envelope,
            request_id: None,
        })
    }
}

macro_rules! forward_to_inner {
    ($($method:ident($ty:ty)),*) => {
        $(
            fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
                self.0.$method(value)
            }
        )*
    };
}
/// An integer read leniently: as sent, from an integral float, or from a string.
struct Integer<V>(V);

impl<V> Integer<V> {
    fn integral_float<'de, E: de::Error>(self, f: f64) -> Result<V::Value, E>
    where
        V: Visitor<'de>,
    {
        // An integral float within range, e.g. `3.0`; the visitor's own range
        // check then applies (a negative value for `u64` is refused with serde's message).
        if f.fract() != 0.0 || !f.is_finite() {
            self.0.visit_f64(f)
        } else if f >= 0.0 && f < u64::MAX as f64 {
            self.0.visit_u64(f as u64)
        } else if f < 0.0 && f >= i64::MIN as f64 {
            self.0.visit_i64(f as i64)
        } else {
            self.0.visit_f64(f)
        }
    }
}

/// The integer a string holds, if any.
enum Parsed {
    Unsigned(u64),
    Signed(i64),
}

fn parse_integer(s: &str) -> Option<Parsed> {
    let s = s.trim();
    s.parse::<u64>()
        .map(Parsed::Unsigned)
        .or_else(|_| s.parse::<i64>().map(Parsed::Signed))
        .ok()
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Integer<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    forward_to_inner!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_i128(i128),
        visit_u128(u128)
    );

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<V::Value, E> {
        self.integral_float(f)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<V::Value, E> {
        match parse_integer(s) {
            Some(Parsed::Unsigned(n)) => self.0.visit_u64(n),
            Some(Parsed::Signed(n)) => self.0.visit_i64(n),
            None => self.0.visit_str(s),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<V::Value, A::Error> {
        Err(de::Error::invalid_type(de::Unexpected::Seq, &self))
    }

    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<V::Value, A::Error> {
        Err(de::Error::invalid_type(de::Unexpected::Map, &self))
    }
}

/// A float read leniently: as sent, from an integer, or from a string.
struct Float<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for Float<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    forward_to_inner!(visit_bool(bool), visit_f64(f64));

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<V::Value, E> {
        self.0.visit_f64(n as f64)
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<V::Value, E> {
        self.0.visit_f64(n as f64)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<V::Value, E> {
        match s.trim().parse::<f64>().ok().filter(|f| f.is_finite()) {
            Some(f) => self.0.visit_f64(f),
            None => self.0.visit_str(s),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<V::Value, A::Error> {
        Err(de::Error::invalid_type(de::Unexpected::Seq, &self))
    }

    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<V::Value, A::Error> {
        Err(de::Error::invalid_type(de::Unexpected::Map, &self))
    }
}

/// `Option<T>`: `null` is `None`, anything else `Some`, decoded leniently.
struct Optional<'p, V> {
    visitor: V,
    path: Option<&'p Path>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Optional<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.visitor
            .visit_some(Lenient::new(deserializer, self.path))
    }
}

/// A newtype's content, decoded leniently.
struct Newtype<'p, V> {
    visitor: V,
    path: Option<&'p Path>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Newtype<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.visitor
            .visit_newtype_struct(Lenient::new(deserializer, self.path))
    }
}

/// A list, or `null` for an empty one.
struct NullableList<'p, V> {
    visitor: V,
    path: Option<&'p Path>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for NullableList<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_seq(NoElements(std::marker::PhantomData))
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        deserializer.deserialize_seq(List {
            visitor: self.visitor,
            path: self.path,
        })
    }
}

/// A list whose elements are decoded leniently.
struct List<'p, V> {
    visitor: V,
    path: Option<&'p Path>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for List<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(Elements {
            inner: seq,
            path: self.path,
            index: 0,
        })
    }
}

/// An object whose values are decoded leniently; for a structure (`fields`
/// not empty), completed with the members it leaves out.
struct Object<'p, V> {
    visitor: V,
    path: Option<&'p Path>,
    envelope: Option<&'p Facts>,
    fields: &'static [&'static str],
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Object<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let entries = Entries {
            inner: map,
            path: self.path,
            key: None,
            envelope: self.envelope,
            request_id: None,
        };
        self.visitor
            .visit_map(omitted::Complete::new(entries, self.fields, self.path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn decode<T: DeserializeOwned>(json: &str) -> Result<T, DecodeError> {
        from_slice(json.as_bytes())
    }

    #[test]
    fn integers_accept_integral_floats_and_strings() {
        assert_eq!(decode::<u64>("3").unwrap(), 3);
        assert_eq!(decode::<u64>("3.0").unwrap(), 3);
        assert_eq!(decode::<u64>("\"3\"").unwrap(), 3);
        assert_eq!(decode::<i64>("\"-7\"").unwrap(), -7);
        assert_eq!(decode::<i64>("-7.0").unwrap(), -7);
        assert!(decode::<u64>("3.5").is_err());
        assert!(decode::<u64>("-1").is_err());
        assert!(decode::<u64>("\"x\"").is_err());
        assert!(decode::<u64>("true").is_err());
        assert!(decode::<u64>("null").is_err());
        assert!(decode::<u64>("[1]").is_err());
        assert!(decode::<u8>("300").is_err());
    }

    #[test]
    fn floats_accept_integers_and_strings() {
        assert_eq!(decode::<f64>("2").unwrap(), 2.0);
        assert_eq!(decode::<f64>("-2").unwrap(), -2.0);
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
        assert_eq!(
            decode::<Vec<u64>>("[1, \"2\", 3.0]").unwrap(),
            vec![1, 2, 3]
        );
        assert_eq!(
            decode::<Vec<Vec<u64>>>("[null, [1]]").unwrap(),
            vec![vec![], vec![1]]
        );
        assert!(decode::<Vec<u64>>("5").is_err());
    }

    #[test]
    fn options_take_null_and_lenient_values() {
        assert_eq!(decode::<Option<u64>>("null").unwrap(), None);
        assert_eq!(decode::<Option<u64>>("\"5\"").unwrap(), Some(5));
        assert_eq!(decode::<Option<Vec<u64>>>("null").unwrap(), None);
    }

    #[test]
    fn untyped_values_pass_through() {
        let value: serde_json::Value = decode(r#"{"a":[1,"2",null,{"b":1.5}]}"#).unwrap();
        assert_eq!(value, serde_json::json!({"a":[1,"2",null,{"b":1.5}]}));
    }

    #[test]
    fn trailing_text_is_an_error() {
        assert!(decode::<u64>("3 4").is_err());
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
        let page: Page = decode(
            r#"{"Tasks":[{"TaskId":"7","Callers":null,"NotAfter":null,"New":1}],"Other":true}"#,
        )
        .unwrap();
        assert_eq!(
            page,
            Page {
                tasks: vec![Task {
                    task_id: 7,
                    callers: vec![],
                    not_after: None
                }]
            }
        );
    }

    #[test]
    fn structures_are_objects_only() {
        let err = decode::<Task>(r#"[1, [], null]"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid type: sequence, expected struct Task"
        );
    }

    #[test]
    fn errors_name_the_path() {
        let err =
            decode::<Page>(r#"{"Tasks":[{"TaskId":1,"Callers":[]},{"TaskId":"x","Callers":[]}]}"#)
                .unwrap_err();
        assert_eq!(err.path, "Tasks[1].TaskId");
        assert_eq!(err.message, "invalid type: string \"x\", expected u64");
        let err = decode::<Page>(r#"{"Tasks":[{"Callers":[]}, {"TaskId":[]}]}"#).unwrap_err();
        assert_eq!(err.path, "Tasks[1].TaskId");
        let err = decode::<Page>(r#"{"Tasks":[{"TaskId":1,"Callers":[5]}]}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Tasks[0].Callers[0]: invalid type: integer `5`, expected a string"
        );
        let err = decode::<Page>(r#"{"Tasks":[{"TaskId":-1,"Callers":[]}]}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Tasks[0].TaskId: invalid value: integer `-1`, expected u64"
        );
    }

    #[test]
    fn keys_with_escapes_name_the_path() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Escaped {
            #[serde(rename = "A\"b")]
            a: u64,
        }
        let err = decode::<Escaped>(r#"{"A\"b":"x"}"#).unwrap_err();
        assert_eq!(err.path, "A\"b");
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Owner {
        #[serde(rename = "Id")]
        id: u64,
        #[serde(rename = "Task")]
        task: Task,
        #[serde(rename = "Note", default)]
        note: Option<String>,
    }

    #[test]
    fn members_left_out_decode_as_empty() {
        // `TaskId` and `Callers` are always sent by their definitions; `NotAfter` may be absent.
        let task: Task = decode(r#"{"Callers":["a"]}"#).unwrap();
        assert_eq!(
            task,
            Task {
                task_id: 0,
                callers: vec!["a".to_owned()],
                not_after: None
            }
        );
        let task: Task = decode(r#"{}"#).unwrap();
        assert_eq!(
            task,
            Task {
                task_id: 0,
                callers: vec![],
                not_after: None
            }
        );
        // A structure left out whole is a structure of empty values.
        let owner: Owner = decode(r#"{"Id":1}"#).unwrap();
        assert_eq!(
            owner,
            Owner {
                id: 1,
                task: Task {
                    task_id: 0,
                    callers: vec![],
                    not_after: None
                },
                note: None
            }
        );
        // What is sent still has to fit.
        assert!(decode::<Task>(r#"{"TaskId":"x"}"#).is_err());
        assert!(decode::<Task>(r#"{"TaskId":null}"#).is_err());
    }

    #[test]
    fn omissions_are_counted_only_when_reported_members_are_missing() {
        omitted::reset();
        let _: Task = decode(r#"{"TaskId":1,"Callers":[]}"#).unwrap();
        assert_eq!(omitted::counted(), 0, "an absent Option is no omission");
        let _: Owner = decode(r#"{"Id":1}"#).unwrap();
        assert_eq!(
            omitted::counted(),
            1,
            "a missing structure counts once, not per member"
        );
    }

    #[test]
    fn member_index_matches_wire_names_exactly() {
        let index = |key: &str| {
            MemberIndex(&["Name", "TaskId"])
                .deserialize(StrDeserializer::<de::value::Error>::new(key))
                .unwrap()
        };
        assert_eq!(index("TaskId"), Some(1));
        assert_eq!(index("Name"), Some(0));
        assert_eq!(index("name"), None);
        assert_eq!(index("Other"), None);
        // Through serde_json's own deserializer, as a strict decoder reads it.
        let mut json = Json::from_str(r#""TaskId""#);
        assert_eq!(
            MemberIndex(&["Name", "TaskId"])
                .deserialize(&mut json)
                .unwrap(),
            Some(1)
        );
        // The index the lenient decoder hands over is checked against the names.
        let index = |n: u64| {
            MemberIndex(&["Name"])
                .visit_u64::<de::value::Error>(n)
                .unwrap()
        };
        assert_eq!((index(0), index(1)), (Some(0), None));
    }

    #[test]
    fn the_tracked_pass_names_members_left_out() {
        let path = Path::default();
        let mut page = None;
        decode_slice(
            br#"{"Tasks":[{"TaskId":1,"Callers":[]},{"Callers":[]}]}"#,
            Some(&path),
            &mut |json| {
                page = Some(Page::deserialize(json)?);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(page.unwrap().tasks[1].task_id, 0);
        // The live path is back to the top once decoding is done.
        assert_eq!(path.here("X"), "X");
        assert_eq!(path.to_string(), "", "nothing failed");
    }
}
