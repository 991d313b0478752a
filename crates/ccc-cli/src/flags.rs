//! One flag per request member: declaring it to clap with its type's parser,
//! and reading the parsed values back as request JSON keyed by wire names.

use clap::builder::{PossibleValue, TypedValueParser, ValueParser};
use clap::{Arg, ArgAction, ArgMatches};
use serde_json::{Map, Value};

use crate::action_spec::{IntEnum, Kind, MemberSpec, Scalar};

/// Flags that make the request come from elsewhere, so required members need not be given as flags.
pub const REQUEST_SOURCES: [&str; 2] = ["cli-input-json", "generate-cli-skeleton"];

/// The clap argument of `member`: its type checked by the parser, its doc,
/// type and requirement in the help. `page_member` is the member `--all-pages`
/// starts from when it is not given.
pub fn arg(member: &'static MemberSpec, page_member: bool) -> Arg {
    let (scalar, repeated) = match member.kind {
        Kind::Scalar(s) => (Some(s), false),
        Kind::List(s) => (Some(s), true),
        Kind::Json(_) => (None, false),
    };
    let type_text = match member.kind {
        Kind::Scalar(s) => s.type_name().to_owned(),
        Kind::List(s) => format!("list<{}>", s.type_name()),
        Kind::Json(ty) => ty.to_owned(),
    };
    let requirement = if member.required {
        "required"
    } else {
        "optional"
    };
    let how = match member.kind {
        Kind::List(_) => "; repeat the flag for each element",
        Kind::Json(_) => "; as JSON",
        Kind::Scalar(Scalar::Bool) => "; the flag alone means true",
        Kind::Scalar(_) => "",
    };
    let mut arg = Arg::new(member.flag)
        .long(member.flag)
        .value_name(type_text.clone())
        .help(format!(
            "{} [{type_text}, {requirement}{how}]",
            first_sentence(member.doc)
        ))
        .long_help(match member.example {
            Some(example) => format!(
                "{}\n\nWire name `{}`; type {type_text}, {requirement}{how}. Example: {example}",
                member.doc, member.name
            ),
            None => format!(
                "{}\n\nWire name `{}`; type {type_text}, {requirement}{how}.",
                member.doc, member.name
            ),
        });
    if member.required && page_member {
        arg = arg.required_unless_present_any(REQUEST_SOURCES.into_iter().chain(["all-pages"]));
    } else if member.required {
        arg = arg.required_unless_present_any(REQUEST_SOURCES);
    }
    arg = match scalar {
        Some(scalar) => arg.value_parser(scalar_parser(scalar)),
        None => arg.value_parser(ValueParser::new(parse_json)),
    };
    if let Some(Scalar::I64 | Scalar::F64 | Scalar::Enum(_)) = scalar {
        arg = arg.allow_negative_numbers(true);
    }
    if let Some(Scalar::Bool) = scalar {
        arg = arg.num_args(0..=1).default_missing_value("true");
    }
    if repeated {
        arg.action(ArgAction::Append)
    } else {
        arg.action(ArgAction::Set)
    }
}

fn scalar_parser(scalar: Scalar) -> ValueParser {
    match scalar {
        Scalar::String => ValueParser::string(),
        Scalar::Bool => ValueParser::bool(),
        Scalar::I64 => clap::value_parser!(i64).into(),
        Scalar::U64 => clap::value_parser!(u64).into(),
        Scalar::F64 => clap::value_parser!(f64).into(),
        Scalar::Enum(e) => ValueParser::new(EnumParser(e)),
    }
}

/// The member's JSON value from the parsed flags, if it was given.
pub fn value(member: &MemberSpec, matches: &ArgMatches) -> Option<Value> {
    match member.kind {
        Kind::Scalar(s) => scalar_values(s, matches, member.flag)?.into_iter().next(),
        Kind::List(s) => scalar_values(s, matches, member.flag).map(Value::Array),
        Kind::Json(_) => matches.get_one::<Value>(member.flag).cloned(),
    }
}

fn scalar_values(scalar: Scalar, matches: &ArgMatches, id: &str) -> Option<Vec<Value>> {
    fn all<T: Clone + Send + Sync + 'static + Into<Value>>(
        matches: &ArgMatches,
        id: &str,
    ) -> Option<Vec<Value>> {
        Some(
            matches
                .get_many::<T>(id)?
                .cloned()
                .map(Into::into)
                .collect(),
        )
    }
    match scalar {
        Scalar::String => all::<String>(matches, id),
        Scalar::Bool => all::<bool>(matches, id),
        Scalar::I64 | Scalar::Enum(_) => all::<i64>(matches, id),
        Scalar::U64 => all::<u64>(matches, id),
        Scalar::F64 => all::<f64>(matches, id),
    }
}

/// The request from the flags: members given as flags replace those of `base`
/// (from `--cli-input-json`).
pub fn request(
    members: &[MemberSpec],
    matches: &ArgMatches,
    base: Map<String, Value>,
) -> Map<String, Value> {
    let mut request = base;
    for member in members {
        if let Some(value) = value(member, matches) {
            request.insert(member.name.to_owned(), value);
        }
    }
    request
}

fn parse_json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))
}

fn first_sentence(doc: &str) -> &str {
    let line = doc.lines().next().unwrap_or_default();
    match line.find(". ") {
        Some(end) => &line[..=end],
        None => line,
    }
}

/// Reads an integer enumeration's value by number or by name (any case).
#[derive(Clone)]
struct EnumParser(&'static IntEnum);

impl TypedValueParser for EnumParser {
    type Value = i64;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<i64, clap::Error> {
        let text = value.to_str().unwrap_or_default();
        let found = self
            .0
            .values
            .iter()
            .find(|v| v.name.eq_ignore_ascii_case(text) || text.parse::<i64>() == Ok(v.value));
        match (found, text.parse::<i64>()) {
            (Some(v), _) => Ok(v.value),
            // A value this CLI does not know may be newer than it: send it as given.
            (None, Ok(number)) if self.0.signed || number >= 0 => Ok(number),
            _ => {
                let mut error =
                    clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd);
                use clap::error::{ContextKind, ContextValue};
                if let Some(arg) = arg {
                    error.insert(
                        ContextKind::InvalidArg,
                        ContextValue::String(arg.to_string()),
                    );
                }
                error.insert(
                    ContextKind::InvalidValue,
                    ContextValue::String(text.to_owned()),
                );
                let valid = self
                    .0
                    .values
                    .iter()
                    .map(|v| format!("{} ({})", v.value, v.name))
                    .collect();
                error.insert(ContextKind::ValidValue, ContextValue::Strings(valid));
                Err(error)
            }
        }
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.0.values.iter().map(|v| {
            PossibleValue::new(v.value.to_string()).help(format!("{}: {}", v.name, v.doc))
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action_spec::EnumValue;

    static PRIORITY: IntEnum = IntEnum {
        name: "Priority",
        signed: false,
        values: &[
            EnumValue {
                value: 0,
                name: "Normal",
                doc: "The default.",
            },
            EnumValue {
                value: 10,
                name: "Urgent",
                doc: "First.",
            },
        ],
    };

    static MEMBERS: [MemberSpec; 3] = [
        MemberSpec {
            name: "Priority",
            flag: "priority",
            kind: Kind::Scalar(Scalar::Enum(&PRIORITY)),
            required: false,
            doc: "How urgent.",
            example: None,
        },
        MemberSpec {
            name: "Ids",
            flag: "ids",
            kind: Kind::List(Scalar::I64),
            required: true,
            doc: "Which.",
            example: None,
        },
        MemberSpec {
            name: "Record",
            flag: "record",
            kind: Kind::Scalar(Scalar::Bool),
            required: false,
            doc: "Record it.",
            example: None,
        },
    ];

    fn command() -> clap::Command {
        clap::Command::new("t")
            .args(MEMBERS.iter().map(|m| arg(m, false)))
            .arg(Arg::new("cli-input-json").long("cli-input-json"))
            .arg(
                Arg::new("generate-cli-skeleton")
                    .long("generate-cli-skeleton")
                    .action(ArgAction::SetTrue),
            )
    }

    fn parse(args: &[&str]) -> Result<Map<String, Value>, clap::Error> {
        let matches =
            command().try_get_matches_from(std::iter::once("t").chain(args.iter().copied()))?;
        Ok(request(&MEMBERS, &matches, Map::new()))
    }

    #[test]
    fn flags_become_wire_named_json() {
        let request = parse(&[
            "--priority",
            "urgent",
            "--ids",
            "-3",
            "--ids",
            "4",
            "--record",
        ])
        .unwrap();
        assert_eq!(
            Value::Object(request),
            serde_json::json!({"Priority": 10, "Ids": [-3, 4], "Record": true})
        );
        let request = parse(&["--ids", "1", "--priority", "0", "--record", "false"]).unwrap();
        assert_eq!(
            Value::Object(request),
            serde_json::json!({"Priority": 0, "Ids": [1], "Record": false})
        );
    }

    #[test]
    fn enum_values_by_name_or_number_and_newer_numbers_pass() {
        assert_eq!(
            parse(&["--ids", "1", "--priority", "7"]).unwrap()["Priority"],
            7,
            "a value newer than the CLI"
        );
        let error = parse(&["--ids", "1", "--priority", "high"])
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("high") && error.contains("10 (Urgent)"),
            "{error}"
        );
        let error = parse(&["--ids", "1", "--priority", "-1"])
            .unwrap_err()
            .to_string();
        assert!(error.contains("-1"), "unsigned: {error}");
    }

    #[test]
    fn help_lists_enum_values_and_required_members_are_enforced() {
        let help = command().render_long_help().to_string();
        assert!(
            help.contains("10") && help.contains("Urgent: First."),
            "{help}"
        );
        assert!(
            help.contains("type list<i64>, required; repeat the flag"),
            "{help}"
        );
        let error = parse(&["--priority", "0"]).unwrap_err();
        assert_eq!(
            error.kind(),
            clap::error::ErrorKind::MissingRequiredArgument
        );
        // A request from elsewhere makes the flags optional.
        assert!(parse(&["--generate-cli-skeleton"]).is_ok());
    }
}
