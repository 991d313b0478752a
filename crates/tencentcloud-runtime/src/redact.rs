//! Keeping secrets out of `Debug` output and error messages.

use std::fmt;

/// Stands in for a secret in `Debug` output: prints `** redacted **`.
///
/// Generated types print it in place of members their spec marks as
/// sensitive (passwords, tokens, keys, signatures), so that logging a request
/// or an answer with `{:?}` never shows the secret.
///
/// ```
/// use tencentcloud_runtime::Redacted;
///
/// assert_eq!(format!("{:?}", Redacted), "** redacted **");
/// let password = Some("hunter2".to_owned());
/// assert_eq!(format!("{:?}", Redacted::option(&password)), "Some(** redacted **)");
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted;

impl Redacted {
    /// `Some(Redacted)` for a value that is set, `None` for one that is not:
    /// whether an optional secret is set is not itself a secret.
    pub fn option<T>(value: &Option<T>) -> Option<Redacted> {
        value.as_ref().map(|_| Redacted)
    }
}

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}
