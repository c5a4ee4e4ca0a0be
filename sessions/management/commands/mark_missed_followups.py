from django.core.management.base import BaseCommand

from ...services.followup import followups_mark_missed

MARKED_MISSED = "{count} follow-up(s) marked missed."


class Command(BaseCommand):
    help = "Mark soreness follow-ups never recorded 24 h past their due time as missed (cron)."

    def handle(self, *args, **options) -> None:
        marked = followups_mark_missed()
        self.stdout.write(MARKED_MISSED.format(count=marked))
