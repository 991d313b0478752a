//! Loads the CCC spec with the code generator's loader and writes the compact
//! description the emulator embeds: per action its rate limit, error codes,
//! input and output members (wire name, type, requiredness) and examples; per
//! model its fields or integer enumeration (values and names).
//! The emulator never reads `api-spec/` at run time.

use std::path::PathBuf;

use serde_json::{Value, json};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let spec_root = manifest_dir.join("../../api-spec");
    let service_dir = spec_root.join("ccc").join("2020-02-10");
    println!("cargo:rerun-if-changed=../../api-spec");
    println!("cargo:rerun-if-changed=build.rs");

    let raw = match codegen::load::load(&spec_root, &service_dir) {
        Ok(raw) => raw,
        Err(errors) => panic!("{errors}"),
    };

    // Members and examples go through their serde form rather than their Rust
    // fields, so a field added to the spec format later does not break this build;
    // flags the format leaves out when false read as false.
    let flag = |value: &Value, key: &str| value.get(key).and_then(Value::as_bool).unwrap_or(false);
    let members = |members: &[codegen::spec::MemberSpec]| -> Value {
        members
            .iter()
            .map(|m| {
                let m = serde_json::to_value(m).expect("spec types serialize");
                json!({
                    "name": m["name"],
                    "type": m["type"],
                    "required": flag(&m, "required"),
                    "output_required": flag(&m, "output_required"),
                    "nullable": flag(&m, "nullable"),
                    "disabled": flag(&m, "disabled"),
                })
            })
            .collect()
    };
    let examples = |examples: &[codegen::spec::ExampleSpec]| -> Value {
        examples
            .iter()
            .map(|e| {
                let e = serde_json::to_value(e).expect("spec types serialize");
                json!({"request": e["request"], "response": e["response"], "notes": e.get("notes")})
            })
            .collect()
    };

    let actions: Vec<Value> = raw
        .actions
        .iter()
        .map(|(name, action)| {
            let action = &action.value;
            let errors =
                serde_json::to_value(action).expect("spec types serialize")["errors"].clone();
            json!({
                "name": name,
                "rate_limit_per_second": action.rate_limit_per_second,
                "errors": errors,
                "input": members(&action.input),
                "output": members(&action.output),
                "examples": examples(&action.examples),
            })
        })
        .collect();

    let models: Vec<Value> = raw
        .models
        .iter()
        .map(|(name, model)| {
            let model = &model.value;
            let fields = model.fields.as_deref().map(members);
            let int_enum = model.int_enum.as_ref().map(|e| {
                json!({
                    "type": e.ty,
                    "values": e.values.iter().map(|v| v.value).collect::<Vec<_>>(),
                    "names": e.values.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
                })
            });
            json!({"name": name, "fields": fields, "int_enum": int_enum})
        })
        .collect();

    let mut codes: Vec<&String> = raw
        .error_catalogs
        .iter()
        .flat_map(|c| c.value.codes.keys())
        .collect();
    codes.sort();
    codes.dedup();

    let compact = json!({
        "service": raw.service.value.service,
        "version": raw.service.value.version,
        "actions": actions,
        "models": models,
        "error_codes": codes,
    });
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("ccc-spec.json");
    std::fs::write(&out, serde_json::to_string(&compact).expect("serializable"))
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
