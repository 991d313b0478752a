//! [`Reader`]: a pull reader over one JSON body, with the lenient policy of
//! [`crate::de`] for scalars and the loops over objects and lists that every
//! generated `Decode` impl shares.
//!
//! Nothing here is generic over the decoded type: a structure's decoding
//! hands its per-member step to [`Reader::object`] as a trait object, so the
//! loop, the member matching and the error wording are compiled once, here.

use std::borrow::Cow;

use super::{Decode, DecodeError, Member, Members, Result};

mod scan;

/// A step of the path to the value being read, for errors and warnings.
#[derive(Debug, Clone, Copy)]
enum Segment {
    Member(&'static str),
    Index(usize),
}

/// The deepest nesting of lists and objects read: 127 levels, as serde_json
/// reads (it refuses the 128th). A deeper body is refused rather than
/// overflowing the stack.
const MAX_DEPTH: u32 = 127;

/// What an answer's `Response` object says besides the output, noted while
/// the output is read (see [`crate::envelope`]).
#[derive(Debug, Default)]
pub(crate) struct Envelope {
    /// `Response.RequestId`, when it is a string.
    pub(crate) request_id: Option<String>,
    /// `Response.Error`, unless absent or `null`.
    pub(crate) error: Option<ErrorMembers>,
}

/// What `Response.Error` holds that the SDK reads: `Code` and `Message` when
/// they are strings. Any other shape leaves both `None`.
#[derive(Debug, Default)]
pub(crate) struct ErrorMembers {
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
}

/// A number as read: integers exactly, anything else as `f64`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Number {
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

/// Reads one JSON text, value by value.
///
/// The text is checked as UTF-8 once, when the reader is made; after that
/// only bytes are scanned, and a string without escapes is copied once, from
/// the body into its `String`. Where it is (`Tasks[3].Name`) is kept as a
/// stack of static member names and list indices, turned into text only when
/// an error or a warning names it.
pub struct Reader<'a> {
    text: &'a str,
    at: usize,
    path: Vec<Segment>,
    depth: u32,
    /// Above zero while a secret member is read.
    secret: u32,
    /// Set when the next object is an answer's `Response`.
    respond: bool,
    envelope: Envelope,
    /// Paths of always-sent members the text leaves out.
    omitted: Vec<String>,
    /// The order in which the last object of each structure sent its members.
    orders: Vec<Order>,
}

/// Where the reader is, never what it reads: the body may hold secrets.
impl std::fmt::Debug for Reader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("at", &self.at)
            .field("len", &self.text.len())
            .field("path", &self.path_text(None))
            .finish_non_exhaustive()
    }
}

/// The order of members in the objects read of one structure.
#[derive(Debug)]
struct Order {
    /// The structure's member table, by address.
    members: usize,
    /// `after[0]` is the index in the table of the member that came first,
    /// `after[i + 1]` of the one that came after member `i`, last time.
    after: Vec<u8>,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Reader {
            text,
            at: 0,
            // Deep enough for most answers without growing.
            path: Vec::with_capacity(8),
            depth: 0,
            secret: 0,
            respond: false,
            envelope: Envelope::default(),
            omitted: Vec::new(),
            orders: Vec::new(),
        }
    }

    /// A reader of `bytes`, which must be UTF-8.
    pub fn from_bytes(bytes: &'a [u8]) -> Result<Self> {
        std::str::from_utf8(bytes)
            .map(Reader::new)
            .map_err(|e| DecodeError::syntax(format!("not UTF-8: {e}"), String::new()))
    }

    /// Reads the next value into `slot`.
    pub fn read<T: Decode>(&mut self, slot: &mut T) -> Result<()> {
        *slot = T::decode(self)?;
        Ok(())
    }

    /// Checks that only whitespace follows what was read.
    pub fn end(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.syntax("trailing characters")),
        }
    }

    /// The paths of members the definition says are always sent but that the
    /// text left out, e.g. `Tasks[3].Name`, in the order they were found.
    pub fn omitted(&self) -> &[String] {
        &self.omitted
    }

    /// Logs a `tracing` warning for each member in [`omitted`](Self::omitted).
    pub fn warn_omitted(&self) {
        for member in &self.omitted {
            tracing::warn!(
                member = %member,
                "the answer leaves out `{member}`, which the definition says is always sent; decoded as empty"
            );
        }
    }

    /// Reads an object as the structure `members` describes: for each member
    /// it defines, `step` is called with the member's index in the table and
    /// reads the value; members it does not define are skipped. Afterwards,
    /// each always-sent member that did not come is noted as omitted.
    pub fn object(
        &mut self,
        members: &Members,
        step: &mut dyn FnMut(&mut Reader<'a>, usize) -> Result<()>,
    ) -> Result<()> {
        if self.peek() != Some(b'{') {
            return Err(self.invalid_type(&format_args!("struct {}", members.name)));
        }
        self.open()?;
        let intercept = std::mem::take(&mut self.respond);
        let list = members.members;
        // Bit `i` is set once `list[i]` came; members past 128 are not tracked.
        let mut seen: u128 = 0;
        // Objects of one structure in one answer send their members in much
        // the same order (the definition's, or another): the member that
        // followed the previous one in the last such object is tried first,
        // so matching is usually one comparison, made against the raw text
        // without reading the name first.
        let order = self.order_of(members);
        // Slot 0 of the order is the first member, slot `i + 1` the one after member `i`.
        let mut slot = 0;
        let mut next = 0;
        if !self.close(b'}') {
            loop {
                let guess = self.orders[order]
                    .after
                    .get(slot)
                    .map_or(next, |&index| usize::from(index));
                let found = if !intercept && self.take_key(list.get(guess)) {
                    Some(guess)
                } else {
                    self.match_key(list, next, intercept)?
                };
                if let Some(index) = found {
                    if index < 128 {
                        seen |= 1 << index;
                        self.learn(order, slot, index);
                        slot = index + 1;
                    }
                    next = index + 1;
                    self.member(list[index], index, step)?;
                }
                if !self.separator(b'}')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        // An error answer carries none of the output's members: none is missing.
        let error_answer = intercept && self.envelope.error.is_some();
        if members.sent & !seen != 0 && !error_answer {
            for (index, member) in list.iter().enumerate().take(128) {
                if member.sent && seen & (1 << index) == 0 {
                    self.omit(member.name);
                }
            }
        }
        Ok(())
    }

    /// The index in `orders` of the structure `members`, added if new, in
    /// definition order.
    fn order_of(&mut self, members: &Members) -> usize {
        let id = std::ptr::from_ref(members) as usize;
        match self.orders.iter().position(|order| order.members == id) {
            Some(found) => found,
            None => {
                let tracked = members.members.len().min(127) as u8;
                self.orders.push(Order {
                    members: id,
                    after: (0..=tracked).collect(),
                });
                self.orders.len() - 1
            }
        }
    }

    /// Notes that member `index` came in `slot` of the structure `order`.
    #[inline]
    fn learn(&mut self, order: usize, slot: usize, index: usize) {
        if let Some(learned) = self.orders[order].after.get_mut(slot) {
            // Below 128 (see `object`), so it fits.
            *learned = index as u8;
        }
    }

    /// Takes the name of `member` and the `:` after it, if they come next,
    /// comparing the raw text; false (having read nothing) otherwise.
    #[inline]
    fn take_key(&mut self, member: Option<&Member>) -> bool {
        let Some(member) = member.filter(|member| member.plain) else {
            return false;
        };
        if self.peek() != Some(b'"') {
            return false;
        }
        let name = member.name.as_bytes();
        let rest = &self.text.as_bytes()[self.at + 1..];
        if rest.get(name.len()) != Some(&b'"') || !same_bytes(&rest[..name.len()], name) {
            return false;
        }
        let start = self.at;
        self.at += name.len() + 2;
        if self.peek() == Some(b':') {
            self.at += 1;
            return true;
        }
        // Not a member name after all: `key` reads it again and says what is wrong.
        self.at = start;
        false
    }

    /// Reads a member name and finds it in `list`, trying `next` first.
    /// `None` when the value is already dealt with: a member `list` does not
    /// define (skipped), or one the envelope took (`intercept`, see [`Reader::respond`]).
    fn match_key(
        &mut self,
        list: &[Member],
        next: usize,
        intercept: bool,
    ) -> Result<Option<usize>> {
        let key = self.key()?;
        if intercept && self.envelope_member(&key)? {
            return Ok(None);
        }
        let found = match list.get(next) {
            Some(member) if member.name == key => Some(next),
            _ => list.iter().position(|member| member.name == key),
        };
        if found.is_none() {
            self.skip()?;
        }
        Ok(found)
    }

    /// Reads the value of `member` with `step`, with the path and secrecy it calls for.
    fn member(
        &mut self,
        member: Member,
        index: usize,
        step: &mut dyn FnMut(&mut Reader<'a>, usize) -> Result<()>,
    ) -> Result<()> {
        self.path.push(Segment::Member(member.name));
        self.secret += u32::from(member.secret);
        let result = step(self, index);
        self.secret -= u32::from(member.secret);
        self.path.pop();
        result
    }

    /// Reads an object of any members: `step` gets each name (borrowed from
    /// the text unless it holds escapes) and reads or skips its value.
    pub fn entries(
        &mut self,
        step: &mut dyn FnMut(&mut Reader<'a>, Cow<'a, str>) -> Result<()>,
    ) -> Result<()> {
        if self.peek() != Some(b'{') {
            return Err(self.invalid_type(&"a map"));
        }
        self.open()?;
        let intercept = std::mem::take(&mut self.respond);
        if !self.close(b'}') {
            loop {
                let key = self.key()?;
                if !(intercept && self.envelope_member(&key)?) {
                    step(self, key)?;
                }
                if !self.separator(b'}')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Reads a list, calling `element` for each element; `null` is an empty list.
    pub fn list(&mut self, element: &mut dyn FnMut(&mut Reader<'a>) -> Result<()>) -> Result<()> {
        match self.peek() {
            Some(b'n') => return self.literal("null"),
            Some(b'[') => {}
            _ => return Err(self.invalid_type(&"a sequence")),
        }
        self.open()?;
        if !self.close(b']') {
            let mut index = 0;
            loop {
                self.path.push(Segment::Index(index));
                let result = element(self);
                self.path.pop();
                result?;
                index += 1;
                if !self.separator(b']')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// True, having read it, when the next value is `null`.
    pub fn null(&mut self) -> Result<bool> {
        if self.peek() == Some(b'n') {
            self.literal("null")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// A string, strictly: anything else is an error.
    pub fn string(&mut self) -> Result<Cow<'a, str>> {
        if self.peek() != Some(b'"') {
            return Err(self.invalid_type(&"a string"));
        }
        self.string_at()
    }

    /// A boolean, strictly.
    pub fn boolean(&mut self) -> Result<bool> {
        match self.peek() {
            Some(b't') => self.literal("true").map(|()| true),
            Some(b'f') => self.literal("false").map(|()| false),
            _ => Err(self.invalid_type(&"a boolean")),
        }
    }

    /// An integer, leniently: as sent, from an integral float (`3.0`) or from
    /// a string holding one (`"3"`). `expected` names the type for errors.
    pub(crate) fn integer(&mut self, expected: &str) -> Result<Number> {
        let start = self.at;
        let found = match self.peek() {
            Some(b'"') => parse_integer(&self.string_at()?),
            Some(b'-' | b'0'..=b'9') => match self.number()? {
                Number::Float(f) => integral(f),
                exact => Some(exact),
            },
            _ => None,
        };
        found.ok_or_else(|| {
            self.at = start;
            self.invalid_type(&expected)
        })
    }

    /// A float, leniently: as sent, from an integer, or from a string holding a number.
    pub(crate) fn float(&mut self, expected: &str) -> Result<f64> {
        let start = self.at;
        let found = match self.peek() {
            Some(b'"') => {
                let text = self.string_at()?;
                text.trim().parse::<f64>().ok().filter(|f| f.is_finite())
            }
            Some(b'-' | b'0'..=b'9') => Some(match self.number()? {
                Number::Unsigned(n) => n as f64,
                Number::Signed(n) => n as f64,
                Number::Float(f) => f,
            }),
            _ => None,
        };
        found.ok_or_else(|| {
            self.at = start;
            self.invalid_type(&expected)
        })
    }

    /// The error for an integer read as `n` that does not fit `expected`.
    pub(crate) fn out_of_range(&self, n: Number, expected: &str) -> Box<DecodeError> {
        let value = if self.secret > 0 {
            "integer".to_owned()
        } else {
            describe_number(n)
        };
        self.error(format!("invalid value: {value}, expected {expected}"))
    }

    /// Reads any JSON value as a `serde_json::Value`.
    pub(crate) fn value(&mut self) -> Result<serde_json::Value> {
        // Skipping checks the syntax and finds the value's extent, within this
        // reader's nesting limit; serde_json then builds the tree from that
        // text (which it accepts alike: see `tests/reader_agrees_with_serde_json.rs`).
        self.peek(); // Past any whitespace, to where the value starts.
        let start = self.at;
        self.skip()?;
        serde_json::from_str(&self.text[start..self.at]).map_err(|e| self.syntax(&e.to_string()))
    }

    /// Skips the next value without keeping anything, checking its syntax.
    pub fn skip(&mut self) -> Result<()> {
        match self.peek() {
            Some(b'"') => self.skip_string(),
            Some(b'{') => self.entries(&mut |reader, _| reader.skip()),
            Some(b'[') => self.list(&mut Reader::skip),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            _ => Err(self.syntax("expected value")),
        }
    }

    /// True when the next value is an object.
    pub(crate) fn peek_is_object(&mut self) -> bool {
        self.peek() == Some(b'{')
    }

    /// Marks the next object as an answer's `Response` (or, with `false`,
    /// no longer): its `Error` member is taken out and `RequestId` noted on
    /// the way (see [`crate::envelope`]).
    pub(crate) fn respond(&mut self, next: bool) {
        self.respond = next;
    }

    /// What the `Response` object said besides the output.
    pub(crate) fn take_envelope(&mut self) -> Envelope {
        self.respond = false;
        std::mem::take(&mut self.envelope)
    }

    /// Handles a member of the `Response` object that the envelope wants;
    /// true when it took the value (`Error`), so the output never sees it.
    #[inline]
    fn envelope_member(&mut self, key: &str) -> Result<bool> {
        match key {
            "Error" => {
                self.envelope.error = self.error_members()?;
                Ok(true)
            }
            "RequestId" => {
                // Noted, then left for the output type, which has it as a member.
                let start = self.at;
                if self.peek() == Some(b'"') {
                    self.envelope.request_id = self.string_at().ok().map(Cow::into_owned);
                }
                self.at = start;
                Ok(false)
            }
            _ => Ok(false),
        }
    }

    /// `Response.Error`, of any shape: `None` for `null`.
    #[cold]
    fn error_members(&mut self) -> Result<Option<ErrorMembers>> {
        if self.null()? {
            return Ok(None);
        }
        let mut error = ErrorMembers::default();
        if self.peek() != Some(b'{') {
            self.skip()?;
            return Ok(Some(error));
        }
        let text = |reader: &mut Reader<'a>| -> Result<Option<String>> {
            if reader.peek() == Some(b'"') {
                return reader.string_at().map(|s| Some(s.into_owned()));
            }
            reader.skip().map(|()| None)
        };
        self.entries(&mut |reader, key| {
            match key.as_ref() {
                "Code" => error.code = text(reader)?,
                "Message" => error.message = text(reader)?,
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        Ok(Some(error))
    }

    // Errors and the path.

    /// The path of the value being read, e.g. `Tasks[3].State`, and of its
    /// member `last` when given.
    fn path_text(&self, last: Option<&str>) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let names = self.path.iter().map(|segment| match segment {
            Segment::Member(name) => Ok(*name),
            Segment::Index(index) => Err(*index),
        });
        for segment in names.chain(last.map(Ok)) {
            match segment {
                Ok(name) if out.is_empty() => out.push_str(name),
                Ok(name) => {
                    out.push('.');
                    out.push_str(name);
                }
                Err(index) => {
                    let _ = write!(out, "[{index}]");
                }
            }
        }
        out
    }

    #[cold]
    fn omit(&mut self, name: &'static str) {
        let path = self.path_text(Some(name));
        self.omitted.push(path);
    }

    /// An error about the value at hand, with its path.
    #[cold]
    fn error(&self, message: String) -> Box<DecodeError> {
        DecodeError::new(message, self.path_text(None))
    }

    /// An error in the JSON text itself.
    #[cold]
    fn syntax(&self, what: &str) -> Box<DecodeError> {
        DecodeError::syntax(format!("{what} at byte {}", self.at), self.path_text(None))
    }

    /// The error for the next value, which is not what `expected` says, in
    /// serde's words: `invalid type: string "x", expected u64`. The value is
    /// quoted unless it belongs to a secret member.
    #[cold]
    pub(crate) fn invalid_type(&mut self, expected: &dyn std::fmt::Display) -> Box<DecodeError> {
        let start = self.at;
        let secret = self.secret > 0;
        let found = match self.peek() {
            Some(b'"') => match self.string_at() {
                Ok(text) if !secret => format!("string {text:?}"),
                Ok(_) => "string".to_owned(),
                Err(e) => return e,
            },
            Some(b'-' | b'0'..=b'9') => match self.number() {
                Ok(n) if !secret => describe_number(n),
                Ok(Number::Float(_)) => "floating point".to_owned(),
                Ok(_) => "integer".to_owned(),
                Err(e) => return e,
            },
            Some(b't') if !secret => "boolean `true`".to_owned(),
            Some(b'f') if !secret => "boolean `false`".to_owned(),
            Some(b't' | b'f') => "boolean".to_owned(),
            Some(b'n') => "null".to_owned(),
            Some(b'[') => "sequence".to_owned(),
            Some(b'{') => "map".to_owned(),
            _ => return self.syntax("expected value"),
        };
        self.at = start;
        self.error(format!("invalid type: {found}, expected {expected}"))
    }
}

/// serde's description of a number: ``integer `5` `` or ``floating point `3.5` ``.
fn describe_number(n: Number) -> String {
    match n {
        Number::Unsigned(n) => format!("integer `{n}`"),
        Number::Signed(n) => format!("integer `{n}`"),
        Number::Float(f) if f.fract() == 0.0 && f.abs() < 1e16 => {
            format!("floating point `{f:.1}`")
        }
        Number::Float(f) => format!("floating point `{f}`"),
    }
}

/// The integer a string holds, if any.
fn parse_integer(text: &str) -> Option<Number> {
    let text = text.trim();
    text.parse::<u64>()
        .map(Number::Unsigned)
        .or_else(|_| text.parse::<i64>().map(Number::Signed))
        .ok()
}

/// An integral float within range, e.g. `3.0`, as an integer.
fn integral(f: f64) -> Option<Number> {
    if f.fract() != 0.0 {
        None
    } else if f >= 0.0 && f < u64::MAX as f64 {
        Some(Number::Unsigned(f as u64))
    } else if f < 0.0 && f >= i64::MIN as f64 {
        Some(Number::Signed(f as i64))
    } else {
        None
    }
}

/// `a == b`, by words rather than bytes: member names are short, and a call
/// to `memcmp` costs more than comparing them. The last word of each may
/// overlap the one before it.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    fn word(bytes: &[u8], at: usize) -> u64 {
        u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default())
    }
    fn half(bytes: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or_default())
    }
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let mut at = 0;
        while at + 8 < n {
            if word(a, at) != word(b, at) {
                return false;
            }
            at += 8;
        }
        word(a, n - 8) == word(b, n - 8)
    } else if n >= 4 {
        half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4)
    } else {
        a.iter().zip(b).all(|(x, y)| x == y)
    }
}
