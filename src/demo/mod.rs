//! `serve --demo`: the real 2013–2014 plan and one account per role, on an empty database,
//! with a year of history (`year`).

mod year;

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::assignees::model::Assignment;
use crate::auth::Role;
use crate::db::DbPool;
use crate::db::schema::{actions, objectives, orientations, plans, users};
use crate::ids::{ActionId, PlanId, UserId};
use crate::import::{DEFAULT_ORGANIZATION, SEED_PLAN, parse};
use crate::plans::store;
use crate::security::passwords::Passwords;
use crate::users::dto::CreateUser;
use crate::users::regions::Region;
use crate::validation::bounded::{Email, Password};
use crate::write::{self, Actor};

/// The demo accounts, one per role (documented in the README; for demonstrations only).
pub const ACCOUNTS: [(&str, &str, Role, Option<&str>, &str); 4] = [
    (
        "coordination@rqds.example",
        "Coordination du RQDS",
        Role::Admin,
        None,
        "demo-coordination",
    ),
    (
        "ca@rqds.example",
        "Membre du CA",
        Role::Board,
        None,
        "demo-conseil-admin",
    ),
    (
        "estrie@rqds.example",
        "Délégation de l'Estrie",
        Role::Member,
        Some("Estrie"),
        "demo-delegation",
    ),
    (
        "mess@rqds.example",
        "Observateur du MESS",
        Role::Observer,
        None,
        "demo-observateur",
    ),
];

pub async fn load(pool: &DbPool, passwords: &Passwords) -> anyhow::Result<()> {
    let mut conn = pool.get().await?;
    let system = Actor::system();
    let existing: i64 = users::table.count().get_result(&mut conn).await?;
    if existing == 0 {
        for (email, name, role, region, password) in ACCOUNTS {
            let body = CreateUser {
                email: Email::new(email),
                display_name: name.into(),
                role,
                region: region.map(Region::new),
                password: Password::new(password),
            };
            let new = body.into_form(passwords).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            write::create(&mut conn, &system, new)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        tracing::info!("demo: one account per role created (see the README)");
    }
    let existing: i64 = plans::table.count().get_result(&mut conn).await?;
    if existing > 0 {
        tracing::info!(
            plans = existing,
            "demo: the database already holds plans; nothing imported"
        );
        return Ok(());
    }
    let parsed = parse::parse(SEED_PLAN).map_err(|e| anyhow::anyhow!("seed plan: {}", e.message.en))?;
    let (plan_id, counts) = store::store(
        &mut conn,
        &system,
        &year::at_the_start(&parsed.draft),
        DEFAULT_ORGANIZATION,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let coordination: UserId = users::table
        .filter(users::email.eq(ACCOUNTS[0].0))
        .select(users::id)
        .first(&mut conn)
        .await?;
    let actor = Actor {
        user_id: Some(coordination),
        ..Actor::system()
    };
    let updates = year::replay(&mut conn, &actor, PlanId(plan_id), &parsed.draft).await?;
    let assigned = assign_the_delegation(&mut conn, &actor, PlanId(plan_id)).await?;
    tracing::info!(
        plan_id,
        actions = counts.actions,
        updates,
        assigned,
        "demo: 2013-2014 plan loaded with a year of history"
    );
    Ok(())
}

/// The Estrie delegation reports on the actions of the *Tournée des régions* (so that
/// "Mes actions" has something to show when it signs in).
async fn assign_the_delegation(
    conn: &mut diesel_async::AsyncPgConnection,
    actor: &Actor,
    plan_id: PlanId,
) -> anyhow::Result<usize> {
    let delegate: UserId = users::table
        .filter(users::email.eq(ACCOUNTS[2].0))
        .select(users::id)
        .first(conn)
        .await?;
    let ids: Vec<ActionId> = actions::table
        .inner_join(objectives::table.inner_join(orientations::table))
        .filter(orientations::plan_id.eq(plan_id))
        .filter(actions::title.like("%Tournée des régions%"))
        .order((orientations::position, objectives::position, actions::position))
        .select(actions::id)
        .load(conn)
        .await?;
    for &action_id in &ids {
        let assignment = Assignment {
            action_id,
            user_id: delegate,
        };
        write::link(conn, actor, &assignment)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(ids.len())
}
