"""The document types of NĐ 30/2020 Art 7 with their abbreviations (Phụ lục III, as several codebases agree;
GN and TTh are unverified — an administrator may change them)."""

from django.db import migrations

TYPES = [
    ("cong-van", "Công văn", ""),
    ("quyet-dinh", "Quyết định", "QĐ"),
    ("to-trinh", "Tờ trình", "TTr"),
    ("bao-cao", "Báo cáo", "BC"),
    ("ke-hoach", "Kế hoạch", "KH"),
    ("thong-bao", "Thông báo", "TB"),
    ("giay-moi", "Giấy mời", "GM"),
    ("huong-dan", "Hướng dẫn", "HD"),
    ("nghi-quyet", "Nghị quyết", "NQ"),
    ("chi-thi", "Chỉ thị", "CT"),
    ("quy-che", "Quy chế", "QC"),
    ("quy-dinh", "Quy định", "QyĐ"),
    ("thong-cao", "Thông cáo", "TC"),
    ("chuong-trinh", "Chương trình", "CTr"),
    ("phuong-an", "Phương án", "PA"),
    ("de-an", "Đề án", "ĐA"),
    ("du-an", "Dự án", "DA"),
    ("bien-ban", "Biên bản", "BB"),
    ("hop-dong", "Hợp đồng", "HĐ"),
    ("cong-dien", "Công điện", "CĐ"),
    ("ban-ghi-nho", "Bản ghi nhớ", "GN"),
    ("ban-thoa-thuan", "Bản thỏa thuận", "TTh"),
    ("giay-uy-quyen", "Giấy ủy quyền", "GUQ"),
    ("giay-gioi-thieu", "Giấy giới thiệu", "GGT"),
    ("giay-nghi-phep", "Giấy nghỉ phép", "GNP"),
    ("phieu-gui", "Phiếu gửi", "PG"),
    ("phieu-chuyen", "Phiếu chuyển", "PC"),
    ("phieu-bao", "Phiếu báo", "PB"),
    ("thu-cong", "Thư công", ""),
]


def add_types(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for rank, (code, name, abbreviation) in enumerate(TYPES, start=1):
        DocumentType.objects.update_or_create(code=code, defaults={"name": name, "abbreviation": abbreviation,
                                                                   "rank": rank * 10})


def remove_types(apps, schema_editor):
    apps.get_model("documents", "DocumentType").objects.filter(code__in=[t[0] for t in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_documents")]
    operations = [migrations.RunPython(add_types, remove_types)]
