//! Tencent's member types and how they map onto spec types.

use std::collections::BTreeMap;

use codegen::spec::Type;

use super::tccli::{TcMember, TcObject};

/// The scalar or object named by a member's `member` field.
fn element(member: &str, objects: &BTreeMap<String, TcObject>) -> Result<Type, String> {
    match member {
        "int64" => Ok(Type::I64),
        "uint64" => Ok(Type::U64),
        "string" => Ok(Type::String),
        "bool" => Ok(Type::Bool),
        "float" | "double" => Ok(Type::F64),
        name if objects.contains_key(name) => Ok(Type::Model(name.to_owned())),
        other => Err(format!(
            "element type `{other}` is neither a scalar nor an object of the definition"
        )),
    }
}

/// Maps a member's `type` and `member` onto a type: `int`/`int64` -> `i64`,
/// `int`/`uint64` -> `u64`, `float` -> `f64`, `object`/Name -> Name,
/// `list`/T -> `list<T>`.
pub fn map_type(
    ty: &str,
    member: &str,
    objects: &BTreeMap<String, TcObject>,
) -> Result<Type, String> {
    let mismatch = || {
        Err(format!(
            "type `{ty}` with member `{member}` has no spec type"
        ))
    };
    match ty {
        "list" => element(member, objects).map(|t| Type::List(Box::new(t))),
        "object" => match element(member, objects)? {
            t @ Type::Model(_) => Ok(t),
            _ => mismatch(),
        },
        "int" => match element(member, objects)? {
            t @ (Type::I64 | Type::U64) => Ok(t),
            _ => mismatch(),
        },
        "string" | "bool" | "float" => match element(member, objects)? {
            Type::String if ty == "string" => Ok(Type::String),
            Type::Bool if ty == "bool" => Ok(Type::Bool),
            Type::F64 if ty == "float" => Ok(Type::F64),
            _ => mismatch(),
        },
        _ => mismatch(),
    }
}

/// [`map_type`] for a member.
pub fn member_type(m: &TcMember, objects: &BTreeMap<String, TcObject>) -> Result<Type, String> {
    map_type(&m.ty, &m.member, objects)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects() -> BTreeMap<String, TcObject> {
        BTreeMap::from([(
            "Filter".to_owned(),
            TcObject {
                members: Vec::new(),
            },
        )])
    }

    #[test]
    fn scalars_map_to_spec_types() {
        let o = objects();
        let spec = |ty: &str, member: &str| map_type(ty, member, &o).map(|t| t.to_string());
        assert_eq!(spec("int", "int64").unwrap(), "i64");
        assert_eq!(spec("int", "uint64").unwrap(), "u64");
        assert_eq!(spec("string", "string").unwrap(), "string");
        assert_eq!(spec("bool", "bool").unwrap(), "bool");
        assert_eq!(spec("float", "float").unwrap(), "f64");
    }

    #[test]
    fn objects_and_lists_map_to_models() {
        let o = objects();
        let spec = |ty: &str, member: &str| map_type(ty, member, &o).map(|t| t.to_string());
        assert_eq!(spec("object", "Filter").unwrap(), "Filter");
        assert_eq!(spec("list", "Filter").unwrap(), "list<Filter>");
        assert_eq!(spec("list", "uint64").unwrap(), "list<u64>");
        assert_eq!(spec("list", "string").unwrap(), "list<string>");
        assert_eq!(
            map_type("list", "Filter", &o).unwrap().model(),
            Some("Filter")
        );
    }

    #[test]
    fn contradictory_or_unknown_types_are_refused() {
        let o = objects();
        assert!(map_type("int", "string", &o).is_err());
        assert!(map_type("object", "Missing", &o).is_err());
        assert!(map_type("object", "int64", &o).is_err());
        assert!(map_type("map", "string", &o).is_err());
        assert!(map_type("string", "bool", &o).is_err());
    }
}
