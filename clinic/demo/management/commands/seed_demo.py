from django.core.management.base import BaseCommand
from tqdm import tqdm

from clinic.lib.production import refuse_in_production

from ...builder import build_demo
from ...data import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo clinic (staff, patients, screenings). Safe to run again."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--patients", type=int, default=30, help="How many demo patients.")

    def handle(self, *args, patients: int, **options) -> None:
        refuse_in_production("seed_demo")
        result = build_demo(
            patients=patients,
            progress=lambda items: tqdm(items, desc="Demo patients", disable=patients < 100),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.clinic}: {result.patients_created} new demo patients "
                f"({patients} in total)."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for member in result.staff:
            self.stdout.write(f"  {member.username:<12} {member.get_role_display()}")
