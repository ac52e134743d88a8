"""Background work: the Celery application and its tasks."""
