//! Planaction: the RQDS yearly action plan tracker.

pub mod actions;
pub mod app;
pub mod config;
pub mod db;
pub mod deadlines;
pub mod error;
pub mod extract;
pub mod glossary;
pub mod health;
pub mod i18n;
pub mod import;
pub mod objectives;
pub mod openapi;
pub mod orientations;
pub mod plans;
pub mod positions;
pub mod server;
pub mod state;
pub mod text;
pub mod validation;
