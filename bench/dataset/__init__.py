"""A synthetic clinic network of any size, written fast with bulk inserts.

The rows bypass the services (no safety gate, no audit entries, no signals): that is fine for
synthetic data, and it is what makes 200,000 sessions take minutes instead of hours. Every row
still satisfies every database constraint, and the data follows the services' rules too, through
their own builders where they have one: each session relies on a screening valid when it
started, lung-risk sites are acknowledged, checks are scheduled, timed and escalated as
`followups_schedule` and `soreness_check_record` would, a patient has one active plan.

Proportions (per needled patient, on average): 10 weekly sessions in episodes of up to 4 under
one 30-day screening, 3 trigger-point sites a session, 3 soreness checks a signed session, a
confirmed adverse event for 1 session in 12, a strengthening plan for 1 patient in 3. One
patient in ten is in care now (screening valid, checks due). Screening answers are written for
the screenings of the last year only (what the reports and the safety gate read), to keep the
build fast. Old follow-ups are all recorded, late if need be; missed ones are recent only
(the worklist lists every open follow-up, whatever its age).

Modules: `shapes` (sizes, names, treatment shapes), `build` (clinics, staff, transactions),
`history` (one patient's record), `episodes`, `followup` and `plans`.
"""

from .build import bench_clinics, build_dataset
from .shapes import BENCH_PASSWORD, CLINIC_PREFIX, Size

__all__ = ["BENCH_PASSWORD", "CLINIC_PREFIX", "Size", "bench_clinics", "build_dataset"]
