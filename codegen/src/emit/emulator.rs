//! Emits the emulator's table (`crates/<service>-local/src/spec/table.rs`):
//! one `static` describing every action and model as `ccc-local` checks and
//! answers requests, with types resolved and presence rules taken from the IR,
//! so the emulator needs neither the spec files nor the generator.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir::{Api, Field, ModelKind, Presence, Type};

/// The whole table file; its types are defined by hand in the emulator's `spec` module.
pub fn table_file(api: &Api) -> TokenStream {
    let service = &api.service.name;
    let version = &api.service.version;
    let doc = format!(
        " The {} spec as the emulator reads it: every action and model, resolved.",
        api.service.title
    );
    let actions = api.actions.iter().map(|a| {
        let name = &a.name;
        let rate = Literal::u32_unsuffixed(a.rate_limit_per_second);
        let read_only = a.read_only;
        let errors = a.errors.iter().map(|c| &c.code);
        let (input, output) = (members(&a.input), members(&a.output));
        let (disabled_input, disabled_output) = (&a.disabled_input, &a.disabled_output);
        let examples = a.examples.iter().map(|e| {
            let request = e.request.to_string();
            let response = e.response.to_string();
            let notes = match &e.notes {
                Some(notes) => quote! { Some(#notes) },
                None => quote! { None },
            };
            quote! { ExampleDef { request: Json::new(#request), response: Json::new(#response), notes: #notes } }
        });
        quote! {
            ActionDef {
                name: #name,
                rate_limit_per_second: #rate,
                read_only: #read_only,
                errors: &[ #( #errors ),* ],
                input: &[ #( #input ),* ],
                output: &[ #( #output ),* ],
                disabled_input: &[ #( #disabled_input ),* ],
                disabled_output: &[ #( #disabled_output ),* ],
                examples: &[ #( #examples ),* ],
            }
        }
    });
    let models = api.models.iter().map(|m| {
        let name = &m.name;
        let kind = match &m.kind {
            ModelKind::Struct(fields) => {
                let fields = members(fields);
                let disabled = &m.disabled;
                quote! { ModelKind::Struct { fields: &[ #( #fields ),* ], disabled: &[ #( #disabled ),* ] } }
            }
            ModelKind::IntEnum { signed, values } => {
                let values = values.iter().map(|v| {
                    let (value, name) = (Literal::i64_unsuffixed(v.value), &v.name);
                    quote! { (#value, #name) }
                });
                quote! { ModelKind::IntEnum { signed: #signed, values: &[ #( #values ),* ] } }
            }
        };
        quote! { ModelDef { name: #name, kind: #kind } }
    });
    let codes = api.error_codes.iter().map(|c| &c.code);
    quote! {
        #![doc = #doc]

        use super::{ActionDef, ExampleDef, Json, MemberDef, ModelDef, ModelKind, Presence, Spec, Ty};

        /// Actions and models ordered by name, error codes by code.
        pub(super) static SPEC: Spec = Spec {
            service: #service,
            version: #version,
            actions: &[ #( #actions ),* ],
            models: &[ #( #models ),* ],
            error_codes: &[ #( #codes ),* ],
        };
    }
}

fn members(fields: &[Field]) -> Vec<TokenStream> {
    fields
        .iter()
        .map(|f| {
            let name = &f.wire_name;
            let ty = ty(&f.ty);
            let (in_request, in_response) = (presence(f.in_request), presence(f.in_response));
            quote! { MemberDef { name: #name, ty: #ty, in_request: #in_request, in_response: #in_response } }
        })
        .collect()
}

fn ty(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote! { Ty::String },
        Type::Bool => quote! { Ty::Bool },
        Type::I64 => quote! { Ty::I64 },
        Type::U64 => quote! { Ty::U64 },
        Type::F64 => quote! { Ty::F64 },
        Type::List(inner) => {
            let inner = self::ty(inner);
            quote! { Ty::List(&#inner) }
        }
        Type::Model(name) => quote! { Ty::Model(#name) },
    }
}

/// One of the named rules the emulator defines; every combination the IR can produce has one.
fn presence(p: Presence) -> TokenStream {
    match (p.may_be_absent, p.may_be_null) {
        (false, false) => quote! { Presence::REQUIRED },
        (false, true) => quote! { Presence::NULLABLE },
        (true, true) => quote! { Presence::OPTIONAL },
        (true, false) => quote! { Presence::ABSENT_OR_VALUE },
    }
}
