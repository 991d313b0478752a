//! Emits the per-action part of the `ccc` command line (`crates/<service>-cli/src/generated/`):
//! for each action, a constant that declares its subcommand (name, docs, one flag per
//! input member with its wire name and type), its pagination, a request template,
//! and which SDK request type carries it.
//!
//! The declarations are data, read by the hand-written CLI at run time: the generated
//! code depends on nothing of the SDK but each request type's name and its
//! `ccc_api::Request` implementation, so the SDK's builders and structs can change
//! without touching it.

use std::collections::BTreeSet;

use heck::ToShoutySnakeCase;
use proc_macro2::{Literal, TokenStream, TokenTree};
use quote::{format_ident, quote};
use serde_json::Value;

use super::render::doc;
use super::types::ident;
use crate::ir::{Action, Api, Field, ModelKind, PaginationStyle, Type};

/// Flags the hand-written CLI defines on every subcommand (see `crates/ccc-cli/src/app.rs`);
/// a member whose flag would be one of these is refused rather than silently shadowed.
pub const RESERVED_FLAGS: &[&str] = &[
    "all-pages",
    "cli-input-json",
    "endpoint",
    "generate-cli-skeleton",
    "help",
    "output",
    "profile",
    "query",
    "region",
    "version",
];

/// Files of the CLI's generated module, paths relative to it, in a fixed order.
pub fn cli_files(api: &Api) -> Result<Vec<(String, TokenStream)>, String> {
    let mut files = vec![
        ("mod.rs".to_owned(), root_module(api)),
        ("actions/mod.rs".to_owned(), actions_module(api)),
    ];
    for action in &api.actions {
        files.push((
            format!("actions/{}.rs", action.method),
            action_file(api, action)?,
        ));
    }
    Ok(files)
}

/// The subcommand of an action: its method name in kebab-case (`describe_im_cdrs` ->
/// `describe-im-cdrs`), so it splits words exactly as the SDK does.
pub fn command_name(method: &str) -> String {
    kebab(method)
}

/// The flag of a member: its Rust name in kebab-case (`sdk_app_id` -> `sdk-app-id`).
pub fn flag_name(rust_name: &str) -> String {
    kebab(rust_name)
}

fn kebab(rust_name: &str) -> String {
    let bare = rust_name.strip_prefix("r#").unwrap_or(rust_name);
    // `self_` and the like: the underscore only avoids a keyword.
    bare.trim_end_matches('_').replace('_', "-")
}

fn root_module(api: &Api) -> TokenStream {
    let doc = format!(
        " The subcommands of `ccc`, one per {} action, generated from the spec.",
        api.service.title
    );
    let specs = api.actions.iter().map(|a| {
        let module = ident(&a.method);
        quote! { &actions::#module::SPEC, }
    });
    quote! {
        #![doc = #doc]

        mod actions;

        use crate::action_spec::ActionSpec;

        /// Every action, ordered by wire name.
        pub static ACTIONS: &[&ActionSpec] = &[ #( #specs )* ];
    }
}

fn actions_module(api: &Api) -> TokenStream {
    let modules = api.actions.iter().map(|a| {
        let module = ident(&a.method);
        let doc = format!(" `ccc {}`.", command_name(&a.method));
        quote! {
            #[doc = #doc]
            pub mod #module;
        }
    });
    quote! {
        //! One module per action.
        #( #modules )*
    }
}

fn action_file(api: &Api, action: &Action) -> Result<TokenStream, String> {
    let name = &action.name;
    let command = command_name(&action.method);
    let module_doc = format!(" `ccc {command}`: the `{name}` action.");
    let const_doc = doc(&format!(
        "How `ccc {command}` reads its flags and sends `{name}`."
    ));
    let request = format_ident!("{}Request", name);
    let summary = summary(&action.doc);
    let action_doc = action.doc.trim();

    let mut flags = BTreeSet::new();
    let mut enums = BTreeSet::new();
    let mut members = Vec::new();
    for field in &action.input {
        let flag = flag_name(&field.rust_name);
        if RESERVED_FLAGS.contains(&flag.as_str()) {
            return Err(format!(
                "{name}: member `{}` would be the flag `--{flag}`, which the CLI defines itself",
                field.wire_name
            ));
        }
        if !flags.insert(flag.clone()) {
            return Err(format!("{name}: two members would be the flag `--{flag}`"));
        }
        members.push(member(api, field, &flag, &mut enums));
    }
    let pagination = match action.page_fields() {
        Some(p) => {
            let style = match p.style {
                PaginationStyle::PageNumber => quote! { PageStyle::PageNumber },
                PaginationStyle::Offset => quote! { PageStyle::Offset },
            };
            let (page, size, items, total) = (
                &p.page.wire_name,
                &p.size.wire_name,
                &p.items.wire_name,
                &p.total.wire_name,
            );
            quote! { Some(Pagination { style: #style, page: #page, size: #size, items: #items, total: #total }) }
        }
        None => quote! { None },
    };
    let skeleton = skeleton(api, &action.input);
    let example = match example_command(action, &command) {
        Some(text) => quote! { Some(#text) },
        None => quote! { None },
    };

    let spec = quote! {
        #const_doc
        pub const SPEC: ActionSpec = ActionSpec {
            name: #name,
            command: #command,
            summary: #summary,
            doc: #action_doc,
            input: &[ #( #members )* ],
            pagination: #pagination,
            skeleton: #skeleton,
            example: #example,
            send: send::<#request>,
        };
    };
    let enum_consts = enums.iter().filter_map(|name| enum_const(api, name));
    let spec = quote! {
        #spec
        #( #enum_consts )*
    };
    let used: Vec<_> = [
        "ActionSpec",
        "EnumValue",
        "IntEnum",
        "Kind",
        "MemberSpec",
        "PageStyle",
        "Pagination",
        "Scalar",
    ]
    .into_iter()
    .filter(|item| uses_ident(&spec, item))
    .map(|item| format_ident!("{item}"))
    .collect();
    Ok(quote! {
        #![doc = #module_doc]

        use ccc_api::actions::#request;

        use crate::action_spec::{ #( #used ),* };
        use crate::send::send;

        #spec
    })
}

fn member(api: &Api, field: &Field, flag: &str, enums: &mut BTreeSet<String>) -> TokenStream {
    let wire = &field.wire_name;
    let required = !field.optional;
    let doc = field.doc.trim();
    let kind = kind(api, &field.ty, enums);
    let example = match field
        .example
        .as_ref()
        .and_then(|value| example_flags(flag, &field.ty, value))
    {
        Some(text) => quote! { Some(#text) },
        None => quote! { None },
    };
    quote! {
        MemberSpec {
            name: #wire,
            flag: #flag,
            kind: #kind,
            required: #required,
            doc: #doc,
            example: #example,
        },
    }
}

/// The flags that pass `value` for a member, as a person would type them:
/// `--sdk-app-id 1400000000`, `--callees a --callees b`, `--variables '[...]'`.
/// `None` when the value does not fit the type (the spec's examples are checked elsewhere).
fn example_flags(flag: &str, ty: &Type, value: &Value) -> Option<String> {
    let one = |value: &Value| -> Option<String> {
        match value {
            Value::String(s) => Some(shell_word(s)),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    };
    let scalar_list =
        matches!(ty, Type::List(inner) if !matches!(**inner, Type::List(_) | Type::Model(_)));
    match (ty, value) {
        (Type::Bool, Value::Bool(true)) => Some(format!("--{flag}")),
        (Type::List(_), Value::Array(items)) if scalar_list => {
            let words = items
                .iter()
                .map(|v| one(v).map(|w| format!("--{flag} {w}")))
                .collect::<Option<Vec<_>>>()?;
            (!words.is_empty()).then(|| words.join(" "))
        }
        (Type::List(_) | Type::Model(_), Value::Array(_) | Value::Object(_)) => Some(format!(
            "--{flag} {}",
            shell_word(&serde_json::to_string(value).ok()?)
        )),
        (_, Value::Array(_) | Value::Object(_) | Value::Null) => None,
        (_, scalar) => Some(format!("--{flag} {}", one(scalar)?)),
    }
}

/// The first example of the spec as a command line, members in definition order;
/// `None` when the action has no example whose every member reads as flags.
fn example_command(action: &Action, command: &str) -> Option<String> {
    let request = &action.examples.first()?.request;
    let object = request.as_object()?;
    let mut words = vec![format!("ccc {command}")];
    for field in &action.input {
        if let Some(value) = object.get(&field.wire_name).filter(|v| !v.is_null()) {
            words.push(example_flags(
                &flag_name(&field.rust_name),
                &field.ty,
                value,
            )?);
        }
    }
    // A member the definition does not know cannot be shown as a flag.
    let known = object
        .keys()
        .all(|k| action.input.iter().any(|f| &f.wire_name == k));
    known.then(|| words.join(" "))
}

/// `text` as one shell word: as it is when that is safe, else in single quotes.
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.,:/@%+=".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// How the parser reads a member: scalars and lists of scalars as flags of their type,
/// everything holding a structure as JSON.
fn kind(api: &Api, ty: &Type, enums: &mut BTreeSet<String>) -> TokenStream {
    match ty {
        Type::List(element) => match scalar(api, element, enums) {
            Some(scalar) => quote! { Kind::List(#scalar) },
            None => json_kind(ty),
        },
        other => match scalar(api, other, enums) {
            Some(scalar) => quote! { Kind::Scalar(#scalar) },
            None => json_kind(ty),
        },
    }
}

fn json_kind(ty: &Type) -> TokenStream {
    let text = type_text(ty);
    quote! { Kind::Json(#text) }
}

/// The scalar a type is, if it is one; integer enums are collected in `enums`.
fn scalar(api: &Api, ty: &Type, enums: &mut BTreeSet<String>) -> Option<TokenStream> {
    Some(match ty {
        Type::String => quote! { Scalar::String },
        Type::Bool => quote! { Scalar::Bool },
        Type::I64 => quote! { Scalar::I64 },
        Type::U64 => quote! { Scalar::U64 },
        Type::F64 => quote! { Scalar::F64 },
        Type::List(_) => return None,
        Type::Model(name) => {
            let model = api.models.iter().find(|m| &m.name == name)?;
            let ModelKind::IntEnum { .. } = &model.kind else {
                return None;
            };
            enums.insert(name.clone());
            let constant = enum_const_name(name);
            quote! { Scalar::Enum(&#constant) }
        }
    })
}

fn enum_const_name(model: &str) -> proc_macro2::Ident {
    format_ident!("{}", model.to_shouty_snake_case())
}

/// `const PRIORITY: IntEnum = ...`: the values of an integer enum the action's flags take.
fn enum_const(api: &Api, name: &str) -> Option<TokenStream> {
    let model = api.models.iter().find(|m| m.name == name)?;
    let ModelKind::IntEnum { signed, values } = &model.kind else {
        return None;
    };
    let constant = enum_const_name(name);
    let doc = doc(&format!("The values of `{name}`: {}", model.doc.trim()));
    let values = values.iter().map(|v| {
        let (value, variant, doc) = (Literal::i64_unsuffixed(v.value), &v.name, v.doc.trim());
        quote! { EnumValue { value: #value, name: #variant, doc: #doc }, }
    });
    Some(quote! {
        #doc
        const #constant: IntEnum = IntEnum { name: #name, signed: #signed, values: &[ #( #values )* ] };
    })
}

/// The spec's spelling of a type, for help texts: `list<Variable>`.
fn type_text(ty: &Type) -> String {
    match ty {
        Type::String => "string".to_owned(),
        Type::Bool => "bool".to_owned(),
        Type::I64 => "i64".to_owned(),
        Type::U64 => "u64".to_owned(),
        Type::F64 => "f64".to_owned(),
        Type::List(inner) => format!("list<{}>", type_text(inner)),
        Type::Model(name) => name.clone(),
    }
}

/// A request template for `--generate-cli-skeleton`: every member in spec order,
/// with a placeholder of its type (structures expanded, lists with one element), as
/// pretty JSON in a raw string literal.
fn skeleton(api: &Api, input: &[Field]) -> TokenStream {
    let members = input
        .iter()
        .map(|f| {
            (
                f.wire_name.clone(),
                placeholder(api, &f.ty, &mut Vec::new()),
            )
        })
        .collect();
    let mut text = String::new();
    Template::Object(members).write(&mut text, 0);
    // Wire names and placeholders hold no `"#`, so the literal cannot end early.
    format!("r#\"{text}\"#")
        .parse()
        .unwrap_or_else(|_| quote! { "" })
}

/// A JSON value whose object members keep their order (`serde_json::Map` sorts them).
enum Template {
    Scalar(String),
    List(Box<Template>),
    Object(Vec<(String, Template)>),
}

impl Template {
    fn write(&self, out: &mut String, indent: usize) {
        let pad = |n: usize| "  ".repeat(n);
        match self {
            Template::Scalar(text) => out.push_str(text),
            Template::List(element) => {
                out.push_str(&format!("[\n{}", pad(indent + 1)));
                element.write(out, indent + 1);
                out.push_str(&format!("\n{}]", pad(indent)));
            }
            Template::Object(members) if members.is_empty() => out.push_str("{}"),
            Template::Object(members) => {
                out.push('{');
                for (i, (name, value)) in members.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    out.push_str(&format!(
                        "{}{}: ",
                        pad(indent + 1),
                        serde_json::Value::String(name.clone())
                    ));
                    value.write(out, indent + 1);
                }
                out.push_str(&format!("\n{}}}", pad(indent)));
            }
        }
    }
}

fn placeholder(api: &Api, ty: &Type, open: &mut Vec<String>) -> Template {
    match ty {
        Type::String => Template::Scalar("\"\"".to_owned()),
        Type::Bool => Template::Scalar("false".to_owned()),
        Type::I64 | Type::U64 => Template::Scalar("0".to_owned()),
        Type::F64 => Template::Scalar("0.0".to_owned()),
        Type::List(inner) => Template::List(Box::new(placeholder(api, inner, open))),
        Type::Model(name) => {
            let Some(model) = api.models.iter().find(|m| &m.name == name) else {
                return Template::Scalar("null".to_owned());
            };
            match &model.kind {
                // The first known value; `0` would not be one of them in general.
                ModelKind::IntEnum { values, .. } => {
                    Template::Scalar(values.first().map_or(0, |v| v.value).to_string())
                }
                // A structure that contains itself stops at its second appearance.
                ModelKind::Struct(_) if open.contains(name) => Template::Object(Vec::new()),
                ModelKind::Struct(fields) => {
                    open.push(name.clone());
                    let members = fields
                        .iter()
                        .map(|f| (f.wire_name.clone(), placeholder(api, &f.ty, open)))
                        .collect();
                    open.pop();
                    Template::Object(members)
                }
            }
        }
    }
}

/// The first sentence of a doc, for the list of subcommands.
fn summary(doc: &str) -> String {
    let doc = doc.trim();
    let first_line = doc.lines().next().unwrap_or_default();
    match first_line.find(". ") {
        Some(end) => first_line[..=end].to_owned(),
        None => first_line.to_owned(),
    }
}

/// True when `tokens` contain the identifier `name`.
fn uses_ident(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        TokenTree::Ident(i) => i == name,
        TokenTree::Group(g) => uses_ident(&g.stream(), name),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_rust_names() {
        assert_eq!(command_name("describe_im_cdrs"), "describe-im-cdrs");
        assert_eq!(flag_name("sdk_app_id"), "sdk-app-id");
        assert_eq!(flag_name("r#type"), "type");
        assert_eq!(flag_name("self_"), "self");
    }

    #[test]
    fn examples_read_as_typed_flags() {
        let json = |text: &str| serde_json::from_str::<Value>(text).unwrap();
        let list = |t: Type| Type::List(Box::new(t));
        let cases = [
            (Type::U64, json("1400000000"), Some("--x 1400000000")),
            (Type::String, json(r#""ab c""#), Some("--x 'ab c'")),
            (Type::String, json(r#""it's""#), Some(r"--x 'it'\''s'")),
            (Type::Bool, json("true"), Some("--x")),
            (Type::Bool, json("false"), Some("--x false")),
            (
                list(Type::String),
                json(r#"["a", "b"]"#),
                Some("--x a --x b"),
            ),
            (
                list(Type::Model("M".into())),
                json(r#"[{"K": "v", "A": 1}]"#),
                Some(r#"--x '[{"K":"v","A":1}]'"#),
            ),
            (Type::U64, json("[1]"), None),
            (list(Type::String), json("[]"), None),
        ];
        for (ty, value, wanted) in cases {
            assert_eq!(
                example_flags("x", &ty, &value).as_deref(),
                wanted,
                "{ty:?} {value:?}"
            );
        }
    }

    #[test]
    fn summary_is_the_first_sentence() {
        assert_eq!(summary("Lists tasks. Pages by number."), "Lists tasks.");
        assert_eq!(summary("Lists tasks"), "Lists tasks");
        assert_eq!(summary("Lists v1.2 tasks.\nMore."), "Lists v1.2 tasks.");
    }
}
