"""Every field of the project's models has a Vietnamese name: the admin, the forms and the audit
history show it to users, and Django's default is the English attribute name."""

from django.apps import apps

APPS = ("agreements", "incidents", "patrols", "reports")


def test_every_field_has_a_vietnamese_name():
    english = []
    for model in apps.get_models():
        meta = model._meta
        # Audit event tables are shown through the record's own fields; link tables Django makes
        # for many-to-many fields (and the audited proxies of them) have no fields of their own.
        linking = meta.concrete_model is not None and meta.concrete_model._meta.auto_created
        if meta.app_label not in APPS or linking or model.__name__.endswith("Event"):
            continue
        for field in meta.concrete_fields:
            if field.primary_key:
                continue
            if str(field.verbose_name) == field.name.replace("_", " "):
                english.append(f"{meta.label}.{field.name}")
    assert english == []
