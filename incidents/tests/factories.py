import datetime

import factory

from agreements.tests.factories import AgreementFactory, CommuneFactory, UnitFactory
from incidents.models import Incident, IncidentCategory, IncidentSource, IncidentStatus, Tip, TipStatus
from patrols.tests.factories import local


def category(code: str = "trom-cap") -> IncidentCategory:
    return IncidentCategory.objects.get(code=code)


class TipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tip

    agreement = factory.SubFactory(AgreementFactory)
    from_unit = factory.SubFactory(UnitFactory)
    to_unit = factory.SubFactory(UnitFactory)
    received_at = factory.LazyFunction(lambda: local(2023, 4, 2, 9, 0))
    category = factory.LazyFunction(lambda: category("danh-bac"))
    summary = "Có nhóm đối tượng tụ tập đánh bạc tại khu vực giáp ranh"
    deadline = datetime.date(2023, 4, 12)
    status = TipStatus.RECEIVED


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    agreement = factory.SubFactory(AgreementFactory)
    occurred_at = factory.LazyFunction(lambda: local(2023, 6, 1, 22, 0))
    commune = factory.SubFactory(CommuneFactory)
    category = factory.LazyFunction(category)
    nature = "criminal"
    lead_unit = factory.SubFactory(UnitFactory)
    source = IncidentSource.PUBLIC
    status = IncidentStatus.RECEIVED
