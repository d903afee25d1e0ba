"""Role groups with their model permissions, and the five coordination areas every agreement draws from."""

from django.db import migrations

AREAS = [
    ("ke-hoach", "Phối hợp xây dựng chương trình, kế hoạch công tác"),
    ("trao-doi-thong-tin", "Phối hợp trao đổi thông tin"),
    ("giai-quyet-vu-viec", "Phối hợp giải quyết các vụ việc, đấu tranh phòng, chống tội phạm và tệ nạn xã hội"),
    ("thien-tai", "Phối hợp phòng, chống thiên tai, tìm kiếm cứu nạn"),
    ("phong-trao", "Phối hợp xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc"),
]

# Role → (app_label, codename prefix list). Officers only read the registry; staff keep agreements and
# clusters; administrators also keep units, officers and geography.
REGISTRY = ["agreement", "agreementparty", "agreementchapter", "agreementarticle", "cluster", "clustermember",
            "boardmember", "mobileteam", "mobileteammember", "selfmanagementmodel", "legalbasis"]
REFERENCE = ["unit", "officer", "administrativeunit", "administrativesuccession", "coordinationarea"]
GROUPS = {
    "Cán bộ, chiến sĩ": [f"view_{m}" for m in REGISTRY + REFERENCE],
    "Chỉ huy": [f"view_{m}" for m in REGISTRY + REFERENCE],
    "Cán bộ tham mưu": [f"{a}_{m}" for m in REGISTRY for a in ("add", "change", "delete", "view")]
    + [f"view_{m}" for m in REFERENCE],
    "Quản trị viên": [f"{a}_{m}" for m in REGISTRY + REFERENCE for a in ("add", "change", "delete", "view")],
}


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("agreements")
    if not getattr(app_config, "models_module", None):
        app_config.models_module = True  # historical app configs have no models module of their own
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="agreements", codename__in=codenames))
    CoordinationArea = apps.get_model("agreements", "CoordinationArea")
    for order, (code, name) in enumerate(AREAS, start=1):
        CoordinationArea.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
