# The one rule for entered dates (borderzone.services.moment_problem), kept by the database too.
# Existing rows that break it stop the migration with their ids (borderzone.constraints.refuse_rows_outside).

import datetime

from django.db import migrations, models

from borderzone.constraints import refuse_rows_outside

CAMPAIGN = models.CheckConstraint(condition=models.Q(('starts_on__gte', datetime.date(1990, 1, 1)), ('starts_on__lt', datetime.date(2101, 1, 1)), ('ends_on__gte', datetime.date(1990, 1, 1)), ('ends_on__lt', datetime.date(2101, 1, 1))), name='campaign_sane_dates', violation_error_message='Ngày tháng phải từ 01/01/1990 đến 31/12/2100.')

CHECKPOINT = models.CheckConstraint(condition=models.Q(('starts_on__gte', datetime.date(1990, 1, 1)), ('starts_on__lt', datetime.date(2101, 1, 1)), models.Q(('ends_on__isnull', True), models.Q(('ends_on__gte', datetime.date(1990, 1, 1)), ('ends_on__lt', datetime.date(2101, 1, 1))), _connector='OR')), name='checkpoint_sane_dates', violation_error_message='Ngày tháng phải từ 01/01/1990 đến 31/12/2100.')

PATROL = models.CheckConstraint(condition=models.Q(('started_at__gte', datetime.datetime(1989, 12, 31, 17, 0, tzinfo=datetime.timezone.utc)), ('started_at__lt', datetime.datetime(2100, 12, 31, 17, 0, tzinfo=datetime.timezone.utc)), ('ended_at__gte', datetime.datetime(1989, 12, 31, 17, 0, tzinfo=datetime.timezone.utc)), ('ended_at__lt', datetime.datetime(2100, 12, 31, 17, 0, tzinfo=datetime.timezone.utc))), name='patrol_sane_dates', violation_error_message='Ngày tháng phải từ 01/01/1990 đến 31/12/2100.')


class Migration(migrations.Migration):

    dependencies = [
        ('patrols', '0007_audit_participants_and_links'),
    ]

    operations = [
        migrations.RunPython(
            refuse_rows_outside('patrols', {'campaign': CAMPAIGN, 'checkpoint': CHECKPOINT, 'patrol': PATROL}),
            migrations.RunPython.noop,
        ),
        migrations.AddConstraint(model_name='campaign', constraint=CAMPAIGN),
        migrations.AddConstraint(model_name='checkpoint', constraint=CHECKPOINT),
        migrations.AddConstraint(model_name='patrol', constraint=PATROL),
    ]
