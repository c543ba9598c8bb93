//! Calendar feeds (iCalendar, RFC 5545): a plan's échéanciers, or a person's own (their
//! assigned and followed actions), at a secret address that Outlook, Google Calendar and
//! Thunderbird subscribe to. The address works without signing in (calendars cannot), until
//! it is revoked or its owner deactivated.

pub mod ical;
pub mod model;
pub mod routes;

pub use routes::routes;

/// The address a calendar subscribes to, for a feed's token.
pub fn address(public_url: &str, token: &str) -> String {
    format!("{public_url}/api/v1/calendar/{token}.ics")
}
