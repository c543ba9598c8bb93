//! Calendar feeds (iCalendar, RFC 5545): a plan's échéanciers, or a person's own (their
//! assigned and followed actions), at a secret address that Outlook, Google Calendar and
//! Thunderbird subscribe to. The address works without signing in (calendars cannot), until
//! it is revoked or its owner deactivated.

pub mod ical;
pub mod model;
pub mod routes;

pub use routes::routes;
