"""Pure message rules, such as SMS segment counting."""
