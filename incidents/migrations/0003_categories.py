"""The controlled incident taxonomy (docs/ARCHITECTURE.md, "Incident taxonomy"). Codes are stable; names may be reworded later."""

from django.db import migrations

CATEGORIES = [
    # code, name, group, default nature
    ("trom-cap", "Trộm cắp tài sản", "Xâm phạm sở hữu", "criminal"),
    ("cuop-giat", "Cướp giật tài sản", "Xâm phạm sở hữu", "criminal"),
    ("cuop", "Cướp tài sản", "Xâm phạm sở hữu", "criminal"),
    ("lua-dao", "Lừa đảo chiếm đoạt tài sản", "Xâm phạm sở hữu", "criminal"),
    ("huy-hoai", "Hủy hoại, cố ý làm hư hỏng tài sản", "Xâm phạm sở hữu", "criminal"),
    ("giet-nguoi", "Giết người", "Xâm phạm tính mạng, sức khỏe", "criminal"),
    ("co-y-gay-thuong-tich", "Cố ý gây thương tích", "Xâm phạm tính mạng, sức khỏe", "criminal"),
    ("danh-bac", "Đánh bạc", "Cờ bạc", "criminal"),
    ("to-chuc-danh-bac", "Tổ chức đánh bạc", "Cờ bạc", "criminal"),
    ("su-dung-ma-tuy", "Sử dụng trái phép chất ma túy", "Ma túy", "administrative"),
    ("to-chuc-su-dung-ma-tuy", "Tổ chức sử dụng trái phép chất ma túy", "Ma túy", "criminal"),
    ("tang-tru-ma-tuy", "Tàng trữ trái phép chất ma túy", "Ma túy", "criminal"),
    ("mua-ban-ma-tuy", "Mua bán trái phép chất ma túy", "Ma túy", "criminal"),
    ("van-chuyen-khoang-san", "Vận chuyển khoáng sản không rõ nguồn gốc", "Tài nguyên, môi trường", "administrative"),
    ("khai-thac-khoang-san", "Khai thác khoáng sản trái phép", "Tài nguyên, môi trường", "criminal"),
    ("buon-lau", "Buôn lậu, vận chuyển hàng cấm", "Kinh tế", "criminal"),
    ("hop-cho-trai-phep", "Tụ điểm họp chợ trái phép", "Trật tự công cộng", "administrative"),
    ("gay-roi", "Gây rối trật tự công cộng", "Trật tự công cộng", "criminal"),
    ("khac", "Vụ việc khác", "Khác", "administrative"),
]


def forwards(apps, schema_editor):
    IncidentCategory = apps.get_model("incidents", "IncidentCategory")
    for order, (code, name, group, nature) in enumerate(CATEGORIES, start=1):
        IncidentCategory.objects.update_or_create(
            code=code, defaults={"name": name, "group": group, "default_nature": nature, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
