//! The rules that slow down password guessing, as OWASP's authentication guidance has
//! them: a limit per account *and address* (so that nobody can lock the coordination out
//! from elsewhere), a limit per address, and a back-off per account that only slows the
//! account down (it never refuses it for long). The counts live in PostgreSQL (shared by
//! every instance); this module decides from them, and finds the client's address.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy)]
pub struct SignInLimits {
    /// Failures for one account from one address within `window`.
    pub per_pair: i64,
    /// Failures from one address, any account, within `window`.
    pub per_address: i64,
    /// Failures for one account, any address, before the back-off starts.
    pub account_free: i64,
    pub window: Duration,
    /// The back-off doubles from one second up to this.
    pub max_backoff: Duration,
}

impl Default for SignInLimits {
    /// 5 per account and address, 20 per address, in 15 minutes; past 10 failures for an
    /// account, 1, 2, 4… up to 60 seconds between its attempts.
    fn default() -> Self {
        SignInLimits {
            per_pair: 5,
            per_address: 20,
            account_free: 10,
            window: Duration::minutes(15),
            max_backoff: Duration::seconds(60),
        }
    }
}

/// The failures recorded within the window (attempts in progress count as failures).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecentFailures {
    pub pair: i64,
    pub pair_oldest: Option<DateTime<Utc>>,
    pub address: i64,
    pub address_oldest: Option<DateTime<Utc>>,
    pub account: i64,
    pub account_latest: Option<DateTime<Utc>>,
}

impl SignInLimits {
    /// `Some(seconds to wait)` when one more attempt must be refused now.
    pub fn wait(&self, recent: &RecentFailures, now: DateTime<Utc>) -> Option<u64> {
        let until_window_ends = |oldest: Option<DateTime<Utc>>| self.window - (now - oldest.unwrap_or(now));
        let mut waits = Vec::new();
        if recent.pair >= self.per_pair {
            waits.push(until_window_ends(recent.pair_oldest));
        }
        if recent.address >= self.per_address {
            waits.push(until_window_ends(recent.address_oldest));
        }
        if recent.account >= self.account_free {
            let doublings = u32::try_from(recent.account - self.account_free)
                .unwrap_or(u32::MAX)
                .min(16);
            let backoff = Duration::seconds(1_i64 << doublings).min(self.max_backoff);
            waits.push(backoff - (now - recent.account_latest.unwrap_or(now)));
        }
        let longest = waits.into_iter().max()?;
        (longest > Duration::zero()).then(|| u64::try_from(longest.num_seconds()).unwrap_or(0).max(1))
    }
}

/// The client's address: the TCP peer, unless the peer is one of our `trusted` proxies;
/// then the nearest address in `X-Forwarded-For` that is not one of them (the ones
/// further left were written by the client and prove nothing).
pub fn client_address(peer: Option<IpAddr>, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> String {
    let Some(peer) = peer else {
        return String::new();
    };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let hops: Vec<IpAddr> = forwarded_for
        .unwrap_or_default()
        .split(',')
        .filter_map(|hop| hop.trim().parse().ok())
        .collect();
    hops.iter()
        .rev()
        .find(|hop| !trusted.contains(hop))
        .or(hops.first())
        .unwrap_or(&peer)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_380_000_000 + seconds, 0).unwrap_or_default()
    }

    #[test]
    fn a_pair_and_an_address_are_limited_over_the_window() {
        let limits = SignInLimits::default();
        let four = RecentFailures {
            pair: 4,
            pair_oldest: Some(at(0)),
            ..Default::default()
        };
        assert_eq!(limits.wait(&four, at(10)), None);
        let five = RecentFailures { pair: 5, ..four };
        assert_eq!(
            limits.wait(&five, at(10)),
            Some(890),
            "until the oldest leaves the window"
        );
        assert_eq!(limits.wait(&five, at(900)), None);
        let address = RecentFailures {
            address: 20,
            address_oldest: Some(at(0)),
            ..Default::default()
        };
        assert_eq!(limits.wait(&address, at(600)), Some(300));
    }

    #[test]
    fn an_account_under_attack_is_slowed_not_locked() {
        let limits = SignInLimits::default();
        let recent = |account, latest| RecentFailures {
            account,
            account_latest: Some(at(latest)),
            ..Default::default()
        };
        assert_eq!(limits.wait(&recent(9, 0), at(0)), None);
        assert_eq!(limits.wait(&recent(10, 0), at(0)), Some(1));
        assert_eq!(
            limits.wait(&recent(13, 0), at(3)),
            Some(5),
            "8 s after the last failure"
        );
        assert_eq!(limits.wait(&recent(13, 0), at(8)), None);
        assert_eq!(
            limits.wait(&recent(500, 0), at(30)),
            Some(30),
            "never more than a minute"
        );
        assert_eq!(limits.wait(&recent(500, 0), at(60)), None);
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = [10, 0, 0, 1].into();
        let client: IpAddr = [203, 0, 113, 7].into();
        let forged = "198.51.100.1, 203.0.113.7";
        assert_eq!(
            client_address(Some(client), Some(forged), &[proxy]),
            "203.0.113.7",
            "not a proxy"
        );
        assert_eq!(client_address(Some(proxy), Some(forged), &[proxy]), "203.0.113.7");
        assert_eq!(
            client_address(Some(proxy), Some("203.0.113.7, 10.0.0.1"), &[proxy]),
            "203.0.113.7",
            "skips our own proxies"
        );
        assert_eq!(client_address(Some(proxy), None, &[proxy]), "10.0.0.1");
        assert_eq!(client_address(Some(proxy), Some("junk"), &[proxy]), "10.0.0.1");
        assert_eq!(client_address(None, Some(forged), &[]), "");
    }
}
