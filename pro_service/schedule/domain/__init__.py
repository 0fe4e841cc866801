"""Pure schedule rules: protocol file, local-time windows, occasion timeline; no Flask, no SQLAlchemy, no clock."""
