"""Sites, staff users, roles, password login and API tokens."""
