"""The exercise catalogue, version 1 (from the clinic's dry-needling domain reference).

Targets name muscles of the needling catalogue (0002_seed_muscles). Muscles that are not
needled, such as the deep neck flexors, the obliques or the deep abdominals, are named in the
instructions instead, so the needling catalogue stays a list of needling sites.
"""

from django.db import migrations

# name, equipment, target muscles, (sets, reps, hold seconds, load type, kg), instructions
EXERCISES = [
    (
        "Scapular retraction with band",
        "Resistance band",
        ["Rhomboids", "Middle trapezius"],
        (3, 12, None, "band_light", None),
        "Hold the band in both hands, arms forward. Squeeze the shoulder blades together and "
        "down as you draw the elbows back. Pause, then return slowly. Keep the neck relaxed.",
    ),
    (
        "Prone Y/T raises",
        "Mat",
        ["Lower trapezius", "Middle trapezius"],
        (3, 10, None, "bodyweight", None),
        "Lie face down, forehead on a towel. Lift both arms, thumbs up, into a Y, then lower; "
        "next lift them out to the side into a T. Move from the shoulder blades, not the neck.",
    ),
    (
        "Shrug",
        "Dumbbells",
        ["Upper trapezius", "Levator scapulae"],
        (3, 12, None, "kg", "4.00"),
        "Stand tall with a weight in each hand. Lift the shoulders straight up toward the ears, "
        "hold a moment, then lower slowly. Do not roll the shoulders.",
    ),
    (
        "Chin tuck",
        "",
        [],
        (3, None, 10, "bodyweight", None),
        "Works the deep neck flexors. Lie on your back or sit tall. Gently draw the chin straight "
        "back, making a double chin, without tilting the head. Hold, then relax.",
    ),
    (
        "Side-lying external rotation",
        "Dumbbell",
        ["Infraspinatus", "Teres minor"],
        (3, 12, None, "kg", "1.00"),
        "Lie on your side, elbow bent to 90 degrees and tucked into your side, a towel under it. "
        "Rotate the forearm up toward the ceiling, keeping the elbow still, then lower slowly.",
    ),
    (
        "Wall push-up plus",
        "Wall",
        ["Serratus anterior"],
        (3, 10, None, "bodyweight", None),
        "Hands on a wall at shoulder height. Do a push-up; at the top push a little further so "
        "the shoulder blades spread around the ribs. Return under control.",
    ),
    (
        "Band pull-apart",
        "Resistance band",
        ["Rhomboids", "Deltoid"],
        (3, 15, None, "band_light", None),
        "Hold the band at shoulder height, arms straight. Pull it apart until it touches your "
        "chest, leading with the back of the shoulders (posterior deltoid). Return slowly.",
    ),
    (
        "Glute bridge",
        "Mat",
        ["Gluteus maximus", "Hamstrings"],
        (3, 12, None, "bodyweight", None),
        "Lie on your back, knees bent, feet flat. Squeeze the buttocks and lift the hips until "
        "knees, hips and shoulders line up. Pause, then lower one vertebra at a time.",
    ),
    (
        "Clamshell",
        "Resistance band",
        ["Gluteus medius", "Gluteus minimus"],
        (3, 15, None, "band_light", None),
        "Lie on your side, hips and knees bent, band around the knees. Keeping the feet together "
        "and the pelvis still, open the top knee, then close it slowly.",
    ),
    (
        "Side-lying hip abduction",
        "Mat",
        ["Gluteus medius", "Gluteus minimus"],
        (3, 12, None, "bodyweight", None),
        "Lie on your side, bottom knee bent. Lift the straight top leg slightly behind you, toes "
        "forward, without rolling the pelvis back. Lower slowly.",
    ),
    (
        "Side plank",
        "Mat",
        ["Quadratus lumborum"],
        (3, None, 20, "bodyweight", None),
        "Also works the obliques. Lie on your side, elbow under the shoulder, knees bent or legs "
        "straight. Lift the hips so the body is in a straight line and hold. Breathe steadily.",
    ),
    (
        "Bird dog",
        "Mat",
        ["Lumbar multifidus"],
        (3, 10, None, "bodyweight", None),
        "On hands and knees, back flat. Reach one arm forward and the opposite leg back without "
        "letting the back sag or twist. Hold a moment, return, and switch sides.",
    ),
    (
        "Dead bug",
        "Mat",
        [],
        (3, 10, None, "bodyweight", None),
        "Works the deep abdominals. Lie on your back, arms up, hips and knees at 90 degrees. "
        "Keep the lower back gently pressed down as you lower the opposite arm and leg, then "
        "return and switch sides.",
    ),
    (
        "Calf raise",
        "Step",
        ["Gastrocnemius", "Soleus"],
        (3, 15, None, "bodyweight", None),
        "Stand with the balls of the feet on a step, holding a rail. Rise up onto the toes, "
        "pause, then lower the heels slowly below the step. Knees straight, then bent.",
    ),
    (
        "Wrist extension with weight",
        "Dumbbell",
        ["Wrist extensors"],
        (3, 15, None, "kg", "1.00"),
        "Rest the forearm on a table, palm down, hand over the edge. Lift the back of the hand "
        "toward the ceiling, then lower slowly over three seconds.",
    ),
    (
        "Squat to box",
        "Chair or box",
        ["Vastus lateralis", "Vastus medialis", "Rectus femoris", "Gluteus maximus"],
        (3, 10, None, "bodyweight", None),
        "Stand in front of a chair, feet hip-width apart. Sit back until you lightly touch the "
        "seat, knees in line with the toes, then stand up by pushing through the heels.",
    ),
]


def seed(apps, schema_editor):
    exercise_model = apps.get_model("treatment_sessions", "Exercise")
    muscle_model = apps.get_model("treatment_sessions", "Muscle")
    for name, equipment, targets, dosage, instructions in EXERCISES:
        sets, reps, hold, load_type, kg = dosage
        exercise, _ = exercise_model.objects.update_or_create(
            name=name,
            defaults={
                "equipment": equipment,
                "instructions": instructions,
                "default_sets": sets,
                "default_reps": reps,
                "default_hold_seconds": hold,
                "default_load_type": load_type,
                "default_load_kg": kg,
                "active": True,
            },
        )
        exercise.muscles.set(muscle_model.objects.filter(name__in=targets))


def retire(apps, schema_editor):
    exercise_model = apps.get_model("treatment_sessions", "Exercise")
    exercise_model.objects.filter(name__in=[row[0] for row in EXERCISES]).update(active=False)


class Migration(migrations.Migration):
    dependencies = [("treatment_sessions", "0004_strengthening_plans")]

    operations = [migrations.RunPython(seed, retire)]
