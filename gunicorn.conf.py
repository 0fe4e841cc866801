"""gunicorn settings read on every start (``gunicorn wsgi:app`` finds this file).

With PROMETHEUS_MULTIPROC_DIR set (metrics summed over every worker and scheduler process), an
exited worker's live gauges are dropped from the next scrape.
"""

import os


def child_exit(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
