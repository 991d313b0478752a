//! Members an answer leaves out although its definition says they are always sent.
//!
//! Tencent's answers do not always keep their definitions' promises: official
//! examples leave out members marked as always sent, and Tencent's own SDKs
//! never fail a call over it. So a structure decoded leniently is completed
//! before serde sees its end: [`Complete`] hands every member of the
//! structure that did not come on to its type, decoded from [`Missing`]. An
//! `Option` takes that as `None`, silently (the definition allows it); any
//! other type takes its empty value (`0`, `false`, `""`, an empty list, a
//! structure of empty values) and the omission is reported.
//!
//! Reporting names the member's path (`Tasks[3].Name`), which the pass that
//! succeeds does not track (see [`Path`]). That pass only counts omissions;
//! when it counted some, the decoder decodes the same bytes once more with a
//! tracker, and that pass logs a `tracing` warning for each.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::Path;

thread_local! {
    /// Omissions seen by the current pass without a tracker on this thread.
    /// Decoding is synchronous, so a pass never spans threads.
    static OMISSIONS: Cell<usize> = const { Cell::new(0) };
}

/// Resets the count of omissions, before a pass.
pub(crate) fn reset() {
    OMISSIONS.with(|count| count.set(0));
}

/// Omissions counted since [`reset`].
pub(crate) fn counted() -> usize {
    OMISSIONS.with(Cell::get)
}

/// A structure's members, completed with the ones the answer left out.
///
/// `fields` are the structure's wire names, as serde lists them; with none
/// (a map), nothing is added. Only the first 128 members are tracked; a
/// later one that is missing fails as serde would fail it.
pub(crate) struct Complete<'p, A> {
    inner: A,
    fields: &'static [&'static str],
    path: Option<&'p Path>,
    /// Bit `i` is set once `fields[i]` has come.
    seen: u128,
    /// Where the search for the next field starts: answers usually keep the definition's order.
    hint: usize,
    /// Set once `inner` has no more members; then the missing ones follow.
    ended: bool,
    /// The next field to look at once `inner` has ended.
    next: usize,
    /// The missing member whose key was just handed out.
    pending: Option<&'static str>,
    /// The index in `fields` of the member whose name was just handed out, if any.
    index: Option<usize>,
}

impl<'p, A> Complete<'p, A> {
    pub(crate) fn new(inner: A, fields: &'static [&'static str], path: Option<&'p Path>) -> Self {
        Complete {
            inner,
            fields,
            path,
            seen: 0,
            hint: 0,
            ended: false,
            next: 0,
            pending: None,
            index: None,
        }
    }

    fn note(&mut self, key: &str) {
        let fields = &self.fields[..self.fields.len().min(128)];
        // Answers usually keep the definition's order: the field after the
        // last one found is tried first, then all of them.
        let found = match fields.get(self.hint) {
            Some(&expected) if expected == key => Some(self.hint),
            _ => fields.iter().position(|&field| field == key),
        };
        if let Some(i) = found {
            self.seen |= 1 << i;
            self.hint = i + 1;
        }
        self.index = found;
    }
}

impl<A> Complete<'_, A> {
    /// The next member's name: the answer's, then those it left out.
    ///
    /// Not generic in serde's key seed, so it is compiled once per kind of
    /// map rather than once per structure.
    fn next_name<'de>(&mut self) -> Result<Option<Cow<'de, str>>, A::Error>
    where
        A: Names<'de>,
    {
        if !self.ended {
            match self.inner.next_name()? {
                Some(key) => {
                    self.note(&key);
                    return Ok(Some(key));
                }
                None => self.ended = true,
            }
        }
        while self.next < self.fields.len().min(128) {
            let i = self.next;
            self.next += 1;
            if self.seen & (1 << i) == 0 {
                let name = self.fields[i];
                self.pending = Some(name);
                self.index = Some(i);
                return Ok(Some(Cow::Borrowed(name)));
            }
        }
        Ok(None)
    }
}

impl<'de, A: Names<'de>> MapAccess<'de> for Complete<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.next_name()? {
            Some(name) => seed
                .deserialize(Name {
                    text: &name,
                    index: self.index,
                    error: PhantomData,
                })
                .map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.pending.take() {
            Some(name) => seed.deserialize(Missing {
                name,
                path: self.path,
                report: true,
                error: PhantomData,
            }),
            None => self.inner.next_value_seed(seed),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// The members of an object, read name first, for [`Complete`].
pub(crate) trait Names<'de>: MapAccess<'de> {
    /// The next member's name, borrowed from the body unless it holds escapes.
    fn next_name(&mut self) -> Result<Option<Cow<'de, str>>, Self::Error>;
}

/// A member name as serde's key seeds see it: the name, or for a
/// [`MemberIndex`](super::MemberIndex), its index among the structure's
/// fields when it is one of them (it was matched already, in [`Complete::note`]).
struct Name<'a, E> {
    text: &'a str,
    index: Option<usize>,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> Deserializer<'de> for Name<'_, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_str(self.text)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        match self.index {
            Some(index) if name == super::MEMBER_INDEX => visitor.visit_u64(index as u64),
            _ => visitor.visit_newtype_struct(StrDeserializer::<E>::new(self.text)),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// A member name, borrowed from the body unless it holds escapes.
pub(crate) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(s))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s.to_owned()))
    }
}

/// The value of a member the answer left out: `None` for an `Option`, else
/// the type's empty value, reported when `report` is set.
struct Missing<'p, E> {
    name: &'static str,
    path: Option<&'p Path>,
    /// False inside a structure that is missing as a whole: only the structure is reported.
    report: bool,
    error: PhantomData<E>,
}

impl<E> Missing<'_, E> {
    fn report(&self) {
        if !self.report {
            return;
        }
        match self.path {
            None => OMISSIONS.with(|count| count.set(count.get() + 1)),
            Some(path) => {
                let member = path.here(self.name);
                tracing::warn!(
                    member = %member,
                    "the answer leaves out `{member}`, which the definition says is always sent; decoded as empty"
                );
            }
        }
    }
}

macro_rules! empty {
    ($($method:ident => $visit:ident($value:expr)),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
                self.report();
                visitor.$visit($value)
            }
        )*
    };
}

impl<'de, E: de::Error> Deserializer<'de> for Missing<'_, E> {
    type Error = E;

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        // The definition lets the member be absent: not worth a word.
        visitor.visit_none()
    }

    empty! {
        deserialize_bool => visit_bool(false),
        deserialize_i8 => visit_i64(0), deserialize_i16 => visit_i64(0),
        deserialize_i32 => visit_i64(0), deserialize_i64 => visit_i64(0), deserialize_i128 => visit_i64(0),
        deserialize_u8 => visit_u64(0), deserialize_u16 => visit_u64(0),
        deserialize_u32 => visit_u64(0), deserialize_u64 => visit_u64(0), deserialize_u128 => visit_u64(0),
        deserialize_f32 => visit_f64(0.0), deserialize_f64 => visit_f64(0.0),
        deserialize_char => visit_str(""), deserialize_str => visit_str(""), deserialize_string => visit_str(""),
        deserialize_identifier => visit_str(""),
        deserialize_bytes => visit_bytes(&[]), deserialize_byte_buf => visit_bytes(&[]),
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.report();
        visitor.visit_unit()
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_unit()
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.report();
        visitor.visit_seq(Nothing(PhantomData))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, E> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, E> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.report();
        visitor.visit_map(Nothing(PhantomData))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        self.report();
        // Every member of a missing structure is missing too; only the structure is reported.
        let silent = Complete::new(Nothing::<E>(PhantomData), fields, self.path);
        visitor.visit_map(Silent(silent))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, E> {
        // No spec type is a data-carrying enum: there is no empty value to choose.
        Err(de::Error::missing_field(self.name))
    }
}

/// A structure whose members all come from [`Missing`] without a report.
struct Silent<'p, E>(Complete<'p, Nothing<E>>);

impl<'de, E: de::Error> MapAccess<'de> for Silent<'_, E> {
    type Error = E;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, E> {
        self.0.next_key_seed(seed)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, E> {
        let name = self.0.pending.take().unwrap_or_default();
        seed.deserialize(Missing {
            name,
            path: self.0.path,
            report: false,
            error: PhantomData,
        })
    }
}

/// An empty list or object.
struct Nothing<E>(PhantomData<E>);

impl<'de, E: de::Error> SeqAccess<'de> for Nothing<E> {
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

impl<'de, E: de::Error> Names<'de> for Nothing<E> {
    fn next_name(&mut self) -> Result<Option<Cow<'de, str>>, E> {
        Ok(None)
    }
}

impl<'de, E: de::Error> MapAccess<'de> for Nothing<E> {
    type Error = E;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, _seed: K) -> Result<Option<K::Value>, E> {
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, _seed: V) -> Result<V::Value, E> {
        Err(de::Error::custom("no value without a key"))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(0)
    }
}
