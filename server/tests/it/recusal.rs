//! Declared conflicts of interest: the opinion disappears from every view of the reviewer who
//! steps aside, while the rest of the group still handles it.

use crate::common;
use vocabulary::model::Category;

use common::TestApp;

fn ids(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .expect("list")
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_string())
        .collect()
}

fn suggestions_in_first_village(overview: &serde_json::Value) -> serde_json::Value {
    overview["stats"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["village"] == "张家村")
        .expect("row")["cells"][0]
        .clone()
}

#[actix_web::test]
async fn a_recused_reviewer_never_sees_the_opinion_again() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_MIN_GROUP_SIZE", "2")]).await;
    for text in ["关于我亲戚的意见", "别的意见一", "别的意见二"] {
        app.submit(0, text).await;
    }
    app.release_waiting().await;
    let me = app.api_login().await;
    let group = app.demo_group_id().await;
    let other = app.add_staff("qingshan2", "member", Some(group)).await;
    let id = app
        .all_opinions()
        .await
        .into_iter()
        .find(|o| o.body == "关于我亲戚的意见")
        .expect("opinion")
        .id;

    let response = app
        .client
        .post(app.url(&format!("/api/v1/staff/opinions/{id}/recusal")))
        .bearer_auth(&me)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 204);

    let (_, mine) = app.staff_get(&me, "/api/v1/staff/opinions").await;
    assert!(!ids(&mine).iter().any(|i| i == &id), "gone from the list");
    assert_eq!(ids(&mine).len(), 2);
    for path in [
        format!("/api/v1/staff/opinions/{id}"),
        format!("/api/v1/staff/opinions/{id}/photos/1"),
    ] {
        assert_eq!(app.staff_get(&me, &path).await.0, 404, "{path}");
    }
    let (patch, _) = app
        .staff_send(
            reqwest::Method::PATCH,
            &me,
            &format!("/api/v1/staff/opinions/{id}"),
            serde_json::json!({ "state": "closed" }),
        )
        .await;
    assert_eq!(patch, 404);
    let (ask, _) = app
        .staff_send(
            reqwest::Method::POST,
            &me,
            &format!("/api/v1/staff/opinions/{id}/messages"),
            serde_json::json!({ "text": "?" }),
        )
        .await;
    assert_eq!(ask, 404);
    let new_count = |counts: &serde_json::Value| {
        counts
            .as_array()
            .expect("counts")
            .iter()
            .find(|c| c["state"] == "new")
            .expect("new")["count"]
            .clone()
    };
    let (_, my_counts) = app.staff_get(&me, "/api/v1/staff/opinions/counts").await;
    assert_eq!(new_count(&my_counts), 2, "not counted in my states");
    let (_, their_counts) = app.staff_get(&other, "/api/v1/staff/opinions/counts").await;
    assert_eq!(new_count(&their_counts), 3);
    let (_, my_stats) = app.staff_get(&me, "/api/v1/staff/group").await;
    assert_eq!(suggestions_in_first_village(&my_stats), 2, "not counted");

    // The rest of the group still has it.
    let (_, theirs) = app.staff_get(&other, "/api/v1/staff/opinions").await;
    assert!(ids(&theirs).iter().any(|i| i == &id));
    let (status, detail) = app
        .staff_get(&other, &format!("/api/v1/staff/opinions/{id}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(detail["text"], "关于我亲戚的意见");
    let (_, their_stats) = app.staff_get(&other, "/api/v1/staff/group").await;
    assert_eq!(suggestions_in_first_village(&their_stats), 3);

    assert!(app.audited("recuse", &id).await);
}

#[actix_web::test]
async fn the_opinion_page_offers_stepping_aside() {
    let app = TestApp::spawn().await;
    app.submit(0, "需要回避的意见").await;
    app.release_waiting().await;
    app.page_login().await;
    let id = app.all_opinions().await[0].id.clone();
    let (_, page) = app.get_text(&format!("/staff/opinions/{id}")).await;
    assert!(page.contains("data-testid=\"recuse-form\""));
    let csrf = common::csrf_in(&page);
    let (status, _) = app
        .post_form(
            &format!("/staff/opinions/{id}/recuse"),
            &[("csrf", "forged")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .post_form(&format!("/staff/opinions/{id}/recuse"), &[("csrf", &csrf)])
        .await;
    assert_eq!(status, 303);
    let (status, _) = app.get_text(&format!("/staff/opinions/{id}")).await;
    assert_eq!(status, 404);
    let (_, queue) = app.get_text("/staff").await;
    assert!(!queue.contains("需要回避的意见"));
}

#[actix_web::test]
async fn the_inbox_summary_leaves_out_exactly_what_the_reviewer_may_not_see() {
    use diesel::prelude::*;
    use mashangshuo::db::opinions::Opinion;
    use mashangshuo::db::schema::{opinion_subjects, opinions, recusals, staff};
    use mashangshuo::db::visibility::Scope;
    use mashangshuo::domain::queue::QueueFilter;
    use std::collections::{BTreeMap, BTreeSet};
    let app = TestApp::spawn().await;
    let group = app.demo_group_id().await;
    for n in 0..30 {
        let category = [Category::Suggestion, Category::Conduct][n % 2];
        app.insert_released(n % 2, category, &format!("第{n}条意见"))
            .await;
    }
    app.add_staff("summary1", "member", Some(group.clone()))
        .await;
    app.add_staff("summary2", "member", Some(group)).await;
    let checked = app
        .state
        .db(|conn| {
            let today = mashangshuo::domain::day::today();
            // Some are about a person, some about a unit (whom the villager chose).
            let all: Vec<(String, String)> = opinions::table
                .inner_join(mashangshuo::db::schema::boxes::table)
                .select((opinions::id, mashangshuo::db::schema::boxes::unit_id))
                .order(opinions::id)
                .load(conn)?;
            let person: String = staff::table
                .filter(staff::person_id.is_not_null())
                .select(staff::person_id.assume_not_null())
                .first(conn)?;
            for (k, (id, unit)) in all.iter().enumerate() {
                let target = diesel::update(opinions::table.find(id));
                match k % 4 {
                    0 => target
                        .set(opinions::target_unit_id.eq(unit))
                        .execute(conn)?,
                    1 => target
                        .set(opinions::target_person_id.eq(&person))
                        .execute(conn)?,
                    _ => 0,
                };
            }
            let groups: Vec<String> = opinions::table
                .filter(opinions::released_on.is_not_null())
                .select(opinions::leading_group_id)
                .distinct()
                .load(conn)?;
            let mut checked = 0;
            for group in groups {
                let ids: Vec<String> = opinions::table
                    .filter(opinions::leading_group_id.eq(&group))
                    .filter(opinions::released_on.is_not_null())
                    .select(opinions::id)
                    .order(opinions::id)
                    .load(conn)?;
                let members: Vec<(String, Option<String>)> = staff::table
                    .filter(staff::leading_group_id.eq(&group))
                    .select((staff::id, staff::person_id))
                    .load(conn)?;
                for (k, (staff_id, person_id)) in members.into_iter().enumerate() {
                    // Each account steps aside from every third opinion, and every fifth names
                    // its person (some of them both), starting at a different place.
                    for id in ids.iter().skip(k).step_by(3) {
                        diesel::insert_into(recusals::table)
                            .values((
                                recusals::opinion_id.eq(id),
                                recusals::staff_id.eq(&staff_id),
                            ))
                            .execute(conn)?;
                    }
                    if let Some(person) = &person_id {
                        for id in ids.iter().skip(k + 1).step_by(5) {
                            let known: i64 = opinion_subjects::table
                                .filter(opinion_subjects::opinion_id.eq(id))
                                .filter(opinion_subjects::person_id.eq(person))
                                .count()
                                .get_result(conn)?;
                            if known == 0 {
                                diesel::insert_into(opinion_subjects::table)
                                    .values((
                                        opinion_subjects::opinion_id.eq(id),
                                        opinion_subjects::person_id.eq(person),
                                        opinion_subjects::source.eq("tagged"),
                                    ))
                                    .execute(conn)?;
                            }
                        }
                    }
                    let scope = Scope {
                        group_id: group.clone().into(),
                        staff_id: staff_id.into(),
                        person_id: person_id.map(Into::into),
                    };
                    let summary = Opinion::scope_summary(conn, &scope)?;
                    // The reference: every row the queue shows, each checked on its own.
                    let seen =
                        Opinion::queue(conn, &scope, &QueueFilter::default(), &today, 100_000)?;
                    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
                    let mut villages = BTreeSet::new();
                    let mut targets = BTreeSet::new();
                    for row in &seen {
                        *counts
                            .entry(row.opinion.state.as_str().to_string())
                            .or_default() += 1;
                        villages.insert(row.unit_name.clone());
                        let target = (
                            row.opinion.target_person_id.clone(),
                            row.opinion.target_unit_id.clone(),
                        );
                        if target.0.is_some() || target.1.is_some() {
                            targets.insert(target);
                        }
                    }
                    assert!(
                        seen.len() < ids.len(),
                        "something is hidden from {}",
                        scope.staff_id
                    );
                    assert_eq!(summary.state_counts, counts.into_iter().collect::<Vec<_>>());
                    assert_eq!(summary.villages, villages.into_iter().collect::<Vec<_>>());
                    assert_eq!(summary.targets, targets.into_iter().collect::<Vec<_>>());
                    checked += 1;
                }
            }
            Ok(checked)
        })
        .await
        .expect("summaries");
    assert!(checked >= 2, "{checked} accounts checked");
}
