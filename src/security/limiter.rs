//! Failed sign-ins are limited per account and per client address, over a sliding window.
//! Kept in memory: one process serves the RQDS; a restart forgets the counts.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct SignInLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
    per_account: usize,
    per_address: usize,
    window: Duration,
}

impl Default for SignInLimiter {
    /// 5 failures per account and 20 per address in 15 minutes.
    fn default() -> Self {
        SignInLimiter::new(5, 20, Duration::from_secs(15 * 60))
    }
}

fn account_key(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("address:{address}")
}

impl SignInLimiter {
    pub fn new(per_account: usize, per_address: usize, window: Duration) -> Self {
        SignInLimiter {
            failures: Mutex::new(HashMap::new()),
            per_account,
            per_address,
            window,
        }
    }

    /// `Err(seconds to wait)` when the account or the address has failed too often.
    pub fn check(&self, email: &str, address: &str, now: Instant) -> Result<(), u64> {
        let Ok(mut failures) = self.failures.lock() else {
            return Ok(());
        };
        let mut wait = 0;
        for (key, limit) in [
            (account_key(email), self.per_account),
            (address_key(address), self.per_address),
        ] {
            if let Some(times) = failures.get_mut(&key) {
                times.retain(|t| now.duration_since(*t) < self.window);
                if times.len() >= limit {
                    let oldest = times.iter().min().copied().unwrap_or(now);
                    let left = self.window.saturating_sub(now.duration_since(oldest));
                    wait = wait.max(left.as_secs().max(1));
                }
            }
        }
        if wait > 0 { Err(wait) } else { Ok(()) }
    }

    pub fn record_failure(&self, email: &str, address: &str, now: Instant) {
        if let Ok(mut failures) = self.failures.lock() {
            for key in [account_key(email), address_key(address)] {
                failures.entry(key).or_default().push(now);
            }
        }
    }

    /// A successful sign-in clears the account's failures (not the address's).
    pub fn record_success(&self, email: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&account_key(email));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_limited_then_released() {
        let limiter = SignInLimiter::new(3, 100, Duration::from_secs(60));
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check("a@rqds.org", "1.2.3.4", start).is_ok());
            limiter.record_failure("A@rqds.org", "1.2.3.4", start);
        }
        assert_eq!(limiter.check("a@rqds.org", "5.6.7.8", start), Err(60));
        assert!(limiter.check("b@rqds.org", "1.2.3.4", start).is_ok());
        assert!(
            limiter
                .check("a@rqds.org", "1.2.3.4", start + Duration::from_secs(61))
                .is_ok()
        );
    }

    #[test]
    fn an_address_is_limited_across_accounts() {
        let limiter = SignInLimiter::new(100, 2, Duration::from_secs(60));
        let now = Instant::now();
        limiter.record_failure("a@rqds.org", "1.2.3.4", now);
        limiter.record_failure("b@rqds.org", "1.2.3.4", now);
        assert!(limiter.check("c@rqds.org", "1.2.3.4", now).is_err());
        assert!(limiter.check("c@rqds.org", "9.9.9.9", now).is_ok());
    }
}
