"""The contraindication checklist, version 1 (from the clinic's dry-needling domain reference).

Later edits to the catalogue are new data migrations, so every installation asks the same
questions and past screenings keep the class each question had when it was asked.
"""

from django.db import migrations

RED_FLAG, ABSOLUTE, RELATIVE = "red_flag", "absolute", "relative"

# (code, category, needs an avoid-region when present, question)
CHECKLIST = [
    ("fever-chills", RED_FLAG, False, "Fever or chills"),
    ("unexplained-weight-loss", RED_FLAG, False, "Unexplained weight loss"),
    ("cancer-history-new-pain", RED_FLAG, False, "History of cancer with new pain"),
    ("night-pain", RED_FLAG, False, "Night pain not eased by rest or change of position"),
    ("progressive-neuro", RED_FLAG, False, "Progressive weakness or numbness"),
    ("cauda-equina", RED_FLAG, False, "Saddle numbness or new bladder/bowel change"),
    ("recent-trauma", RED_FLAG, False, "Recent significant trauma"),
    ("chest-pain-sob", RED_FLAG, False, "Chest pain or shortness of breath"),
    (
        "neck-pain-neuro",
        RED_FLAG,
        False,
        "Sudden severe headache, dizziness, double vision or trouble speaking with neck pain",
    ),
    ("hot-swollen-limb", RED_FLAG, False, "Hot, red, swollen calf or limb"),
    ("widespread-pain", RED_FLAG, False, "Pain that is widespread, worsening and unexplained"),
    ("no-consent", ABSOLUTE, False, "Patient declines or cannot give informed consent"),
    ("needle-phobia", ABSOLUTE, False, "Needle phobia"),
    (
        "local-infection",
        ABSOLUTE,
        True,
        "Local infection, wound or skin lesion at the planned needling sites",
    ),
    ("lymphedema", ABSOLUTE, True, "Lymphoedema in the limb or region to be needled"),
    ("tumour", ABSOLUTE, False, "Needling would be into or over a malignant tumour"),
    ("acutely-unwell", ABSOLUTE, False, "Acute medical emergency or acutely unwell"),
    (
        "bleeding-disorder",
        ABSOLUTE,
        False,
        "Severe bleeding disorder (e.g. haemophilia) and deep needling planned",
    ),
    ("anticoagulants", RELATIVE, False, "Takes anticoagulant or antiplatelet medication"),
    ("low-platelets", RELATIVE, False, "Low platelet count"),
    ("pregnancy", RELATIVE, False, "Pregnancy"),
    (
        "immunocompromise",
        RELATIVE,
        False,
        "Immunocompromised (chemotherapy, long-term corticosteroids, uncontrolled diabetes)",
    ),
    ("diabetes-healing", RELATIVE, False, "Diabetes with poor healing or neuropathy"),
    ("epilepsy", RELATIVE, False, "Epilepsy"),
    ("fainting", RELATIVE, False, "History of fainting with needles or blood"),
    ("metal-latex-allergy", RELATIVE, False, "Metal or latex allergy"),
    (
        "recent-surgery",
        RELATIVE,
        True,
        "Recent surgery or joint replacement near the planned sites",
    ),
    (
        "implanted-device",
        RELATIVE,
        False,
        "Implanted device near the site (pacemaker, neurostimulator): no electrical stimulation",
    ),
    ("breast-implants", RELATIVE, False, "Breast implants (thoracic needling planned)"),
    (
        "lung-disease-low-bmi",
        RELATIVE,
        False,
        "Lung disease or low body mass, with needling over the thorax planned",
    ),
    ("altered-sensation", RELATIVE, False, "Altered sensation at the planned sites"),
    ("cognitive-impairment", RELATIVE, False, "Cognitive impairment limiting feedback"),
    ("frail-or-minor", RELATIVE, False, "Frail older adult or a minor"),
]


def seed(apps, schema_editor):
    question_model = apps.get_model("patients", "ScreeningQuestion")
    for order, (code, category, needs_region, text) in enumerate(CHECKLIST, start=1):
        question_model.objects.update_or_create(
            code=code,
            defaults={
                "category": category,
                "needs_avoid_region": needs_region,
                "text": text,
                "order": order,
                "active": True,
            },
        )


def retire(apps, schema_editor):
    question_model = apps.get_model("patients", "ScreeningQuestion")
    question_model.objects.filter(code__in=[row[0] for row in CHECKLIST]).update(active=False)


class Migration(migrations.Migration):
    dependencies = [("patients", "0001_initial")]

    operations = [migrations.RunPython(seed, retire)]
