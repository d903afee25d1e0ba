"""Jurisdiction of patrols, campaigns and checkpoints, built on the registry's choke point.

Commanders, staff and administrators see every record under their agreements; an officer sees
the records of the clusters under his unit's agreements, and agreement-wide records only where his
unit led or took part.
"""

from __future__ import annotations

from django.db import models

from agreements.models import Role
from agreements.querysets import record_scope


class PatrolQuerySet(models.QuerySet):
    def visible_to(self, user) -> PatrolQuerySet:
        scope = record_scope(user)
        if scope["all"]:
            return self.all()
        qs = self.filter(agreement_id__in=scope["agreements"])
        if scope["role"] == Role.OFFICER:
            qs = qs.filter(
                models.Q(cluster__isnull=False)
                | models.Q(lead_unit_id__in=scope["own_units"])
                | models.Q(pk__in=self.model.participations.rel.related_model.objects.filter(
                    unit_id__in=scope["own_units"]).values("patrol_id"))
            )
        return qs


class AgreementScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> AgreementScopedQuerySet:
        scope = record_scope(user)
        if scope["all"]:
            return self.all()
        return self.filter(agreement_id__in=scope["agreements"])
