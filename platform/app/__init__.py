"""The application: factory, configuration, request guard, error handling and the command line."""

from konsey.app.factory import create_app

__all__ = ["create_app"]
