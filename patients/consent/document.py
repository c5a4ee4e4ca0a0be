"""The text of a consent form: the default a clinic starts with, the therapist's training put
in its place, the hash of what was signed, and its headings and paragraphs for pages and PDFs."""

import hashlib
from dataclasses import dataclass
from datetime import date

from clinic.accounts.models import Credential
from clinic.formats import shown

TRAINING_PLACEHOLDER = "{therapist_training}"
TRAINING_WITH_CREDENTIAL = (
    "{who}; dry-needling training: {credential.course}, {credential.hours} hours, completed "
    "{completed} ({credential.jurisdiction})"
)
HEADING_MARK = "# "

DEFAULT_TITLE = "Consent to dry needling"

# Figures from the papers' results, per treatment, with their denominators (docs: DOMAIN.md).
DEFAULT_BODY = f"""\
# What dry needling is
Dry needling places a thin, solid, sterile needle through the skin into a muscle's trigger \
point to ease pain and help movement. No medicine is injected. Each needle is used once and \
disposed of. It is one part of your care, usually combined with exercise.

# Common side effects
Most people have no side effect, or a mild one that passes within hours to a few days. In a \
study of 7,629 treatments by physiotherapists in Ireland (Brady et al. 2014, J Man Manip Ther \
22(3):134-140), mild adverse events followed 19.18% of treatments: bruising 7.55%, bleeding \
4.65%, pain during treatment 3.01%, pain after treatment 2.19%, aggravation of symptoms 0.88%, \
drowsiness 0.26%, headache 0.14%, nausea 0.13% and fatigue 0.04%. In a study of 20,464 sessions \
by physical therapists in the USA (Boyce et al. 2020, Int J Sports Phys Ther 15(1):103-113), \
minor adverse events followed 36.7% of sessions (7,531). Muscle soreness for up to about three \
days after treatment is common.

# Rare serious risks
Serious events are rare: in the study of 20,464 sessions, 20 major adverse events were \
reported (under 0.1%, about 1 in 1,024 sessions). They include a collapsed lung \
(pneumothorax) when needling over the chest wall, excessive bleeding, prolonged aggravation \
of symptoms, infection, nerve irritation, fainting, and a needle breaking. Pneumothorax is \
known from case reports; no rate has been published. Its signs (chest pain, breathlessness, \
a dry cough) can start from 2 hours to 2 days after treatment: if you notice them, seek \
emergency care at once.

# Alternatives
You may choose other treatment instead, such as exercise, manual therapy, heat, massage, \
education and advice, or no treatment. Your therapist will explain these with you.

# Your therapist's training
Dry needling is given by: {TRAINING_PLACEHOLDER}.

# Your choice
Taking part is your choice. You may ask questions at any time, refuse any part of the \
treatment, and withdraw your consent at any time, before or during treatment, without it \
affecting the rest of your care. Your therapist will confirm your consent with you before \
each session.
"""


@dataclass(frozen=True)
class Block:
    heading: bool
    text: str


def therapist_training(therapist, *, on: date) -> str:
    """How the form names the therapist's dry-needling training: their name and role, and the
    credential current on the signing day (the most recently completed) where one is recorded."""
    who = f"{therapist.get_full_name() or therapist.username}, {therapist.get_role_display()}"
    credential = (
        Credential.objects.filter(holder=therapist)
        .current_on(on)
        .order_by("-completed_on", "-pk")
        .first()
    )
    if credential is None:
        return who
    completed = shown(credential.completed_on)
    return TRAINING_WITH_CREDENTIAL.format(who=who, credential=credential, completed=completed)


def consent_text(*, body: str, therapist, on: date) -> str:
    """The text a patient reads and signs: the form's body with the training filled in."""
    return body.replace(TRAINING_PLACEHOLDER, therapist_training(therapist, on=on)).strip()


def text_sha256(*, title: str, text: str) -> str:
    """The SHA-256 of the signed document: its title, a blank line, its text."""
    return hashlib.sha256(f"{title}\n\n{text}".encode()).hexdigest()


def blocks(text: str) -> list[Block]:
    """Headings (lines starting with '# ') and paragraphs (lines joined up to a blank line)."""
    result: list[Block] = []
    paragraph: list[str] = []

    def close() -> None:
        if paragraph:
            result.append(Block(heading=False, text=" ".join(paragraph)))
            paragraph.clear()

    for line in text.splitlines():
        line = line.strip()
        if line.startswith(HEADING_MARK):
            close()
            result.append(Block(heading=True, text=line.removeprefix(HEADING_MARK).strip()))
        elif line:
            paragraph.append(line)
        else:
            close()
    close()
    return result
