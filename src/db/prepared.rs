//! A statement diesel would prepare anew on every call, kept in the connection's cache.

use diesel::QueryResult;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};

/// diesel never caches an UPDATE: the same Rust type can write different SQL (a changeset
/// skips its `None` fields), and its cache keys statements by type. Wrapped, the query has
/// no static id, so the cache keys it by its SQL text and bind types instead: each shape
/// of the UPDATE is parsed once per connection (the status update parsed it every time).
#[derive(Debug, Clone, Copy)]
pub struct Reused<Q>(pub Q);

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Reused<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &Pg) -> QueryResult<bool> {
        Ok(true)
    }
}

impl<Q> QueryId for Reused<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Reused<Q> {
    type SqlType = Q::SqlType;
}
