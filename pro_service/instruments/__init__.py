"""Questionnaire definitions (loaded from questionnaires/*.json) and pure scoring."""
