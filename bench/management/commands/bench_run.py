from django.core.management.base import BaseCommand, CommandError

from bench.runner import Bench, save, table


class Command(BaseCommand):
    help = (
        "Time the main pages and every report page against the benchmark dataset, with their "
        "SQL floors; print the table and write it as JSON to bench/results/."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repeat", type=int, default=30, help="Timed requests per page.")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed requests first.")
        parser.add_argument("--label", default="run", help="Part of the JSON file name.")
        parser.add_argument(
            "--only",
            default="",
            help='Comma-separated page names to time, e.g. "patient detail,session detail" '
            "(the redirect of / is always timed); every page by default.",
        )

    def handle(self, *args, repeat: int, warmup: int, label: str, only: str, **options) -> None:
        pages = [name.strip() for name in only.split(",") if name.strip()]
        try:
            results = Bench(repeat=repeat, warmup=warmup, log=self.stderr.write, only=pages).run()
        except (LookupError, RuntimeError) as error:
            raise CommandError(str(error)) from error
        dataset = results["meta"]["dataset"]
        self.stdout.write(
            f"{dataset['patients']:,} patients, {dataset['sessions']:,} sessions; "
            f"{dataset['clinic']}: {dataset['clinic patients']:,} patients, "
            f"{dataset['clinic sessions']:,} sessions. {results['meta']['database']}, "
            f"{results['meta']['machine']}, {repeat} requests a page."
        )
        self.stdout.write(table(results))
        self.stdout.write(f"Written to {save(results, label)}")
