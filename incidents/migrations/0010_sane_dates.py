# The one rule for entered dates (borderzone.services.moment_problem), kept by the database too.
# Existing rows that break it stop the migration with their ids (borderzone.constraints.refuse_rows_outside).

import datetime

from django.db import migrations, models

from borderzone.constraints import refuse_rows_outside

INCIDENT = models.CheckConstraint(condition=models.Q(('occurred_at__gte', datetime.datetime(1989, 12, 31, 17, 0, tzinfo=datetime.timezone.utc)), ('occurred_at__lt', datetime.datetime(2100, 12, 31, 17, 0, tzinfo=datetime.timezone.utc)), models.Q(('solved_at__isnull', True), models.Q(('solved_at__gte', datetime.datetime(1989, 12, 31, 17, 0, tzinfo=datetime.timezone.utc)), ('solved_at__lt', datetime.datetime(2100, 12, 31, 17, 0, tzinfo=datetime.timezone.utc))), _connector='OR')), name='incident_sane_dates', violation_error_message='Ngày tháng phải từ 01/01/1990 đến 31/12/2100.')

TIP = models.CheckConstraint(condition=models.Q(('deadline__gte', datetime.date(1990, 1, 1)), ('deadline__lt', datetime.date(2101, 1, 1)), ('received_at__gte', datetime.datetime(1989, 12, 31, 17, 0, tzinfo=datetime.timezone.utc)), ('received_at__lt', datetime.datetime(2100, 12, 31, 17, 0, tzinfo=datetime.timezone.utc))), name='tip_sane_dates', violation_error_message='Ngày tháng phải từ 01/01/1990 đến 31/12/2100.')


class Migration(migrations.Migration):

    dependencies = [
        ('incidents', '0009_record_versions'),
    ]

    operations = [
        migrations.RunPython(
            refuse_rows_outside('incidents', {'incident': INCIDENT, 'tip': TIP}),
            migrations.RunPython.noop,
        ),
        migrations.AddConstraint(model_name='incident', constraint=INCIDENT),
        migrations.AddConstraint(model_name='tip', constraint=TIP),
    ]
