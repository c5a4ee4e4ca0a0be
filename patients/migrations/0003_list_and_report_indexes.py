"""Patient list and search (patient_active_by_name: a page of ids and the count from the index
alone) and the screening report (screening_taken: screenings in the period)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_clinic_soreness_check_hours'),
        ('patients', '0002_seed_screening_checklist'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='patient',
            index=models.Index(condition=models.Q(('archived_at__isnull', True)), fields=['clinic', 'last_name', 'first_name', 'id'], include=('mrn',), name='patient_active_by_name'),
        ),
        migrations.AddIndex(
            model_name='screening',
            index=models.Index(fields=['taken_at'], name='screening_taken'),
        ),
    ]
