"""SMS channel: the questionnaire chatbot, keywords and inbound replies (DESIGN §5)."""
