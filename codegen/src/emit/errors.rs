//! Emits `errors.rs`: the service's error codes as an enum, plus the crate's
//! `Error` and `Result` aliases over the runtime's error type.

use proc_macro2::TokenStream;
use quote::quote;

use super::render::doc;
use super::types::ident;
use crate::ir::Api;

/// The whole `errors.rs` file.
pub fn errors_file(api: &Api) -> TokenStream {
    let title = &api.service.title;
    let inner_doc = format!(" Error codes of {title}, and the crate's error type.");
    let variants = api.error_codes.iter().map(|c| {
        let doc = doc(&format!("`{}`: {}", c.code, c.doc));
        let variant = ident(&c.variant);
        quote! { #doc #variant, }
    });
    let to_str = api.error_codes.iter().map(|c| {
        let variant = ident(&c.variant);
        let code = &c.code;
        quote! { Self::#variant => #code, }
    });
    let from_str = api.error_codes.iter().map(|c| {
        let variant = ident(&c.variant);
        let code = &c.code;
        quote! { #code => Self::#variant, }
    });
    let enum_doc = doc(&format!(
        "An error code {title} may answer with: the codes every Tencent Cloud service shares and the service's own.\n\n\
         Codes this version of the SDK does not know arrive as [`ErrorCode::Unknown`], holding the code as sent; \
         a later version may know them. So match the codes you handle and end with a wildcard arm, and to single \
         out a code this version does not know yet, compare [`as_str`](ErrorCode::as_str) with it: \
         a guard on `Unknown` would stop matching once the SDK learns the code. \
         [`UnknownCode`] can only be made from a code without a variant, so `Unknown` never stands for a known one."
    ));
    quote! {
        #![doc = #inner_doc]

        #enum_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #( #variants )*
            /// A code this version of the SDK does not know, kept exactly as sent; never one of the codes above.
            Unknown(UnknownCode),
        }

        /// An error code this version of the SDK does not know, as the service sent it.
        ///
        /// Only [`ErrorCode::from_code`] (which decoding an answer uses) makes one, and only for a code
        /// that has no variant of its own.
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub struct UnknownCode(String);

        impl UnknownCode {
            /// The code as sent, e.g. `FailedOperation.SomethingNew`.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for UnknownCode {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl ErrorCode {
            /// The code as it appears on the wire, e.g. `InvalidParameter`.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #to_str )*
                    Self::Unknown(code) => code.as_str(),
                }
            }

            /// The typed form of a code received on the wire: its variant, or `Unknown` for a code without one.
            pub fn from_code(code: &str) -> Self {
                match code {
                    #( #from_str )*
                    other => Self::Unknown(UnknownCode(other.to_owned())),
                }
            }
        }

        impl From<&str> for ErrorCode {
            fn from(code: &str) -> Self {
                Self::from_code(code)
            }
        }

        impl std::str::FromStr for ErrorCode {
            type Err = std::convert::Infallible;

            /// Never fails: a code without a variant is `Unknown`.
            fn from_str(code: &str) -> std::result::Result<Self, Self::Err> {
                Ok(Self::from_code(code))
            }
        }

        impl std::fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl tencentcloud_runtime::ErrorCode for ErrorCode {
            fn from_code(code: &str) -> Self {
                Self::from_code(code)
            }

            fn as_str(&self) -> &str {
                self.as_str()
            }
        }

        /// The error every call of this crate returns.
        pub type Error = tencentcloud_runtime::Error<ErrorCode>;

        /// `Result` with this crate's [`Error`].
        pub type Result<T, E = Error> = std::result::Result<T, E>;

        /// The pages of a paginated action, as returned by the `into_pages` method of its builder.
        pub type Pages<Req, Resp> = tencentcloud_runtime::paginate::Pages<Req, Resp, ErrorCode>;
    }
}
