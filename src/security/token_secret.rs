//! The secret of an API token: `pat_`, 30 random base62 characters (178 bits), then 6 more
//! that are the CRC-32 of those 30 in base62, as GitHub writes its tokens. The prefix lets
//! secret scanners and people tell it from other strings; the checksum lets a typo or a
//! string that is no token be refused without asking the database. Pure.

crate::text_enum! {
    /// What a token may do: `read`, GET and HEAD requests only; `write`, whatever its owner's
    /// role allows. Never more than its owner.
    pub enum TokenScope {
        Read => "read",
        Write => "write",
    }
}

/// What every token starts with.
pub const PREFIX: &str = "pat_";
const RANDOM_LEN: usize = 30;
const CHECKSUM_LEN: usize = 6;
/// The whole token's length: `pat_` + 36.
pub const LEN: usize = PREFIX.len() + RANDOM_LEN + CHECKSUM_LEN;
const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `n` in base62, on `width` characters (leading zeros).
fn base62(mut n: u64, width: usize) -> String {
    let mut digits = vec![b'0'; width];
    for digit in digits.iter_mut().rev() {
        *digit = ALPHABET[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8(digits).unwrap_or_default()
}

fn checksum(random: &str) -> String {
    base62(u64::from(crc32fast::hash(random.as_bytes())), CHECKSUM_LEN)
}

/// A new token, from 30 characters drawn uniformly from the alphabet.
pub fn generate() -> String {
    let mut random = String::with_capacity(RANDOM_LEN);
    while random.len() < RANDOM_LEN {
        let mut bytes = [0u8; 64];
        rand::fill(&mut bytes);
        // 248 = 4 × 62: bytes above it are dropped, so each character is equally likely.
        random.extend(
            bytes
                .iter()
                .filter(|b| **b < 248)
                .map(|b| ALPHABET[(*b % 62) as usize] as char),
        );
        random.truncate(RANDOM_LEN);
    }
    let sum = checksum(&random);
    format!("{PREFIX}{random}{sum}")
}

/// Whether `token` is one this service could have made: its prefix, length, alphabet and
/// checksum (not whether it exists).
pub fn well_formed(token: &str) -> bool {
    let Some(body) = token.strip_prefix(PREFIX) else {
        return false;
    };
    if body.len() != RANDOM_LEN + CHECKSUM_LEN || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return false;
    }
    let (random, sum) = body.split_at(RANDOM_LEN);
    checksum(random) == sum
}

/// What is shown of a token once it is made: its first characters, to recognize it.
pub fn shown_prefix(token: &str) -> String {
    token.chars().take(PREFIX.len() + 6).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_carries_its_prefix_and_a_checksum_that_catches_a_typo() {
        let token = generate();
        assert_eq!(token.len(), LEN);
        assert!(token.starts_with("pat_"));
        assert!(well_formed(&token), "{token}");
        // One character changed, anywhere after the prefix: refused.
        for at in PREFIX.len()..LEN {
            let mut changed: Vec<u8> = token.bytes().collect();
            changed[at] = if changed[at] == b'a' { b'b' } else { b'a' };
            let changed = String::from_utf8(changed).unwrap_or_default();
            assert!(!well_formed(&changed), "{changed}");
        }
        assert!(!well_formed("pat_"));
        assert!(!well_formed(&token[..LEN - 1]));
        assert!(!well_formed(&token.replace("pat_", "jwt_")));
        assert!(!well_formed("eyJhbGciOiJIUzI1NiJ9.e30.abc"));
        assert_ne!(generate(), generate());
        assert_eq!(shown_prefix(&token).len(), 10);
    }

    #[test]
    fn the_checksum_is_crc32_in_base62() {
        // CRC-32 of "123456789" is 0xCBF43926 (the standard check value).
        assert_eq!(crc32fast::hash(b"123456789"), 0xCBF4_3926);
        assert_eq!(base62(0, 6), "000000");
        assert_eq!(base62(61, 2), "0z");
        assert_eq!(base62(62, 2), "10");
        assert_eq!(base62(u64::from(u32::MAX), 6), "4gfFC3");
    }
}
