"""Consent: every write. The consent form (its versions), signing, withdrawal, the PDF copy."""

from datetime import datetime
from uuid import UUID

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.accounts.models import Clinic, Role, User
from clinic.lib.form_tokens import create_once
from patients.models import EpisodeOfCare, Patient
from patients.services.versions import record_version_bump, record_versions_bump

from .document import (
    DEFAULT_BODY,
    DEFAULT_TITLE,
    TRAINING_PLACEHOLDER,
    consent_text,
    text_sha256,
)
from .models import ConsentForm, GuardianReason, SignedConsent, Signer
from .pdf import consent_pdf
from .selectors import current_form
from .signature import signature_clean

AGE_OF_MAJORITY = 18

NOT_AN_ADMIN = "Only a clinic admin of this clinic can publish its consent form."
BODY_NEEDS_TRAINING = (
    f"Keep the placeholder {TRAINING_PLACEHOLDER} in the text: the therapist's dry-needling "
    "training is filled in there."
)
FORM_OTHER_CLINIC = "That consent form belongs to another clinic."
FORM_NOT_CURRENT = (
    "A newer version of the consent form was published: the patient reads and signs that one."
)
WITNESS_NOT_THERAPIST = "A physical therapist of the patient's clinic witnesses the signature."
PATIENT_ARCHIVED = "This patient is archived; restore them before recording consent."
QUESTIONS_NOT_CONFIRMED = "The signer must confirm they have had the chance to ask questions."
NAME_REQUIRED = "Type the signer's full name."
GUARDIAN_REQUIRED_FOR_MINOR = (
    "The patient is under {age}: a parent or guardian signs, with their relationship."
)
GUARDIAN_RELATIONSHIP_REQUIRED = "Give the guardian's relationship to the patient."
GUARDIAN_REASON_REQUIRED = "Say why a guardian signs: the patient is a minor or lacks capacity."
NOT_A_MINOR = "The patient is not a minor: choose why they cannot consent themselves."
NO_OPEN_EPISODE = (
    "The patient has no open episode of care: open an episode of care (the intake) first; a "
    "consent is signed for an episode."
)
EPISODE_OF_ANOTHER_PATIENT = "That episode of care is not this patient's."
EPISODE_NOT_OPEN_FOR_PATIENT = "Choose one of this patient's open episodes of care."
EPISODE_CLOSED = "That episode of care is discharged: a consent is signed for an open episode."
ALREADY_WITHDRAWN = "This consent was already withdrawn."
PDF_DOWNLOADED = "signed consent downloaded (PDF)"


def _is_clinic_therapist(user: User, clinic_id: int) -> bool:
    return user.role == Role.THERAPIST and user.clinic_id == clinic_id and user.is_active


@transaction.atomic
def consent_form_publish(
    *, clinic: Clinic, author: User | None, title: str, body: str, requires_reconsent: bool
) -> ConsentForm:
    """Publish the next version of the clinic's form. Earlier versions, and every consent
    signed on them, stay as they are."""
    if author is not None and (author.role != Role.CLINIC_ADMIN or author.clinic_id != clinic.pk):
        raise ValidationError(NOT_AN_ADMIN)
    if TRAINING_PLACEHOLDER not in body:
        raise ValidationError({"body": BODY_NEEDS_TRAINING})
    latest = ConsentForm.objects.select_for_update().for_clinic(clinic).newest_first().first()
    form = ConsentForm(
        clinic=clinic,
        version=latest.version + 1 if latest else 1,
        title=title.strip(),
        body=body.strip(),
        requires_reconsent=requires_reconsent,
        published_at=timezone.now(),
        published_by=author,
    )
    form.full_clean()
    form.save()
    # Every patient's consent standing may change (a form that asks them to sign again).
    record_versions_bump(Patient.objects.filter(clinic=clinic).values("pk"))
    return form


def consent_form_current(*, clinic: Clinic) -> ConsentForm:
    """The clinic's newest form version; a clinic that has none starts with the default text."""
    current = current_form(clinic)
    if current is not None:
        return current
    try:
        return consent_form_publish(
            clinic=clinic,
            author=None,
            title=DEFAULT_TITLE,
            body=DEFAULT_BODY,
            requires_reconsent=False,
        )
    except (IntegrityError, ValidationError):
        # Another request published the first version meanwhile: that one is current.
        return current_form(clinic)


def _check_signer(*, patient: Patient, signer: str, relationship: str, reason: str, day) -> None:
    if patient.age_on(day) < AGE_OF_MAJORITY and (
        signer != Signer.GUARDIAN or reason != GuardianReason.MINOR
    ):
        raise ValidationError({"signer": GUARDIAN_REQUIRED_FOR_MINOR.format(age=AGE_OF_MAJORITY)})
    if signer != Signer.GUARDIAN:
        return
    if not relationship:
        raise ValidationError({"guardian_relationship": GUARDIAN_RELATIONSHIP_REQUIRED})
    if not reason:
        raise ValidationError({"guardian_reason": GUARDIAN_REASON_REQUIRED})
    if reason == GuardianReason.MINOR and patient.age_on(day) >= AGE_OF_MAJORITY:
        raise ValidationError({"guardian_reason": NOT_A_MINOR})


def _check_signing(
    *, patient: Patient, episode: EpisodeOfCare | None, form: ConsentForm, witness: User
) -> None:
    if form.clinic_id != patient.clinic_id:
        raise ValidationError(FORM_OTHER_CLINIC)
    if not _is_clinic_therapist(witness, patient.clinic_id):
        raise ValidationError(WITNESS_NOT_THERAPIST)
    if patient.is_archived:
        raise ValidationError(PATIENT_ARCHIVED)
    _check_episode(patient=patient, episode=episode)
    if form != current_form(patient.clinic):
        raise ValidationError(FORM_NOT_CURRENT)


def _check_episode(*, patient: Patient, episode: EpisodeOfCare | None) -> None:
    if episode is None:
        raise ValidationError(NO_OPEN_EPISODE)
    if episode.patient_id != patient.pk:
        raise ValidationError({"episode": EPISODE_OF_ANOTHER_PATIENT})
    if not EpisodeOfCare.objects.filter(pk=episode.pk).open().exists():
        raise ValidationError({"episode": EPISODE_CLOSED})


@transaction.atomic
def consent_sign(
    *,
    patient: Patient,
    episode: EpisodeOfCare | None,
    form: ConsentForm,
    witness: User,
    signer_name: str,
    questions_answered: bool,
    signature: str,
    signer: str = Signer.PATIENT,
    guardian_relationship: str = "",
    guardian_reason: str = "",
    signed_at: datetime | None = None,
    form_token: UUID | None = None,
) -> SignedConsent:
    """Record a signature on the clinic's current form for one of the patient's open episodes
    of care, keeping the exact text signed.

    A second submit of the same form (same `form_token`) returns the first's consent."""
    return create_once(
        SignedConsent,
        token=form_token,
        owner={"patient_id": patient.pk, "witness_id": witness.pk},
        create=lambda: _consent_create(
            patient=patient,
            episode=episode,
            form=form,
            witness=witness,
            signer_name=signer_name,
            questions_answered=questions_answered,
            signature=signature,
            signer=signer,
            guardian_relationship=guardian_relationship,
            guardian_reason=guardian_reason,
            signed_at=signed_at,
            form_token=form_token,
        ),
    )


def _consent_create(
    *,
    patient: Patient,
    episode: EpisodeOfCare | None,
    form: ConsentForm,
    witness: User,
    signer_name: str,
    questions_answered: bool,
    signature: str,
    signer: str,
    guardian_relationship: str,
    guardian_reason: str,
    signed_at: datetime | None,
    form_token: UUID | None,
) -> SignedConsent:
    _check_signing(patient=patient, episode=episode, form=form, witness=witness)
    if not questions_answered:
        raise ValidationError({"questions_answered": QUESTIONS_NOT_CONFIRMED})
    signer_name = " ".join(signer_name.split())
    if not signer_name:
        raise ValidationError({"signer_name": NAME_REQUIRED})
    signed_at = signed_at or timezone.now()
    relationship = " ".join(guardian_relationship.split())
    if signer == Signer.PATIENT:
        relationship, guardian_reason = "", ""
    _check_signer(
        patient=patient,
        signer=signer,
        relationship=relationship,
        reason=guardian_reason,
        day=timezone.localdate(signed_at),
    )
    text = consent_text(body=form.body, therapist=witness, on=timezone.localdate(signed_at))
    consent = SignedConsent(
        clinic_id=patient.clinic_id,
        patient=patient,
        episode=episode,
        form=form,
        title=form.title,
        text=text,
        text_sha256=text_sha256(title=form.title, text=text),
        questions_answered=True,
        signer=signer,
        signer_name=signer_name,
        guardian_relationship=relationship,
        guardian_reason=guardian_reason,
        signature=signature_clean(signature),
        signed_at=signed_at,
        witness=witness,
        form_token=form_token,
    )
    consent.full_clean()
    consent.save()
    record_version_bump(patient.pk)
    return consent


@transaction.atomic
def consent_withdraw(
    *, consent: SignedConsent, witness: User, at: datetime | None = None
) -> SignedConsent:
    """Record that the patient withdrew this consent: needling is refused from then on."""
    consent = SignedConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.is_withdrawn:
        raise ValidationError(ALREADY_WITHDRAWN)
    if not _is_clinic_therapist(witness, consent.clinic_id):
        raise ValidationError(WITNESS_NOT_THERAPIST)
    consent.withdrawn_at = at or timezone.now()
    consent.withdrawal_witness = witness
    consent.full_clean()
    consent.save()
    record_version_bump(consent.patient_id)
    return consent


@transaction.atomic
def consent_pdf_download(*, consent: SignedConsent, actor: User) -> bytes:
    """The patient's PDF copy; each download is logged as an access to the consent."""
    LogEntry.objects.log_create(
        consent,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        additional_data={"download": PDF_DOWNLOADED},
    )
    return consent_pdf(consent)
