"""Safety: red-flag detection in participants' free text, alerts, escalation (§6)."""
