"""Outbound messages: the outbox, the Twilio gateway and delivery status (DESIGN §5)."""
