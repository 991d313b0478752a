//! The member tables of generated `Decode` impls: each structure's members
//! in definition order, with what the reader needs to know of each.

/// One member of a structure, as the generated member table lists it.
#[derive(Debug, Clone, Copy)]
pub struct Member {
    pub(super) name: &'static str,
    /// The definition says every answer sends it (it is not an `Option`).
    pub(super) sent: bool,
    /// The spec marks it `sensitive`: errors never quote its value.
    pub(super) secret: bool,
    /// The name needs no escapes in JSON, so it can be matched against the raw text.
    pub(super) plain: bool,
}

impl Member {
    /// A member the definition says is always sent; an answer that leaves it
    /// out gets a warning naming its path.
    pub const fn sent(name: &'static str) -> Self {
        Member {
            name,
            sent: true,
            secret: false,
            plain: plain(name),
        }
    }

    /// A member that may be absent (an `Option`): absence is silent.
    pub const fn optional(name: &'static str) -> Self {
        Member {
            name,
            sent: false,
            secret: false,
            plain: plain(name),
        }
    }

    /// The same member, holding a secret: a value that does not fit is
    /// described by its type only (`invalid type: string, expected u64`).
    pub const fn secret(self) -> Self {
        Member {
            secret: true,
            ..self
        }
    }
}

/// True when `name` is written in JSON as it is, without escapes.
const fn plain(name: &str) -> bool {
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' || bytes[i] == b'\\' || bytes[i] < 0x20 {
            return false;
        }
        i += 1;
    }
    true
}

/// A structure's members, in definition order, for [`Reader::object`](super::Reader::object).
#[derive(Debug)]
pub struct Members {
    /// The structure's name, for errors (`expected struct Task`).
    pub(super) name: &'static str,
    pub(super) members: &'static [Member],
    /// Bit `i` is set when `members[i]` is always sent (the first 128 only).
    pub(super) sent: u128,
}

impl Members {
    /// The table of the structure `name`.
    pub const fn new(name: &'static str, members: &'static [Member]) -> Self {
        let mut sent = 0;
        let mut i = 0;
        while i < members.len() && i < 128 {
            if members[i].sent {
                sent |= 1 << i;
            }
            i += 1;
        }
        Members {
            name,
            members,
            sent,
        }
    }
}
