from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from bench.dataset import BENCH_PASSWORD, CLINIC_PREFIX, Size, build_dataset
from clinic.lib.production import refuse_in_production


class Command(BaseCommand):
    help = (
        "Build the synthetic clinic network for the benchmark into an empty, migrated database: "
        "20,000 patients and 200,000 sessions at --scale 1."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="0.1 for the 10%% dataset.")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale: float, seed: int, **options) -> None:
        refuse_in_production("bench_dataset")
        size = Size.at(scale)
        self.stdout.write(f"Building {size.patients:,} patients, ~{size.sessions:,} sessions.")
        with tqdm(total=size.patients, unit="patient", desc="Patients") as bar:
            try:
                written = build_dataset(scale=scale, seed=seed, progress=bar.update)
            except ValueError as error:
                raise CommandError(str(error)) from error
        # The rows bypass the services, which raise the record versions cached pages are keyed
        # on: a shared cache (Redis) must not serve a previous database's fragments.
        cache.clear()
        for name, count in written.items():
            self.stdout.write(f"  {name:<14} {count:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{CLINIC_PREFIX} 1 is the biggest; logins bench1-admin, bench1-t01, ... "
                f"(password {BENCH_PASSWORD})."
            )
        )
