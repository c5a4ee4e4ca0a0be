import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("treatment_sessions", "0012_sessions_into_episodes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="needlingsession",
            name="episode",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="needling_sessions",
                to="patients.episodeofcare",
            ),
        ),
    ]
