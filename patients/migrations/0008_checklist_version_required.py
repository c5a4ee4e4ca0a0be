import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("patients", "0007_checklist_version_1")]

    operations = [
        migrations.AlterField(
            model_name="screeningquestion",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="questions",
                to="patients.checklistversion",
            ),
        ),
        migrations.AlterField(
            model_name="screening",
            name="checklist_version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="screenings",
                to="patients.checklistversion",
            ),
        ),
        migrations.RemoveField(model_name="screeningquestion", name="active"),
        migrations.AlterModelOptions(
            name="screeningquestion",
            options={"ordering": ["version", "category", "order", "pk"]},
        ),
        migrations.AddConstraint(
            model_name="screeningquestion",
            constraint=models.UniqueConstraint(
                fields=("version", "code"),
                name="patients_screeningquestion_code_once_per_version",
                violation_error_message="A checklist version asks each question once.",
            ),
        ),
        migrations.AddConstraint(
            model_name="screeningquestion",
            constraint=models.CheckConstraint(
                condition=models.Q(("category", "regional"), _negated=True)
                | models.Q(("needs_avoid_region", True)),
                name="patients_screeningquestion_regional_names_regions",
                violation_error_message="A regional contraindication names the regions to avoid.",
            ),
        ),
    ]
