//! What every `Versioned` row says the same way. Macros, because diesel's query types
//! make the generic function for "this table's row by id" longer than the copies it
//! would replace.

/// The items of `Versioned` that only name things: the entity, the id type, where the
/// row lives in the API, and its `id` and `version` fields.
#[macro_export]
macro_rules! versioned_names {
    ($entity:ident, $id:ty, $collection:literal) => {
        const ENTITY: $crate::entity::Entity = $crate::entity::Entity::$entity;
        const COLLECTION: &'static str = $collection;
        type Id = $id;

        fn id(&self) -> $id {
            self.id
        }

        fn version(&self) -> i32 {
            self.version
        }
    };
}

/// One row of `$table` by id, selected as `$row`, or a 404 naming `$entity`; with
/// `for_update`, the row stays locked until the transaction ends.
#[macro_export]
macro_rules! find_row {
    ($conn:expr, $entity:ident, $table:ident, $row:ty, $id:expr $(, $lock:ident)?) => {{
        let id = $id;
        $crate::error::OrNotFound::or_not_found(
            diesel_async::RunQueryDsl::first::<$row>(
                $table::table.find(id).select(<$row>::as_select())$(.$lock())?,
                $conn,
            )
            .await,
            $crate::entity::Entity::$entity,
            id.0,
        )
    }};
}
