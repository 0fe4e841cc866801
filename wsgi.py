"""WSGI entry point: gunicorn 'wsgi:app'."""

from pro_service import create_app

app = create_app()
