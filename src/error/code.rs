//! What is wrong with a field, as a machine reads it: the `code` of each entry of a 422's
//! `errors`. The document lists every value (`ErrorCode`), so a client can match on them.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Absent or blank.
    Required,
    /// Longer than the field's `maxLength`.
    TooLong,
    /// A number or position outside its bounds.
    OutOfRange,
    /// A field the body does not have.
    UnknownField,
    /// A name that is not one of the field's values.
    UnknownValue,
    /// A value of the wrong JSON type.
    InvalidType,
    /// Any other value serde refuses.
    Invalid,
    NotANumber,
    InvalidDate,
    InvalidMonth,
    InvalidId,
    InvalidEmail,
    WeakPassword,
    UnknownRegion,
    UnknownFormat,
    /// Text holding HTML, a U+0000 or another control character.
    HtmlNotAllowed,
    NulCharacter,
    ControlCharacter,
    /// An id of a row that does not exist.
    UnknownReference,
    /// An id of a row of another plan.
    OtherPlan,
    /// A day outside the plan's period, or not yet come.
    BeforeStart,
    AfterPlan,
    BeforeAdoption,
    BeforePeriodEnd,
    InTheFuture,
    NotEnded,
    IncompletePeriod,
    /// A row of a status sheet that cannot be applied.
    RefusedRow,
    /// A line of an imported plan document that cannot be read.
    Import,
}
