//! `--all-pages`: the request is sent page after page, each answer handed on
//! as it arrives, with a progress line on stderr when stderr is a terminal.

use std::io::IsTerminal;

use ccc_api::Client;
use serde_json::{Map, Value};
use tencentcloud_runtime::paginate::{Progress, Style, next_position};

use crate::action_spec::{ActionSpec, PageStyle, Pagination};
use crate::failure::Failure;

/// Walks the pages of `action` from the page `request` asks for (the first when it names none).
pub async fn walk(
    action: &ActionSpec,
    pagination: Pagination,
    client: &Client,
    mut request: Map<String, Value>,
    mut on_page: impl FnMut(&Value) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let style = match pagination.style {
        PageStyle::PageNumber => Style::PageNumber,
        PageStyle::Offset => Style::Offset,
    };
    let progress = std::io::stderr().is_terminal();
    let (mut pages, mut seen) = (0u64, 0usize);
    let mut walked = Progress::default();
    let result = loop {
        let answer = match (action.send)(client, Value::Object(request.clone())).await {
            Ok(answer) => answer,
            Err(error) => break Err(error.into()),
        };
        let fetched = answer
            .get(pagination.items)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let total = integer(answer.get(pagination.total));
        pages += 1;
        seen += fetched;
        if progress {
            let of = total.map(|t| format!(" of {t}")).unwrap_or_default();
            eprint!("\r{}: page {pages}, {seen}{of} items", action.command);
        }
        if let Err(failure) = on_page(&answer) {
            break Err(failure);
        }
        let position = integer(request.get(pagination.page)).unwrap_or(0);
        let size = integer(request.get(pagination.size));
        match next_position(style, position, size, fetched, total, &mut walked) {
            Some(next) => {
                let Ok(next) = u64::try_from(next) else {
                    break Ok(());
                };
                request.insert(pagination.page.to_owned(), Value::from(next));
            }
            None => break Ok(()),
        }
    };
    if progress {
        eprintln!();
    }
    result
}

fn integer(value: Option<&Value>) -> Option<i128> {
    let value = value?;
    value
        .as_u64()
        .map(i128::from)
        .or_else(|| value.as_i64().map(i128::from))
}
