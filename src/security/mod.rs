//! Who may do what (roles and permissions) and the cryptography of signing in (JWT access
//! tokens, password hashes, the brute-force limiter), apart from any request or database:
//! the state holds them, `auth` and `sessions` use them.

pub mod jwt;
pub mod limiter;
pub mod passwords;
pub mod permissions;
pub mod token_secret;
