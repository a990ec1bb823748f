//! Unit tests for the checker's rules, each on a small pack written into a temporary folder.
