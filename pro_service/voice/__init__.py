"""Voice channel: escalation calls to staff (Twilio Calls API) and the keypress webhook."""
