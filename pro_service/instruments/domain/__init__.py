"""Pure instrument model and scoring: no Flask, no SQLAlchemy, no clock."""
