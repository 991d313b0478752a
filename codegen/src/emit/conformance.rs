//! Emits the conformance test of a service crate: one test per action, each
//! checking the spec's examples against the generated types.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::ident;
use crate::ir::Api;

/// The whole `tests/examples.rs` file of the service crate.
pub fn conformance_file(api: &Api) -> TokenStream {
    let spec_dir = &api.service.spec_dir;
    let krate = format_ident!("{}_api", api.service.name);
    let tests = api.actions.iter().map(|a| {
        let test = ident(&a.method);
        let request = format_ident!("{}Request", a.name);
        let response = format_ident!("{}Response", a.name);
        let name = &a.name;
        quote! {
            #[test]
            fn #test() {
                check::<actions::#request, actions::#response>(#name);
            }
        }
    });
    let doc = [
        format!(
            " Every example in `{spec_dir}` decodes into its action's request and response types,"
        ),
        " and encodes back without losing a member the spec defines.".to_owned(),
    ];
    quote! {
        #( #![doc = #doc] )*

        mod support;

        use #krate::actions;

        use support::check;

        #( #tests )*
    }
}
