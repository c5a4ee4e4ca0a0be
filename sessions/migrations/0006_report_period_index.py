"""Reports: the sessions that started in the period (session_started)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0003_list_and_report_indexes'),
        ('treatment_sessions', '0005_seed_exercises'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='needlingsession',
            index=models.Index(fields=['started_at'], name='session_started'),
        ),
    ]
