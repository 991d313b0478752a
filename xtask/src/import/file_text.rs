//! The layout of a spec file as people write it, so that what the importer
//! writes reads like the hand-written files (and an unchanged file is
//! rewritten byte for byte).

/// Widest line a list of scalars is folded onto.
const FOLD_WIDTH: usize = 100;

/// Pretty JSON as in the hand-written files: a 2-space indent, a final newline,
/// and a short list of scalars on one line (`"Callers": ["foobar"]`), except
/// an action's `errors`.
pub fn to_file_text<T: serde::Serialize>(value: &T) -> String {
    let pretty = serde_json::to_string_pretty(value).expect("spec files serialize");
    let lines: Vec<&str> = pretty.lines().collect();
    let mut out = String::with_capacity(pretty.len());
    let mut i = 0;
    while i < lines.len() {
        if let Some((folded, next)) = fold_scalar_list(&lines, i) {
            out.push_str(&folded);
            i = next;
        } else {
            out.push_str(lines[i]);
            i += 1;
        }
        out.push('\n');
    }
    out
}

/// When `lines[start]` opens a list whose items are all scalars and the folded
/// line fits, the folded line and the index after the list's closing line.
fn fold_scalar_list(lines: &[&str], start: usize) -> Option<(String, usize)> {
    let open = lines[start];
    // The hand-written files list an action's error codes one per line.
    if !open.ends_with('[') || open.trim() == "\"errors\": [" {
        return None;
    }
    let mut items = Vec::new();
    for (j, line) in lines.iter().enumerate().skip(start + 1) {
        let t = line.trim();
        if t == "]" || t == "]," {
            let folded = format!("{open}{}{t}", items.join(", "));
            return (!items.is_empty() && folded.len() <= FOLD_WIDTH).then_some((folded, j + 1));
        }
        let item = t.strip_suffix(',').unwrap_or(t);
        match serde_json::from_str::<serde_json::Value>(item) {
            Ok(v) if !v.is_array() && !v.is_object() => items.push(item),
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_scalar_lists_fold_onto_one_line() {
        let value = serde_json::json!({"a": ["x", "y,]"], "b": [{"c": [1, 2]}], "d": [], "errors": ["A"], "e": ["long string number one", "long string number two", "long string number three", "long string number four"]});
        let text = to_file_text(&value);
        assert!(text.contains("\"a\": [\"x\", \"y,]\"],\n"), "{text}");
        assert!(text.contains("\"c\": [1, 2]\n"), "{text}");
        assert!(text.contains("\"d\": [],"), "{text}");
        assert!(text.contains("\"e\": [\n"), "{text}");
        assert!(text.contains("\"errors\": [\n"), "{text}");
        assert!(text.ends_with("}\n"));
    }
}

#[cfg(test)]
mod round_trip {
    use std::path::{Path, PathBuf};

    use codegen::spec::{ActionSpec, ErrorCatalogSpec, ModelSpec, ServiceSpec};
    use serde::de::DeserializeOwned;

    use super::to_file_text;

    fn service_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-spec/ccc/2020-02-10")
    }

    fn json_files(dir: &Path) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.retain(|p| p.extension().is_some_and(|e| e == "json"));
        files.sort();
        files
    }

    /// Reads a spec file as `T` and writes it back; returns the text read and the text written.
    fn rewrite<T: DeserializeOwned + serde::Serialize>(path: &Path) -> (String, String) {
        let text = std::fs::read_to_string(path).unwrap();
        let value: T =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        (text, to_file_text(&value))
    }

    #[test]
    fn every_spec_file_is_rewritten_byte_for_byte() {
        let dir = service_dir();
        let mut checked = 0;
        for path in json_files(&dir.join("actions")) {
            let (read, written) = rewrite::<ActionSpec>(&path);
            assert_eq!(written, read, "{}", path.display());
            checked += 1;
        }
        for path in json_files(&dir.join("models")) {
            let (read, written) = rewrite::<ModelSpec>(&path);
            let model: ModelSpec = serde_json::from_str(&read).unwrap();
            if model.int_enum.is_some() {
                // Enumerations are written by hand with one value per line, a
                // layout the importer (which never writes one) does not produce:
                // the content must survive, not the layout.
                let parsed = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap();
                assert_eq!(parsed(&written), parsed(&read), "{}", path.display());
            } else {
                assert_eq!(written, read, "{}", path.display());
            }
            checked += 1;
        }
        let (read, written) = rewrite::<ServiceSpec>(&dir.join("service.json"));
        assert_eq!(written, read);
        let (read, written) = rewrite::<ErrorCatalogSpec>(&dir.join("errors.json"));
        assert_eq!(written, read);
        assert!(checked > 100, "only {checked} action and model files found");
    }
}
