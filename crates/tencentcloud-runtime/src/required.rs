//! Which required parameters a request builder still lacks.

use std::fmt;

/// The required parameters of a request builder that are not set yet.
///
/// Generated builders hold the request they build, so that the request's own
/// `Debug` (which redacts secrets) serves the builder too, and this set
/// beside it: until set, a required member holds its type's empty value, and
/// `0` or `""` cannot tell "not set" from "set to nothing".
///
/// ```
/// use tencentcloud_runtime::Required;
///
/// let mut required = Required::new(&["SdkAppId", "Callee"]);
/// assert_eq!(required.first_unset(), Some("SdkAppId"));
/// required.set("SdkAppId", true);
/// assert_eq!(required.first_unset(), Some("Callee"));
/// required.set("Callee", true);
/// assert_eq!(required.first_unset(), None);
/// required.set("SdkAppId", false);
/// assert_eq!(format!("{required:?}"), r#"Required { unset: ["SdkAppId"] }"#);
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Required {
    names: &'static [&'static str],
    /// Bit `i` is set while `names[i]` is unset.
    unset: u64,
}

impl Required {
    /// The most parameters one set can track.
    pub const MAX: usize = 64;

    /// Every one of `names` (wire names, in the request's member order) unset.
    ///
    /// # Panics
    ///
    /// With more than [`Required::MAX`] names. Generated code builds its set
    /// in a `const`, so that this is a compile-time error, and the generator
    /// refuses such a spec before that.
    pub const fn new(names: &'static [&'static str]) -> Self {
        assert!(
            names.len() <= Self::MAX,
            "a request builder tracks at most 64 required parameters"
        );
        let unset = match names.len() {
            Self::MAX => u64::MAX,
            n => (1 << n) - 1,
        };
        Required { names, unset }
    }

    /// Notes the parameter `name` as set (`true`) or unset again (`false`).
    /// A name the set does not track is a bug in the caller; it is ignored.
    pub fn set(&mut self, name: &str, set: bool) {
        let Some(index) = self.names.iter().position(|&n| n == name) else {
            debug_assert!(false, "`{name}` is not a required parameter");
            return;
        };
        let bit = 1 << index;
        if set {
            self.unset &= !bit;
        } else {
            self.unset |= bit;
        }
    }

    /// The first required parameter, in member order, that is not set.
    pub fn first_unset(&self) -> Option<&'static str> {
        self.names
            .get(self.unset.trailing_zeros() as usize)
            .copied()
    }

    fn unset_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.names
            .iter()
            .enumerate()
            .filter(|&(i, _)| self.unset & (1 << i) != 0)
            .map(|(_, &name)| name)
    }
}

impl fmt::Debug for Required {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Names<'a>(&'a Required);
        impl fmt::Debug for Names<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list().entries(self.0.unset_names()).finish()
            }
        }
        f.debug_struct("Required")
            .field("unset", &Names(self))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_names_means_nothing_is_missing() {
        assert_eq!(Required::new(&[]).first_unset(), None);
    }

    #[test]
    fn the_first_missing_is_in_member_order_whatever_the_order_of_setting() {
        let mut required = Required::new(&["A", "B", "C"]);
        required.set("C", true);
        required.set("A", true);
        assert_eq!(required.first_unset(), Some("B"));
        required.set("B", true);
        required.set("A", false);
        assert_eq!(required.first_unset(), Some("A"));
    }

    #[test]
    fn sixty_four_names_fit() {
        const NAMES: [&str; 64] = ["P"; 64];
        let required = Required::new(&NAMES);
        assert_eq!(required.unset, u64::MAX);
        assert_eq!(required.first_unset(), Some("P"));
    }
}
