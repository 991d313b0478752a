//! Emits `into_pages()` for actions the spec marks as paginated.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::render::doc;
use super::types::ident;
use crate::ir::{Action, PageFields, PaginationStyle};

/// `impl <Action>Builder { fn into_pages }` and the function that derives the next request;
/// nothing for actions that do not page.
pub fn pages(action: &Action) -> TokenStream {
    let Some(p) = action.page_fields() else {
        return TokenStream::new();
    };
    let PageFields {
        page,
        size,
        items,
        total,
        ..
    } = p;

    let builder = format_ident!("{}Builder", action.name);
    let request = format_ident!("{}Request", action.name);
    let response = format_ident!("{}Response", action.name);
    let method = ident(&action.method);
    let (page_field, size_field) = (ident(&page.rust_name), ident(&size.rust_name));
    let (items_field, total_field) = (ident(&items.rust_name), ident(&total.rust_name));
    let style = match p.style {
        PaginationStyle::PageNumber => quote! { Style::PageNumber },
        PaginationStyle::Offset => quote! { Style::Offset },
    };
    let page_wire = &page.wire_name;
    let start = match p.style {
        PaginationStyle::PageNumber => "the first page",
        PaginationStyle::Offset => "offset 0",
    };
    let doc_with = doc(
        "[`into_pages`](Self::into_pages), with `options` overriding the client's timeouts and retries for every page.",
    );

    let doc = doc(&format!(
        "Sends the request page after page, starting from `{page_wire}` if it is set, else from {start}.\n\n\
         The walk ends after an empty page or once `{}` items have been seen; an error ends it too.",
        total.wire_name
    ));

    let position = if page.optional {
        quote! { request.#page_field.map_or(0, i128::from) }
    } else {
        quote! { i128::from(request.#page_field) }
    };
    let size_value = if size.optional {
        quote! { request.#size_field.map(i128::from) }
    } else {
        quote! { Some(i128::from(request.#size_field)) }
    };
    let fetched = if items.optional {
        quote! { response.#items_field.as_ref().map_or(0, Vec::len) }
    } else {
        quote! { response.#items_field.len() }
    };
    let total_value = if total.optional {
        quote! { response.#total_field.map(i128::from) }
    } else {
        quote! { Some(i128::from(response.#total_field)) }
    };
    let assign = if page.optional {
        quote! { next.#page_field = Some(position.try_into().ok()?); }
    } else {
        quote! { next.#page_field = position.try_into().ok()?; }
    };
    // A required page member defaults to the start: unset, it holds its
    // empty value, 0, so it only needs noting as set. An optional one is left
    // to the service.
    let (receiver, start_value) = if page.optional {
        (quote! { self }, quote! {})
    } else {
        (
            quote! { mut self },
            quote! { self.required.set(#page_wire, true); },
        )
    };

    quote! {
        impl #builder {
            #doc
            pub fn into_pages(self) -> Result<Pages<#request, #response>> {
                self.into_pages_with(CallOptions::default())
            }

            #doc_with
            pub fn into_pages_with(#receiver, options: CallOptions) -> Result<Pages<#request, #response>> {
                #start_value
                let stub = Arc::clone(&self.stub);
                let first = self.build()?;
                Ok(Pages::new(
                    first,
                    move |request| {
                        let stub = Arc::clone(&stub);
                        let options = options.clone();
                        Box::pin(async move { stub.#method(request, options).await })
                    },
                    next_page,
                ))
            }
        }

        /// The request for the page after `response`, or `None` after the last page.
        fn next_page(request: &#request, response: &#response, progress: &mut paginate::Progress) -> Option<#request> {
            let position = paginate::next_position(#style, #position, #size_value, #fetched, #total_value, progress)?;
            let mut next = request.clone();
            #assign
            Some(next)
        }
    }
}
