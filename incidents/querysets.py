"""Jurisdiction of tips and incidents, built on the registry's choke point.

A tip is read only by the sending and the receiving unit (and the commanders above them): it may
name informants. Incidents follow the patrol rule: commanders and staff see all of their
agreements, officers the clusters' records and what their unit led or supported.
"""

from __future__ import annotations

from django.db import models

from agreements.models import Role
from agreements.querysets import record_scope


class TipQuerySet(models.QuerySet):
    def visible_to(self, user) -> TipQuerySet:
        scope = record_scope(user)
        if scope["all"]:
            return self.all()
        return self.filter(agreement_id__in=scope["agreements"]).filter(
            models.Q(from_unit_id__in=scope["tip_units"]) | models.Q(to_unit_id__in=scope["tip_units"])
        )


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user) -> IncidentQuerySet:
        scope = record_scope(user)
        if scope["all"]:
            return self.all()
        qs = self.filter(agreement_id__in=scope["agreements"])
        if scope["role"] == Role.OFFICER:
            through = self.model.supporting_units.through
            qs = qs.filter(
                models.Q(cluster__isnull=False)
                | models.Q(lead_unit_id__in=scope["own_units"])
                | models.Q(pk__in=through.objects.filter(unit_id__in=scope["own_units"]).values("incident_id"))
            )
        return qs
