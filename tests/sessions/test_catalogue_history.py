"""Editing the catalogue in admin never rewrites what past notes, plans and handouts show."""

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from patients.models import BodyRegion
from sessions.models import Exercise, Muscle
from sessions.models.catalogue import CATALOGUE_ENTRY_IN_USE
from tests.factories import NeedlingSessionFactory, PlanItemFactory, TriggerPointSiteFactory

pytestmark = pytest.mark.django_db


def admin_change(admin_client, entry, **changes):
    """Post the entry's admin change form with its current values and `changes`."""
    url = reverse(f"admin:treatment_sessions_{entry._meta.model_name}_change", args=[entry.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: ("on" if value is True else value) for name, value in data.items() if value}
    data.update(changes)
    return admin_client.post(url, data)


def test_renaming_a_needled_muscle_in_admin_leaves_past_notes_as_they_were(
    admin_client, therapist_client, therapist
):
    muscle = Muscle.objects.get(name="Soleus")
    session = NeedlingSessionFactory(screening__patient__clinic=therapist.clinic)
    TriggerPointSiteFactory(session=session, muscle=muscle)

    admin_change(admin_client, muscle, name="Soleus (deep)")

    muscle.refresh_from_db()
    assert muscle.name == "Soleus"
    note = unescape(therapist_client.get(session.get_absolute_url()).content.decode())
    assert "Soleus" in note
    assert "Soleus (deep)" not in note


def test_an_unused_muscle_can_still_be_corrected(admin_client):
    muscle = Muscle.objects.create(name="Soleus typo", region=BodyRegion.LEG)

    admin_change(admin_client, muscle, name="Tibialis posterior")

    muscle.refresh_from_db()
    assert muscle.name == "Tibialis posterior"


def test_a_used_exercise_keeps_the_name_and_steps_its_handouts_show(
    admin_client, therapist_client, therapist
):
    item = PlanItemFactory(plan__patient__clinic=therapist.clinic, plan__therapist=therapist)
    exercise = item.exercise
    old_name, old_steps = exercise.name, exercise.instructions

    admin_change(admin_client, exercise, name="Renamed", instructions="New steps.")

    exercise.refresh_from_db()
    assert (exercise.name, exercise.instructions) == (old_name, old_steps)
    handout = therapist_client.get(
        reverse("treatment_sessions:plan_handout", args=[item.plan.pk])
    ).content.decode()
    assert old_name in unescape(handout)
    assert "New steps." not in handout


@pytest.mark.parametrize("field", ["name", "region"])
def test_code_cannot_rewrite_a_used_muscle_either(field):
    site = TriggerPointSiteFactory(muscle=Muscle.objects.get(name="Soleus"))
    muscle = site.muscle
    setattr(muscle, field, "Changed" if field == "name" else BodyRegion.HEAD_NECK)
    message = CATALOGUE_ENTRY_IN_USE.format(fields=field)

    with pytest.raises(ValidationError) as refused:
        muscle.full_clean()
    assert field in refused.value.message_dict
    with pytest.raises(ValidationError, match=message[:20]):
        muscle.save()
    assert Muscle.objects.get(pk=muscle.pk).name == "Soleus"


def test_a_used_exercise_can_still_be_retired(admin_client):
    exercise = PlanItemFactory().exercise

    admin_change(admin_client, exercise, active="")

    assert not Exercise.objects.get(pk=exercise.pk).active
