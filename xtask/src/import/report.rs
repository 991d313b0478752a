//! What an import did and what it left for a person to decide.

use std::collections::BTreeMap;
use std::fmt;

/// The report's sections, in the order they are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// Actions, models and members written for the first time.
    Added,
    /// A member whose type or flags differ between the source and the spec; the spec is kept.
    Changed,
    /// In the spec but no longer in the source; kept.
    Removed,
    /// Tencent's examples disagreeing with Tencent's definition.
    ExampleContradictions,
    /// Error codes in no catalogue, left out of `errors`.
    UnknownErrorCodes,
    /// Example strings in Chinese, replaced by a placeholder.
    ExampleText,
    /// Member `example` texts that were left out or adjusted.
    MemberExamples,
    /// Rust names added because the derived name splits an acronym.
    RustNames,
    /// Pagination written by detection.
    Pagination,
    /// Inputs that look like paging but could not be decided.
    PaginationAmbiguous,
    /// `read_only` set by the `Describe*` heuristic, and look-alikes left unset.
    ReadOnly,
    /// `rate_limit_per_second` defaulted (the source has no limits).
    RateLimit,
    /// Members Tencent marks `disabled`.
    Disabled,
    /// New members whose names look like secrets, not marked `sensitive`.
    Sensitive,
    /// Things the importer could not convert, or that the generator will reject.
    Problems,
}

impl Group {
    /// Every group, in print order.
    pub const ALL: [Group; 15] = [
        Group::Added,
        Group::Changed,
        Group::Removed,
        Group::ExampleContradictions,
        Group::UnknownErrorCodes,
        Group::ExampleText,
        Group::MemberExamples,
        Group::RustNames,
        Group::Pagination,
        Group::PaginationAmbiguous,
        Group::ReadOnly,
        Group::RateLimit,
        Group::Disabled,
        Group::Sensitive,
        Group::Problems,
    ];

    /// The section heading.
    pub fn title(self) -> &'static str {
        match self {
            Group::Added => "added",
            Group::Changed => "changed type or flags (spec kept, not applied)",
            Group::Removed => "removed from the source (spec kept)",
            Group::ExampleContradictions => {
                "example contradictions (examples kept as in the source)"
            }
            Group::UnknownErrorCodes => "unknown error codes (not in any catalogue; left out)",
            Group::ExampleText => "example strings in Chinese replaced by a placeholder",
            Group::MemberExamples => "member examples omitted or adjusted",
            Group::RustNames => "rust_name added for split acronyms (please review)",
            Group::Pagination => "pagination detected (please check page numbering starts at 0)",
            Group::PaginationAmbiguous => "pagination ambiguous (not written)",
            Group::ReadOnly => "read_only (heuristic: Describe* only)",
            Group::RateLimit => "rate_limit_per_second defaulted to 20 (the source has no limits)",
            Group::Disabled => "disabled members",
            Group::Sensitive => {
                "new members that look secret (set `sensitive: true` if they hold one)"
            }
            Group::Problems => "problems",
        }
    }
}

/// Lines grouped by section, plus a few headline facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Free-form lines printed before the sections (inputs used, options).
    pub header: Vec<String>,
    /// Lines of each section, in the order they were found.
    pub groups: BTreeMap<Group, Vec<String>>,
    /// Files written or that would change.
    pub written: Vec<String>,
    /// Files whose contents are already current.
    pub unchanged: usize,
}

impl Report {
    /// Adds a line to a section.
    pub fn add(&mut self, group: Group, line: impl Into<String>) {
        self.groups.entry(group).or_default().push(line.into());
    }

    /// The lines of a section.
    pub fn lines(&self, group: Group) -> &[String] {
        self.groups
            .get(&group)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// How many lines a section has.
    pub fn count(&self, group: Group) -> usize {
        self.lines(group).len()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "# import-tccli report")?;
        for line in &self.header {
            writeln!(f, "{line}")?;
        }
        writeln!(f)?;
        writeln!(f, "## summary")?;
        for group in Group::ALL {
            writeln!(f, "{:>5}  {}", self.count(group), group.title())?;
        }
        writeln!(f, "{:>5}  files written", self.written.len())?;
        writeln!(f, "{:>5}  files unchanged", self.unchanged)?;
        for group in Group::ALL {
            let lines = self.lines(group);
            if lines.is_empty() {
                continue;
            }
            writeln!(f)?;
            writeln!(f, "## {} ({})", group.title(), lines.len())?;
            for line in lines {
                writeln!(f, "- {line}")?;
            }
        }
        if !self.written.is_empty() {
            writeln!(f)?;
            writeln!(f, "## files written ({})", self.written.len())?;
            for path in &self.written {
                writeln!(f, "- {path}")?;
            }
        }
        Ok(())
    }
}
