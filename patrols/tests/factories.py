import datetime

import factory
from django.utils import timezone

from agreements.tests.factories import AgreementFactory, UnitFactory
from patrols.models import Campaign, Patrol, PatrolParticipation, PatrolStatus


def local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


class PatrolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patrol

    agreement = factory.SubFactory(AgreementFactory)
    programme = "Tuần tra chung vùng giáp ranh"
    started_at = factory.LazyFunction(lambda: local(2023, 5, 10, 20, 0))
    ended_at = factory.LazyAttribute(lambda o: o.started_at + datetime.timedelta(hours=3))
    lead_unit = factory.SubFactory(UnitFactory)
    status = PatrolStatus.DONE
    officer_total = 6


class PatrolParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatrolParticipation

    patrol = factory.SubFactory(PatrolFactory)
    unit = factory.SubFactory(UnitFactory)
    officers = 3


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    agreement = factory.SubFactory(AgreementFactory)
    name = factory.Sequence(lambda n: f"Đợt cao điểm tấn công trấn áp tội phạm số {n}")
    starts_on = datetime.date(2023, 1, 10)
    ends_on = datetime.date(2023, 2, 10)
