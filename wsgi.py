"""WSGI entry point: gunicorn 'wsgi:app'."""

from pro_service import create_app
from pro_service.safety.detect import warm_up

app = create_app()
warm_up()  # each worker builds the safety screen's matchers before its first request
