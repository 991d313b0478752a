//! From Tencent's definition to fresh spec files, before any merge with what
//! is already on disk. Facts only: every `doc` is empty, for a person to write.

use std::collections::{BTreeMap, BTreeSet};

use codegen::names;
use codegen::schema::{ACTION_SCHEMA_REF, MODEL_SCHEMA_REF};
use codegen::spec::{ActionSpec, MemberSpec, ModelSpec, PaginationSpec, PaginationStyle, Type};

use serde_json::Value;

use super::examples::{self, has_cjk, json_kind};
use super::report::{Group, Report};
use super::tccli::{ActionErrorCodes, ApiJson, ExamplesJson, TcMember, TcObject};
use super::types::member_type;

/// The rate limit written for a new action: the source has none, and 20/s is
/// what Tencent documents for most CCC actions.
pub const DEFAULT_RATE_LIMIT: u32 = 20;

/// A converted action, with what the merge needs to report its decisions.
#[derive(Debug, Clone, PartialEq)]
pub struct FreshAction {
    /// The spec file as the source alone would have it.
    pub file: ActionSpec,
    /// Why inputs that look like paging got no `pagination`.
    pub pagination_ambiguity: Option<String>,
}

/// Everything converted from the source for the selected actions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fresh {
    /// Actions by name.
    pub actions: BTreeMap<String, FreshAction>,
    /// Models (objects the actions reach) by name.
    pub models: BTreeMap<String, ModelSpec>,
}

/// The source's inputs to the importer.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    /// `api.json`.
    pub api: &'a ApiJson,
    /// `examples.json`, if given.
    pub examples: Option<&'a ExamplesJson>,
    /// Per-action error codes, if given.
    pub error_codes: Option<&'a ActionErrorCodes>,
    /// Codes of `common/errors.json` and the service's `errors.json`.
    pub catalog: &'a BTreeSet<String>,
}

/// A `rust_name` for a wire name whose derived snake name splits an acronym:
/// one-letter words join the word after them (`SkillGroupIDs`:
/// `skill_group_i_ds` -> `skill_group_ids`). `None` when the derived name reads well.
pub fn acronym_fix(wire: &str) -> Option<String> {
    let derived = names::snake(wire);
    if !names::has_split_acronym(&derived) {
        return None;
    }
    let mut words = Vec::new();
    let mut pending = String::new();
    let parts: Vec<&str> = derived.split('_').collect();
    for (i, word) in parts.iter().enumerate() {
        let single_letter = word.len() == 1 && word.chars().all(|c| c.is_ascii_alphabetic());
        if single_letter && i + 1 < parts.len() {
            pending.push_str(word);
        } else {
            words.push(format!("{pending}{word}"));
            pending.clear();
        }
    }
    Some(words.join("_"))
}

/// True when a value has the shape of the type at the top level and, for
/// lists, in each element (objects are not looked into).
fn shape_fits(value: &Value, ty: &Type) -> bool {
    match (ty, value) {
        (Type::String, Value::String(_))
        | (Type::Bool, Value::Bool(_))
        | (Type::F64, Value::Number(_)) => true,
        (Type::I64, Value::Number(n)) => n.is_i64(),
        (Type::U64, Value::Number(n)) => n.is_u64(),
        (Type::List(inner), Value::Array(items)) => items.iter().all(|i| shape_fits(i, inner)),
        (Type::Model(_), Value::Object(_)) => true,
        _ => false,
    }
}

/// A member's `example` text as a JSON value of its type. `Ok((value, note))`
/// where `note` says how the text was adjusted; `Err(reason)` when it is left out.
pub fn member_example(text: &str, ty: &Type) -> Result<(Value, Option<String>), String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("is empty".to_owned());
    }
    if has_cjk(text) {
        return Err(
            if text.chars().all(examples::is_cjk) && text.chars().count() <= 2 {
                "is a Chinese word for \"none\"".to_owned()
            } else {
                "is in Chinese".to_owned()
            },
        );
    }
    if *ty == Type::String {
        return match serde_json::from_str::<Value>(text) {
            Ok(Value::String(inner)) => Ok((
                Value::String(inner),
                Some(format!("was JSON-quoted ({text}); unquoted")),
            )),
            _ => Ok((Value::String(text.to_owned()), None)),
        };
    }
    let value = serde_json::from_str::<Value>(text)
        .map_err(|_| format!("`{text}` does not parse as JSON ({ty})"))?;
    if shape_fits(&value, ty) {
        Ok((value, None))
    } else {
        Err(format!("`{text}` is {}, not {ty}", json_kind(&value)))
    }
}

/// Where a member belongs, which decides the flags it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Input,
    Output,
    Field,
}

fn convert_member(
    owner: &str,
    m: &TcMember,
    role: Role,
    objects: &BTreeMap<String, TcObject>,
    report: &mut Report,
) -> Option<MemberSpec> {
    let ty = match member_type(m, objects) {
        Ok(ty) => ty,
        Err(e) => {
            report.add(
                Group::Problems,
                format!("{owner} `{}`: {e}; member left out", m.name),
            );
            return None;
        }
    };
    let example = match m.example.as_deref().map(|text| member_example(text, &ty)) {
        None => None,
        Some(Ok((value, note))) => {
            if let Some(note) = note {
                report.add(
                    Group::MemberExamples,
                    format!("{owner} `{}`: example {note}", m.name),
                );
            }
            Some(value)
        }
        Some(Err(reason)) => {
            report.add(
                Group::MemberExamples,
                format!("{owner} `{}`: example {reason}; omitted", m.name),
            );
            None
        }
    };
    if m.disabled {
        report.add(Group::Disabled, format!("{owner} `{}`", m.name));
    }
    Some(MemberSpec {
        name: m.name.clone(),
        rust_name: acronym_fix(&m.name),
        rust_singular: None,
        ty,
        required: role != Role::Output && m.required,
        output_required: role != Role::Input && m.output_required,
        nullable: role != Role::Input && m.value_allowed_null,
        disabled: m.disabled,
        // A person decides what is secret; the report suggests candidates (see `secrets`).
        sensitive: false,
        doc: String::new(),
        example,
    })
}

fn convert_members(
    owner: &str,
    object: &TcObject,
    role: Role,
    objects: &BTreeMap<String, TcObject>,
    report: &mut Report,
) -> Vec<MemberSpec> {
    object
        .members
        .iter()
        .filter_map(|m| convert_member(owner, m, role, objects, report))
        .collect()
}

/// Finds the paging members: `PageNumber`/`PageSize` or `Offset`/`Limit`
/// integer inputs, an integer `TotalCount`/`Total` output and exactly one list
/// output. Disabled members are not considered. `Ok(None)`: the action does not
/// page; `Err`: it looks like it does, but the members do not decide how.
pub fn detect_pagination(
    input: &[MemberSpec],
    output: &[MemberSpec],
) -> Result<Option<PaginationSpec>, String> {
    let int_input = |name: &str| {
        input
            .iter()
            .any(|m| m.name == name && !m.disabled && m.ty.is_integer())
    };
    if input.iter().any(|m| m.name == "Cursor" && !m.disabled) {
        return if int_input("PageSize") || int_input("Limit") {
            Err("pages with a Cursor, which `pagination` cannot express".to_owned())
        } else {
            Ok(None)
        };
    }
    let mut styles = Vec::new();
    for (style, page, size) in [
        (PaginationStyle::PageNumber, "PageNumber", "PageSize"),
        (PaginationStyle::Offset, "Offset", "Limit"),
    ] {
        match (int_input(page), int_input(size)) {
            (true, true) => styles.push((style, page, size)),
            (true, false) => return Err(format!("has `{page}` but no integer `{size}`")),
            (false, true) => return Err(format!("has `{size}` but no integer `{page}`")),
            (false, false) => {}
        }
    }
    let (style, page, size) = match styles.as_slice() {
        [] => return Ok(None),
        [one] => *one,
        _ => return Err("has both PageNumber/PageSize and Offset/Limit".to_owned()),
    };
    let live = output.iter().filter(|m| !m.disabled);
    let totals: Vec<&MemberSpec> = live
        .clone()
        .filter(|m| (m.name == "TotalCount" || m.name == "Total") && m.ty.is_integer())
        .collect();
    let lists: Vec<&MemberSpec> = live.filter(|m| matches!(m.ty, Type::List(_))).collect();
    let total = match totals.as_slice() {
        [one] => one.name.clone(),
        [] => {
            return Err(format!(
                "pages with {page}/{size} but has no integer TotalCount/Total output"
            ));
        }
        _ => return Err("has both TotalCount and Total".to_owned()),
    };
    let items = match lists.as_slice() {
        [one] => one.name.clone(),
        [] => return Err(format!("pages with {page}/{size} but has no list output")),
        many => {
            let names: Vec<&str> = many.iter().map(|m| m.name.as_str()).collect();
            return Err(format!(
                "pages with {page}/{size} but has several list outputs: {}",
                names.join(", ")
            ));
        }
    };
    Ok(Some(PaginationSpec {
        style,
        page: page.to_owned(),
        size: size.to_owned(),
        items,
        total,
    }))
}

/// Objects reachable from `start` through member types, `start` excluded.
fn reachable(start: &str, objects: &BTreeMap<String, TcObject>, seen: &mut BTreeSet<String>) {
    let Some(object) = objects.get(start) else {
        return;
    };
    for m in &object.members {
        if let Ok(ty) = member_type(m, objects)
            && let Some(name) = ty.model()
            && seen.insert(name.to_owned())
        {
            reachable(name, objects, seen);
        }
    }
}

/// Converts the selected actions and the models they reach.
pub fn convert(source: &Source, selected: &[String], report: &mut Report) -> Fresh {
    let api = source.api;
    let objects = &api.objects;
    let io_objects: BTreeSet<&str> = api
        .actions
        .values()
        .flat_map(|a| [a.input.as_str(), a.output.as_str()])
        .collect();
    let mut fresh = Fresh::default();
    let mut model_names = BTreeSet::new();

    for name in selected {
        let Some(action) = api.actions.get(name) else {
            report.add(Group::Problems, format!("action {name} is not in api.json"));
            continue;
        };
        if let Some(status) = action.status.as_deref().filter(|s| *s != "online") {
            report.add(
                Group::Problems,
                format!("action {name} has status `{status}`; imported anyway"),
            );
        }
        let (Some(request), Some(response)) =
            (objects.get(&action.input), objects.get(&action.output))
        else {
            report.add(
                Group::Problems,
                format!(
                    "action {name}: objects {} / {} missing; action left out",
                    action.input, action.output
                ),
            );
            continue;
        };
        reachable(&action.input, objects, &mut model_names);
        reachable(&action.output, objects, &mut model_names);

        let input = convert_members(
            &format!("action {name} input"),
            request,
            Role::Input,
            objects,
            report,
        );
        let mut output = convert_members(
            &format!("action {name} output"),
            response,
            Role::Output,
            objects,
            report,
        );
        match output.iter_mut().find(|m| m.name == "RequestId") {
            Some(m) => {
                m.ty = Type::String;
                m.output_required = true;
                m.nullable = false;
            }
            None => output.push(MemberSpec {
                name: "RequestId".to_owned(),
                rust_name: None,
                rust_singular: None,
                ty: Type::String,
                required: false,
                output_required: true,
                nullable: false,
                disabled: false,
                sensitive: false,
                doc: String::new(),
                example: None,
            }),
        }

        let mut errors = Vec::new();
        if let Some(codes) = source.error_codes {
            for code in codes.get(name).into_iter().flatten() {
                if !source.catalog.contains(code) {
                    report.add(Group::UnknownErrorCodes, format!("{name}: {code}"));
                } else if !errors.contains(code) {
                    errors.push(code.clone());
                }
            }
        }

        let mut converted_examples = Vec::new();
        let tc_examples = source
            .examples
            .and_then(|e| e.actions.get(name))
            .map(Vec::as_slice)
            .unwrap_or_default();
        if source.examples.is_some() && tc_examples.is_empty() {
            report.add(
                Group::Problems,
                format!("{name}: examples.json has no example; the generator needs one"),
            );
        }
        for (i, tc) in tc_examples.iter().enumerate() {
            let c = examples::convert(i, tc, &action.input, &action.output, objects);
            let label = format!("{name} example {}", i + 1);
            for line in &c.contradictions {
                report.add(Group::ExampleContradictions, format!("{label}: {line}"));
            }
            if !c.replaced.is_empty() {
                report.add(
                    Group::ExampleText,
                    format!("{label}: {}", c.replaced.join(", ")),
                );
            }
            if let Some(failure) = &c.failure {
                report.add(
                    Group::Problems,
                    format!("{label}: {failure}; example left out"),
                );
            }
            converted_examples.extend(c.example);
        }

        let (pagination, pagination_ambiguity) = match detect_pagination(&input, &output) {
            Ok(p) => (p, None),
            Err(why) => (None, Some(why)),
        };
        let file = ActionSpec {
            schema: Some(ACTION_SCHEMA_REF.to_owned()),
            doc: String::new(),
            rust_name: acronym_fix(name),
            read_only: name.starts_with("Describe"),
            rate_limit_per_second: DEFAULT_RATE_LIMIT,
            errors,
            pagination,
            input,
            output,
            examples: converted_examples,
        };
        fresh.actions.insert(
            name.clone(),
            FreshAction {
                file,
                pagination_ambiguity,
            },
        );
    }

    for name in model_names {
        if io_objects.contains(name.as_str()) {
            report.add(
                Group::Problems,
                format!("model {name} is also an action's request or response object"),
            );
        }
        let object = &objects[&name];
        let fields = convert_members(
            &format!("model {name}"),
            object,
            Role::Field,
            objects,
            report,
        );
        fresh.models.insert(
            name,
            ModelSpec {
                schema: Some(MODEL_SCHEMA_REF.to_owned()),
                doc: String::new(),
                fields: Some(fields),
                int_enum: None,
            },
        );
    }
    fresh
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_acronyms_get_a_joined_rust_name() {
        assert_eq!(
            acronym_fix("SkillGroupIDs").as_deref(),
            Some("skill_group_ids")
        );
        assert_eq!(acronym_fix("DescribeIMCdrs"), None);
        assert_eq!(acronym_fix("SdkAppId"), None);
        assert_eq!(acronym_fix("PhoneA"), None);
        let fixed = acronym_fix("GetUserIDsByAppIDs").unwrap();
        assert_eq!(fixed, "get_user_ids_by_app_ids");
        assert!(!names::has_split_acronym(&fixed) && names::is_snake_case(&fixed));
    }

    #[test]
    fn member_examples_parse_to_the_member_type() {
        let list_u64 = Type::List(Box::new(Type::U64));
        let compact = |value: &Value| serde_json::to_string(value).unwrap();
        assert_eq!(
            member_example("10", &Type::U64).unwrap().0,
            Value::Number(10.into())
        );
        assert_eq!(
            compact(&member_example("[1,2]", &list_u64).unwrap().0),
            "[1,2]"
        );
        assert_eq!(
            member_example("abc", &Type::String).unwrap(),
            (Value::from("abc"), None)
        );
        assert!(
            member_example("\"0086\"", &Type::String)
                .unwrap()
                .1
                .is_some()
        );
        assert!(member_example("-1", &Type::U64).is_err());
        assert!(member_example("0", &list_u64).is_err());
        assert!(member_example("[a@b.c]", &Type::List(Box::new(Type::String))).is_err());
        assert!(member_example("任务1", &Type::String).is_err());
        assert!(member_example("true", &Type::Bool).is_ok());
        assert!(member_example("{\"A\":1}", &Type::Model("X".into())).is_ok());
    }

    fn m(name: &str, ty: &str) -> MemberSpec {
        MemberSpec {
            name: name.into(),
            rust_name: None,
            rust_singular: None,
            ty: ty.parse().unwrap(),
            required: false,
            output_required: false,
            nullable: false,
            disabled: false,
            sensitive: false,
            doc: String::new(),
            example: None,
        }
    }

    #[test]
    fn pagination_is_detected_or_reported() {
        let input = [
            m("SdkAppId", "u64"),
            m("PageSize", "u64"),
            m("PageNumber", "u64"),
        ];
        let output = [
            m("TotalCount", "u64"),
            m("Tasks", "list<Task>"),
            m("RequestId", "string"),
        ];
        let p = detect_pagination(&input, &output).unwrap().unwrap();
        assert_eq!(
            (p.style, p.page.as_str(), p.items.as_str(), p.total.as_str()),
            (
                PaginationStyle::PageNumber,
                "PageNumber",
                "Tasks",
                "TotalCount"
            )
        );

        let input = [m("Offset", "i64"), m("Limit", "i64")];
        let output = [
            m("Total", "i64"),
            m("A", "list<string>"),
            m("B", "list<string>"),
        ];
        assert!(
            detect_pagination(&input, &output)
                .unwrap_err()
                .contains("several list outputs: A, B")
        );

        let mut disabled_offset = m("Offset", "i64");
        disabled_offset.disabled = true;
        let input = [disabled_offset, m("Limit", "i64")];
        assert!(detect_pagination(&input, &output).is_err());
        assert_eq!(
            detect_pagination(&[m("SdkAppId", "u64")], &output),
            Ok(None)
        );
        assert!(
            detect_pagination(&[m("Cursor", "string"), m("PageSize", "i64")], &output)
                .unwrap_err()
                .contains("Cursor")
        );
    }
}
