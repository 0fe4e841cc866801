"""Pure voice wording."""
