//! `--query`: a small field selector over the answer.
//!
//! A path is members separated by dots, each optionally followed by `[n]`
//! (the n-th element, negative from the end) or `[]` (every element; the rest
//! of the path applies to each): `TotalCount`, `Tasks[0].Name`,
//! `Tasks[].TaskId`. A member or element that is not there selects `null`.

use serde_json::Value;

/// A parsed `--query` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query(Vec<Step>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Member(String),
    Index(i64),
    Each,
}

impl Query {
    /// Parses `text`; the error says what is wrong and where.
    pub fn parse(text: &str) -> Result<Query, String> {
        let mut steps = Vec::new();
        let mut rest = text.trim();
        if rest.is_empty() {
            return Err("the query is empty".to_owned());
        }
        let mut expect_member = true;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('[') {
                let end = after
                    .find(']')
                    .ok_or_else(|| format!("`[` without `]` in `{text}`"))?;
                let inside = after[..end].trim();
                steps.push(if inside.is_empty() {
                    Step::Each
                } else {
                    Step::Index(
                        inside
                            .parse()
                            .map_err(|_| format!("`[{inside}]` is not an index in `{text}`"))?,
                    )
                });
                rest = &after[end + 1..];
                expect_member = false;
            } else if let Some(after) = rest.strip_prefix('.') {
                if expect_member {
                    return Err(format!("a member name is missing before `.` in `{text}`"));
                }
                rest = after;
                expect_member = true;
                if rest.is_empty() {
                    return Err(format!("`{text}` ends with `.`"));
                }
            } else {
                if !expect_member {
                    return Err(format!("expected `.` or `[` before `{rest}` in `{text}`"));
                }
                let end = rest.find(['.', '[']).unwrap_or(rest.len());
                let name = &rest[..end];
                if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Err(format!("`{name}` is not a member name in `{text}`"));
                }
                steps.push(Step::Member(name.to_owned()));
                rest = &rest[end..];
                expect_member = false;
            }
        }
        Ok(Query(steps))
    }

    /// The part of `value` the path selects.
    pub fn select(&self, value: &Value) -> Value {
        select(&self.0, value)
    }
}

fn select(steps: &[Step], value: &Value) -> Value {
    let Some((step, rest)) = steps.split_first() else {
        return value.clone();
    };
    match step {
        Step::Member(name) => value.get(name).map_or(Value::Null, |v| select(rest, v)),
        Step::Index(i) => {
            let Some(items) = value.as_array() else {
                return Value::Null;
            };
            let index = if *i < 0 {
                items.len().checked_sub(i.unsigned_abs() as usize)
            } else {
                Some(*i as usize)
            };
            index
                .and_then(|i| items.get(i))
                .map_or(Value::Null, |v| select(rest, v))
        }
        Step::Each => match value.as_array() {
            Some(items) => Value::Array(items.iter().map(|v| select(rest, v)).collect()),
            None => Value::Null,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::json_text;

    fn answer() -> Value {
        serde_json::from_str(r#"{"TotalCount": 2, "Tasks": [{"TaskId": 1, "Name": "a"}, {"TaskId": 2, "Name": "b"}]}"#).unwrap()
    }

    fn q(text: &str) -> String {
        json_text(&Query::parse(text).unwrap().select(&answer()), false)
    }

    #[test]
    fn selects_members_elements_and_projections() {
        assert_eq!(q("TotalCount"), "2");
        assert_eq!(q("Tasks[0].Name"), r#""a""#);
        assert_eq!(q("Tasks[-1].TaskId"), "2");
        assert_eq!(q("Tasks[].TaskId"), "[1,2]");
        assert_eq!(
            q("Tasks[]"),
            r#"[{"TaskId":1,"Name":"a"},{"TaskId":2,"Name":"b"}]"#
        );
        assert_eq!(q("Tasks[5]"), "null");
        assert_eq!(q("Missing.Deeper"), "null");
        assert_eq!(q("Tasks[-3]"), "null");
    }

    #[test]
    fn bad_paths_are_refused() {
        for bad in [
            "",
            ".Tasks",
            "Tasks.",
            "Tasks[",
            "Tasks[x]",
            "Tasks..Name",
            "Tasks[0]Name",
            "Ta-sks",
        ] {
            assert!(Query::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
