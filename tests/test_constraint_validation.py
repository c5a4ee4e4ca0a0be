"""Model validation checks every database check constraint: in Python where the condition
compares the row's own fields, the rest in one query."""

from datetime import date

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.db.models import CheckConstraint
from django.test.utils import CaptureQueriesContext

from clinic.lib.constraints import Undecided, failed_checks, python_check
from patients.consent.models import SignedConsent
from sessions.models import (
    AdverseEvent,
    AdverseEventType,
    CheckStatus,
    ContactMethod,
    EventStatus,
    SessionStatus,
    Severity,
    SorenessCheck,
)
from sessions.models.followup import (
    DISMISSAL_NEEDS_REASON,
    PNEUMOTHORAX_IS_MAJOR,
    UNKNOWN_CHECK_STATUS,
)
from tests.factories import (
    AdverseEventFactory,
    CredentialFactory,
    EpisodeOfCareFactory,
    NeedlingSessionFactory,
    PlanItemFactory,
    SignedConsentFactory,
    SorenessCheckFactory,
    TriggerPointSiteFactory,
)

pytestmark = pytest.mark.django_db


def broken_event() -> AdverseEvent:
    """A pneumothorax classed mild, dismissed without a reason: two rules broken."""
    return AdverseEventFactory.build(
        session=AdverseEventFactory().session,
        event_type=AdverseEventType.PNEUMOTHORAX,
        severity=Severity.MILD,
        status=EventStatus.DISMISSED,
        decision_reason="",
    )


def test_every_broken_rule_is_reported_with_its_own_message():
    with pytest.raises(ValidationError) as raised:
        broken_event().full_clean()

    assert sorted(raised.value.message_dict[NON_FIELD_ERRORS]) == [
        PNEUMOTHORAX_IS_MAJOR,
        DISMISSAL_NEEDS_REASON,
    ]


def test_a_valid_record_passes():
    event = AdverseEventFactory.build(session=AdverseEventFactory().session)

    event.full_clean()


def test_check_constraints_on_the_rows_own_fields_are_decided_without_a_query():
    event = broken_event()
    checks = [c for c in AdverseEvent._meta.constraints if isinstance(c, CheckConstraint)]

    with CaptureQueriesContext(connection) as ctx, pytest.raises(ValidationError):
        event.validate_constraints()

    assert len(checks) == 6
    assert ctx.captured_queries == []


def test_a_condition_python_cannot_decide_is_asked_of_the_database_in_one_query():
    consent = SignedConsentFactory()
    consent.text_sha256 = "short"

    with CaptureQueriesContext(connection) as ctx, pytest.raises(ValidationError) as raised:
        consent.validate_constraints(exclude=["form", "patient", "clinic"])

    selects = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) == 1
    assert raised.value.messages == [checks_named(SignedConsent, "hash_length")]


MUTATIONS = [
    (NeedlingSessionFactory, {"pain_before": 11}),
    (NeedlingSessionFactory, {"pain_before": -1, "pain_after": None}),
    (NeedlingSessionFactory, {"status": SessionStatus.SIGNED, "signed_at": None}),
    (NeedlingSessionFactory, {"needles_used": 4, "needles_disposed": 5}),
    (NeedlingSessionFactory, {"needles_used": None, "needles_disposed": 3}),
    (NeedlingSessionFactory, {"consent_method": "fax", "gate_outcome": ""}),
    (TriggerPointSiteFactory, {"depth_mm": 0, "insertions": 101}),
    (TriggerPointSiteFactory, {"depth_mm": None, "side": "up"}),
    (TriggerPointSiteFactory, {"lung_risk": True, "lung_risk_acknowledged": False}),
    (SorenessCheckFactory, {"status": CheckStatus.DONE, "soreness": None}),
    (SorenessCheckFactory, {"method": ContactMethod.SELF_REPORT, "timeliness": "soon"}),
    (SorenessCheckFactory, {"soreness": 11, "asks_warning_signs": True}),
    (EpisodeOfCareFactory, {"closed_on": date(2000, 1, 1), "discharge_reason": ""}),
    (EpisodeOfCareFactory, {"onset_date": date(2100, 1, 1), "body_region": "tail"}),
    (CredentialFactory, {"hours": 0, "course": ""}),
    (CredentialFactory, {"valid_until": date(1990, 1, 1)}),
    (PlanItemFactory, {"reps": None, "hold_seconds": None, "load_kg": -1}),
    (PlanItemFactory, {"progression_rule": "next_band", "sets": 21}),
]


def checks_named(model, part: str) -> str:
    """The message of the model's one check constraint whose name holds `part`."""
    (check,) = [c for c in model._meta.constraints if part in c.name]
    return check.get_violation_error_message()


@pytest.mark.parametrize(("factory", "changes"), MUTATIONS)
def test_python_decides_every_constraint_as_the_database_does(factory, changes):
    record = factory()
    for name, value in changes.items():
        setattr(record, name, value)
    model = type(record)
    checks = [c for c in model._meta.constraints if isinstance(c, CheckConstraint)]

    decided = {}
    for check in checks:
        try:
            decided[check.name] = python_check(check.condition, model, record) is not False
        except Undecided:
            continue
    database = {
        check.name: not failed_checks(record, model, [check])
        for check in checks
        if check.name in decided
    }

    assert decided == database
    assert False in decided.values()


def test_a_rule_on_a_field_left_out_of_validation_is_not_checked():
    with pytest.raises(ValidationError) as raised:
        broken_event().full_clean(exclude=["severity"])

    assert raised.value.message_dict[NON_FIELD_ERRORS] == [DISMISSAL_NEEDS_REASON]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite compares any value with any value"
)
def test_a_value_the_database_cannot_compare_hides_no_other_rule():
    check = SorenessCheckFactory()
    check.method = "phone\x00"
    check.status = "bogus"

    with pytest.raises(ValidationError) as raised:
        check.validate_constraints()

    assert raised.value.message_dict[NON_FIELD_ERRORS] == [UNKNOWN_CHECK_STATUS]
    assert SorenessCheck.objects.filter(pk=check.pk, method="").exists()
