# The one rule for entered dates (borderzone.services.moment_problem), kept by the database too.
# Existing rows that break it stop the migration with their ids (borderzone.constraints.refuse_rows_outside).

import datetime

from django.db import migrations, models

from borderzone.constraints import refuse_rows_outside

AGREEMENT = models.CheckConstraint(condition=models.Q(models.Q(('signed_on__isnull', True), models.Q(('signed_on__gte', datetime.date(1990, 1, 1)), ('signed_on__lt', datetime.date(2101, 1, 1))), _connector='OR'), models.Q(('effective_from__isnull', True), models.Q(('effective_from__gte', datetime.date(1990, 1, 1)), ('effective_from__lt', datetime.date(2101, 1, 1))), _connector='OR'), models.Q(('effective_to__isnull', True), models.Q(('effective_to__gte', datetime.date(1990, 1, 1)), ('effective_to__lt', datetime.date(2101, 1, 1))), _connector='OR')), name='agreement_sane_dates', violation_error_message='Ngày tháng phải từ 01/01/1990 đến 31/12/2100.')

CLUSTER = models.CheckConstraint(condition=models.Q(('established_on__isnull', True), models.Q(('established_on__gte', datetime.date(1990, 1, 1)), ('established_on__lt', datetime.date(2101, 1, 1))), _connector='OR'), name='cluster_sane_dates', violation_error_message='Ngày tháng phải từ 01/01/1990 đến 31/12/2100.')

CLUSTERMEMBER = models.CheckConstraint(condition=models.Q(('valid_from__gte', datetime.date(1990, 1, 1)), ('valid_from__lt', datetime.date(2101, 1, 1)), models.Q(('valid_to__isnull', True), models.Q(('valid_to__gte', datetime.date(1990, 1, 1)), ('valid_to__lt', datetime.date(2101, 1, 1))), _connector='OR')), name='clustermember_sane_dates', violation_error_message='Ngày tháng phải từ 01/01/1990 đến 31/12/2100.')

MOBILETEAM = models.CheckConstraint(condition=models.Q(('established_on__isnull', True), models.Q(('established_on__gte', datetime.date(1990, 1, 1)), ('established_on__lt', datetime.date(2101, 1, 1))), _connector='OR'), name='mobileteam_sane_dates', violation_error_message='Ngày tháng phải từ 01/01/1990 đến 31/12/2100.')


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0005_audit_accounts_and_links'),
    ]

    operations = [
        migrations.RunPython(
            refuse_rows_outside('agreements', {'agreement': AGREEMENT, 'cluster': CLUSTER, 'clustermember': CLUSTERMEMBER, 'mobileteam': MOBILETEAM}),
            migrations.RunPython.noop,
        ),
        migrations.AddConstraint(model_name='agreement', constraint=AGREEMENT),
        migrations.AddConstraint(model_name='cluster', constraint=CLUSTER),
        migrations.AddConstraint(model_name='clustermember', constraint=CLUSTERMEMBER),
        migrations.AddConstraint(model_name='mobileteam', constraint=MOBILETEAM),
    ]
