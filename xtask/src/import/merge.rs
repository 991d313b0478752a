//! Re-import: what is already in the spec wins over the source for everything a
//! person may have written or decided (docs, Rust names, pagination, read-only,
//! rate limit, example titles, refined types such as an int-enum model in
//! place of an integer). Differences in facts are reported, not applied; new
//! actions, models and members are added.

use std::collections::BTreeMap;

use codegen::spec::{ActionSpec, MemberSpec, ModelSpec, Type};

use super::convert::FreshAction;
use super::report::{Group, Report};
use super::secrets;

/// True when the spec's type may stand for the source's: the same type, or an
/// int-enum model of the same integer type (the hand-made `State` enums).
pub fn compatible(spec: &Type, source: &Type, models: &BTreeMap<String, ModelSpec>) -> bool {
    match (spec, source) {
        _ if spec == source => true,
        (Type::List(a), Type::List(b)) => compatible(a, b, models),
        (Type::Model(name), Type::I64 | Type::U64) => models
            .get(name)
            .and_then(|m| m.int_enum.as_ref())
            .is_some_and(|e| e.ty == source.to_string()),
        _ => false,
    }
}

/// Merges the members of one list (action input or output, or model fields).
/// `owner` names the list in report lines, e.g. `action X input`.
pub fn merge_members(
    owner: &str,
    fresh: &[MemberSpec],
    existing: &[MemberSpec],
    models: &BTreeMap<String, ModelSpec>,
    report: &mut Report,
) -> Vec<MemberSpec> {
    let mut merged: Vec<MemberSpec> = existing.to_vec();
    let mut previous: Option<&str> = None;
    for f in fresh {
        match merged.iter_mut().find(|e| e.name == f.name) {
            Some(e) => {
                if !compatible(&e.ty, &f.ty, models) {
                    report.add(
                        Group::Changed,
                        format!(
                            "{owner} `{}`: type is {} in the source, {} in the spec; kept {}",
                            f.name, f.ty, e.ty, e.ty
                        ),
                    );
                }
                for (flag, source, spec) in [
                    ("required", f.required, e.required),
                    ("output_required", f.output_required, e.output_required),
                    ("nullable", f.nullable, e.nullable),
                ] {
                    if source != spec {
                        report.add(Group::Changed, format!("{owner} `{}`: {flag} is {source} in the source, {spec} in the spec; kept {spec}", f.name));
                    }
                }
                if f.disabled && !e.disabled {
                    e.disabled = true;
                    report.add(
                        Group::Disabled,
                        format!(
                            "{owner} `{}`: newly disabled in the source; flag added",
                            f.name
                        ),
                    );
                }
                if e.rust_name.is_none() && f.rust_name.is_some() {
                    e.rust_name.clone_from(&f.rust_name);
                    report.add(
                        Group::RustNames,
                        format!(
                            "{owner} `{}` -> {}",
                            f.name,
                            f.rust_name.as_deref().unwrap_or_default()
                        ),
                    );
                }
                if e.example.is_none() {
                    e.example.clone_from(&f.example);
                }
            }
            None => {
                let at = previous
                    .and_then(|p| merged.iter().position(|e| e.name == p))
                    .map_or(0, |i| i + 1);
                merged.insert(at, f.clone());
                report.add(Group::Added, format!("{owner} `{}`: {}", f.name, f.ty));
                secrets::suggest(owner, std::slice::from_ref(f), report);
                if let Some(rust) = &f.rust_name {
                    report.add(Group::RustNames, format!("{owner} `{}` -> {rust}", f.name));
                }
            }
        }
        previous = Some(&f.name);
    }
    for e in existing {
        if !fresh.iter().any(|f| f.name == e.name) {
            report.add(
                Group::Removed,
                format!("{owner} `{}`: not in the source; kept", e.name),
            );
        }
    }
    merged
}

fn report_new_action_decisions(
    name: &str,
    file: &ActionSpec,
    fresh: &FreshAction,
    report: &mut Report,
) {
    if let Some(rust) = &file.rust_name {
        report.add(Group::RustNames, format!("action {name} -> {rust}"));
    }
    for (side, members) in [("input", &file.input), ("output", &file.output)] {
        secrets::suggest(&format!("action {name} {side}"), members, report);
        for m in members {
            if let Some(rust) = &m.rust_name {
                report.add(
                    Group::RustNames,
                    format!("action {name} {side} `{}` -> {rust}", m.name),
                );
            }
        }
    }
    if file.read_only {
        report.add(Group::ReadOnly, format!("{name}: read_only true"));
    } else if ["Get", "List", "Query", "Search", "Check"]
        .iter()
        .any(|p| name.starts_with(p))
    {
        report.add(
            Group::ReadOnly,
            format!("{name}: looks read-only but is not Describe*; left false"),
        );
    }
    report.add(
        Group::RateLimit,
        format!("{name}: {}", file.rate_limit_per_second),
    );
    if let Some(why) = &fresh.pagination_ambiguity {
        report.add(Group::PaginationAmbiguous, format!("{name}: {why}"));
    }
    if let Some(p) = &file.pagination {
        report.add(
            Group::Pagination,
            format!(
                "{name}: {} {}/{}, items {}, total {}",
                p.style, p.page, p.size, p.items, p.total
            ),
        );
    }
}

/// Merges one action with its existing file, if any.
pub fn merge_action(
    name: &str,
    fresh: &FreshAction,
    existing: Option<&ActionSpec>,
    models: &BTreeMap<String, ModelSpec>,
    report: &mut Report,
) -> ActionSpec {
    let f = &fresh.file;
    let Some(e) = existing else {
        report.add(
            Group::Added,
            format!(
                "action {name}: {} input(s), {} output(s), {} example(s)",
                f.input.len(),
                f.output.len(),
                f.examples.len()
            ),
        );
        report_new_action_decisions(name, f, fresh, report);
        return f.clone();
    };
    let mut merged = e.clone();
    if merged.schema.is_none() {
        merged.schema.clone_from(&f.schema);
    }
    if merged.rust_name.is_none() && f.rust_name.is_some() {
        merged.rust_name.clone_from(&f.rust_name);
        report.add(
            Group::RustNames,
            format!(
                "action {name} -> {}",
                f.rust_name.as_deref().unwrap_or_default()
            ),
        );
    }

    for code in &f.errors {
        if !merged.errors.contains(code) {
            merged.errors.push(code.clone());
            report.add(Group::Added, format!("action {name} errors: {code}"));
        }
    }
    for code in &e.errors {
        if !f.errors.contains(code) {
            report.add(
                Group::Removed,
                format!("action {name} errors: {code} is not in the source's list; kept"),
            );
        }
    }
    merged.errors.sort();
    merged.errors.dedup();

    merged.input = merge_members(
        &format!("action {name} input"),
        &f.input,
        &e.input,
        models,
        report,
    );
    merged.output = merge_members(
        &format!("action {name} output"),
        &f.output,
        &e.output,
        models,
        report,
    );

    if merged.pagination.is_none() {
        match (&f.pagination, &fresh.pagination_ambiguity) {
            (Some(p), _) => {
                merged.pagination = Some(p.clone());
                report.add(
                    Group::Pagination,
                    format!(
                        "{name}: {} {}/{}, items {}, total {}",
                        p.style, p.page, p.size, p.items, p.total
                    ),
                );
            }
            (None, Some(why)) => report.add(Group::PaginationAmbiguous, format!("{name}: {why}")),
            (None, None) => {}
        }
    }

    for (i, fx) in f.examples.iter().enumerate() {
        match merged.examples.get_mut(i) {
            Some(ex) if ex.request == fx.request && ex.response == fx.response => {
                if ex.notes.is_none() {
                    ex.notes.clone_from(&fx.notes);
                }
            }
            Some(_) => report.add(
                Group::Changed,
                format!(
                    "action {name} example {}: differs from the source; kept the spec's",
                    i + 1
                ),
            ),
            None => {
                merged.examples.push(fx.clone());
                report.add(Group::Added, format!("action {name} example {}", i + 1));
            }
        }
    }
    merged
}

/// Merges one model with its existing file, if any.
pub fn merge_model(
    name: &str,
    fresh: &ModelSpec,
    existing: Option<&ModelSpec>,
    models: &BTreeMap<String, ModelSpec>,
    report: &mut Report,
) -> ModelSpec {
    let Some(e) = existing else {
        report.add(
            Group::Added,
            format!(
                "model {name}: {} field(s)",
                fresh.fields.as_ref().map_or(0, Vec::len)
            ),
        );
        secrets::suggest(
            &format!("model {name}"),
            fresh.fields.as_deref().unwrap_or_default(),
            report,
        );
        for m in fresh.fields.iter().flatten() {
            if let Some(rust) = &m.rust_name {
                report.add(
                    Group::RustNames,
                    format!("model {name} `{}` -> {rust}", m.name),
                );
            }
        }
        return fresh.clone();
    };
    let mut merged = e.clone();
    if merged.schema.is_none() {
        merged.schema.clone_from(&fresh.schema);
    }
    match &e.fields {
        Some(fields) => {
            merged.fields = Some(merge_members(
                &format!("model {name}"),
                fresh.fields.as_deref().unwrap_or_default(),
                fields,
                models,
                report,
            ));
        }
        None => report.add(
            Group::Changed,
            format!(
                "model {name}: an int_enum in the spec, an object in the source; kept the int_enum"
            ),
        ),
    }
    merged
}

#[cfg(test)]
mod tests {
    use codegen::spec::IntEnumSpec;

    use super::*;

    fn member(name: &str, ty: &str) -> MemberSpec {
        MemberSpec {
            name: name.into(),
            rust_name: None,
            rust_singular: None,
            ty: ty.parse().unwrap(),
            required: false,
            output_required: true,
            nullable: false,
            disabled: false,
            sensitive: false,
            doc: String::new(),
            example: None,
        }
    }

    fn enum_model(ty: &str) -> ModelSpec {
        ModelSpec {
            schema: None,
            doc: "An enum.".into(),
            fields: None,
            int_enum: Some(IntEnumSpec {
                ty: ty.into(),
                values: Vec::new(),
            }),
        }
    }

    fn compatible(spec: &str, source: &str, models: &BTreeMap<String, ModelSpec>) -> bool {
        super::compatible(&spec.parse().unwrap(), &source.parse().unwrap(), models)
    }

    #[test]
    fn docs_and_rust_names_survive_and_type_changes_are_reported() {
        let models = BTreeMap::from([("TaskState".to_owned(), enum_model("u64"))]);
        let mut a = member("SkillGroupIDs", "list<u64>");
        a.rust_name = Some("skill_group_numbers".into());
        a.doc = "Hand-written.".into();
        let mut state = member("State", "TaskState");
        state.doc = "Life cycle.".into();
        let mut count = member("Count", "u64");
        count.doc = "How many.".into();
        let gone = member("Gone", "string");
        let existing = vec![a, state, count, gone];

        let mut fa = member("SkillGroupIDs", "list<u64>");
        fa.rust_name = Some("skill_group_ids".into());
        let fresh = vec![
            member("New", "bool"),
            fa,
            member("State", "u64"),
            member("Count", "i64"),
            member("Later", "string"),
        ];

        let mut report = Report::default();
        let merged = merge_members("model M", &fresh, &existing, &models, &mut report);
        let names: Vec<&str> = merged.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            names,
            ["New", "SkillGroupIDs", "State", "Count", "Later", "Gone"]
        );
        assert_eq!(merged[1].rust_name.as_deref(), Some("skill_group_numbers"));
        assert_eq!(merged[1].doc, "Hand-written.");
        assert_eq!(merged[2].ty, Type::Model("TaskState".into()));
        assert_eq!(merged[3].ty, Type::U64);
        assert_eq!(merged[3].doc, "How many.");
        assert_eq!(
            report.lines(Group::Changed),
            ["model M `Count`: type is i64 in the source, u64 in the spec; kept u64"]
        );
        assert_eq!(
            report.lines(Group::Removed),
            ["model M `Gone`: not in the source; kept"]
        );
        assert_eq!(
            report.lines(Group::Added),
            ["model M `New`: bool", "model M `Later`: string"]
        );
    }

    #[test]
    fn hand_set_sensitive_flags_survive_and_new_secret_looking_members_are_suggested() {
        let mut password = member("Password", "string");
        password.sensitive = true;
        let existing = vec![member("Name", "string"), password];
        // The source knows nothing of secrets: every fresh member comes unmarked.
        let fresh = vec![
            member("Name", "string"),
            member("Password", "string"),
            member("ClientSecret", "string"),
            member("Count", "u64"),
        ];

        let mut report = Report::default();
        let merged = merge_members("model M", &fresh, &existing, &BTreeMap::new(), &mut report);
        let flags: Vec<(&str, bool)> = merged
            .iter()
            .map(|m| (m.name.as_str(), m.sensitive))
            .collect();
        assert_eq!(
            flags,
            [
                ("Name", false),
                ("Password", true),
                ("ClientSecret", false),
                ("Count", false)
            ]
        );
        assert_eq!(
            report.lines(Group::Sensitive),
            ["model M `ClientSecret`"],
            "only new, unmarked members are suggested"
        );
        assert!(
            report.lines(Group::Changed).is_empty(),
            "{:?}",
            report.lines(Group::Changed)
        );
    }

    #[test]
    fn int_enum_refinement_is_compatible_only_with_its_integer_type() {
        let models = BTreeMap::from([("S".to_owned(), enum_model("u64"))]);
        assert!(compatible("S", "u64", &models));
        assert!(compatible("list<S>", "list<u64>", &models));
        assert!(!compatible("S", "i64", &models));
        assert!(!compatible("u64", "i64", &models));
    }
}
