"""Hash-chained audit trail of every change to participant and clinical data."""
