"""WSGI entry point: gunicorn 'wsgi:app'."""

from pro_service import create_app
from pro_service.wiring import prepare_worker

app = create_app()
prepare_worker()  # in each worker, before its first request
