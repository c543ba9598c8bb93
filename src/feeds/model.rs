use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Integer, Nullable, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::ical::FeedEvent;
use crate::db::schema::{calendar_feeds, plans, users};
use crate::deadlines::reading::parser::DeadlineKind;
use crate::entity::Entity;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Lang;
use crate::ids::{CalendarFeedId, PlanId, UserId};
use crate::progress::ActionStatus;
use crate::write::{Actor, Change, lookup, record};

/// A calendar feed as lists show it: never its address's token.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = calendar_feeds, check_for_backend(diesel::pg::Pg))]
pub struct CalendarFeed {
    #[schema(value_type = i64)]
    pub id: CalendarFeedId,
    #[schema(value_type = i64)]
    pub user_id: UserId,
    /// The plan whose échéanciers it shows; none for your own actions (assigned or
    /// followed), across plans.
    #[schema(value_type = Option<i64>)]
    pub plan_id: Option<PlanId>,
    pub created_at: DateTime<Utc>,
    /// When a calendar last fetched it.
    pub last_fetched_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What a feed's address names, as it is fetched: whose, which plan, in which language.
pub struct Subscription {
    pub id: CalendarFeedId,
    pub user_id: UserId,
    pub plan: Option<(PlanId, String)>,
    pub owner: String,
    pub lang: Lang,
}

impl CalendarFeed {
    pub async fn of(conn: &mut AsyncPgConnection, owner: UserId) -> ApiResult<Vec<CalendarFeed>> {
        Ok(calendar_feeds::table
            .filter(calendar_feeds::user_id.eq(owner))
            .order(calendar_feeds::id.desc())
            .select(CalendarFeed::as_select())
            .load(conn)
            .await?)
    }

    /// Makes a feed for `actor`'s account; returns it with its token (its address's secret).
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        owner: UserId,
        plan_id: Option<PlanId>,
    ) -> ApiResult<(CalendarFeed, String)> {
        // A plan named in the body that does not exist: 422 on the field, as for any reference.
        if let Some(plan_id) = plan_id
            && lookup::plan(conn, plan_id).await.is_err()
        {
            return Err(ApiError::invalid(
                "plan_id",
                crate::error::ErrorCode::UnknownReference,
                crate::i18n::Text::new(
                    format!("Le plan {} n'existe pas : voir GET /api/v1/plans.", plan_id.0),
                    format!("Plan {} does not exist: see GET /api/v1/plans.", plan_id.0),
                ),
            ));
        }
        let token = crate::auth::tokens::new_token();
        let feed = conn
            .transaction(async |conn| {
                let feed: CalendarFeed = diesel::insert_into(calendar_feeds::table)
                    .values((
                        calendar_feeds::user_id.eq(owner),
                        calendar_feeds::plan_id.eq(plan_id),
                        calendar_feeds::token_hash.eq(crate::auth::tokens::digest(&token)),
                    ))
                    .returning(CalendarFeed::as_returning())
                    .get_result(conn)
                    .await?;
                record(
                    conn,
                    actor,
                    Change::created(Entity::CalendarFeed, feed.id, plan_id, &feed),
                )
                .await?;
                Ok::<_, ApiError>(feed)
            })
            .await?;
        Ok((feed, token))
    }
}

// Stopped by its owner, or by the coordination (anyone else: 404).
crate::revocable!(CalendarFeed, CalendarFeedId, calendar_feeds, CalendarFeed, plan_id);

/// The feed a token opens: not revoked, its owner active (a deactivated account's feeds
/// show nothing). Its last fetch is kept.
pub async fn subscription(conn: &mut AsyncPgConnection, token: &str) -> ApiResult<Option<Subscription>> {
    let found: Option<(CalendarFeedId, UserId, Option<PlanId>, String, String)> = calendar_feeds::table
        .inner_join(users::table)
        .filter(calendar_feeds::token_hash.eq(crate::auth::tokens::digest(token)))
        .filter(calendar_feeds::revoked_at.is_null())
        .filter(users::active.eq(true))
        .select((
            calendar_feeds::id,
            users::id,
            calendar_feeds::plan_id,
            users::display_name,
            users::language,
        ))
        .first(conn)
        .await
        .optional()?;
    let Some((id, user_id, plan_id, owner, language)) = found else {
        return Ok(None);
    };
    let plan = match plan_id {
        Some(plan_id) => Some((
            plan_id,
            plans::table
                .find(plan_id)
                .select(plans::title)
                .first::<String>(conn)
                .await?,
        )),
        None => None,
    };
    diesel::update(calendar_feeds::table.find(id))
        .set(calendar_feeds::last_fetched_at.eq(Utc::now()))
        .execute(conn)
        .await?;
    Ok(Some(Subscription {
        id,
        user_id,
        plan,
        owner,
        lang: Lang::parse(&language).unwrap_or_default(),
    }))
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    deadline_id: i64,
    #[diesel(sql_type = Integer)]
    position: i32,
    #[diesel(sql_type = Date)]
    starts_on: NaiveDate,
    #[diesel(sql_type = Date)]
    ends_on: NaiveDate,
    #[diesel(sql_type = Text)]
    label: String,
    #[diesel(sql_type = Text)]
    rendering: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    action_id: Option<i64>,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Nullable<Text>)]
    status: Option<ActionStatus>,
    #[diesel(sql_type = BigInt)]
    plan_id: i64,
    #[diesel(sql_type = Text)]
    plan: String,
}

/// Every period of the échéanciers of a plan ($1), or of a person's assigned and followed
/// actions ($2), in the plan's order; `En continu`, `Sur invitation` and labels not
/// understood have no period to show ($3: the kinds shown).
const EVENTS: &str = "SELECT d.id AS deadline_id, p.position, p.starts_on, p.ends_on, d.label, d.rendering, \
        a.id AS action_id, coalesce(a.title, b.title) AS title, a.status, o.plan_id, pl.title AS plan \
    FROM deadline_periods p \
    JOIN deadlines d ON d.id = p.deadline_id \
    LEFT JOIN actions a ON a.id = d.action_id \
    JOIN objectives b ON b.id = coalesce(d.objective_id, a.objective_id) \
    JOIN orientations o ON o.id = b.orientation_id \
    JOIN plans pl ON pl.id = o.plan_id \
    WHERE d.kind = ANY($3) AND ( \
        o.plan_id = $1 \
        OR a.id IN (SELECT action_id FROM action_assignees WHERE user_id = $2 \
                    UNION SELECT action_id FROM action_followers WHERE user_id = $2)) \
    ORDER BY o.plan_id, o.position, b.position, a.position NULLS FIRST, d.position, p.position";

/// Whether a label of this kind shows in a feed: the kinds a reminder is sent for, the
/// ones with an end (not `En continu`, `Sur invitation`, a frequency or a label not read).
pub fn shown(kind: DeadlineKind) -> bool {
    crate::notifications::reminders::reminds(kind)
}

/// The events of a feed, each with the link to its action (or plan) at `public_url`.
pub async fn events(conn: &mut AsyncPgConnection, feed: &Subscription, public_url: &str) -> ApiResult<Vec<FeedEvent>> {
    let kinds: Vec<&str> = DeadlineKind::ALL
        .iter()
        .filter(|k| shown(**k))
        .map(|k| k.as_str())
        .collect();
    // A plan feed names its plan (and no person); a personal one its person (and no plan).
    let (plan, person) = match &feed.plan {
        Some((plan_id, _)) => (plan_id.0, -1),
        None => (-1, feed.user_id.0),
    };
    let rows: Vec<Row> = diesel::sql_query(EVENTS)
        .bind::<BigInt, _>(plan)
        .bind::<BigInt, _>(person)
        .bind::<Array<Text>, _>(kinds)
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| FeedEvent {
            deadline_id: row.deadline_id,
            position: row.position,
            start: row.starts_on,
            end: row.ends_on,
            label: row.label,
            rendering: row.rendering,
            title: row.title,
            plan: row.plan,
            status: row.status,
            link: match row.action_id {
                Some(action) => format!("{public_url}/actions/{action}"),
                None => format!("{public_url}/plans/{}", row.plan_id),
            },
        })
        .collect())
}
