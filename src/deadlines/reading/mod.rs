//! How a label is read, with no database or HTTP: the lexer cuts it into tokens, the
//! grammar gives their syntax, `meaning` the periods they name in the plan's year,
//! `parser` puts them together; `labels` splits a cell written with several.

mod grammar;
pub mod labels;
mod lexer;
pub mod meaning;
pub mod parser;
mod periods;

#[cfg(test)]
pub mod corpus;
