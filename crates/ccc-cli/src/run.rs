//! Running one action's subcommand: the request from `--cli-input-json` and the
//! flags, checked against the definition, sent, and the answer printed.

use std::io::{IsTerminal, Read, Write};

use ccc_api::Client;
use clap::ArgMatches;
use serde_json::{Map, Value};

use crate::action_spec::ActionSpec;
use crate::failure::Failure;
use crate::output::{self, Format, json_text};
use crate::query::Query;
use crate::{config, flags, pages};

/// Runs `action` with the parsed flags of its subcommand.
pub fn run(action: &'static ActionSpec, matches: &ArgMatches) -> Result<(), Failure> {
    if matches.get_flag("generate-cli-skeleton") {
        return print(&format!("{}\n", action.skeleton));
    }
    let format = matches
        .get_one::<Format>("output")
        .copied()
        .unwrap_or(Format::Json);
    let query = matches
        .get_one::<String>("query")
        .map(|q| Query::parse(q))
        .transpose()
        .map_err(Failure::Usage)?;
    let base = match matches.get_one::<String>("cli-input-json") {
        Some(source) => read_request(source)?,
        None => Map::new(),
    };
    let request = flags::request(action.input, matches, base);
    let all_pages = action.pagination.is_some() && matches.get_flag("all-pages");
    let config = config::config(matches)?;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Other(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let client = Client::new(config);
        let printer = Printer {
            format,
            query: query.as_ref(),
            pretty: std::io::stdout().is_terminal(),
        };
        match action.pagination {
            Some(pagination) if all_pages => {
                let mut request = request;
                // Without a page to start from, start from the first.
                request.entry(pagination.page).or_insert(Value::from(0));
                let mut rows = Vec::new();
                pages::walk(action, pagination, &client, request, |answer| {
                    printer.page(answer, &mut rows)
                })
                .await?;
                printer.finish_pages(rows)
            }
            _ => {
                let answer = (action.send)(&client, Value::Object(request)).await?;
                printer.answer(&answer)
            }
        }
    })
}

/// The request in `--cli-input-json FILE|-`: a JSON object keyed by wire names.
fn read_request(source: &str) -> Result<Map<String, Value>, Failure> {
    let (text, name) = if source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::Usage(format!("--cli-input-json: cannot read stdin: {e}")))?;
        (text, "stdin".to_owned())
    } else {
        let text = std::fs::read_to_string(source)
            .map_err(|e| Failure::Usage(format!("--cli-input-json: cannot read {source}: {e}")))?;
        (text, source.to_owned())
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(Failure::Usage(format!(
            "--cli-input-json: {name} does not hold a JSON object"
        ))),
        Err(e) => Err(Failure::Usage(format!(
            "--cli-input-json: {name} is not JSON: {e}"
        ))),
    }
}

/// How answers are printed.
struct Printer<'a> {
    format: Format,
    query: Option<&'a Query>,
    pretty: bool,
}

impl Printer<'_> {
    fn answer(&self, answer: &Value) -> Result<(), Failure> {
        let selected = self.selected(answer);
        match self.format {
            Format::Json => print(&format!("{}\n", json_text(&selected, self.pretty))),
            Format::Table => print(&output::table(&selected)),
        }
    }

    /// JSON: one line per page, at once. Table: the rows are kept for one table at the end.
    fn page(&self, answer: &Value, rows: &mut Vec<Value>) -> Result<(), Failure> {
        let selected = self.selected(answer);
        match self.format {
            Format::Json => print(&format!("{}\n", json_text(&selected, false))),
            Format::Table => {
                match output::rows(&selected) {
                    Some(items) => rows.extend_from_slice(items),
                    None => rows.push(selected),
                }
                Ok(())
            }
        }
    }

    fn finish_pages(&self, rows: Vec<Value>) -> Result<(), Failure> {
        match self.format {
            Format::Json => Ok(()),
            Format::Table => print(&output::table(&Value::Array(rows))),
        }
    }

    fn selected(&self, answer: &Value) -> Value {
        match self.query {
            Some(query) => query.select(answer),
            None => answer.clone(),
        }
    }
}

/// Writes to stdout; a closed pipe (`ccc ... | head`) ends the output quietly.
fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Other(format!("cannot write the answer: {e}"))),
    }
}
