"""Model validation checks every database check constraint, all of them in one query."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.db.models import CheckConstraint
from django.test.utils import CaptureQueriesContext

from sessions.models import AdverseEvent, AdverseEventType, EventStatus, Severity, SorenessCheck
from sessions.models.followup import (
    DISMISSAL_NEEDS_REASON,
    PNEUMOTHORAX_IS_MAJOR,
    UNKNOWN_CHECK_STATUS,
)
from tests.factories import AdverseEventFactory, SorenessCheckFactory

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


def test_all_check_constraints_are_asked_in_one_query():
    event = broken_event()
    checks = [c for c in AdverseEvent._meta.constraints if isinstance(c, CheckConstraint)]

    with CaptureQueriesContext(connection) as ctx, pytest.raises(ValidationError):
        event.validate_constraints()

    selects = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]
    assert len(checks) == 6
    assert len(selects) == 1


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
