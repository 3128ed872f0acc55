"""What every service imports: settings, database, models, Celery app, task names, metrics."""
