"""A clinic's records in the FHIR Bulk Data format: one NDJSON file per resource type and a
manifest, written row by row from streamed queries so memory stays flat whatever the size."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from clinic.accounts.models import Clinic

from .mapping import RESOURCE_SOURCES, Scope
from .services.export import clinic_export_log

MANIFEST_NAME = "manifest.json"


@contextmanager
def _snapshot() -> Iterator[None]:
    """Read every table from one snapshot, so references between the files resolve even
    while the clinic keeps working."""
    outermost = not connection.in_atomic_block  # inside a caller's transaction, use its own
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _write_ndjson(path: Path, resources: Iterator[dict]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for resource in resources:
            out.write(json.dumps(resource, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
            count += 1
    return count


def bulk_export(*, clinic: Clinic, output_dir: Path) -> dict:
    """Write the clinic's NDJSON files and manifest into `output_dir`; returns the manifest."""
    output_dir.mkdir(parents=True, exist_ok=True)
    transaction_time = timezone.now().isoformat(timespec="seconds")
    outputs = []
    with _snapshot():
        for resource_type, source in RESOURCE_SOURCES:
            path = output_dir / f"{resource_type}.ndjson"
            count = _write_ndjson(path, source(Scope(clinic=clinic)))
            if count:
                outputs.append({"type": resource_type, "url": path.name, "count": count})
            else:
                path.unlink()
    manifest = {
        "transactionTime": transaction_time,
        "request": f"fhir_export --clinic {clinic.pk}",
        "requiresAccessToken": False,
        "output": outputs,
        "error": [],
    }
    (output_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    clinic_export_log(
        clinic=clinic,
        counts={o["type"]: o["count"] for o in outputs},
        output=str(output_dir),
    )
    return manifest
