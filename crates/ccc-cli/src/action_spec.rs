//! What the generated code declares about each action (`src/generated/`), and
//! what the rest of the CLI reads: the subcommand, one flag per input member
//! with its wire name and type, pagination, a request template, and how to send.

use ccc_api::Client;
use serde_json::Value;
use tencentcloud_runtime::BoxFuture;

use crate::send::CallError;

/// Sends a request given as JSON keyed by wire names; answers the response as JSON.
pub type SendFn = for<'a> fn(&'a Client, Value) -> BoxFuture<'a, Result<Value, CallError>>;

/// One action: a subcommand of `ccc`.
#[derive(Debug)]
pub struct ActionSpec {
    /// Wire name, e.g. `DescribeAutoCalloutTasks`; also accepted as the subcommand.
    pub name: &'static str,
    /// The subcommand, e.g. `describe-auto-callout-tasks`.
    pub command: &'static str,
    /// The first sentence of the doc, for the list of subcommands.
    pub summary: &'static str,
    /// What the action does.
    pub doc: &'static str,
    /// Request members, in spec order.
    pub input: &'static [MemberSpec],
    /// How the action pages, if it does.
    pub pagination: Option<Pagination>,
    /// A request template, pretty JSON, for `--generate-cli-skeleton`.
    pub skeleton: &'static str,
    /// The spec's first example as a command line, for `--help`.
    pub example: Option<&'static str>,
    /// Decodes the request into the SDK's type, sends it, encodes the answer.
    pub send: SendFn,
}

/// A request member: one flag.
#[derive(Debug)]
pub struct MemberSpec {
    /// Wire name, the key in the request JSON.
    pub name: &'static str,
    /// The flag without dashes, e.g. `sdk-app-id`.
    pub flag: &'static str,
    /// How its value is read.
    pub kind: Kind,
    /// The service needs it.
    pub required: bool,
    /// What it is.
    pub doc: &'static str,
    /// The flag with a typical value, from the spec, e.g. `--sdk-app-id 1400000000`.
    pub example: Option<&'static str>,
}

/// How a member's value is read from the command line.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// One value of a scalar type.
    Scalar(Scalar),
    /// A list of scalars: the flag repeated, one value each time.
    List(Scalar),
    /// Anything holding a structure, as JSON; the text is the spec's type, e.g. `list<Variable>`.
    Json(&'static str),
}

/// A scalar type.
#[derive(Debug, Clone, Copy)]
pub enum Scalar {
    /// Any text.
    String,
    /// `true` or `false`.
    Bool,
    /// A signed 64-bit integer.
    I64,
    /// An unsigned 64-bit integer.
    U64,
    /// A number.
    F64,
    /// An integer with named values.
    // No CCC action takes one today; the generator emits it for any that appears.
    #[allow(dead_code)]
    Enum(&'static IntEnum),
}

/// An integer enumeration of the spec.
#[derive(Debug)]
pub struct IntEnum {
    /// The model's name.
    pub name: &'static str,
    /// Whether negative values exist on the wire.
    pub signed: bool,
    /// Its named values.
    pub values: &'static [EnumValue],
}

/// One named value of an [`IntEnum`].
#[derive(Debug)]
pub struct EnumValue {
    /// The wire value.
    pub value: i64,
    /// Its name.
    pub name: &'static str,
    /// What it means.
    pub doc: &'static str,
}

/// How an action pages: wire names of its members.
#[derive(Debug, Clone, Copy)]
pub struct Pagination {
    /// What the page member counts.
    pub style: PageStyle,
    /// The request's page member.
    pub page: &'static str,
    /// The request's page size member.
    pub size: &'static str,
    /// The answer's list of items.
    pub items: &'static str,
    /// The answer's count of all items.
    pub total: &'static str,
}

/// What an action's page member counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// Page numbers, from 0.
    PageNumber,
    /// Items to skip.
    Offset,
}

impl Scalar {
    /// The type as help texts name it.
    pub fn type_name(self) -> &'static str {
        match self {
            Scalar::String => "string",
            Scalar::Bool => "bool",
            Scalar::I64 => "i64",
            Scalar::U64 => "u64",
            Scalar::F64 => "f64",
            Scalar::Enum(e) => e.name,
        }
    }
}
