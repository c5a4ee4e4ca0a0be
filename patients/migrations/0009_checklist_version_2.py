"""Checklist version 2, brought in line with the published guidance.

Lymphoedema, local infection, a tumour, radiotherapy and recent surgery near the site are
regional: needling is refused in the regions named, the rest of the body is cleared with
precautions (APTA 2013: lymphoedema is absolute "over an area/limb", not for the patient).
A bleeding disorder is a precaution limiting needling to superficial sites; low platelets are
asked with it. New: radiotherapy to the region, vascular disease, heart-valve disease,
previous adverse reaction to needling, psychological state. Screenings already saved keep
version 1, its questions and their stored outcome.
"""

import datetime

from django.db import migrations

VERSION = 2
INTRODUCED = datetime.date(2026, 12, 1)
SUMMARY = (
    "Regional contraindications (lymphoedema, local infection, tumour, radiotherapy, recent "
    "surgery) refuse needling in the named regions only; a bleeding disorder limits needling to "
    "superficial sites; added vascular disease, heart-valve disease, previous adverse reaction "
    "to needling and psychological state."
)
RED_FLAG, ABSOLUTE, REGIONAL, RELATIVE = "red_flag", "absolute", "regional", "relative"
REGION, SUPERFICIAL = "region", "superficial"

# (code, class, rules, question)
CHECKLIST = [
    ("fever-chills", RED_FLAG, (), "Fever or chills"),
    ("unexplained-weight-loss", RED_FLAG, (), "Unexplained weight loss"),
    ("cancer-history-new-pain", RED_FLAG, (), "History of cancer with new pain"),
    ("night-pain", RED_FLAG, (), "Night pain not eased by rest or change of position"),
    ("progressive-neuro", RED_FLAG, (), "Progressive weakness or numbness"),
    ("cauda-equina", RED_FLAG, (), "Saddle numbness or new bladder/bowel change"),
    ("recent-trauma", RED_FLAG, (), "Recent significant trauma"),
    ("chest-pain-sob", RED_FLAG, (), "Chest pain or shortness of breath"),
    (
        "neck-pain-neuro",
        RED_FLAG,
        (),
        "Sudden severe headache, dizziness, double vision or trouble speaking with neck pain",
    ),
    ("hot-swollen-limb", RED_FLAG, (), "Hot, red, swollen calf or limb"),
    ("widespread-pain", RED_FLAG, (), "Pain that is widespread, worsening and unexplained"),
    (
        "no-consent",
        ABSOLUTE,
        (),
        "Patient declines or cannot give informed consent (a minor or a person without "
        "capacity: no guardian consent)",
    ),
    ("needle-phobia", ABSOLUTE, (), "Needle phobia"),
    ("acutely-unwell", ABSOLUTE, (), "Acute medical emergency or acutely unwell"),
    ("lymphedema", REGIONAL, (REGION,), "Lymphoedema in a limb or region"),
    ("local-infection", REGIONAL, (REGION,), "Local infection, wound or skin lesion"),
    ("tumour", REGIONAL, (REGION,), "Malignant tumour (no needling into or over it)"),
    ("radiotherapy", REGIONAL, (REGION,), "Radiotherapy to a region"),
    ("recent-surgery", REGIONAL, (REGION,), "Recent surgery or joint replacement"),
    ("anticoagulants", RELATIVE, (), "Takes anticoagulant or antiplatelet medication"),
    (
        "bleeding-disorder",
        RELATIVE,
        (SUPERFICIAL,),
        "Bleeding disorder such as haemophilia, or low platelet count (superficial needling only)",
    ),
    ("pregnancy", RELATIVE, (), "Pregnancy"),
    (
        "immunocompromise",
        RELATIVE,
        (),
        "Immunocompromised (chemotherapy, long-term corticosteroids, uncontrolled diabetes)",
    ),
    ("diabetes-healing", RELATIVE, (), "Diabetes with poor healing or neuropathy"),
    ("vascular-disease", RELATIVE, (), "Vascular disease"),
    (
        "heart-valve",
        RELATIVE,
        (),
        "Heart-valve disease or prosthetic valve (infection risk)",
    ),
    ("epilepsy", RELATIVE, (), "Epilepsy"),
    ("fainting", RELATIVE, (), "History of fainting with needles or blood"),
    ("previous-reaction", RELATIVE, (), "Previous adverse reaction to needling"),
    ("metal-latex-allergy", RELATIVE, (), "Metal or latex allergy"),
    (
        "implanted-device",
        RELATIVE,
        (),
        "Implanted device near the site (pacemaker, neurostimulator): no electrical stimulation",
    ),
    ("breast-implants", RELATIVE, (), "Breast implants (thoracic needling planned)"),
    (
        "lung-disease-low-bmi",
        RELATIVE,
        (),
        "Lung disease or low body mass, with needling over the thorax planned",
    ),
    ("altered-sensation", RELATIVE, (), "Altered sensation at the planned sites"),
    ("cognitive-impairment", RELATIVE, (), "Cognitive impairment limiting feedback"),
    (
        "psychological-state",
        RELATIVE,
        (),
        "Psychological state affecting treatment (e.g. severe anxiety)",
    ),
    ("frail-or-minor", RELATIVE, (), "Frail older adult, or a minor (guardian consent required)"),
]


def add_version(apps, schema_editor):
    version_model = apps.get_model("patients", "ChecklistVersion")
    question_model = apps.get_model("patients", "ScreeningQuestion")
    version, created = version_model.objects.get_or_create(
        number=VERSION, defaults={"introduced_on": INTRODUCED, "summary": SUMMARY}
    )
    if not created:
        return
    for order, (code, category, rules, text) in enumerate(CHECKLIST, start=1):
        question_model.objects.create(
            version=version,
            code=code,
            category=category,
            needs_avoid_region=REGION in rules,
            superficial_only=SUPERFICIAL in rules,
            text=text,
            order=order,
        )


def remove_version(apps, schema_editor):
    """Only while no screening was taken with it: a taken screening keeps its questions."""
    version_model = apps.get_model("patients", "ChecklistVersion")
    version = version_model.objects.filter(number=VERSION, screenings__isnull=True).first()
    if version is not None:
        apps.get_model("patients", "ScreeningQuestion").objects.filter(version=version).delete()
        version.delete()


class Migration(migrations.Migration):
    dependencies = [("patients", "0008_checklist_version_required")]

    operations = [migrations.RunPython(add_version, remove_version)]
