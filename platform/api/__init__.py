"""The REST API under /api/v1: flask-smorest blueprints with marshmallow schemas for every input and output."""
