//! Emits `models.rs`: one struct or integer enum per spec model.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::common::{Paths, doc, field_type, ident};
use crate::ir::{Api, EnumValue, Field, Model, ModelKind, Type};

/// The whole `models.rs` file.
pub fn models_file(api: &Api) -> TokenStream {
    let items = api.models.iter().map(model);
    let inner_doc = format!(" Structures and enumerations shared by the {} actions.", api.service.title);
    let names = api.models.iter().map(|m| ident(&m.name));
    let lenient = (!api.models.is_empty()).then(|| {
        quote! {
            // Models decode leniently inside lists and options like every other member type.
            ::tencentcloud_runtime::impl_lenient_via_deserialize!(#( #names ),*);
        }
    });
    let any_lenient = api.models.iter().any(|m| matches!(&m.kind, ModelKind::Struct(fields) if uses_lenient(fields)));
    let import = any_lenient.then(|| quote! { use tencentcloud_runtime::de::lenient; });
    quote! {
        #![doc = #inner_doc]

        #import

        #( #items )*
        #lenient
    }
}

fn model(model: &Model) -> TokenStream {
    match &model.kind {
        ModelKind::Struct(fields) => data_struct(&model.name, &model.doc, fields, Paths::Qualified),
        ModelKind::IntEnum { signed, values } => int_enum(model, *signed, values),
    }
}

/// A plain data struct with explicit wire names. Requests skip absent optional
/// members when serialized; unknown fields in answers are ignored.
pub fn data_struct(name: &str, doc_text: &str, fields: &[Field], paths: Paths) -> TokenStream {
    let name = ident(name);
    let type_doc = doc(doc_text);
    let fields = fields.iter().map(|f| {
        let doc = doc(&f.doc);
        let wire = &f.wire_name;
        let rust = ident(&f.rust_name);
        let ty = field_type(&f.ty, f.optional, paths);
        // Numbers and lists decode leniently (see `tencentcloud_runtime::de`);
        // strings, booleans and models are already exactly what serde checks.
        // Every file with data structs imports `lenient`; no spec name can shadow
        // it, since models and actions are UpperCamelCase types.
        let lenient = needs_lenient(&f.ty).then(|| quote! { deserialize_with = "lenient", });
        let serde = if f.optional {
            let skip = match paths {
                Paths::Qualified => "::std::option::Option::is_none",
                Paths::Prelude => "Option::is_none",
            };
            quote! { #[serde(rename = #wire, #lenient default, skip_serializing_if = #skip)] }
        } else if lenient.is_some() {
            quote! { #[serde(rename = #wire, #lenient)] }
        } else {
            quote! { #[serde(rename = #wire)] }
        };
        quote! {
            #doc
            #serde
            pub #rust: #ty,
        }
    });
    let derive = match paths {
        // Derive macros live in the macro namespace, which spec-named types cannot
        // shadow; serde's are still qualified because its traits share their names.
        Paths::Qualified => quote! {
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        },
        Paths::Prelude => quote! { #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)] },
    };
    quote! {
        #type_doc
        #derive
        pub struct #name {
            #( #fields )*
        }
    }
}

/// An integer enum that keeps values it does not know in `Unknown`, so an
/// answer from a newer server still decodes.
fn int_enum(model: &Model, signed: bool, values: &[EnumValue]) -> TokenStream {
    let name = ident(&model.name);
    let type_doc = doc(&model.doc);
    let repr = if signed { quote! { i64 } } else { quote! { u64 } };
    let literal = |v: i64| if signed { Literal::i64_unsuffixed(v) } else { Literal::u64_unsuffixed(v as u64) };
    let variants = values.iter().map(|v| {
        let doc = doc(&format!("`{}`: {}", v.value, v.doc));
        let variant = ident(&v.name);
        quote! { #doc #variant, }
    });
    let to_value = values.iter().map(|v| {
        let variant = ident(&v.name);
        let value = literal(v.value);
        quote! { Self::#variant => #value, }
    });
    let from_value = values.iter().map(|v| {
        let variant = ident(&v.name);
        let value = literal(v.value);
        quote! { #value => Self::#variant, }
    });
    let serialize = if signed { quote! { serialize_i64 } } else { quote! { serialize_u64 } };
    quote! {
        #type_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants )*
            /// A value this version of the SDK does not know, kept as received.
            Unknown(#repr),
        }

        impl #name {
            /// The value on the wire.
            pub const fn value(self) -> #repr {
                match self {
                    #( #to_value )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<#repr> for #name {
            fn from(value: #repr) -> Self {
                match value {
                    #( #from_value )*
                    other => Self::Unknown(other),
                }
            }
        }

        impl ::std::convert::From<#name> for #repr {
            fn from(value: #name) -> Self {
                value.value()
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.#serialize(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <#repr as ::tencentcloud_runtime::de::Lenient>::deserialize_lenient(deserializer).map(Self::from)
            }
        }
    }
}

/// True when the type holds a number or a list, where Tencent's answers are known to drift.
fn needs_lenient(ty: &Type) -> bool {
    match ty {
        Type::I64 | Type::U64 | Type::F64 | Type::List(_) => true,
        Type::String | Type::Bool | Type::Model(_) => false,
    }
}

/// True when [`data_struct`] of these fields refers to `lenient`, which the file must import.
pub fn uses_lenient(fields: &[Field]) -> bool {
    fields.iter().any(|f| needs_lenient(&f.ty))
}
