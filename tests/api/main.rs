//! HTTP tests against a real server and a real PostgreSQL, one database per test.

mod helpers;

mod auth;
mod coverage;
mod errors;
mod health;
mod import;
mod migrations;
mod openapi;
mod plans;
mod rbac;
mod search;
mod structure;
mod tree;
