//! Turning wire names into Rust names.
//!
//! Wire names are never rebuilt from Rust names: the IR carries both, and the
//! emitters write the wire name explicitly. These helpers only go one way.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust's strict and reserved keywords (2024 edition), which need `r#` as identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; these get a trailing underscore instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// True for an ASCII identifier: a letter, then letters, digits or underscores.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// True for a snake_case identifier such as `sdk_app_id`.
pub fn is_snake_case(name: &str) -> bool {
    is_identifier(name)
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// True for an UpperCamelCase identifier such as `AutoCalloutTaskInfo`.
pub fn is_upper_camel(name: &str) -> bool {
    is_identifier(name) && name.starts_with(|c: char| c.is_ascii_uppercase()) && !name.contains('_')
}

/// The snake_case form of a wire name: `SdkAppId` -> `sdk_app_id`.
pub fn snake(wire: &str) -> String {
    wire.to_snake_case()
}

/// The UpperCamelCase form of an error code: `AuthFailure.SignatureExpire` -> `AuthFailureSignatureExpire`.
pub fn camel_from_code(code: &str) -> String {
    code.replace('.', "_").to_upper_camel_case()
}

/// A derived snake name that splits an acronym into one-letter words
/// (`SkillGroupIDs` -> `skill_group_i_ds`) reads badly; the spec should give a `rust_name`.
pub fn has_split_acronym(snake: &str) -> bool {
    let words: Vec<&str> = snake.split('_').collect();
    words.len() > 1
        && words[..words.len() - 1]
            .iter()
            .any(|w| w.len() == 1 && w.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Makes a snake_case name usable as an identifier: `type` -> `r#type`, `self` -> `self_`.
pub fn escape(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// The builder method that appends one element to the list member `rust_name`:
/// its singular (`callees` -> `callee`, `skill_group_ids` -> `skill_group_id`,
/// `staff_list` -> `staff`, `statuses` -> `status`), or `add_<name>` when the
/// name has no plural ending or its singular is a keyword (`file_id` -> `add_file_id`).
pub fn appender(rust_name: &str) -> String {
    let bare = rust_name.strip_prefix("r#").unwrap_or(rust_name);
    match singular(bare) {
        Some(one) if is_snake_case(&one) && escape(&one) == one => one,
        _ => format!("add_{}", bare.trim_end_matches('_')),
    }
}

/// The singular of a snake_case plural, if its ending says how to form one.
fn singular(plural: &str) -> Option<String> {
    let (stem, last) = match plural.rsplit_once('_') {
        Some((stem, last)) => (Some(stem), last),
        None => (None, plural),
    };
    if last == "list" {
        return stem.map(str::to_owned);
    }
    let one = if let Some(base) = last.strip_suffix("ies") {
        format!("{base}y")
    } else if last.ends_with("sses")
        || last.ends_with("uses")
        || last.ends_with("xes")
        || last.ends_with("ches")
        || last.ends_with("shes")
    {
        last[..last.len() - 2].to_owned()
    } else if last.ends_with("ss") || last.ends_with("us") || last.ends_with("is") {
        return None;
    } else {
        last.strip_suffix('s')?.to_owned()
    };
    if one.is_empty() {
        return None;
    }
    Some(match stem {
        Some(stem) => format!("{stem}_{one}"),
        None => one,
    })
}

/// The builder method that sets the member `rust_name` from an `Option`: `set_<name>`.
pub fn option_setter(rust_name: &str) -> String {
    format!("set_{}", rust_name.strip_prefix("r#").unwrap_or(rust_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(escape("type"), "r#type");
        assert_eq!(escape("self"), "self_");
        assert_eq!(escape("name"), "name");
    }

    #[test]
    fn split_acronyms_are_detected() {
        assert!(has_split_acronym(&snake("SkillGroupIDs")));
        assert!(!has_split_acronym(&snake("SdkAppId")));
        assert!(!has_split_acronym(&snake("PhoneA")));
    }

    #[test]
    fn list_appenders_are_singulars() {
        for (plural, one) in [
            ("callees", "callee"),
            ("skill_group_ids", "skill_group_id"),
            ("staff_list", "staff"),
            ("group_id_list", "group_id"),
            ("statuses", "status"),
            ("staffs", "staff"),
            ("policies", "policy"),
            ("batches", "batch"),
            ("matches", "add_matches"),
            ("file_id", "add_file_id"),
            ("status", "add_status"),
            ("list", "add_list"),
            ("types", "add_types"),
            ("r#type", "add_type"),
        ] {
            assert_eq!(appender(plural), one, "{plural}");
        }
        assert_eq!(option_setter("r#type"), "set_type");
        assert_eq!(option_setter("callees"), "set_callees");
    }

    #[test]
    fn error_codes_become_camel_case() {
        assert_eq!(
            camel_from_code("AuthFailure.SignatureExpire"),
            "AuthFailureSignatureExpire"
        );
        assert_eq!(
            camel_from_code("InternalError.DBError"),
            "InternalErrorDbError"
        );
    }
}
