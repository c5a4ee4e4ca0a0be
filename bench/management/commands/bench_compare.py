import json
from pathlib import Path

from django.core.management.base import BaseCommand

from bench.runner import compare


class Command(BaseCommand):
    help = "Growth per page between two benchmark runs (e.g. the 10%% and the full dataset)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("small", type=Path, help="JSON of the run on the smaller dataset.")
        parser.add_argument("large", type=Path, help="JSON of the run on the larger dataset.")

    def handle(self, *args, small: Path, large: Path, **options) -> None:
        self.stdout.write(compare(json.loads(small.read_text()), json.loads(large.read_text())))
