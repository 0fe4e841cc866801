"""Phone-browser web form reached by a one-time link: /s/<token>."""
