"""The Celery app: background jobs on Redis when REDIS_URL is set.

Without REDIS_URL (`make run`), settings make every job run in the process that asks for it,
and `python manage.py outreach_jobs` (cron) does what the periodic jobs do.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
