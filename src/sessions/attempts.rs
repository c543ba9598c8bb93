//! Sign-in attempts in PostgreSQL, so that every instance sees the same counts. An attempt
//! is reserved (counted as a failure) *before* the password is checked, under an advisory
//! lock per account and per address: 30 guesses sent at once count as 30, not as 0.

use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Double, Nullable, Text, Timestamptz};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::error::{ApiError, ApiResult};
use crate::security::limiter::{RecentFailures, SignInLimits};

/// The row of a reserved attempt: forgotten when the password was right.
pub struct Reservation(i64);

#[derive(diesel::QueryableByName)]
struct Counts {
    #[diesel(sql_type = BigInt)]
    pair: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pair_oldest: Option<DateTime<Utc>>,
    #[diesel(sql_type = BigInt)]
    address: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    address_oldest: Option<DateTime<Utc>>,
    #[diesel(sql_type = BigInt)]
    account: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    account_latest: Option<DateTime<Utc>>,
    #[diesel(sql_type = Timestamptz)]
    now: DateTime<Utc>,
}

#[derive(diesel::QueryableByName)]
struct Inserted {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

const COUNTS: &str = "SELECT \
    count(*) FILTER (WHERE account = $1 AND address = $2) AS pair, \
    min(at) FILTER (WHERE account = $1 AND address = $2) AS pair_oldest, \
    count(*) FILTER (WHERE address = $2) AS address, \
    min(at) FILTER (WHERE address = $2) AS address_oldest, \
    count(*) FILTER (WHERE account = $1) AS account, \
    max(at) FILTER (WHERE account = $1) AS account_latest, \
    now() AS now \
    FROM sign_in_failures \
    WHERE (account = $1 OR address = $2) AND at > now() - make_interval(secs => $3)";

/// The email as the limits know it: unknown accounts are limited like known ones.
pub fn account_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Counts one more attempt for `account` from `address`, or refuses it with 429.
pub async fn reserve(
    conn: &mut AsyncPgConnection,
    limits: &SignInLimits,
    account: &str,
    address: &str,
) -> ApiResult<Reservation> {
    let window = limits.window.as_seconds_f64();
    conn.transaction(async |conn| {
        // Always the account first, then the address: no two attempts wait on each other
        // in opposite orders.
        for key in [
            format!("sign-in account {account}"),
            format!("sign-in address {address}"),
        ] {
            diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind::<Text, _>(key)
                .execute(conn)
                .await?;
        }
        diesel::sql_query("DELETE FROM sign_in_failures WHERE at <= now() - make_interval(secs => $1)")
            .bind::<Double, _>(window)
            .execute(conn)
            .await?;
        let counts: Counts = diesel::sql_query(COUNTS)
            .bind::<Text, _>(account)
            .bind::<Text, _>(address)
            .bind::<Double, _>(window)
            .get_result(conn)
            .await?;
        let recent = RecentFailures {
            pair: counts.pair,
            pair_oldest: counts.pair_oldest,
            address: counts.address,
            address_oldest: counts.address_oldest,
            account: counts.account,
            account_latest: counts.account_latest,
        };
        if let Some(retry_after) = limits.wait(&recent, counts.now) {
            return Err(ApiError::TooManyRequests { retry_after });
        }
        let inserted: Inserted =
            diesel::sql_query("INSERT INTO sign_in_failures (account, address) VALUES ($1, $2) RETURNING id")
                .bind::<Text, _>(account)
                .bind::<Text, _>(address)
                .get_result(conn)
                .await?;
        Ok(Reservation(inserted.id))
    })
    .await
}

/// The password was right: the attempt was no failure, and this address's earlier
/// failures for the account are forgiven (other addresses' stay counted).
pub async fn succeeded(
    conn: &mut AsyncPgConnection,
    reservation: Reservation,
    account: &str,
    address: &str,
) -> ApiResult<()> {
    diesel::sql_query("DELETE FROM sign_in_failures WHERE id = $1 OR (account = $2 AND address = $3)")
        .bind::<BigInt, _>(reservation.0)
        .bind::<Text, _>(account)
        .bind::<Text, _>(address)
        .execute(conn)
        .await?;
    Ok(())
}
