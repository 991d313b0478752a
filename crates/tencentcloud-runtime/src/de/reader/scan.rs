//! The scanner under [`Reader`]: whitespace, punctuation, strings and
//! numbers, by JSON's grammar, over the bytes of text already checked as UTF-8.

use std::borrow::Cow;

use super::{MAX_DEPTH, Number, Reader, Result};

impl<'a> Reader<'a> {
    /// Skips whitespace; the next byte, if any.
    #[inline]
    pub(super) fn peek(&mut self) -> Option<u8> {
        match self.text.as_bytes().get(self.at) {
            // Every byte above the space is something other than whitespace.
            Some(&byte) if byte > b' ' => Some(byte),
            _ => self.peek_past_whitespace(),
        }
    }

    /// [`peek`](Self::peek) where whitespace (or the end) comes first.
    pub(super) fn peek_past_whitespace(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&byte) = bytes.get(self.at) {
            if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(byte);
            }
            self.at += 1;
        }
        None
    }

    /// Steps into the list or object whose opening byte is next.
    #[inline]
    pub(super) fn open(&mut self) -> Result<()> {
        if self.depth >= MAX_DEPTH {
            return Err(self.syntax("recursion limit exceeded"));
        }
        self.depth += 1;
        self.at += 1;
        Ok(())
    }

    /// Takes `closing` if it comes next: an empty list or object.
    #[inline]
    pub(super) fn close(&mut self, closing: u8) -> bool {
        let found = self.peek() == Some(closing);
        if found {
            self.at += 1;
        }
        found
    }

    /// After an element or member: true for `,` (another follows), false for `closing`.
    #[inline]
    pub(super) fn separator(&mut self, closing: u8) -> Result<bool> {
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                Ok(true)
            }
            Some(byte) if byte == closing => {
                self.at += 1;
                Ok(false)
            }
            _ if closing == b'}' => Err(self.syntax("expected `,` or `}`")),
            _ => Err(self.syntax("expected `,` or `]`")),
        }
    }

    /// A member name and the `:` after it.
    #[inline]
    pub(super) fn key(&mut self) -> Result<Cow<'a, str>> {
        if self.peek() != Some(b'"') {
            return Err(self.syntax("key must be a string"));
        }
        let key = self.string_at()?;
        if self.peek() != Some(b':') {
            return Err(self.syntax("expected `:`"));
        }
        self.at += 1;
        Ok(key)
    }

    /// Takes the literal `word` (`true`, `false`, `null`).
    pub(super) fn literal(&mut self, word: &str) -> Result<()> {
        if self.text.as_bytes()[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(())
        } else {
            Err(self.syntax("expected value"))
        }
    }

    /// The string whose opening quote is next, unescaped.
    #[inline]
    pub(super) fn string_at(&mut self) -> Result<Cow<'a, str>> {
        let bytes = self.text.as_bytes();
        let start = self.at + 1;
        let end = plain_run(bytes, start);
        match bytes.get(end) {
            Some(b'"') => {
                self.at = end + 1;
                // Quotes are ASCII, so both ends are character boundaries.
                Ok(Cow::Borrowed(&self.text[start..end]))
            }
            Some(_) => self.escaped_string(start, end).map(Cow::Owned),
            None => {
                self.at = end;
                Err(self.syntax("EOF while parsing a string"))
            }
        }
    }

    /// The rest of a string that holds escapes: `text[start..plain]` has none.
    #[cold]
    pub(super) fn escaped_string(&mut self, start: usize, plain: usize) -> Result<String> {
        let bytes = self.text.as_bytes();
        let mut out = String::with_capacity(plain - start + 16);
        out.push_str(&self.text[start..plain]);
        let mut at = plain;
        let mut run = plain;
        loop {
            let Some(&byte) = bytes.get(at) else {
                self.at = at;
                return Err(self.syntax("EOF while parsing a string"));
            };
            match byte {
                b'"' => {
                    out.push_str(&self.text[run..at]);
                    self.at = at + 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.text[run..at]);
                    self.at = at + 1;
                    out.push(self.escape()?);
                    at = self.at;
                    run = at;
                }
                0..=0x1f => {
                    self.at = at;
                    return Err(self.syntax(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
                _ => at += 1,
            }
        }
    }

    /// The character of the escape after a backslash.
    pub(super) fn escape(&mut self) -> Result<char> {
        let byte = self.text.as_bytes().get(self.at).copied();
        self.at += 1;
        Ok(match byte {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let first = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&first) {
                    // A leading surrogate: its trailing half must follow.
                    if !self.text.as_bytes()[self.at..].starts_with(b"\\u") {
                        return Err(self.syntax("lone leading surrogate in hex escape"));
                    }
                    self.at += 2;
                    let second = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&second) {
                        return Err(self.syntax("lone leading surrogate in hex escape"));
                    }
                    0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                } else {
                    first
                };
                char::from_u32(code).ok_or_else(|| self.syntax("invalid unicode code point"))?
            }
            _ => return Err(self.syntax("invalid escape")),
        })
    }

    /// Four hex digits of a `\u` escape.
    pub(super) fn hex4(&mut self) -> Result<u32> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.syntax("invalid escape"))?;
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.syntax("invalid escape"))
    }

    /// Skips the string whose opening quote is next, checking its escapes.
    pub(super) fn skip_string(&mut self) -> Result<()> {
        self.string_at().map(drop)
    }

    /// The number that starts next, by JSON's grammar.
    #[inline]
    pub(super) fn number(&mut self) -> Result<Number> {
        let bytes = self.text.as_bytes();
        let negative = bytes.get(self.at) == Some(&b'-');
        let digits = self.at + usize::from(negative);
        let mut at = digits;
        let mut n: u64 = 0;
        while let Some(&byte) = bytes.get(at) {
            let digit = byte.wrapping_sub(b'0');
            if digit > 9 {
                break;
            }
            n = n.wrapping_mul(10).wrapping_add(u64::from(digit));
            at += 1;
        }
        let count = at - digits;
        // The usual case: an integer of up to 19 digits, which cannot overflow a u64.
        if (count == 1 || (count > 1 && count < 20 && bytes[digits] != b'0'))
            && !matches!(bytes.get(at), Some(b'.' | b'e' | b'E'))
        {
            if !negative {
                self.at = at;
                return Ok(Number::Unsigned(n));
            }
            if n <= i64::MIN.unsigned_abs() {
                self.at = at;
                return Ok(Number::Signed(0i64.wrapping_sub_unsigned(n)));
            }
        }
        self.long_number(digits, at)
    }

    /// The rest of [`number`](Self::number): fractions, exponents, long
    /// integers and syntax errors. `self.at` is the start of the number,
    /// `digits` where its digits start and `at` where they end.
    #[cold]
    pub(super) fn long_number(&mut self, digits: usize, mut at: usize) -> Result<Number> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        if at == digits || (bytes[digits] == b'0' && at - digits > 1) {
            self.at = at;
            return Err(self.syntax("invalid number"));
        }
        let mut float = false;
        if bytes.get(at) == Some(&b'.') {
            float = true;
            at += 1;
            let fraction = at;
            while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            if at == fraction {
                self.at = at;
                return Err(self.syntax("invalid number"));
            }
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            float = true;
            at += 1;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            let exponent = at;
            while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            if at == exponent {
                self.at = at;
                return Err(self.syntax("invalid number"));
            }
        }
        self.at = at;
        let text = &self.text[start..at];
        if !float {
            if let Ok(n) = text.parse::<u64>() {
                return Ok(Number::Unsigned(n));
            }
            if let Ok(n) = text.parse::<i64>() {
                return Ok(Number::Signed(n));
            }
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Number::Float(f)),
            _ => Err(self.error("number out of range".to_owned())),
        }
    }
}

/// The index of the first byte from `at` on that ends a string's plain run
/// (`"`, `\\` or a control character), or the length of `bytes`.
///
/// Eight bytes at a time: in each 64-bit word, a byte equal to `"` or `\\`
/// is one that XORs to zero, and the classic test `(x - 0x01..) & !x & 0x80..`
/// flags the lowest zero byte (`(x - 0x20..) & !x` flags the lowest byte
/// below 0x20 likewise). A flag above a flagged byte may be spurious, never
/// one below, so the lowest flag is the answer.
#[inline]
fn plain_run(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES * 0x80;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let flags = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (word.wrapping_sub(ONES * 0x20) & !word);
        let flags = flags & HIGHS;
        if flags != 0 {
            return at + (flags.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while let Some(&byte) = bytes.get(at) {
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            break;
        }
        at += 1;
    }
    at
}
