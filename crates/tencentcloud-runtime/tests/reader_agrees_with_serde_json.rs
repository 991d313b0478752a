//! The runtime's hand-written JSON reader (`de::Reader`) against serde_json
//! on the same texts: valid JSON, and many texts made from it by cutting,
//! inserting and changing bytes. The reader must accept exactly what
//! serde_json accepts and read the same value; it must never panic.
//!
//! The texts come from a fixed seed, so a failure reproduces; the message
//! shows the text.

use serde_json::Value;
use tencentcloud_runtime::de::{self, Decode, Member, Members, Reader};

/// Documents to start from: answers' shapes, escapes, numbers of each form.
const SEEDS: &[&str] = &[
    r#"{"Response":{"TotalCount":2,"Tasks":[{"Name":"a","Callers":["0086"],"NotAfter":null,"State":1}],"RequestId":"r-1"}}"#,
    r#"{"Response":{"Error":{"Code":"InvalidParameter","Message":"bad \"x\""},"RequestId":"r"}}"#,
    r#"[0,-1,1.5,-0.25,1e3,2E-2,12345678901234567890,-9223372036854775808,true,false,null]"#,
    r#"{"s":"tab\there \u00e9 \ud83d\ude00 \\ \/ \b\f\n\r","e":"","nested":{"a":[[],{}]}}"#,
    r#"  {"a" : 1 , "b" : [ 1 , 2 ] }  "#,
    r#""just a string""#,
    r#"{"k":"\u0041\u00FF\u4e2d"}"#,
];

/// Bytes worth inserting: JSON's structural characters, escapes, digits, and
/// bytes that are never valid where they land.
const INSERTS: &[u8] = b"{}[]:,\"\\-+.eE0129 \tnultrfa\x00\x1f\x7f";

/// A small, fixed pseudo-random sequence (xorshift), so runs are repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut text = seed.to_vec();
    for _ in 0..=rng.below(3) {
        let at = rng.below(text.len() + 1);
        match rng.below(4) {
            0 => text.truncate(at),
            1 => text.insert(at, INSERTS[rng.below(INSERTS.len())]),
            2 if at < text.len() => {
                text.remove(at);
            }
            _ if at < text.len() => text[at] = INSERTS[rng.below(INSERTS.len())],
            _ => {}
        }
    }
    text
}

/// Equal values, except that floats may differ in the last place: the two
/// readers may round a decimal fraction differently.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || ((x - y) / x).abs() < 1e-15
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        _ => a == b,
    }
}

fn check(text: &[u8]) {
    let ours = de::from_slice::<Value>(text);
    let theirs = serde_json::from_slice::<Value>(text);
    let shown = String::from_utf8_lossy(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => assert!(same(a, b), "{shown}: read {a} where serde_json reads {b}"),
        (Err(_), Err(_)) => {}
        (Ok(a), Err(e)) => panic!("{shown}: accepted as {a}, but serde_json refuses it: {e}"),
        (Err(e), Ok(b)) => panic!("{shown}: refused ({e}), but serde_json reads {b}"),
    }
}

#[test]
fn the_seeds_read_as_serde_json_reads_them() {
    for seed in SEEDS {
        check(seed.as_bytes());
    }
}

#[test]
fn changed_texts_are_accepted_and_refused_as_serde_json_does() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut accepted, mut total) = (0, 0);
    for round in 0..30_000 {
        let seed = SEEDS[round % SEEDS.len()].as_bytes();
        let text = mutate(seed, &mut rng);
        check(&text);
        total += 1;
        accepted += usize::from(serde_json::from_slice::<Value>(&text).is_ok());
    }
    // Both kinds are tried many times over.
    assert!(
        accepted > total / 20 && accepted < total * 19 / 20,
        "{accepted} of {total} texts were JSON"
    );
}

/// A structure that knows one member of the seeds, `Name`, and skips the
/// others, so that reading it goes through the reader's skipping as well.
#[derive(Debug, Default)]
struct NameOnly {
    #[allow(dead_code)] // Read for the reading, not for the value.
    name: Option<String>,
}

impl Decode for NameOnly {
    fn decode(reader: &mut Reader<'_>) -> de::Result<Self> {
        static MEMBERS: Members = Members::new("NameOnly", &[Member::optional("Name")]);
        let mut value = Self::default();
        reader.object(&MEMBERS, &mut |reader, index| match index {
            0 => reader.read(&mut value.name),
            _ => Ok(()),
        })?;
        Ok(value)
    }
}

#[test]
fn skipping_unknown_members_accepts_only_json() {
    // `{"Name":"a"}` around each seed's members, as an answer's unknown members.
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut read, mut total) = (0, 0);
    for round in 0..30_000 {
        let seed = SEEDS[round % SEEDS.len()];
        let wrapped = format!(r#"{{"Name":"a","Other":{seed},"Last":[{seed}]}}"#);
        let text = mutate(wrapped.as_bytes(), &mut rng);
        total += 1;
        if de::from_slice::<NameOnly>(&text).is_ok() {
            read += 1;
            assert!(
                serde_json::from_slice::<Value>(&text).is_ok(),
                "{}: read, but serde_json refuses it as JSON",
                String::from_utf8_lossy(&text)
            );
        }
    }
    assert!(read > total / 20, "only {read} of {total} texts were read");
}

#[test]
fn nesting_is_limited_where_serde_json_limits_it() {
    for depth in 120..140 {
        let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        check(arrays.as_bytes());
        let objects = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        check(objects.as_bytes());
    }
}

#[test]
fn numbers_at_the_edges_read_as_serde_json_reads_them() {
    for text in [
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775809",
        "1e308",
        "1e309",
        "-1e400",
        "1e-400",
        "0.0000000000000000000000001",
        "123456789012345678901234567890",
        "01",
        "-",
        "1.",
        ".5",
        "1e",
        "1e+",
        "-0",
        "-0.0",
    ] {
        check(text.as_bytes());
    }
}
