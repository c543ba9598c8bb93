//! Ordering among siblings (orientations of a plan, actions of an objective…).
//!
//! Positions are 1-based and contiguous. Every change happens inside the caller's
//! transaction, after the parent row is locked, with the unique constraints deferred
//! so siblings can be shifted freely.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema;

use crate::error::{ApiError, ApiResult, Entity};
use crate::validation::Validator;

/// Where a child stands: its parent's id and its 1-based position there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    pub parent: i64,
    pub position: i32,
}

impl Place {
    pub fn new(parent: impl Into<i64>, position: i32) -> Place {
        Place {
            parent: parent.into(),
            position,
        }
    }
}

/// A kind of ordered child and where its parent is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Siblings {
    Orientations,
    Objectives,
    Actions,
    ActionDeadlines,
    ObjectiveDeadlines,
}

/// The queries of each kind of siblings, written against the schema's own tables and
/// columns (a renamed column stops the build): `$kind` is ordered by `position` in
/// `$child`, under the row of `$parent` that `$parent_column` names.
macro_rules! siblings {
    ($($kind:ident: $child:ident by $parent_column:ident under $parent:ident ($entity:ident);)+) => {
        impl Siblings {
            fn parent_entity(self) -> Entity {
                match self {
                    $(Siblings::$kind => Entity::$entity,)+
                }
            }

            /// Locks the parent row; how many rows that was (0 or 1).
            async fn lock(self, conn: &mut AsyncPgConnection, parent_id: i64) -> QueryResult<usize> {
                match self {
                    $(Siblings::$kind => {
                        schema::$parent::table
                            .find(parent_id)
                            .select(schema::$parent::id)
                            .for_update()
                            .execute(conn)
                            .await
                    })+
                }
            }

            async fn count(self, conn: &mut AsyncPgConnection, parent_id: i64) -> QueryResult<i64> {
                match self {
                    $(Siblings::$kind => {
                        schema::$child::table
                            .filter(schema::$child::$parent_column.eq(parent_id))
                            .count()
                            .get_result(conn)
                            .await
                    })+
                }
            }

            /// Moves by `delta` the siblings from `at` (after it when not `inclusive`), but `except`.
            #[allow(clippy::too_many_arguments)]
            async fn shift(
                self,
                conn: &mut AsyncPgConnection,
                parent_id: i64,
                at: i32,
                inclusive: bool,
                delta: i32,
                except: i64,
            ) -> QueryResult<usize> {
                match self {
                    $(Siblings::$kind => {
                        use schema::$child::dsl as c;
                        let siblings = c::$child.filter(c::$parent_column.eq(parent_id)).filter(c::id.ne(except));
                        let moved = c::position.eq(c::position + delta);
                        if inclusive {
                            diesel::update(siblings.filter(c::position.ge(at))).set(moved).execute(conn).await
                        } else {
                            diesel::update(siblings.filter(c::position.gt(at))).set(moved).execute(conn).await
                        }
                    })+
                }
            }

            async fn delete(self, conn: &mut AsyncPgConnection, id: i64) -> QueryResult<usize> {
                match self {
                    $(Siblings::$kind => diesel::delete(schema::$child::table.find(id)).execute(conn).await,)+
                }
            }
        }
    };
}

siblings! {
    Orientations: orientations by plan_id under plans (Plan);
    Objectives: objectives by orientation_id under orientations (Orientation);
    Actions: actions by objective_id under objectives (Objective);
    ActionDeadlines: deadlines by action_id under actions (Action);
    ObjectiveDeadlines: deadlines by objective_id under objectives (Objective);
}

/// Locks the parent row (404 if it does not exist), defers the position constraints,
/// and returns how many children the parent has.
pub async fn lock_parent(
    conn: &mut AsyncPgConnection,
    siblings: Siblings,
    parent_id: impl Into<i64>,
) -> ApiResult<i64> {
    let parent_id = parent_id.into();
    if siblings.lock(conn, parent_id).await? == 0 {
        return Err(ApiError::not_found(siblings.parent_entity(), parent_id));
    }
    diesel::sql_query("SET CONSTRAINTS ALL DEFERRED").execute(conn).await?;
    Ok(siblings.count(conn, parent_id).await?)
}

/// Where a new child goes: the requested position (1..=count+1) or the end.
pub fn insert_position(requested: Option<i32>, count: i64) -> ApiResult<i32> {
    let end = i32::try_from(count + 1).map_err(anyhow::Error::from)?;
    match requested {
        None => Ok(end),
        Some(position) => {
            let mut v = Validator::new();
            v.position("position", position, count + 1);
            v.finish().map(|()| position)
        }
    }
}

/// Locks the parent, checks the requested position and makes room for a new child there.
pub async fn prepare_insert(
    conn: &mut AsyncPgConnection,
    siblings: Siblings,
    parent_id: impl Into<i64>,
    requested: Option<i32>,
) -> ApiResult<i32> {
    let parent_id = parent_id.into();
    let count = lock_parent(conn, siblings, parent_id).await?;
    let position = insert_position(requested, count)?;
    open_gap(conn, siblings, parent_id, position, 0).await?;
    Ok(position)
}

/// Makes room at `at`: siblings at `at` and after move down by one.
pub async fn open_gap(
    conn: &mut AsyncPgConnection,
    siblings: Siblings,
    parent_id: i64,
    at: i32,
    except: i64,
) -> ApiResult<()> {
    siblings.shift(conn, parent_id, at, true, 1, except).await?;
    Ok(())
}

/// Closes the hole left at `at`: siblings after it move up by one.
pub async fn close_gap(
    conn: &mut AsyncPgConnection,
    siblings: Siblings,
    parent_id: i64,
    at: i32,
    except: i64,
) -> ApiResult<()> {
    siblings.shift(conn, parent_id, at, false, -1, except).await?;
    Ok(())
}

/// Moves child `id` from one place to another; the caller then writes the new parent
/// and position on the row itself. The new position must be within 1..=count of the
/// target (count+1 when changing parent).
pub async fn move_child(
    conn: &mut AsyncPgConnection,
    siblings: Siblings,
    id: i64,
    from: Place,
    to: Place,
) -> ApiResult<()> {
    let (
        Place {
            parent: from_parent,
            position: from,
        },
        Place {
            parent: to_parent,
            position: to,
        },
    ) = (from, to);
    let target_count = lock_parent(conn, siblings, to_parent).await?;
    if from_parent != to_parent {
        lock_parent(conn, siblings, from_parent).await?;
    }
    let max = if from_parent == to_parent {
        target_count
    } else {
        target_count + 1
    };
    let mut v = Validator::new();
    v.position("position", to, max);
    v.finish()?;
    close_gap(conn, siblings, from_parent, from, id).await?;
    open_gap(conn, siblings, to_parent, to, id).await
}

/// Applies a PATCH's optional new parent and position: returns the final position and
/// shifts the siblings. Without a position, a child changing parent goes last there.
pub async fn relocate(
    conn: &mut AsyncPgConnection,
    siblings: Siblings,
    id: impl Into<i64>,
    from: Place,
    to_parent: impl Into<i64>,
    requested: Option<i32>,
) -> ApiResult<i32> {
    let to_parent = to_parent.into();
    let position = match requested {
        Some(position) => position,
        None if to_parent == from.parent => from.position,
        None => i32::try_from(lock_parent(conn, siblings, to_parent).await? + 1).map_err(anyhow::Error::from)?,
    };
    let to = Place::new(to_parent, position);
    if to != from {
        move_child(conn, siblings, id.into(), from, to).await?;
    }
    Ok(position)
}

/// Deletes child `id` (and, by cascade, what hangs from it) and closes the gap it leaves.
pub async fn remove(
    conn: &mut AsyncPgConnection,
    siblings: Siblings,
    id: impl Into<i64>,
    place: Place,
) -> ApiResult<()> {
    let id = id.into();
    lock_parent(conn, siblings, place.parent).await?;
    siblings.delete(conn, id).await?;
    close_gap(conn, siblings, place.parent, place.position, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_children_go_last_unless_placed() {
        assert_eq!(insert_position(None, 3).ok(), Some(4));
        assert_eq!(insert_position(Some(1), 3).ok(), Some(1));
        assert_eq!(insert_position(Some(4), 3).ok(), Some(4));
        assert!(insert_position(Some(5), 3).is_err());
        assert!(insert_position(Some(0), 3).is_err());
    }
}
