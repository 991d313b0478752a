//! Refusing requests that hold a NaN or an infinite number.
//!
//! JSON has no way to write them, and `serde_json` quietly writes `null`
//! instead, which the service would read as "not given" or reject with a
//! message about some other parameter. So requests are walked before
//! encoding, and the first such number is reported with its path.

use std::fmt;

use serde::ser::{self, Serialize};

/// The path (e.g. `Tasks[2].Weight`) of the first NaN or infinite number in `value`, if any.
pub(crate) fn non_finite_path<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    let mut finder = Finder {
        path: Vec::new(),
        found: None,
    };
    // The walk stops early (with `Stop`) once a number is found; other
    // errors are the encoder's to report.
    let _ = value.serialize(&mut finder);
    finder.found
}

enum Segment {
    Field(&'static str),
    Key(String),
    Index(usize),
}

struct Finder {
    path: Vec<Segment>,
    found: Option<String>,
}

impl Finder {
    fn float(&mut self, value: f64) -> Result<(), Stop> {
        if value.is_finite() {
            return Ok(());
        }
        let mut path = String::new();
        for segment in &self.path {
            let name = match segment {
                Segment::Field(name) => *name,
                Segment::Key(name) => name.as_str(),
                Segment::Index(i) => {
                    path.push_str(&format!("[{i}]"));
                    continue;
                }
            };
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(name);
        }
        self.found = Some(if path.is_empty() {
            "the request".to_owned()
        } else {
            path
        });
        Err(Stop)
    }

    fn nested<T: Serialize + ?Sized>(&mut self, segment: Segment, value: &T) -> Result<(), Stop> {
        self.path.push(segment);
        let result = value.serialize(&mut *self);
        self.path.pop();
        result
    }
}

/// Ends the walk: found, or something the encoder will complain about itself.
#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("stopped")
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Stop
    }
}

/// Map keys are written as strings; anything else ends the walk.
struct KeyText;

macro_rules! key_to_string {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<String, Stop> { Ok(v.to_string()) })*
    };
}

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = Stop;
    type SerializeSeq = ser::Impossible<String, Stop>;
    type SerializeTuple = ser::Impossible<String, Stop>;
    type SerializeTupleStruct = ser::Impossible<String, Stop>;
    type SerializeTupleVariant = ser::Impossible<String, Stop>;
    type SerializeMap = ser::Impossible<String, Stop>;
    type SerializeStruct = ser::Impossible<String, Stop>;
    type SerializeStructVariant = ser::Impossible<String, Stop>;

    key_to_string!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
        serialize_f32: f32, serialize_f64: f64, serialize_char: char, serialize_str: &str);

    fn serialize_bytes(self, _: &[u8]) -> Result<String, Stop> {
        Err(Stop)
    }
    fn serialize_none(self) -> Result<String, Stop> {
        Err(Stop)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<String, Stop> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<String, Stop> {
        Err(Stop)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Stop> {
        Err(Stop)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, Stop> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<String, Stop> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Stop> {
        Err(Stop)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
        Err(Stop)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Stop> {
        Err(Stop)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Stop> {
        Err(Stop)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Stop> {
        Err(Stop)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Err(Stop)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        Err(Stop)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Stop> {
        Err(Stop)
    }
}

macro_rules! accept {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, _: $ty) -> Result<(), Stop> { Ok(()) })*
    };
}

impl<'a> ser::Serializer for &'a mut Finder {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Map<'a>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    accept!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
        serialize_char: char, serialize_str: &str, serialize_bytes: &[u8]);

    fn serialize_f32(self, v: f32) -> Result<(), Stop> {
        self.float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Stop> {
        self.float(v)
    }
    fn serialize_none(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Stop> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Stop> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Stop> {
        self.nested(Segment::Field(variant), v)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, Stop> {
        Ok(Seq {
            finder: self,
            index: 0,
        })
    }
    fn serialize_tuple(self, _: usize) -> Result<Seq<'a>, Stop> {
        Ok(Seq {
            finder: self,
            index: 0,
        })
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Seq<'a>, Stop> {
        Ok(Seq {
            finder: self,
            index: 0,
        })
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Seq<'a>, Stop> {
        Ok(Seq {
            finder: self,
            index: 0,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'a>, Stop> {
        Ok(Map {
            finder: self,
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Stop> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Stop> {
        Ok(self)
    }
}

/// A list or tuple being walked.
struct Seq<'a> {
    finder: &'a mut Finder,
    index: usize,
}

impl Seq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Stop> {
        let index = self.index;
        self.index += 1;
        self.finder.nested(Segment::Index(index), v)
    }
}

macro_rules! seq_like {
    ($($trait:ident :: $method:ident),*) => {
        $(impl ser::$trait for Seq<'_> {
            type Ok = ();
            type Error = Stop;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Stop> { self.element(v) }
            fn end(self) -> Result<(), Stop> { Ok(()) }
        })*
    };
}

seq_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// A map being walked: its keys name the path.
struct Map<'a> {
    finder: &'a mut Finder,
    key: Option<String>,
}

impl ser::SerializeMap for Map<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        self.key = Some(key.serialize(KeyText).unwrap_or_else(|_| "?".to_owned()));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Stop> {
        let key = self.key.take().unwrap_or_default();
        self.finder.nested(Segment::Key(key), v)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Finder {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        v: &T,
    ) -> Result<(), Stop> {
        self.nested(Segment::Field(name), v)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Finder {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        v: &T,
    ) -> Result<(), Stop> {
        self.nested(Segment::Field(name), v)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::non_finite_path;
    use serde_json::json;

    #[derive(serde::Serialize)]
    struct Task {
        #[serde(rename = "Weight")]
        weight: f64,
    }

    #[derive(serde::Serialize)]
    struct Request {
        #[serde(rename = "SdkAppId")]
        sdk_app_id: u64,
        #[serde(rename = "Tasks")]
        tasks: Vec<Task>,
        #[serde(rename = "Ratio", skip_serializing_if = "Option::is_none")]
        ratio: Option<f32>,
    }

    #[test]
    fn finite_requests_pass() {
        let request = Request {
            sdk_app_id: 1,
            tasks: vec![Task { weight: 0.5 }],
            ratio: Some(1.0),
        };
        assert_eq!(non_finite_path(&request), None);
        assert_eq!(non_finite_path(&json!({"A": [1.5, {"B": -0.0}]})), None);
    }

    #[test]
    fn the_first_nan_or_infinity_is_named_by_its_path() {
        let request = Request {
            sdk_app_id: 1,
            tasks: vec![Task { weight: 0.5 }, Task { weight: f64::NAN }],
            ratio: None,
        };
        assert_eq!(
            non_finite_path(&request).as_deref(),
            Some("Tasks[1].Weight")
        );
        let request = Request {
            sdk_app_id: 1,
            tasks: vec![],
            ratio: Some(f32::INFINITY),
        };
        assert_eq!(non_finite_path(&request).as_deref(), Some("Ratio"));
        let map: std::collections::BTreeMap<&str, f64> = [("X", f64::NEG_INFINITY)].into();
        assert_eq!(non_finite_path(&map).as_deref(), Some("X"));
        assert_eq!(non_finite_path(&f64::NAN).as_deref(), Some("the request"));
    }
}
