//! Printing answers: JSON as the API names it, or a table for list answers.

use clap::ValueEnum;
use clap::builder::PossibleValue;
use serde_json::{Value, json};

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON: pretty on a terminal, one line otherwise.
    Json,
    /// A table of the answer's list, or of its members.
    Table,
}

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[Format::Json, Format::Table]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Format::Json => PossibleValue::new("json").help("The answer as JSON"),
            Format::Table => PossibleValue::new("table").help("A table of the answer's list"),
        })
    }
}

/// Longest cell before it is cut short with `…`.
const MAX_CELL: usize = 60;

/// A table of `value`: one row per element of its list (the array itself, or the
/// first member holding a list of structures), else one row per member.
pub fn table(value: &Value) -> String {
    match rows(value) {
        Some(rows) => render(&columns(rows), rows),
        None => {
            let members: Vec<Value> = match value {
                Value::Object(members) => members
                    .iter()
                    .map(|(k, v)| json!({"Member": k, "Value": v}))
                    .collect(),
                other => vec![json!({ "Value": other })],
            };
            render(&columns(&members), &members)
        }
    }
}

/// The items a table of `value` lists, if it holds a list.
pub fn rows(value: &Value) -> Option<&[Value]> {
    match value {
        Value::Array(items) => Some(items),
        Value::Object(members) => members.iter().find_map(|(_, v)| match v {
            Value::Array(items) if items.iter().any(|i| matches!(i, Value::Object(_))) => {
                Some(items.as_slice())
            }
            _ => None,
        }),
        _ => None,
    }
}

/// Column names in order of first appearance; scalars in a list get one column `Value`.
fn columns(rows: &[Value]) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    for row in rows {
        match row {
            Value::Object(members) => {
                for (key, _) in members {
                    if !columns.contains(key) {
                        columns.push(key.clone());
                    }
                }
            }
            _ if !columns.iter().any(|c| c == "Value") => columns.push("Value".to_owned()),
            _ => {}
        }
    }
    columns
}

fn render(columns: &[String], rows: &[Value]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| match row {
                    Value::Object(_) => row.get(c).map(cell).unwrap_or_default(),
                    scalar => cell(scalar),
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain([c.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |values: &[String]| {
        let padded: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v}{}", " ".repeat(w - v.chars().count())))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(columns);
    out.push_str(&line(
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    ));
    for row in &cells {
        out.push_str(&line(row));
    }
    out
}

/// `value` as JSON text on one line (`pretty`: indented).
pub fn json_text(value: &Value, pretty: bool) -> String {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    // Writing a `Value` to a string cannot fail: every key is a string.
    text.unwrap_or_default()
}

fn cell(value: &Value) -> String {
    let text = match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => json_text(other, false),
    };
    // One line per row: newlines and tabs would break the columns.
    let text = text.replace(['\n', '\r', '\t'], " ");
    if text.chars().count() > MAX_CELL {
        format!("{}…", text.chars().take(MAX_CELL - 1).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn a_list_answer_is_one_row_per_item() {
        let answer = json(
            r#"{"TotalCount": 2, "Tasks": [{"TaskId": 1, "Name": "first"}, {"TaskId": 22, "State": 4}], "RequestId": "r"}"#,
        );
        assert_eq!(
            table(&answer),
            "TaskId  Name   State\n------  -----  -----\n1       first\n22             4\n"
        );
    }

    #[test]
    fn other_answers_are_one_row_per_member() {
        let answer = json(r#"{"TaskId": 7, "RequestId": "r"}"#);
        assert_eq!(
            table(&answer),
            "Member     Value\n---------  -----\nTaskId     7\nRequestId  r\n"
        );
        assert_eq!(table(&json("[1, 2]")), "Value\n-----\n1\n2\n");
    }

    #[test]
    fn long_and_multi_line_cells_are_kept_to_one_short_line() {
        let long = "x".repeat(100);
        let table = table(&json(&format!(r#"[{{"A": "{long}", "B": "two\nlines"}}]"#)));
        let row = table.lines().nth(2).unwrap();
        assert!(row.contains('…') && row.ends_with("two lines"), "{row}");
        assert_eq!(row.chars().count(), MAX_CELL + 2 + "two lines".len());
    }
}
