"""The patient's copy of a signed consent as a PDF, built from the stored record alone.

The same record gives the same document: the text signed, the signature drawing, names, times,
the form version and the text's SHA-256. The font ships with a PyPI package and covers accented
names ("Zoë Ångström-Müller").
"""

import io
from datetime import datetime

import font_source_sans_pro
from django.utils import timezone
from fpdf import FPDF

from clinic.formats import DATETIME_ZONE_FORMAT, shown

from .document import blocks
from .models import SignedConsent, Signer
from .signature import PAD_HEIGHT, PAD_WIDTH, signature_svg

FONT = "SourceSans"
FONT_FILES = {
    "": font_source_sans_pro.font_files_ttf["SourceSansPro"],
    "B": font_source_sans_pro.font_files_ttf["SourceSansProBold"],
}
SIGNATURE_WIDTH_MM = 90


def _when(moment: datetime, consent: SignedConsent) -> str:
    """A time in the clinic's zone, named: the PDF is also made outside a request."""
    with timezone.override(consent.clinic.zone):
        return shown(moment, DATETIME_ZONE_FORMAT)


def _details(consent: SignedConsent) -> list[tuple[str, str]]:
    patient = consent.patient
    rows = [
        (
            "Patient",
            f"{patient.full_name} (MRN {patient.mrn}, born {shown(patient.date_of_birth)})",
        ),
        ("Signed by", consent.signer_name),
    ]
    if consent.signer == Signer.GUARDIAN:
        rows.append(
            (
                "Guardian",
                f"{consent.guardian_relationship}; {consent.get_guardian_reason_display()}",
            )
        )
    rows += [
        ("Signed at", _when(consent.signed_at, consent)),
        ("Witness", f"{consent.witness.get_full_name() or consent.witness.username}"),
        ("Form", f"{consent.form.title}, version {consent.form.version}, {consent.clinic}"),
        ("SHA-256 of the text", consent.text_sha256),
    ]
    if consent.withdrawn_at:
        rows.append(("Withdrawn at", _when(consent.withdrawn_at, consent)))
    return rows


def consent_pdf(consent: SignedConsent) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(consent.signed_at)
    pdf.set_title(consent.title)
    for style, path in FONT_FILES.items():
        pdf.add_font(FONT, style, path)
    pdf.set_margins(20, 18, 20)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, consent.title, new_x="LMARGIN", new_y="NEXT")
    for block in blocks(consent.text):
        if block.heading:
            pdf.ln(2)
            pdf.set_font(FONT, "B", 12)
            pdf.multi_cell(0, 6, block.text, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font(FONT, "", 10.5)
            pdf.multi_cell(0, 5.2, block.text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "", 10.5)
    pdf.multi_cell(0, 5.2, "I have had the chance to ask questions.", new_x="LMARGIN", new_y="NEXT")
    pdf.image(
        io.BytesIO(signature_svg(consent.signature).encode()),
        w=SIGNATURE_WIDTH_MM,
        h=SIGNATURE_WIDTH_MM * PAD_HEIGHT / PAD_WIDTH,
    )
    for label, value in _details(consent):
        pdf.set_font(FONT, "B", 10)
        pdf.cell(42, 5.5, label)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 5.5, value, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
