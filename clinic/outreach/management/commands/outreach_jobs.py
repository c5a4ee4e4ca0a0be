from django.core.management.base import BaseCommand

from ... import tasks


class Command(BaseCommand):
    help = (
        "Do what the periodic jobs do, in this process (for cron when no Celery beat runs): "
        "mark missed follow-ups, then send the links of the follow-ups now due."
    )

    def handle(self, *args, **options) -> None:
        missed = tasks.mark_missed_followups.apply().get()
        pending = tasks.send_due_check_links.apply().get()
        self.stdout.write(f"{missed} follow-ups marked missed; {pending} link deliveries queued.")
