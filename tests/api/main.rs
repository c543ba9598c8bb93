//! HTTP tests against a real server and a real PostgreSQL, one database per test.

mod helpers;

mod architecture;
mod auth;
mod bounces;
mod cli;
mod concurrency;
mod coverage;
mod deadlines;
mod errors;
mod etag;
mod health;
mod history;
mod hostile;
mod hostile_files;
mod http_semantics;
mod import;
mod import_forms;
mod invitations;
mod mail;
mod migrations;
mod notices;
mod openapi;
mod pdf;
mod plan_year;
mod plans;
mod rbac;
mod reminders;
mod reports;
mod search;
mod slow_clients;
mod snapshots;
mod structure;
mod tree;
mod web;
mod write_path;
