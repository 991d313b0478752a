//! Emits `models.rs`: one struct or integer enum per spec model.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::redact;
use super::render::doc;
use super::types::{field_type, ident};
use crate::ir::{Api, EnumValue, Field, Model, ModelKind};

/// Which way a structure travels: decides which serde traits are always
/// implemented, and whether `Decode` is (see [`decode_impl`]).
#[derive(Debug, Clone, Copy)]
pub struct Sent {
    /// Encoded into requests.
    pub in_requests: bool,
    /// Decoded from responses.
    pub in_responses: bool,
}

/// The whole `models.rs` file.
pub fn models_file(api: &Api) -> TokenStream {
    let items = api.models.iter().map(model);
    let inner_doc = format!(
        " Structures and enumerations that {} requests and answers share, each named as the service names it.",
        api.service.title
    );
    let has_enum = api
        .models
        .iter()
        .any(|m| matches!(m.kind, ModelKind::IntEnum { .. }));
    let unknown_value = has_enum.then(unknown_value);
    quote! {
        #![doc = #inner_doc]

        #unknown_value
        #( #items )*
    }
}

/// The opaque value of an enumeration's `Unknown` variant. Its field is private to
/// `models.rs`, where only the enumerations' `From` conversions (which decoding
/// uses) make one, and only for values without a variant.
fn unknown_value() -> TokenStream {
    quote! {
        /// A value of one of the enumerations below that this version of the SDK does not know, as received.
        ///
        /// Only decoding and the enumerations' `From` conversions make one, and only for a value that
        /// has no variant: `Unknown` never stands for a known value. Read it with [`get`](Self::get)
        /// or the enumeration's `value()`.
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub struct UnknownValue<T>(T);

        impl<T: Copy> UnknownValue<T> {
            /// The value as received.
            pub fn get(self) -> T {
                self.0
            }
        }

        impl<T: std::fmt::Debug> std::fmt::Debug for UnknownValue<T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.0, f)
            }
        }
    }
}

fn model(model: &Model) -> TokenStream {
    match &model.kind {
        ModelKind::Struct(fields) => {
            let sent = Sent {
                in_requests: model.in_requests,
                in_responses: model.in_responses,
            };
            data_struct(&model.name, &model.doc, fields, sent)
        }
        ModelKind::IntEnum { signed, values } => int_enum(model, *signed, values),
    }
}

/// A plain data struct with explicit wire names. Requests skip absent optional
/// members when serialized. A structure that requests carry derives
/// `Deserialize` (with `roundtrip`), strict as serde makes it, for the
/// command line's checks; answers are read with [`decode_impl`], which
/// ignores unknown members.
pub fn data_struct(name: &str, doc_text: &str, fields: &[Field], sent: Sent) -> TokenStream {
    let name = ident(name);
    let type_doc = doc(doc_text);
    let fields_tokens = fields.iter().map(|f| {
        let doc = doc(&f.doc);
        let wire = &f.wire_name;
        let rust = ident(&f.rust_name);
        let ty = field_type(&f.ty, f.optional);
        // No per-field decoding attributes: answers are read by the generated
        // `Decode` (see `decode_impl`), requests by serde's derive.
        // serde decodes an absent `Option` as `None` by itself; no `default` needed.
        let serde = if f.optional {
            quote! { serde(rename = #wire, skip_serializing_if = "Option::is_none") }
        } else {
            quote! { serde(rename = #wire) }
        };
        let serde = if sent.in_requests {
            quote! { #[#serde] }
        } else {
            quote! { #[cfg_attr(feature = "roundtrip", #serde)] }
        };
        quote! {
            #doc
            #serde
            pub #rust: #ty,
        }
    });
    // serde's derives by path: an import would go unused in a file whose types all
    // travel one way while `roundtrip` is off.
    let (serialize, deserialize) = (quote! { serde::Serialize }, quote! { serde::Deserialize });
    // Each direction the SDK itself needs is always derived; the other one
    // (decoding requests, encoding answers) only with the `roundtrip` feature,
    // which halves the serde code a crate of a whole service compiles.
    let (always, roundtrip) = match (sent.in_requests, sent.in_responses) {
        (true, true) => (vec![serialize, deserialize], None),
        (true, false) => (vec![serialize], Some(deserialize)),
        (false, _) => (vec![], Some(serialize)),
    };
    let decode = decode_impl(&name, fields, sent.in_responses);
    let bridge = (!sent.in_requests).then(|| serde_bridge(&name));
    let roundtrip =
        roundtrip.map(|derive| quote! { #[cfg_attr(feature = "roundtrip", derive(#derive))] });
    // A structure holding a secret writes its own `Debug`, which redacts it.
    let secret = redact::holds_secret(fields);
    let debug_derive = (!secret).then(|| quote! { Debug, });
    let debug_impl = secret.then(|| redact::struct_debug(&name, fields));
    let derive = quote! {
        #[derive(#debug_derive Clone, Default, PartialEq #(, #always )*)]
        #roundtrip
        #[non_exhaustive]
    };
    quote! {
        #type_doc
        #derive
        pub struct #name {
            #( #fields_tokens )*
        }

        #debug_impl
        #decode
        #bridge
    }
}

/// `tencentcloud_runtime::de::Decode` for a structure: the lenient reading
/// of answers (see `tencentcloud_runtime::de`).
///
/// One plain function per structure: the table of its members (wire name,
/// whether answers always send it, whether it is a secret) and a `match`
/// from a member's index in that table to the field it fills. The runtime's
/// `Reader::object` does the rest (the loop, matching names, skipping
/// unknown members, noting the ones left out), compiled once. Each member
/// starts from its default and takes the value the answer sends; the last
/// one wins if it is sent twice. Structures only requests carry get it with
/// the `roundtrip` feature, which checks the spec's request examples with it.
fn decode_impl(name: &proc_macro2::Ident, fields: &[Field], in_responses: bool) -> TokenStream {
    let label = name.to_string();
    let members = fields.iter().map(|f| {
        let wire = &f.wire_name;
        let member = if f.optional {
            quote! { Member::optional(#wire) }
        } else {
            quote! { Member::sent(#wire) }
        };
        if f.sensitive {
            quote! { #member.secret() }
        } else {
            member
        }
    });
    let arms = fields.iter().enumerate().map(|(i, f)| {
        let rust = ident(&f.rust_name);
        let i = Literal::usize_unsuffixed(i);
        quote! { #i => reader.read(&mut value.#rust), }
    });
    // A structure without members names no `Member` and fills no field.
    let (import, read) = if fields.is_empty() {
        (
            quote! { use tencentcloud_runtime::de::Members; },
            quote! {
                reader.object(&MEMBERS, &mut |_, _| Ok(()))?;
                Ok(Self::default())
            },
        )
    } else {
        (
            quote! { use tencentcloud_runtime::de::{Member, Members}; },
            quote! {
            let mut value = Self::default();
            reader.object(&MEMBERS, &mut |reader, index| match index {
                #( #arms )*
                _ => Ok(()),
            })?;
            Ok(value)
            },
        )
    };
    let cfg = (!in_responses).then(|| quote! { #[cfg(feature = "roundtrip")] });
    quote! {
        #cfg
        impl tencentcloud_runtime::de::Decode for #name {
            fn decode(reader: &mut tencentcloud_runtime::de::Reader<'_>) -> tencentcloud_runtime::de::Result<Self> {
                #import
                static MEMBERS: Members = Members::new(#label, &[#( #members ),*]);
                #read
            }
        }
    }
}

/// serde's `Deserialize` for a structure only answers carry, so that
/// `serde_json::from_str` and the like work on answers too: a thin bridge to
/// the type's `Decode` (lenient, as the SDK reads answers), whose generic part
/// the runtime compiles once per deserializer rather than once per type.
fn serde_bridge(name: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                tencentcloud_runtime::de::bridge(deserializer)
            }
        }
    }
}

/// An integer enum that keeps values it does not know in `Unknown`, so an
/// answer from a newer server still decodes.
fn int_enum(model: &Model, signed: bool, values: &[EnumValue]) -> TokenStream {
    let name = ident(&model.name);
    let type_doc = doc(&format!(
        "{}\n\nMatch the values you handle and end with a wildcard arm: a value this version of the SDK does not \
         know arrives as `Unknown` and may get a variant of its own in a later version, so never match on \
         `Unknown` (compare [`value`](Self::value) instead). The default is what `0` decodes to.",
        model.doc.trim()
    ));
    let repr = if signed {
        quote! { i64 }
    } else {
        quote! { u64 }
    };
    let literal = |v: i64| {
        if signed {
            Literal::i64_unsuffixed(v)
        } else {
            Literal::u64_unsuffixed(v as u64)
        }
    };
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
    let serialize = if signed {
        quote! { serialize_i64 }
    } else {
        quote! { serialize_u64 }
    };
    quote! {
        #type_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants )*
            /// A value this version of the SDK does not know, kept as received; never one of the values above.
            Unknown(UnknownValue<#repr>),
        }

        impl #name {
            /// The value on the wire.
            pub const fn value(self) -> #repr {
                match self {
                    #( #to_value )*
                    Self::Unknown(value) => value.0,
                }
            }
        }

        impl From<#repr> for #name {
            /// The variant of a known value, else `Unknown`; decoding goes through here.
            fn from(value: #repr) -> Self {
                match value {
                    #( #from_value )*
                    other => Self::Unknown(UnknownValue(other)),
                }
            }
        }

        impl Default for #name {
            fn default() -> Self {
                Self::from(0)
            }
        }

        impl From<#name> for #repr {
            fn from(value: #name) -> Self {
                value.value()
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.#serialize(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <#repr as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }

        impl tencentcloud_runtime::de::Decode for #name {
            fn decode(reader: &mut tencentcloud_runtime::de::Reader<'_>) -> tencentcloud_runtime::de::Result<Self> {
                <#repr as tencentcloud_runtime::de::Decode>::decode(reader).map(Self::from)
            }
        }
    }
}
