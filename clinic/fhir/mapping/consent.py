"""Signed consents: each as a Consent to treatment whose source is the exact text signed, and
the signing (and any withdrawal) as Provenance naming the signer and the witnessing therapist."""

import base64
import hashlib
from collections.abc import Iterator
from datetime import date

from django.db.models import Exists, OuterRef
from django.utils import timezone

from patients.consent.models import ConsentForm, SignedConsent, Signer

from .codes import (
    ACT_CODE_SYSTEM,
    CONSENT_SCOPE_SYSTEM,
    CONSENT_SIGNATURE,
    CONSENT_TEXT_SHA256_SYSTEM,
    CONSENT_TREATMENT,
    LOINC_SYSTEM,
    OPT_IN,
    PATIENT_CONSENT,
    PROVENANCE_ACTIVITY_SYSTEM,
    PROVENANCE_AGENT_SYSTEM,
    SIGNATURE_TYPE_SYSTEM,
    WITNESS_SIGNATURE,
)
from .common import Scope, coding, concept, day, instant, ref, stream
from .episode import episode_id

TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"
VERIFIER = ("verifier", "Verifier")
AUTHOR = ("author", "Author")
CREATE = ("CREATE", "create")
NULLIFY = ("NULLIFY", "nullify")


def consent_id(consent_id_: int) -> str:
    return f"consent-{consent_id_}"


def signed_document(consent: SignedConsent) -> bytes:
    """The document the signer read, as its SHA-256 covers it: the title, a blank line, the
    text."""
    return f"{consent.title}\n\n{consent.text}".encode()


def signer_reference(consent: SignedConsent) -> dict:
    """The patient, or the guardian by name (NeedleTrack keeps no guardian record of its own)."""
    if consent.signer == Signer.PATIENT:
        return ref("Patient", consent.patient_id)
    return {
        "display": (
            f"{consent.signer_name} ({consent.guardian_relationship}; "
            f"{consent.get_guardian_reason_display().lower()})"
        )
    }


def _episode_closed_on(consent: SignedConsent) -> date | None:
    return consent.episode.closed_on if consent.episode_id is not None else None


def consent_status(consent: SignedConsent) -> str:
    """`inactive` once withdrawn, superseded by a form version that requires re-consent, or
    once the episode of care it was signed for has closed (the gate's rule)."""
    lapsed = consent.is_withdrawn or consent.superseded or _episode_closed_on(consent)
    return "inactive" if lapsed else "active"


def _provision(consent: SignedConsent) -> dict:
    """Permitted from the signing until the withdrawal or the episode's discharge day; the
    episode it was signed for as related data (R4's Consent has no episode element)."""
    provision = {"type": "permit", "period": {"start": instant(consent.signed_at)}}
    if consent.withdrawn_at is not None:
        provision["period"]["end"] = instant(consent.withdrawn_at)
    elif _episode_closed_on(consent) is not None:
        provision["period"]["end"] = day(consent.episode.closed_on)
    if consent.episode_id is not None:
        provision["data"] = [
            {
                "meaning": "related",
                "reference": ref("EpisodeOfCare", episode_id(consent.episode_id)),
            }
        ]
    return provision


def consent_resource(consent: SignedConsent) -> dict:
    document = signed_document(consent)
    provision = _provision(consent)
    verification = {"verified": True, "verificationDate": instant(consent.signed_at)}
    if consent.signer == Signer.PATIENT:
        verification["verifiedWith"] = ref("Patient", consent.patient_id)
    return {
        "resourceType": "Consent",
        "id": consent_id(consent.pk),
        "identifier": [{"system": CONSENT_TEXT_SHA256_SYSTEM, "value": consent.text_sha256}],
        "status": consent_status(consent),
        "scope": concept(CONSENT_SCOPE_SYSTEM, CONSENT_TREATMENT),
        "category": [concept(LOINC_SYSTEM, PATIENT_CONSENT)],
        "patient": ref("Patient", consent.patient_id),
        "dateTime": instant(consent.signed_at),
        "performer": [signer_reference(consent)],
        "organization": [ref("Organization", consent.clinic_id)],
        "sourceAttachment": {
            "contentType": TEXT_CONTENT_TYPE,
            "language": "en",
            "data": base64.b64encode(document).decode("ascii"),
            # R4: the SHA-1 of the data, base64; the SHA-256 the clinic keeps is the identifier.
            "hash": base64.b64encode(hashlib.sha1(document).digest()).decode("ascii"),  # noqa: S324
            "size": len(document),
            "title": f"{consent.title} (form version {consent.form.version})",
            "creation": instant(consent.signed_at),
        },
        "policyRule": concept(ACT_CODE_SYSTEM, OPT_IN),
        "verification": [verification],
        "provision": provision,
    }


def _agent(kind: tuple[str, str], who: dict) -> dict:
    return {"type": concept(PROVENANCE_AGENT_SYSTEM, kind), "who": who}


def _signature(kind: tuple[str, str], when: str, who: dict) -> dict:
    return {"type": [coding(SIGNATURE_TYPE_SYSTEM, kind)], "when": when, "who": who}


def signing_provenance(consent: SignedConsent) -> dict:
    """The signature of the signer and of the therapist who witnessed it."""
    signed = instant(consent.signed_at)
    witness = ref("Practitioner", consent.witness_id)
    signer = signer_reference(consent)
    return {
        "resourceType": "Provenance",
        "id": f"consent-signature-{consent.pk}",
        "target": [ref("Consent", consent_id(consent.pk))],
        "recorded": signed,
        "activity": concept(PROVENANCE_ACTIVITY_SYSTEM, CREATE),
        "agent": [_agent(AUTHOR, signer), _agent(VERIFIER, witness)],
        "signature": [
            {
                "type": [coding(SIGNATURE_TYPE_SYSTEM, CONSENT_SIGNATURE)],
                "when": signed,
                "who": signer,
            },
            {
                "type": [coding(SIGNATURE_TYPE_SYSTEM, WITNESS_SIGNATURE)],
                "when": signed,
                "who": witness,
            },
        ],
    }


def withdrawal_provenance(consent: SignedConsent) -> dict:
    return {
        "resourceType": "Provenance",
        "id": f"consent-withdrawal-{consent.pk}",
        "target": [ref("Consent", consent_id(consent.pk))],
        "recorded": instant(consent.withdrawn_at),
        "activity": concept(PROVENANCE_ACTIVITY_SYSTEM, NULLIFY),
        "reason": [{"text": "Consent withdrawn"}],
        "agent": [
            _agent(AUTHOR, signer_reference(consent)),
            _agent(VERIFIER, ref("Practitioner", consent.withdrawal_witness_id)),
        ],
    }


def _consents(scope: Scope):
    superseding = ConsentForm.objects.filter(
        clinic=OuterRef("clinic"), version__gt=OuterRef("form__version")
    ).reconsent_versions_by(timezone.now())
    return stream(
        scope.rows(SignedConsent.objects.all())
        .select_related("form", "episode")
        .annotate(superseded=Exists(superseding))
        .order_by("pk")
    )


def consents(scope: Scope) -> Iterator[dict]:
    for consent in _consents(scope):
        yield consent_resource(consent)


def consent_provenances(scope: Scope) -> Iterator[dict]:
    for consent in _consents(scope):
        yield signing_provenance(consent)
        if consent.withdrawn_at is not None:
            yield withdrawal_provenance(consent)
