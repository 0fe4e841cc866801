"""The scheduler process: APScheduler interval jobs over the services (python -m scheduler)."""
