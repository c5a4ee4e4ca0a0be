import django.db.models.deletion
from django.db import migrations, models

CATEGORIES = [
    ("red_flag", "Red flag (refer to a physician)"),
    ("absolute", "Absolute contraindication"),
    ("regional", "Regional contraindication (no needling in the regions named)"),
    ("relative", "Relative contraindication / precaution"),
]


def category_constraint(model: str) -> migrations.AddConstraint:
    return migrations.AddConstraint(
        model_name=model,
        constraint=models.CheckConstraint(
            condition=models.Q(("category__in", ["red_flag", "absolute", "regional", "relative"])),
            name=f"patients_{model}_category_valid",
            violation_error_message="Unknown question category.",
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("patients", "0005_mrn_unique_whatever_the_case")]

    operations = [
        migrations.CreateModel(
            name="ChecklistVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(unique=True)),
                ("introduced_on", models.DateField()),
                (
                    "summary",
                    models.TextField(
                        blank=True, help_text="What changed from the previous edition."
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"ordering": ["-number"]},
        ),
        migrations.AddField(
            model_name="screeningquestion",
            name="version",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="questions",
                to="patients.checklistversion",
            ),
        ),
        migrations.AddField(
            model_name="screening",
            name="checklist_version",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="screenings",
                to="patients.checklistversion",
            ),
        ),
        migrations.AddField(
            model_name="screeningquestion",
            name="superficial_only",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "A 'yes' limits needling to the clinic's superficial depth, recorded per site."
                ),
            ),
        ),
        migrations.RemoveConstraint(
            model_name="screeningquestion", name="patients_screeningquestion_category_valid"
        ),
        migrations.RemoveConstraint(
            model_name="screeninganswer", name="patients_screeninganswer_category_valid"
        ),
        migrations.AlterField(
            model_name="screeningquestion",
            name="category",
            field=models.CharField(choices=CATEGORIES, max_length=10),
        ),
        migrations.AlterField(
            model_name="screeninganswer",
            name="category",
            field=models.CharField(choices=CATEGORIES, max_length=10),
        ),
        category_constraint("screeningquestion"),
        category_constraint("screeninganswer"),
        migrations.AlterField(
            model_name="screeningquestion",
            name="code",
            field=models.SlugField(max_length=60),
        ),
    ]
