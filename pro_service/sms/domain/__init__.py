"""Pure SMS chatbot rules: keywords, reply parsing and the dialogue state machine."""
