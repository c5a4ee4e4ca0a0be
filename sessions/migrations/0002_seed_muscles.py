"""The muscle catalogue, version 1 (from the clinic's dry-needling domain reference).

Lung risk marks muscles over or near the pleura, where a needle can cause a pneumothorax.
"""

from django.db import migrations

# (name, body region, lung risk)
MUSCLES = [
    ("Upper trapezius", "shoulder", True),
    ("Levator scapulae", "head_neck", False),
    ("Splenius capitis", "head_neck", False),
    ("Suboccipitals", "head_neck", False),
    ("Scalenes", "head_neck", True),
    ("Sternocleidomastoid", "head_neck", False),
    ("Rhomboids", "thoracic", True),
    ("Middle trapezius", "thoracic", True),
    ("Lower trapezius", "thoracic", True),
    ("Thoracic paraspinals", "thoracic", True),
    ("Serratus anterior", "chest", True),
    ("Pectoralis major", "chest", True),
    ("Pectoralis minor", "chest", True),
    ("Intercostals", "chest", True),
    ("Infraspinatus", "shoulder", False),
    ("Supraspinatus", "shoulder", False),
    ("Teres major", "shoulder", False),
    ("Teres minor", "shoulder", False),
    ("Deltoid", "shoulder", False),
    ("Biceps brachii", "upper_arm", False),
    ("Triceps brachii", "upper_arm", False),
    ("Wrist extensors", "forearm_hand", False),
    ("Wrist flexors", "forearm_hand", False),
    ("Brachioradialis", "forearm_hand", False),
    ("Quadratus lumborum", "lumbar", False),
    ("Lumbar multifidus", "lumbar", False),
    ("Gluteus maximus", "pelvis_hip", False),
    ("Gluteus medius", "pelvis_hip", False),
    ("Gluteus minimus", "pelvis_hip", False),
    ("Piriformis", "pelvis_hip", False),
    ("Iliopsoas", "pelvis_hip", False),
    ("Tensor fasciae latae", "pelvis_hip", False),
    ("Vastus lateralis", "thigh", False),
    ("Vastus medialis", "thigh", False),
    ("Rectus femoris", "thigh", False),
    ("Hamstrings", "thigh", False),
    ("Adductors", "thigh", False),
    ("Gastrocnemius", "leg", False),
    ("Soleus", "leg", False),
    ("Tibialis anterior", "leg", False),
    ("Peroneals", "leg", False),
]


def seed(apps, schema_editor):
    muscle_model = apps.get_model("treatment_sessions", "Muscle")
    for name, region, lung_risk in MUSCLES:
        muscle_model.objects.update_or_create(
            name=name, defaults={"region": region, "lung_risk": lung_risk, "active": True}
        )


def retire(apps, schema_editor):
    muscle_model = apps.get_model("treatment_sessions", "Muscle")
    muscle_model.objects.filter(name__in=[row[0] for row in MUSCLES]).update(active=False)


class Migration(migrations.Migration):
    dependencies = [("treatment_sessions", "0001_initial")]

    operations = [migrations.RunPython(seed, retire)]
