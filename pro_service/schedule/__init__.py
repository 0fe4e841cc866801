"""Protocol timepoints → participant occasions: windows, reminders, quiet hours (DESIGN §3)."""
