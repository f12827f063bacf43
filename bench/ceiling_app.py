"""The ceiling of the rush benchmark (bench/rush.py): a WSGI application that does nothing.

Served by the same gunicorn, with the same workers and the same clients as the real
application, it shows how many requests per second the machine, gunicorn and the benchmark's
own clients can carry at all; the real application's figures are reported as a share of it.
"""

BODY = b"hello\n"


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))])
    return [BODY]
