use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::{mail_outbox, notification_defaults, notification_preferences, users};
use crate::error::ApiResult;
use crate::ids::UserId;
use crate::security::permissions::Role;
use crate::write::outbox::NoticeKind;

crate::text_enum! {
    /// How a kind of mail reaches someone.
    pub enum MailFrequency {
        /// Each message as it happens.
        Immediate => "immediate",
        /// Once a day, at 7 h (Québec time), what happened since the last one.
        Daily => "daily",
        /// Every Monday at 7 h.
        Weekly => "weekly",
        Never => "never",
    }
}

/// What nobody chose: every kind at once.
pub const BUILT_IN: MailFrequency = MailFrequency::Immediate;

pub type Frequencies = BTreeMap<NoticeKind, MailFrequency>;

/// `user`'s mail language and reminder days.
pub async fn personal(conn: &mut AsyncPgConnection, user: UserId) -> ApiResult<(crate::i18n::Lang, i32)> {
    let (language, days): (String, i32) = users::table
        .find(user)
        .select((users::language, users::reminder_days))
        .first(conn)
        .await?;
    Ok((crate::i18n::Lang::parse(&language).unwrap_or_default(), days))
}

/// Each chosen kind's frequency for `role`, as the coordination set it (or built in).
pub async fn role_defaults(conn: &mut AsyncPgConnection, role: Role) -> ApiResult<Frequencies> {
    let set: Vec<(NoticeKind, MailFrequency)> = notification_defaults::table
        .filter(notification_defaults::role.eq(role))
        .select((notification_defaults::kind, notification_defaults::frequency))
        .load(conn)
        .await?;
    let mut all: Frequencies = NoticeKind::CHOSEN.iter().map(|k| (*k, BUILT_IN)).collect();
    all.extend(set);
    Ok(all)
}

/// What `user` receives of each chosen kind: their choice, or their role's default.
pub async fn frequencies(conn: &mut AsyncPgConnection, user: UserId) -> ApiResult<Frequencies> {
    let role: Role = users::table.find(user).select(users::role).first(conn).await?;
    let mut all = role_defaults(conn, role).await?;
    let chosen: Vec<(NoticeKind, MailFrequency)> = notification_preferences::table
        .filter(notification_preferences::user_id.eq(user))
        .select((notification_preferences::kind, notification_preferences::frequency))
        .load(conn)
        .await?;
    all.extend(chosen);
    Ok(all)
}

/// How `user` receives `kind` now (an unchosen kind, such as an invitation: at once).
pub async fn frequency_of(conn: &mut AsyncPgConnection, user: UserId, kind: NoticeKind) -> ApiResult<MailFrequency> {
    if !kind.is_chosen() {
        return Ok(MailFrequency::Immediate);
    }
    Ok(frequencies(conn, user).await?.get(&kind).copied().unwrap_or(BUILT_IN))
}

/// Sets `user`'s choice for each kind of `chosen`; the kinds it does not name follow the
/// role's default again.
pub async fn choose(conn: &mut AsyncPgConnection, user: UserId, chosen: &Frequencies) -> ApiResult<()> {
    diesel::delete(notification_preferences::table.filter(notification_preferences::user_id.eq(user)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = chosen
        .iter()
        .map(|(kind, frequency)| {
            (
                notification_preferences::user_id.eq(user),
                notification_preferences::kind.eq(*kind),
                notification_preferences::frequency.eq(*frequency),
            )
        })
        .collect();
    diesel::insert_into(notification_preferences::table)
        .values(&rows)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets `role`'s default for each kind of `chosen`; the others are built in again.
pub async fn set_role_defaults(conn: &mut AsyncPgConnection, role: Role, chosen: &Frequencies) -> ApiResult<()> {
    diesel::delete(notification_defaults::table.filter(notification_defaults::role.eq(role)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = chosen
        .iter()
        .map(|(kind, frequency)| {
            (
                notification_defaults::role.eq(role),
                notification_defaults::kind.eq(*kind),
                notification_defaults::frequency.eq(*frequency),
            )
        })
        .collect();
    diesel::insert_into(notification_defaults::table)
        .values(&rows)
        .execute(conn)
        .await?;
    Ok(())
}

/// One-click unsubscribe (RFC 8058): the message whose link this is stops its kind of
/// mail for its recipient. Returns the kind, or none for a link that is no message's.
pub async fn unsubscribe(conn: &mut AsyncPgConnection, token: &str) -> ApiResult<Option<NoticeKind>> {
    let found: Option<(Option<UserId>, NoticeKind)> = mail_outbox::table
        .filter(mail_outbox::unsubscribe_hash.eq(crate::auth::tokens::digest(token)))
        .select((mail_outbox::recipient_id, mail_outbox::kind))
        .first(conn)
        .await
        .optional()?;
    let Some((Some(user), kind)) = found.filter(|(_, kind)| kind.is_chosen()) else {
        return Ok(None);
    };
    diesel::insert_into(notification_preferences::table)
        .values((
            notification_preferences::user_id.eq(user),
            notification_preferences::kind.eq(kind),
            notification_preferences::frequency.eq(MailFrequency::Never),
        ))
        .on_conflict((notification_preferences::user_id, notification_preferences::kind))
        .do_update()
        .set(notification_preferences::frequency.eq(MailFrequency::Never))
        .execute(conn)
        .await?;
    Ok(Some(kind))
}
