"""Entry point for ``celery -A konsey.worker.main worker``: builds the Flask app the tasks run in."""

from konsey.app import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
