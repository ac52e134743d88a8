"""Konsey's domain: models, pure rules and services that do not know about HTTP."""
