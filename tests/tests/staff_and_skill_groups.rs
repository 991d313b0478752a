//! Agents and skill groups through the generated Rust client against the
//! embedded `ccc-local` emulator: what an application creates, it lists;
//! bindings show on both sides; each refusal is the documented typed code.

use ccc_api::models::{SeatUserInfo, SetStaffStatusItem, StaffSkillGroupList};
use ccc_api::{Client, ErrorCode};
use ccc_local::{DEMO_SDK_APP_ID, DEMO_SKILL_GROUP_COUNT, DEMO_STAFF_COUNT};
use e2e_tests::{refused, start};

const ID: &str = "AKIDe2eStaff";
const KEY: &str = "e2e-staff-key";
const APP: i64 = DEMO_SDK_APP_ID as i64;

fn seat(mail: &str, name: &str) -> SeatUserInfo {
    // Model structs are `#[non_exhaustive]`: start from the default, set what matters.
    let mut seat = SeatUserInfo::default();
    seat.name = name.to_owned();
    seat.mail = mail.to_owned();
    seat.staff_number = format!("no-{name}");
    seat
}

fn in_group(skill_group_id: i64, priority: i64) -> StaffSkillGroupList {
    let mut entry = StaffSkillGroupList::default();
    entry.skill_group_id = skill_group_id;
    entry.priority = Some(priority);
    entry
}

fn status(staff_user_id: &str, status: &str, reason: Option<&str>) -> SetStaffStatusItem {
    let mut item = SetStaffStatusItem::default();
    item.staff_user_id = staff_user_id.to_owned();
    item.status = status.to_owned();
    item.reason = reason.map(str::to_owned);
    item
}

async fn staff_groups(client: &Client, mail: &str) -> Vec<(i64, String, i64)> {
    let page = client
        .describe_staff_info_list()
        .sdk_app_id(APP)
        .page_size(10)
        .page_number(0)
        .staff_mail(mail)
        .send()
        .await
        .expect("the listing works");
    assert_eq!(page.total_count, 1, "{mail}");
    page.staff_list[0]
        .skill_group_list
        .iter()
        .map(|g| {
            (
                g.skill_group_id.expect("SkillGroupId"),
                g.skill_group_name.clone().expect("SkillGroupName"),
                g.priority.expect("Priority"),
            )
        })
        .collect()
}

async fn group_members(client: &Client, group: i64) -> Vec<String> {
    client
        .describe_staff_info_list()
        .sdk_app_id(APP)
        .page_size(100)
        .page_number(0)
        .skill_group_id(group)
        .send()
        .await
        .expect("the listing works")
        .staff_list
        .into_iter()
        .map(|s| s.mail)
        .collect()
}

#[tokio::test]
async fn created_staff_and_groups_are_listed_and_bound_both_ways() {
    let (emulator, client) = start(ID, KEY).await;

    let groups = client
        .describe_skill_group_info_list()
        .sdk_app_id(APP)
        .page_size(100)
        .page_number(0)
        .send()
        .await
        .unwrap();
    assert_eq!(groups.total_count as u64, DEMO_SKILL_GROUP_COUNT);

    let billing = client
        .create_ccc_skill_group()
        .sdk_app_id(APP)
        .skill_group_name("Billing desk")
        .skill_group_type(0)
        .send()
        .await
        .unwrap()
        .skill_group_id;
    let chat = client
        .create_ccc_skill_group()
        .sdk_app_id(APP)
        .skill_group_name("Live chat")
        .skill_group_type(1)
        .max_concurrency(4)
        .send()
        .await
        .unwrap()
        .skill_group_id;
    assert_eq!(chat, billing + 1);
    let (code, message) = refused(
        client
            .create_ccc_skill_group()
            .sdk_app_id(APP)
            .skill_group_name("Billing desk")
            .skill_group_type(1)
            .send()
            .await,
    );
    assert_eq!(
        code,
        ErrorCode::InvalidParameterValueSkillGroupExist,
        "{message}"
    );
    let (code, message) = refused(
        client
            .create_ccc_skill_group()
            .sdk_app_id(APP)
            .skill_group_name("Phones")
            .skill_group_type(0)
            .max_concurrency(3)
            .send()
            .await,
    );
    assert_eq!(code, ErrorCode::InvalidParameter, "{message}");
    assert!(message.contains("MaxConcurrency"), "{message}");

    // One valid agent bound by group name, one refused, in one call.
    let mut alice = seat("alice@example.com", "Alice");
    alice.skill_group_name_list = Some(vec!["Billing desk".to_owned()]);
    let created = client
        .create_staff()
        .sdk_app_id(APP)
        .staffs(vec![alice.clone(), seat("not-an-address", "Bob")])
        .send()
        .await
        .unwrap();
    assert_eq!(created.error_staff_list.len(), 1);
    assert_eq!(created.error_staff_list[0].staff_email, "not-an-address");
    assert_eq!(created.error_staff_list[0].code, "InvalidParameterValue");
    let again = client
        .create_staff()
        .sdk_app_id(APP)
        .staffs(vec![alice])
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.error_staff_list[0].code,
        "FailedOperation.DuplicatedAccount"
    );

    assert_eq!(
        staff_groups(&client, "alice@example.com").await,
        [(billing, "Billing desk".to_owned(), 3)]
    );
    assert_eq!(group_members(&client, billing).await, ["alice@example.com"]);

    client
        .bind_staff_skill_group_list()
        .sdk_app_id(APP)
        .staff_email("alice@example.com")
        .staff_skill_group_list(vec![in_group(chat, 1)])
        .send()
        .await
        .unwrap();
    assert_eq!(
        staff_groups(&client, "alice@example.com").await,
        [
            (billing, "Billing desk".to_owned(), 3),
            (chat, "Live chat".to_owned(), 1)
        ]
    );
    assert_eq!(group_members(&client, chat).await, ["alice@example.com"]);
    let (code, _) = refused(
        client
            .bind_staff_skill_group_list()
            .sdk_app_id(APP)
            .staff_email("alice@example.com")
            .staff_skill_group_list(vec![in_group(chat, 9)])
            .send()
            .await,
    );
    assert_eq!(code, ErrorCode::InvalidParameter);

    // A group with agents cannot go; once they are unbound it can.
    let (code, message) = refused(
        client
            .delete_ccc_skill_group()
            .sdk_app_id(DEMO_SDK_APP_ID)
            .skill_group_id(billing)
            .send()
            .await,
    );
    assert_eq!(code, ErrorCode::ResourceUnavailable, "{message}");
    assert!(message.contains("alice@example.com"), "{message}");
    client
        .unbind_staff_skill_group_list()
        .sdk_app_id(APP)
        .staff_email("alice@example.com")
        .skill_group_list(vec![billing])
        .send()
        .await
        .unwrap();
    assert!(group_members(&client, billing).await.is_empty());
    client
        .delete_ccc_skill_group()
        .sdk_app_id(DEMO_SDK_APP_ID)
        .skill_group_id(billing)
        .send()
        .await
        .unwrap();
    let listed = client
        .describe_skill_group_info_list()
        .sdk_app_id(APP)
        .page_size(100)
        .page_number(0)
        .skill_group_id(billing)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.total_count, 0);

    // Renaming and limits of an update.
    client
        .update_ccc_skill_group()
        .sdk_app_id(DEMO_SDK_APP_ID)
        .skill_group_id(chat)
        .skill_group_name("Chat")
        .send()
        .await
        .unwrap();
    assert_eq!(
        staff_groups(&client, "alice@example.com").await[0].1,
        "Chat"
    );
    let (code, _) = refused(
        client
            .update_ccc_skill_group()
            .sdk_app_id(DEMO_SDK_APP_ID)
            .skill_group_id(chat)
            .ring_all(true)
            .send()
            .await,
    );
    assert_eq!(
        code,
        ErrorCode::InvalidParameter,
        "4 sessions is over the ring-all limit of 2"
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn staff_are_modified_paged_given_a_status_and_deleted() {
    let (emulator, client) = start(ID, KEY).await;
    let before = client
        .describe_staff_info_list()
        .sdk_app_id(APP)
        .page_size(100)
        .page_number(0)
        .send()
        .await
        .unwrap();
    assert_eq!(before.total_count as u64, DEMO_STAFF_COUNT);

    let seats: Vec<SeatUserInfo> = ["zed", "yan", "xia"]
        .iter()
        .map(|n| seat(&format!("{n}@example.com"), n))
        .collect();
    let created = client
        .create_staff()
        .sdk_app_id(APP)
        .staffs(seats)
        .send()
        .await
        .unwrap();
    assert!(created.error_staff_list.is_empty());

    // Every agent once, in Mail order, over pages of 2.
    let mut mails = Vec::new();
    for page_number in 0..20 {
        let page = client
            .describe_staff_info_list()
            .sdk_app_id(APP)
            .page_size(2)
            .page_number(page_number)
            .send()
            .await
            .unwrap();
        assert_eq!(page.total_count as u64, DEMO_STAFF_COUNT + 3);
        if page.staff_list.is_empty() {
            break;
        }
        mails.extend(page.staff_list.into_iter().map(|s| s.mail));
    }
    let mut sorted = mails.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(mails, sorted);
    assert_eq!(mails.len() as u64, DEMO_STAFF_COUNT + 3);

    client
        .modify_staff()
        .sdk_app_id(DEMO_SDK_APP_ID)
        .email("zed@example.com")
        .name("Zed Z.")
        .phone("008613700000001")
        .extension_number("1234")
        .send()
        .await
        .unwrap();
    let zed = client
        .describe_staff_info_list()
        .sdk_app_id(APP)
        .page_size(1)
        .page_number(0)
        .staff_mail("zed@example.com")
        .send()
        .await
        .unwrap()
        .staff_list
        .remove(0);
    assert_eq!(
        (zed.name.as_str(), zed.phone.as_str()),
        ("Zed Z.", "008613700000001")
    );
    assert_eq!(zed.extension_number.as_deref(), Some("1234"));
    let (code, _) = refused(
        client
            .modify_staff()
            .sdk_app_id(DEMO_SDK_APP_ID)
            .email("yan@example.com")
            .phone("008613700000001")
            .send()
            .await,
    );
    assert_eq!(
        code,
        ErrorCode::InvalidParameterValuePhoneNumIsBoundOtherAccount
    );
    let (code, _) = refused(
        client
            .modify_staff()
            .sdk_app_id(DEMO_SDK_APP_ID)
            .email("nobody@example.com")
            .name("x")
            .send()
            .await,
    );
    assert_eq!(code, ErrorCode::InvalidParameterValueAccountNotExist);
    let (code, _) = refused(
        client
            .modify_staff()
            .sdk_app_id(DEMO_SDK_APP_ID)
            .email("zed@example.com")
            .skill_group_ids(vec![999_999])
            .send()
            .await,
    );
    assert_eq!(code, ErrorCode::InvalidParameterValueSkillGroupError);

    // Status: new agents are offline; set one on a break.
    let set = client
        .set_staff_status()
        .sdk_app_id(APP)
        .staff_status_list(vec![
            status("zed@example.com", "rest", Some("lunch")),
            status("nobody@example.com", "free", None),
        ])
        .send()
        .await
        .unwrap()
        .staff_status_list
        .expect("a status per agent");
    assert_eq!(set[0].previous_status.as_deref(), Some("offline"));
    assert_eq!(set[0].status.as_deref(), Some("rest"));
    assert_eq!(set[0].error_code.as_deref(), Some(""));
    assert_eq!(set[1].error_code.as_deref(), Some("InvalidParameterValue"));
    let metrics = client
        .describe_staff_status_metrics()
        .sdk_app_id(APP)
        .staff_list(vec![
            "zed@example.com".to_owned(),
            "yan@example.com".to_owned(),
        ])
        .send()
        .await
        .unwrap()
        .metrics;
    let statuses: Vec<(&str, &str, &str)> = metrics
        .iter()
        .map(|m| (m.email.as_str(), m.status.as_str(), m.reason.as_str()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("yan@example.com", "offline", ""),
            ("zed@example.com", "rest", "lunch")
        ]
    );
    assert!(metrics[1].last_online_timestamp.is_some());
    assert!(metrics[0].last_online_timestamp.is_none());
    let resting = client
        .describe_staff_status_metrics()
        .sdk_app_id(APP)
        .status_list(vec!["rest".to_owned()])
        .send()
        .await
        .unwrap()
        .metrics;
    assert!(resting.iter().any(|m| m.email == "zed@example.com"));
    assert!(resting.iter().all(|m| m.status == "rest"));

    // Online agents stay; offline ones go.
    let deleted = client
        .delete_staff()
        .sdk_app_id(APP)
        .staff_list(vec![
            "zed@example.com".to_owned(),
            "yan@example.com".to_owned(),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.online_staff_list, ["zed@example.com"]);
    let after = client
        .describe_staff_info_list()
        .sdk_app_id(APP)
        .page_size(100)
        .page_number(0)
        .send()
        .await
        .unwrap();
    assert_eq!(after.total_count as u64, DEMO_STAFF_COUNT + 2);
    assert!(after.staff_list.iter().all(|s| s.mail != "yan@example.com"));

    let (code, _) = refused(
        client
            .describe_staff_info_list()
            .sdk_app_id(42)
            .page_size(10)
            .page_number(0)
            .send()
            .await,
    );
    assert_eq!(code, ErrorCode::InvalidParameterValueInstanceNotExist);
    let (code, _) = refused(
        client
            .describe_staff_info_list()
            .sdk_app_id(APP)
            .page_size(10_000)
            .page_number(0)
            .send()
            .await,
    );
    assert_eq!(code, ErrorCode::InvalidParameterValue);
    emulator.shutdown().await;
}
