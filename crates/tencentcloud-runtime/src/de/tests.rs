use super::*;

fn decode<T: Decode>(json: &str) -> Result<T> {
    from_slice(json.as_bytes())
}

/// Decodes `json` as `T` and gives the paths of the members it left out.
fn omitted<T: Decode>(json: &str) -> (T, Vec<String>) {
    let mut reader = Reader::new(json);
    let value = T::decode(&mut reader).unwrap();
    reader.end().unwrap();
    (value, reader.omitted().to_vec())
}

#[test]
fn integers_accept_integral_floats_and_strings() {
    assert_eq!(decode::<u64>("3").unwrap(), 3);
    assert_eq!(decode::<u64>("3.0").unwrap(), 3);
    assert_eq!(decode::<u64>("\"3\"").unwrap(), 3);
    assert_eq!(decode::<u64>(" \" 3 \" ").unwrap(), 3);
    assert_eq!(decode::<i64>("\"-7\"").unwrap(), -7);
    assert_eq!(decode::<i64>("-7.0").unwrap(), -7);
    assert_eq!(decode::<i64>("-9223372036854775808").unwrap(), i64::MIN);
    assert_eq!(decode::<u64>("18446744073709551615").unwrap(), u64::MAX);
    assert_eq!(decode::<u64>("3e2").unwrap(), 300);
    assert!(decode::<u64>("3.5").is_err());
    assert!(decode::<u64>("-1").is_err());
    assert!(decode::<u64>("\"x\"").is_err());
    assert!(decode::<u64>("true").is_err());
    assert!(decode::<u64>("null").is_err());
    assert!(decode::<u64>("[1]").is_err());
    assert!(decode::<u8>("300").is_err());
    assert!(decode::<u64>("18446744073709551616").is_err());
}

#[test]
fn integer_errors_speak_serde() {
    let message = |json: &str| decode::<u64>(json).unwrap_err().message;
    assert_eq!(message("\"x\""), "invalid type: string \"x\", expected u64");
    assert_eq!(message("-1"), "invalid value: integer `-1`, expected u64");
    assert_eq!(
        message("3.5"),
        "invalid type: floating point `3.5`, expected u64"
    );
    assert_eq!(
        message("true"),
        "invalid type: boolean `true`, expected u64"
    );
    assert_eq!(message("null"), "invalid type: null, expected u64");
    assert_eq!(message("[1]"), "invalid type: sequence, expected u64");
    assert_eq!(message("{}"), "invalid type: map, expected u64");
    assert_eq!(
        decode::<u8>("300").unwrap_err().message,
        "invalid value: integer `300`, expected u8"
    );
    assert_eq!(
        decode::<u64>("1e20").unwrap_err().message,
        "invalid type: floating point `100000000000000000000`, expected u64"
    );
}

#[test]
fn floats_accept_integers_and_strings() {
    assert_eq!(decode::<f64>("2").unwrap(), 2.0);
    assert_eq!(decode::<f64>("-2").unwrap(), -2.0);
    assert_eq!(decode::<f64>("\"2.5\"").unwrap(), 2.5);
    assert_eq!(decode::<f64>("1.25e-2").unwrap(), 0.0125);
    assert!(decode::<f64>("\"NaN\"").is_err());
    assert!(decode::<f64>("1e400").is_err());
}

#[test]
fn strings_and_bools_stay_strict() {
    assert!(decode::<String>("3").is_err());
    assert!(decode::<bool>("\"true\"").is_err());
    assert!(decode::<bool>("1").is_err());
    assert_eq!(
        decode::<String>("3").unwrap_err().message,
        "invalid type: integer `3`, expected a string"
    );
    assert!(decode::<bool>("true").unwrap());
}

#[test]
fn strings_are_unescaped() {
    assert_eq!(
        decode::<String>(r#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00é""#).unwrap(),
        "a\"b\\c/d\u{8}\u{c}\n\r\té😀é"
    );
    for bad in [
        r#""\x""#,
        r#""\ud83d""#,
        r#""\u12""#,
        "\"a\u{1}\"",
        r#""abc"#,
    ] {
        let err = decode::<String>(bad).unwrap_err();
        assert!(err.is_syntax(), "{bad}: {err:?}");
    }
}

#[test]
fn null_lists_are_empty_and_elements_are_lenient() {
    assert_eq!(decode::<Vec<u64>>("null").unwrap(), Vec::<u64>::new());
    assert_eq!(
        decode::<Vec<u64>>("[1, \"2\", 3.0]").unwrap(),
        vec![1, 2, 3]
    );
    assert_eq!(
        decode::<Vec<Vec<u64>>>("[null, [1]]").unwrap(),
        vec![vec![], vec![1]]
    );
    assert!(decode::<Vec<u64>>("5").is_err());
    assert!(decode::<Vec<u64>>("[1,]").unwrap_err().is_syntax());
    assert!(decode::<Vec<u64>>("[1 2]").unwrap_err().is_syntax());
}

#[test]
fn options_take_null_and_lenient_values() {
    assert_eq!(decode::<Option<u64>>("null").unwrap(), None);
    assert_eq!(decode::<Option<u64>>("\"5\"").unwrap(), Some(5));
    assert_eq!(decode::<Option<Vec<u64>>>("null").unwrap(), None);
}

#[test]
fn untyped_values_pass_through() {
    let value: serde_json::Value =
        decode(r#"{"a":[1,"2",null,{"b":1.5}],"c":-3,"d":true}"#).unwrap();
    assert_eq!(
        value,
        serde_json::json!({"a":[1,"2",null,{"b":1.5}],"c":-3,"d":true})
    );
}

#[test]
fn trailing_text_and_broken_json_are_syntax_errors() {
    for bad in [
        "3 4",
        "",
        "[",
        "{\"a\" 1}",
        "{\"a\":1,}",
        "{1:2}",
        "tru",
        "01",
        "1.",
        "-",
    ] {
        let err = decode::<serde_json::Value>(bad).unwrap_err();
        assert!(err.is_syntax(), "{bad}: {err:?}");
    }
    assert!(from_slice::<String>(b"\"\xff\"").unwrap_err().is_syntax());
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let deep = "[".repeat(100_000);
    let err = decode::<serde_json::Value>(&deep).unwrap_err();
    assert!(
        err.message.starts_with("recursion limit exceeded"),
        "{err:?}"
    );
    let mut reader = Reader::new(&deep);
    assert!(reader.skip().is_err());
}

#[derive(Debug, Default, PartialEq)]
struct Task {
    task_id: u64,
    callers: Vec<String>,
    not_after: Option<i64>,
}

impl Decode for Task {
    fn decode(reader: &mut Reader<'_>) -> Result<Self> {
        static MEMBERS: Members = Members::new(
            "Task",
            &[
                Member::sent("TaskId"),
                Member::sent("Callers"),
                Member::optional("NotAfter"),
            ],
        );
        let mut value = Self::default();
        reader.object(&MEMBERS, &mut |reader, index| match index {
            0 => reader.read(&mut value.task_id),
            1 => reader.read(&mut value.callers),
            2 => reader.read(&mut value.not_after),
            _ => Ok(()),
        })?;
        Ok(value)
    }
}

#[derive(Debug, Default, PartialEq)]
struct Page {
    tasks: Vec<Task>,
}

impl Decode for Page {
    fn decode(reader: &mut Reader<'_>) -> Result<Self> {
        static MEMBERS: Members = Members::new("Page", &[Member::sent("Tasks")]);
        let mut value = Self::default();
        reader.object(&MEMBERS, &mut |reader, index| match index {
            0 => reader.read(&mut value.tasks),
            _ => Ok(()),
        })?;
        Ok(value)
    }
}

#[test]
fn structures_decode_leniently_and_ignore_unknown_members() {
    let page: Page = decode(
        r#"{"Tasks":[{"TaskId":"7","Callers":null,"NotAfter":null,"New":{"x":[1,"}"]}}],"Other":true}"#,
    )
    .unwrap();
    assert_eq!(
        page,
        Page {
            tasks: vec![Task {
                task_id: 7,
                callers: vec![],
                not_after: None
            }]
        }
    );
}

#[test]
fn members_match_in_any_order_and_the_last_of_two_wins() {
    let task: Task = decode(r#"{"NotAfter":5,"Callers":["a"],"TaskId":1,"TaskId":2}"#).unwrap();
    assert_eq!(
        task,
        Task {
            task_id: 2,
            callers: vec!["a".to_owned()],
            not_after: Some(5)
        }
    );
    // A name with escapes is unescaped before it is matched.
    let task: Task = decode(r#"{"Task\u0049d":3,"Callers":[]}"#).unwrap();
    assert_eq!(task.task_id, 3);
    assert_eq!(decode::<Task>(r#"{"taskid":3}"#).unwrap().task_id, 0);
}

#[test]
fn structures_are_objects_only() {
    let err = decode::<Task>(r#"[1, [], null]"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid type: sequence, expected struct Task"
    );
}

#[test]
fn errors_name_the_path() {
    let err =
        decode::<Page>(r#"{"Tasks":[{"TaskId":1,"Callers":[]},{"TaskId":"x","Callers":[]}]}"#)
            .unwrap_err();
    assert_eq!(err.path, "Tasks[1].TaskId");
    assert_eq!(err.message, "invalid type: string \"x\", expected u64");
    let err = decode::<Page>(r#"{"Tasks":[{"Callers":[]}, {"TaskId":[]}]}"#).unwrap_err();
    assert_eq!(err.path, "Tasks[1].TaskId");
    let err = decode::<Page>(r#"{"Tasks":[{"TaskId":1,"Callers":[5]}]}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Tasks[0].Callers[0]: invalid type: integer `5`, expected a string"
    );
    let err = decode::<Page>(r#"{"Tasks":[{"TaskId":-1,"Callers":[]}]}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Tasks[0].TaskId: invalid value: integer `-1`, expected u64"
    );
}

#[test]
fn keys_with_escapes_name_the_path() {
    #[derive(Debug, Default)]
    struct Escaped {
        a: u64,
    }
    impl Decode for Escaped {
        fn decode(reader: &mut Reader<'_>) -> Result<Self> {
            static MEMBERS: Members = Members::new("Escaped", &[Member::sent("A\"b")]);
            let mut value = Self::default();
            reader.object(&MEMBERS, &mut |reader, _| reader.read(&mut value.a))?;
            Ok(value)
        }
    }
    let err = decode::<Escaped>(r#"{"A\"b":"x"}"#).unwrap_err();
    assert_eq!(err.path, "A\"b");
}

#[derive(Debug, Default, PartialEq)]
struct Owner {
    id: u64,
    task: Task,
    note: Option<String>,
}

impl Decode for Owner {
    fn decode(reader: &mut Reader<'_>) -> Result<Self> {
        static MEMBERS: Members = Members::new(
            "Owner",
            &[
                Member::sent("Id"),
                Member::sent("Task"),
                Member::optional("Note"),
            ],
        );
        let mut value = Self::default();
        reader.object(&MEMBERS, &mut |reader, index| match index {
            0 => reader.read(&mut value.id),
            1 => reader.read(&mut value.task),
            2 => reader.read(&mut value.note),
            _ => Ok(()),
        })?;
        Ok(value)
    }
}

#[test]
fn members_left_out_decode_as_empty() {
    // `TaskId` and `Callers` are always sent by their definitions; `NotAfter` may be absent.
    let task: Task = decode(r#"{"Callers":["a"]}"#).unwrap();
    assert_eq!(
        task,
        Task {
            task_id: 0,
            callers: vec!["a".to_owned()],
            not_after: None
        }
    );
    let task: Task = decode(r#"{}"#).unwrap();
    assert_eq!(task, Task::default());
    // A structure left out whole is a structure of empty values.
    let owner: Owner = decode(r#"{"Id":1}"#).unwrap();
    assert_eq!(
        owner,
        Owner {
            id: 1,
            ..Owner::default()
        }
    );
    // What is sent still has to fit.
    assert!(decode::<Task>(r#"{"TaskId":"x"}"#).is_err());
    assert!(decode::<Task>(r#"{"TaskId":null}"#).is_err());
}

#[test]
fn omissions_are_named_by_path_once_each() {
    let (_, left_out) = omitted::<Task>(r#"{"TaskId":1,"Callers":[]}"#);
    assert!(left_out.is_empty(), "an absent Option is no omission");
    let (_, left_out) = omitted::<Owner>(r#"{"Id":1}"#);
    assert_eq!(
        left_out,
        ["Task"],
        "a missing structure counts once, not per member"
    );
    let (page, left_out) =
        omitted::<Page>(r#"{"Tasks":[{"TaskId":1,"Callers":[]},{"Callers":[]},{}]}"#);
    assert_eq!(page.tasks[1].task_id, 0);
    assert_eq!(
        left_out,
        ["Tasks[1].TaskId", "Tasks[2].TaskId", "Tasks[2].Callers"]
    );
}

#[derive(Debug, Default)]
struct Login {
    token: String,
    expires: u64,
}

impl Decode for Login {
    fn decode(reader: &mut Reader<'_>) -> Result<Self> {
        static MEMBERS: Members = Members::new(
            "Login",
            &[
                Member::sent("Token").secret(),
                Member::sent("Expires").secret(),
            ],
        );
        let mut value = Self::default();
        reader.object(&MEMBERS, &mut |reader, index| match index {
            0 => reader.read(&mut value.token),
            1 => reader.read(&mut value.expires),
            _ => Ok(()),
        })?;
        Ok(value)
    }
}

#[test]
fn secret_members_are_never_quoted() {
    for (json, message) in [
        (
            r#"{"Token":12345678}"#,
            "invalid type: integer, expected a string",
        ),
        (
            r#"{"Expires":"hunter2"}"#,
            "invalid type: string, expected u64",
        ),
        (
            r#"{"Expires":-12345678}"#,
            "invalid value: integer, expected u64",
        ),
        (
            r#"{"Expires":1234.5678}"#,
            "invalid type: floating point, expected u64",
        ),
        (
            r#"{"Token":true}"#,
            "invalid type: boolean, expected a string",
        ),
    ] {
        let err = decode::<Login>(json).unwrap_err();
        assert_eq!(err.message, message, "{json}");
    }
    // The same values in a member that is no secret are quoted.
    let err = decode::<Task>(r#"{"TaskId":"hunter2"}"#).unwrap_err();
    assert!(err.message.contains("hunter2"), "{err:?}");
    let login: Login = decode(r#"{"Token":"t","Expires":"5"}"#).unwrap();
    assert_eq!((login.token.as_str(), login.expires), ("t", 5));
}

#[test]
fn string_ends_and_escapes_are_found_at_any_position() {
    // The scan reads eight bytes at a time: try every offset within and across words,
    // with multi-byte characters (bytes of 0x80 and above) around.
    for len in 0..24 {
        let plain: String = "aé\u{7f}€".chars().cycle().take(len).collect();
        assert_eq!(decode::<String>(&format!("\"{plain}\"")).unwrap(), plain);
        let escaped = format!("\"{plain}\\n{plain}\"");
        assert_eq!(
            decode::<String>(&escaped).unwrap(),
            format!("{plain}\n{plain}")
        );
        let control = format!("\"{plain}\u{1f}{plain}\"");
        assert!(decode::<String>(&control).unwrap_err().is_syntax(), "{len}");
        assert!(
            decode::<String>(&format!("\"{plain}"))
                .unwrap_err()
                .is_syntax()
        );
    }
}

#[test]
fn numbers_of_every_length_and_form() {
    for n in [
        0u64,
        7,
        10,
        99,
        1_000_000_007,
        999_999_999_999_999_999,
        9_999_999_999_999_999_999,
        u64::MAX,
    ] {
        assert_eq!(decode::<u64>(&n.to_string()).unwrap(), n);
        assert_eq!(decode::<f64>(&n.to_string()).unwrap(), n as f64);
    }
    for n in [-1i64, -10, -999_999_999_999_999_999, i64::MIN] {
        assert_eq!(decode::<i64>(&n.to_string()).unwrap(), n);
    }
    assert!(decode::<i64>("-92233720368547758090").is_err());
    assert_eq!(decode::<f64>("-0.5E+1").unwrap(), -5.0);
    assert_eq!(decode::<f64>("0e0").unwrap(), 0.0);
    for bad in ["00", "-01", "1.e5", "1e", "1e+", ".5", "-", "+1"] {
        assert!(
            decode::<serde_json::Value>(bad).unwrap_err().is_syntax(),
            "{bad}"
        );
    }
}

#[test]
fn objects_in_any_order_or_shape_decode_alike() {
    // The reader learns the order of the first object and tries it first on
    // the next ones: objects that depart from it still decode exactly.
    let (page, left_out) = omitted::<Page>(
        r#"{"Tasks":[
            {"NotAfter":1,"Callers":["a"],"TaskId":1},
            {"NotAfter":2,"Callers":["b"],"TaskId":2},
            {"TaskId":3,"NotAfter":3,"Callers":["c"]},
            {"Extra":0,"Callers":["d"],"NotAfter":4},
            {"NotAfter":5,"Callers":["e"],"TaskId":5,"TaskId":6},
            {"NotAfter":7,"Callers":["f"],"TaskI":7,"TaskId":7}
        ]}"#,
    );
    let got: Vec<_> = page
        .tasks
        .iter()
        .map(|t| (t.task_id, t.callers[0].as_str(), t.not_after))
        .collect();
    assert_eq!(
        got,
        [
            (1, "a", Some(1)),
            (2, "b", Some(2)),
            (3, "c", Some(3)),
            (0, "d", Some(4)),
            (6, "e", Some(5)),
            (7, "f", Some(7)),
        ]
    );
    assert_eq!(left_out, ["Tasks[3].TaskId"]);
}

#[test]
fn names_that_differ_in_any_one_byte_do_not_match() {
    // Names are compared a word at a time against the raw text: every length
    // and every position of a difference.
    const NAMES: [&str; 5] = [
        "ABCDEFGHIJKLMNOPQ",
        "ABCDEFGHIJK",
        "ABCDEFGH",
        "ABCDE",
        "AB",
    ];
    #[derive(Debug, Default)]
    struct Lengths([Option<u64>; 5]);
    impl Decode for Lengths {
        fn decode(reader: &mut Reader<'_>) -> Result<Self> {
            static MEMBERS: Members = Members::new(
                "Lengths",
                &[
                    Member::optional(NAMES[0]),
                    Member::optional(NAMES[1]),
                    Member::optional(NAMES[2]),
                    Member::optional(NAMES[3]),
                    Member::optional(NAMES[4]),
                ],
            );
            let mut value = Self::default();
            reader.object(&MEMBERS, &mut |reader, index| {
                reader.read(&mut value.0[index])
            })?;
            Ok(value)
        }
    }
    for (slot, name) in NAMES.iter().enumerate() {
        let sent: Lengths = decode(&format!(r#"{{"{name}":1}}"#)).unwrap();
        assert_eq!(sent.0[slot], Some(1), "{name}");
        for at in 0..name.len() {
            let mut near = name.as_bytes().to_vec();
            near[at] = b'z';
            let near = String::from_utf8(near).unwrap();
            let got: Lengths = decode(&format!(r#"{{"{near}":1,"{near}":2}}"#)).unwrap();
            assert_eq!(got.0, [None; 5], "{near}");
        }
    }
}

#[test]
fn a_reader_shows_where_it_is_not_what_it_reads() {
    let mut reader = Reader::new(r#"{"Password":"hunter2"}"#);
    reader.skip().unwrap();
    let shown = format!("{reader:?}");
    assert!(
        !shown.contains("hunter2") && shown.contains("at: 22"),
        "{shown}"
    );
}
