"""Demo correspondence: a year of the demo Sở Nội vụ's official documents, made through the documents services.

Incoming documents from the UBND tỉnh, the Bộ Nội vụ, other departments, communes, the Party's organisation
board, religious organisations…, each registered by a clerk, directed by a leader of the department to a lead
division with co-ordinating ones, assigned to a specialist, handled and completed (a few late), some answered
by an outgoing document; outgoing documents drafted in a division, reviewed by its leader (some sent back
once), approved and signed by a leader of the department and numbered and issued by the clerk; work files per
division, the previous year's closed and one handed to the agency archive. Every action runs at its own instant
of the past year (``core.clock.at``) and all documents' actions run in one time order, so that register numbers
follow the dates, as in a real register; whatever would happen after now does not happen, which leaves the
recent documents open at every stage. The demo logins get a bigger share of the work, and a few planned items
make sure that each of them finds something waiting.

The volume is smaller than a real department's (about 2,000 incoming and 800 outgoing a year): some 330
incoming and 40 outgoing documents, because each issued document costs two PAdES signatures (about 0.35 s each
today) and ``motcua demo`` must stay quick; raise ``INCOMING_PER_YEAR`` and ``OUTGOING_PER_YEAR`` when signing
is faster. The scans of incoming documents
are rendered in batches (one WeasyPrint layout for many pages), three of them as image-only scans made with
Pillow, so that the OCR worker has real work.

Illustrative: names are generated; agency identifiers have the shape of QĐ 20/2020/QĐ-TTg codes but are examples.
Deterministic for a given now (seeded random).
"""

from __future__ import annotations

import datetime as dt
import heapq
import html
import io
import itertools
import logging
import random
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from motcua.core import calendars as core_calendars
from motcua.core import clock, workdays
from motcua.core.files import Upload
from motcua.documents import layout, services, signing
from motcua.documents.models import CaseFile, Document, DocumentTask, Secrecy, Urgency
from motcua.org import office
from motcua.org.models import Agency, Assignment, Division, Staff
from motcua.org.roles import Role

INCOMING_PER_YEAR = 320
OUTGOING_PER_YEAR = 12  # written on the department's own initiative; replies to incoming documents come on top
REPLY_SHARE = 0.15  # of the incoming documents that call for a written answer
LATE_SHARE = 0.06
SENT_BACK_SHARE = 0.15
CONFIDENTIAL_SHARE = 0.015
SCAN_BATCH = 60  # pages per WeasyPrint layout
RENDERED_SCANS = 80  # the newest incoming documents with a scan of their own


# --------------------------------------------------------------------------------------------------------
# Who writes to the department


@dataclass(frozen=True)
class Sender:
    key: str
    name: str
    identifier: str
    code: str  # the sender's abbreviation in its symbols
    subs: tuple[str, ...] = ("VP",)  # the drafting unit in a công văn's symbol (123/UBND-NC)
    place: str = "Hà Giang"
    parent: str = ""
    posts: tuple[str, ...] = ("Giám đốc", "Phó Giám đốc")
    per_year: int = 2000  # how many documents of a kind it numbers a year (the size of its numbers)
    party: bool = False  # Party and mass organisations number as 12-CV/BTCTU


SENDERS = {s.key: s for s in [
    Sender("ubnd", "Ủy ban nhân dân tỉnh Hà Giang", "000.00.00.H22", "UBND", ("NC", "KGVX", "TH", "KT"),
           posts=("Chủ tịch", "Phó Chủ tịch"), per_year=6000),
    Sender("vpubnd", "Văn phòng UBND tỉnh Hà Giang", "000.00.01.H22", "VPUBND", ("NC", "KGVX", "TH"),
           parent="UBND TỈNH HÀ GIANG", posts=("Chánh Văn phòng", "Phó Chánh Văn phòng"), per_year=4000),
    Sender("bnv", "Bộ Nội vụ", "000.00.00.G12", "BNV", ("CCVC", "TCBC", "CQĐP", "CCHC", "VP", "TĐKT"),
           place="Hà Nội", posts=("Thứ trưởng", "Bộ trưởng"), per_year=5000),
    Sender("cucvtlt", "Cục Văn thư và Lưu trữ nhà nước", "000.00.05.G12", "VTLTNN", ("NVTW", "VP"), place="Hà Nội",
           parent="BỘ NỘI VỤ", posts=("Cục trưởng", "Phó Cục trưởng"), per_year=1200),
    Sender("bdttg", "Bộ Dân tộc và Tôn giáo", "000.00.00.G26", "BDTTG", ("TG",), place="Hà Nội",
           posts=("Thứ trưởng",), per_year=2500),
    Sender("btctu", "Ban Tổ chức Tỉnh ủy Hà Giang", "", "BTCTU", party=True, parent="TỈNH ỦY HÀ GIANG",
           posts=("Trưởng ban", "Phó Trưởng ban"), per_year=900),
    Sender("congan", "Công an tỉnh Hà Giang", "", "CAT", ("ANCTNB", "PV01"), posts=("Giám đốc", "Phó Giám đốc"),
           per_year=3000),
    Sender("stc", "Sở Tài chính tỉnh Hà Giang", "000.00.06.H22", "STC", ("NS", "VP"), parent="UBND TỈNH HÀ GIANG"),
    Sender("sgd", "Sở Giáo dục và Đào tạo tỉnh Hà Giang", "000.00.08.H22", "SGDĐT", ("TCCB", "VP"),
           parent="UBND TỈNH HÀ GIANG", per_year=2500),
    Sender("syt", "Sở Y tế tỉnh Hà Giang", "000.00.17.H22", "SYT", ("TCCB", "VP"), parent="UBND TỈNH HÀ GIANG"),
    Sender("stp", "Sở Tư pháp tỉnh Hà Giang", "000.00.14.H22", "STP", ("VP", "XDKT"), parent="UBND TỈNH HÀ GIANG",
           per_year=1200),
    Sender("svh", "Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Giang", "000.00.15.H22", "SVHTTDL", ("VP", "TCCB"),
           parent="UBND TỈNH HÀ GIANG", per_year=1500),
    Sender("snnmt", "Sở Nông nghiệp và Môi trường tỉnh Hà Giang", "000.00.09.H22", "SNNMT", ("VP", "TCCB"),
           parent="UBND TỈNH HÀ GIANG", per_year=3000),
    Sender("thanhtra", "Thanh tra tỉnh Hà Giang", "000.00.19.H22", "TTr", ("P1", "P2", "VP"),
           parent="UBND TỈNH HÀ GIANG", posts=("Chánh Thanh tra", "Phó Chánh Thanh tra"), per_year=900),
    Sender("hdtdkt", "Hội đồng Thi đua – Khen thưởng tỉnh Hà Giang", "", "HĐTĐKT",
           parent="UBND TỈNH HÀ GIANG", posts=("Phó Chủ tịch Thường trực Hội đồng",), per_year=300),
    Sender("tinhdoan", "Tỉnh Đoàn Hà Giang", "", "TĐTN", party=True, parent="BCH ĐOÀN TNCS HỒ CHÍ MINH TỈNH HÀ GIANG",
           posts=("Bí thư", "Phó Bí thư"), per_year=700),
    Sender("truongct", "Trường Chính trị tỉnh Hà Giang", "", "TCT", ("ĐT", "VP"), parent="TỈNH ỦY HÀ GIANG",
           party=True, posts=("Hiệu trưởng", "Phó Hiệu trưởng"), per_year=400),
    Sender("hoikh", "Hội Khuyến học tỉnh Hà Giang", "", "HKH", posts=("Chủ tịch Hội",), per_year=120),
    Sender("phatgiao", "Ban Trị sự Giáo hội Phật giáo Việt Nam tỉnh Hà Giang", "", "BTS", place="Hà Giang",
           parent="GIÁO HỘI PHẬT GIÁO VIỆT NAM", posts=("Trưởng ban Trị sự",), per_year=80),
    Sender("giaoxu", "Giáo xứ Hà Giang", "", "GX", posts=("Linh mục Chánh xứ",), per_year=30),
    *[Sender(f"xa{i}", f"Ủy ban nhân dân {name}", f"000.00.{31 + i}.H22", "UBND", ("VP",), place=place,
             parent="", posts=("Chủ tịch", "Phó Chủ tịch"), per_year=700)
      for i, (name, place) in enumerate([
          ("phường Hà Giang 1", "Hà Giang 1"), ("phường Hà Giang 2", "Hà Giang 2"), ("xã Vị Xuyên", "Vị Xuyên"),
          ("xã Bắc Quang", "Bắc Quang"), ("xã Yên Minh", "Yên Minh"), ("xã Đồng Văn", "Đồng Văn"),
          ("xã Mèo Vạc", "Mèo Vạc"), ("xã Hoàng Su Phì", "Hoàng Su Phì"), ("xã Quản Bạ", "Quản Bạ"),
          ("xã Xín Mần", "Xín Mần")])],
]}
DEPARTMENTS = ("stc", "sgd", "syt", "stp", "svh", "snnmt")
COMMUNES = tuple(f"xa{i}" for i in range(10))

# The department's divisions as a leader names them in a direction.
DIVISION_NAMES = {"VP": "Văn phòng Sở", "TTRA": "Thanh tra Sở", "TCBC": "Phòng TCBC&TCPCP", "CCVC": "Phòng CCVC",
                  "XDCQ": "Phòng XDCQ&CTTN", "CCHC": "Phòng CCHC"}
BODIES = ["Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Nông nghiệp và Môi trường", "Sở Văn hóa, Thể thao và Du lịch",
          "Trung tâm Kiểm soát bệnh tật tỉnh", "Bệnh viện Đa khoa tỉnh",
          "Trường Cao đẳng Kỹ thuật và Công nghệ Hà Giang", "Ban Quản lý các khu công nghiệp tỉnh",
          "Đài Phát thanh và Truyền hình tỉnh", "Trung tâm Phục vụ hành chính công tỉnh"]
VILLAGES = ["thôn Nà Khương", "thôn Lùng Tám", "thôn Xín Cái", "thôn Bản Tùy", "thôn Nậm Dầu", "thôn Tả Lủng",
            "thôn Pả Vi", "tổ dân phố 5", "tổ dân phố Trung Thành", "thôn Lũng Cẩm"]
FAITHS = ["Giáo hội Phật giáo Việt Nam tỉnh Hà Giang", "Giáo xứ Hà Giang", "Chi hội Tin lành Yên Minh",
          "Giáo họ Vị Xuyên", "Chùa Sùng Khánh", "Chùa Bình Lâm"]


# --------------------------------------------------------------------------------------------------------
# What they write about: (type, summary, senders, the department's answer or None)


@dataclass(frozen=True)
class Topic:
    key: str
    lead: str  # division code
    partners: tuple[str, ...]
    items: tuple[tuple[str, str, tuple[str, ...], tuple[str, str] | None], ...]
    weight: int
    note: str = ""  # added to the leader's direction (an affiliated unit studies it through the lead division)


_ANY_DEPT = DEPARTMENTS
_REPLY = ("cong-van", "Về việc trả lời Văn bản số {symbol} ngày {issued} của {sender}")

TOPICS = [
    Topic("ccvc", "CCVC", ("TCBC", "VP", "TTRA"), weight=24, items=(
        ("cong-van", "Về việc tổ chức kỳ thi tuyển công chức hành chính tỉnh Hà Giang năm {year}", ("ubnd", "bnv"),
         ("to-trinh", "Về việc phê duyệt Kế hoạch thi tuyển công chức hành chính năm {year}")),
        ("cong-van", "Về việc đề nghị bổ nhiệm ngạch và xếp lương đối với công chức hoàn thành chế độ tập sự",
         _ANY_DEPT + COMMUNES, _REPLY),
        ("cong-van", "Về việc đề nghị chuyển xếp ngạch chuyên viên đối với công chức {body}", _ANY_DEPT, _REPLY),
        ("cong-van", "Về việc cử công chức dự thi nâng ngạch lên chuyên viên chính năm {year}", _ANY_DEPT, None),
        ("cong-van", "Về việc đề nghị nâng bậc lương trước thời hạn do lập thành tích xuất sắc trong thực hiện "
                     "nhiệm vụ năm {prev}", _ANY_DEPT + COMMUNES, _REPLY),
        ("cong-van", "Về việc tiếp nhận ông (bà) {person} vào làm công chức", _ANY_DEPT + COMMUNES, _REPLY),
        ("cong-van", "Về việc thuyên chuyển công tác ra ngoài tỉnh đối với viên chức {person}", _ANY_DEPT, _REPLY),
        ("cong-van", "Về việc thực hiện chính sách thu hút, đãi ngộ nguồn nhân lực chất lượng cao", ("ubnd",), None),
        ("huong-dan", "Thực hiện chế độ tiền lương mới đối với cán bộ, công chức, viên chức và lực lượng vũ trang",
         ("bnv",), None),
        ("cong-van", "Về việc điều chỉnh mức lương cơ sở và chế độ phụ cấp đối với cán bộ, công chức cấp xã",
         ("bnv", "stc"), None),
        ("cong-van", "Về việc báo cáo số lượng, chất lượng cán bộ, công chức, viên chức năm {year}", ("bnv", "ubnd"),
         ("bao-cao", "Số lượng, chất lượng đội ngũ cán bộ, công chức, viên chức tỉnh Hà Giang năm {year}")),
        ("ke-hoach", "Tuyển dụng viên chức ngành Giáo dục năm học {year}–{next}", ("sgd",), _REPLY),
        ("quyet-dinh", "Về việc phê duyệt chỉ tiêu tuyển dụng công chức năm {year}", ("ubnd",), None),
        ("quyet-dinh", "Về việc cử công chức đi đào tạo trình độ thạc sĩ năm {year}", ("ubnd",), None),
        ("cong-van", "Về việc xét thăng hạng chức danh nghề nghiệp viên chức từ hạng III lên hạng II",
         ("syt", "sgd", "svh"), _REPLY),
        ("to-trinh", "Đề nghị thẩm định hồ sơ chuyển loại công chức cấp xã", COMMUNES, _REPLY),
        ("cong-van", "Về việc đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm {year}",
         ("ubnd", "btctu"), None),
        ("cong-van", "Về việc mở lớp bồi dưỡng kiến thức quản lý nhà nước chương trình chuyên viên chính năm {year}",
         ("truongct",), None),
    )),
    Topic("tcbc", "TCBC", ("CCVC", "VP"), weight=12, items=(
        ("cong-van", "Về việc thẩm định đề án vị trí việc làm của {body}", _ANY_DEPT, _REPLY),
        ("quyet-dinh", "Về việc giao biên chế công chức trong cơ quan, tổ chức hành chính tỉnh Hà Giang năm {year}",
         ("ubnd",), None),
        ("cong-van", "Về việc sắp xếp, kiện toàn tổ chức bộ máy các cơ quan chuyên môn thuộc UBND tỉnh",
         ("ubnd", "bnv"), ("bao-cao", "Kết quả sắp xếp, kiện toàn tổ chức bộ máy các cơ quan chuyên môn thuộc UBND "
                                     "tỉnh")),
        ("cong-van", "Về việc thực hiện chính sách, chế độ đối với cán bộ, công chức, viên chức trong sắp xếp tổ chức "
                     "bộ máy theo Nghị định số 178/2024/NĐ-CP", ("bnv", "ubnd"), None),
        ("cong-van", "Về việc phê duyệt điều lệ (sửa đổi, bổ sung) của Hội Khuyến học tỉnh", ("hoikh",), _REPLY),
        ("bao-cao", "Tổ chức đại hội nhiệm kỳ {year}–{year5} của Hội Khuyến học tỉnh Hà Giang", ("hoikh",), None),
        ("cong-van", "Về việc thẩm định phương án tự chủ tài chính của đơn vị sự nghiệp công lập", _ANY_DEPT, _REPLY),
        ("cong-van", "Về việc báo cáo tình hình thực hiện tinh giản biên chế 6 tháng đầu năm {year}", ("bnv",),
         ("bao-cao", "Tình hình thực hiện tinh giản biên chế 6 tháng đầu năm {year}")),
        ("cong-van", "Về việc đề nghị bổ sung hợp đồng lao động làm công việc hỗ trợ, phục vụ", _ANY_DEPT, _REPLY),
    )),
    Topic("xdcq", "XDCQ", ("CCVC", "TCBC", "VP"), weight=11, items=(
        ("cong-van", "Về việc sắp xếp, sáp nhập thôn, tổ dân phố trên địa bàn xã", COMMUNES, _REPLY),
        ("to-trinh", "Đề nghị thành lập {village} trên cơ sở tách {village2}", COMMUNES, _REPLY),
        ("cong-van", "Về việc thực hiện Quy chế dân chủ ở cơ sở năm {year}", ("ubnd",), None),
        ("cong-van", "Về việc bồi dưỡng cán bộ, công chức cấp xã sau sắp xếp đơn vị hành chính", ("bnv",), None),
        ("bao-cao", "Kết quả vận hành chính quyền địa phương hai cấp 6 tháng đầu năm {year}", COMMUNES, None),
        ("cong-van", "Về việc triển khai Chiến lược phát triển thanh niên Việt Nam giai đoạn 2021–2030",
         ("bnv", "tinhdoan"), None),
        ("ke-hoach", "Tổ chức Tháng Thanh niên năm {year}", ("tinhdoan",), None),
        ("cong-van", "Về việc xác nhận phiên hiệu đơn vị thanh niên xung phong", COMMUNES, _REPLY),
        ("cong-van", "Về việc thực hiện Luật Thanh niên và chính sách đối với thanh niên tình nguyện",
         ("tinhdoan", "bnv"), None),
        ("cong-van", "Về việc đề nghị thẩm định hồ sơ phân loại đơn vị hành chính cấp xã", COMMUNES, _REPLY),
    )),
    Topic("cchc", "CCHC", ("VP", "TTRA", "CCVC"), weight=12, items=(
        ("ke-hoach", "Cải cách hành chính nhà nước năm {year} của tỉnh Hà Giang", ("ubnd",), None),
        ("cong-van", "Về việc tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {prev}", ("bnv", "ubnd"),
         ("bao-cao", "Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {prev} của Sở Nội vụ")),
        ("cong-van", "Về việc đo lường sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính "
                     "nhà nước năm {year}", ("bnv",), None),
        ("quyet-dinh", "Về việc công bố danh mục thủ tục hành chính mới ban hành, được sửa đổi, bổ sung trong lĩnh "
                       "vực nội vụ", ("ubnd",), None),
        ("cong-van", "Về việc rà soát, đơn giản hóa thủ tục hành chính nội bộ trong hệ thống hành chính nhà nước",
         ("ubnd", "vpubnd"), ("bao-cao", "Kết quả rà soát, đơn giản hóa thủ tục hành chính nội bộ lĩnh vực nội vụ")),
        ("cong-van", "Về việc nâng cao chất lượng giải quyết thủ tục hành chính trên Cổng Dịch vụ công quốc gia",
         ("vpubnd",), None),
        ("bao-cao", "Kết quả thực hiện cơ chế một cửa, một cửa liên thông quý {quarter} năm {year}",
         _ANY_DEPT + COMMUNES, None),
        ("cong-van", "Về việc kiểm tra công tác cải cách hành chính và kỷ luật, kỷ cương hành chính năm {year}",
         ("ubnd",), None),
        ("thong-bao", "Kết luận của Chủ tịch UBND tỉnh tại phiên họp chuyên đề về cải cách hành chính và chuyển đổi số",
         ("vpubnd",), None),
    )),
    Topic("ttra", "TTRA", ("CCVC", "VP"), weight=6, items=(
        ("cong-van", "Về việc chuyển đơn của công dân {person} khiếu nại kết quả xét tuyển viên chức",
         ("thanhtra", "vpubnd"), _REPLY),
        ("cong-van", "Về việc báo cáo công tác tiếp công dân, giải quyết khiếu nại, tố cáo quý {quarter} năm {year}",
         ("thanhtra",), ("bao-cao", "Công tác tiếp công dân, giải quyết khiếu nại, tố cáo quý {quarter} năm {year}")),
        ("cong-van", "Về việc xây dựng kế hoạch thanh tra năm {next}", ("thanhtra",), None),
        ("cong-van", "Về việc báo cáo kết quả công tác phòng, chống tham nhũng, tiêu cực năm {year}",
         ("thanhtra", "ubnd"), ("bao-cao", "Kết quả công tác phòng, chống tham nhũng, tiêu cực năm {year}")),
        ("cong-van", "Về việc kiểm tra việc thực hiện quy định về văn hóa công vụ", ("ubnd",), None),
        ("cong-van", "Về việc xác minh nội dung đơn phản ánh liên quan đến việc tuyển dụng tại {body}",
         ("thanhtra", "vpubnd"), _REPLY),
    )),
    Topic("vp", "VP", ("CCHC", "CCVC", "TCBC"), weight=12, items=(
        ("giay-moi", "Dự Hội nghị giao ban công tác nội vụ quý {quarter} năm {year}", ("ubnd", "bnv"), None),
        ("giay-moi", "Dự Hội nghị trực tuyến toàn quốc tổng kết công tác năm {prev} và triển khai nhiệm vụ năm {year} "
                     "của ngành Nội vụ", ("bnv",), None),
        ("cong-van", "Về việc báo cáo công tác nội vụ tháng {month} năm {year}", ("bnv",), None),
        ("thong-bao", "Lịch nghỉ Tết Nguyên đán và lịch trực Tết năm {next}", ("ubnd",), None),
        ("cong-van", "Về việc tăng cường kỷ luật, kỷ cương hành chính trong dịp nghỉ lễ", ("ubnd",), None),
        ("cong-van", "Về việc thực hiện nhiệm vụ chuyển đổi số, sử dụng chữ ký số trong cơ quan nhà nước",
         ("ubnd", "vpubnd"), None),
    )),
    Topic("tdkt", "VP", ("CCVC",), weight=8, note="Chuyển Ban Thi đua – Khen thưởng nghiên cứu, tham mưu.", items=(
        ("huong-dan", "Công tác thi đua, khen thưởng năm {year}", ("hdtdkt", "ubnd"), None),
        ("cong-van", "Về việc đăng ký danh hiệu thi đua và hình thức khen thưởng năm {year}", ("hdtdkt",), None),
        ("cong-van", "Về việc đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh cho tập thể, cá nhân có thành tích "
                     "xuất sắc", _ANY_DEPT + COMMUNES, _REPLY),
        ("quyet-dinh", "Về việc tặng Cờ thi đua của UBND tỉnh năm {prev}", ("ubnd",), None),
        ("cong-van", "Về việc hiệp y khen thưởng đối với ông (bà) {person}", _ANY_DEPT, _REPLY),
    )),
    Topic("vtlt", "VP", ("TCBC",), weight=6, note="Chuyển Chi cục Văn thư – Lưu trữ nghiên cứu, tham mưu.", items=(
        ("cong-van", "Về việc thu nộp hồ sơ, tài liệu vào Lưu trữ lịch sử tỉnh năm {year}", ("ubnd", "cucvtlt"), None),
        ("huong-dan", "Xây dựng danh mục hồ sơ và lập hồ sơ điện tử năm {year}", ("cucvtlt",), None),
        ("cong-van", "Về việc kiểm tra công tác văn thư, lưu trữ năm {year}", ("ubnd",), None),
        ("cong-van", "Về việc đề nghị cấp bản sao, chứng thực tài liệu lưu trữ", _ANY_DEPT + COMMUNES, _REPLY),
    )),
    Topic("tg", "VP", ("XDCQ", "TTRA"), weight=6, note="Chuyển Ban Tôn giáo nghiên cứu, tham mưu.", items=(
        ("cong-van", "Về việc đăng ký hoạt động tôn giáo năm {next} của {faith}", ("phatgiao", "giaoxu"), _REPLY),
        ("cong-van", "Về việc tổ chức Đại lễ Phật đản Phật lịch {buddhist}", ("phatgiao",), _REPLY),
        ("cong-van", "Về việc tổ chức lễ Giáng sinh năm {year} trên địa bàn tỉnh", ("ubnd", "giaoxu"), None),
        ("cong-van", "Về việc thông báo người được bổ nhiệm làm chức việc", ("phatgiao", "giaoxu"), _REPLY),
        ("cong-van", "Về việc quản lý hoạt động tín ngưỡng, lễ hội đầu xuân", ("bdttg", "ubnd"), None),
    )),
]
# For information only: the leader reads and passes it on; no division handles it.
NOTICES = [
    ("cong-dien", "Về việc tập trung ứng phó với mưa lũ, sạt lở đất trên địa bàn tỉnh", ("ubnd",)),
    ("thong-bao", "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban tháng {month}", ("vpubnd",)),
    ("giay-moi", "Dự Lễ kỷ niệm ngày thành lập ngành Tổ chức nhà nước (28/8)", ("bnv", "ubnd")),
    ("thong-bao", "Lịch công tác tuần của Thường trực UBND tỉnh", ("vpubnd",)),
    ("cong-van", "Về việc phổ biến văn bản quy phạm pháp luật mới ban hành", ("stp",)),
]
# Confidential (Mật): handled by one named specialist of the lead division and no co-ordinating division (a
# secret document reaches the division's leaders and the person named, never the whole division).
CONFIDENTIAL = [
    Topic("mat-ccvc", "CCVC", (), weight=1, items=(
        ("cong-van", "Về việc thẩm định tiêu chuẩn chính trị đối với nhân sự dự kiến quy hoạch", ("btctu",), None),
        ("cong-van", "Về việc rà soát, bổ sung quy hoạch cán bộ lãnh đạo, quản lý nhiệm kỳ tiếp theo", ("btctu",),
         None),
    )),
    Topic("mat-vp", "VP", (), weight=1, items=(
        ("cong-van", "Về công tác bảo vệ chính trị nội bộ năm {year}", ("btctu", "congan"), None),
        ("bao-cao", "Tình hình an ninh trong lĩnh vực tôn giáo trên địa bàn tỉnh", ("congan",), None),
    )),
]
TYPE_NAMES = {"cong-van": "", "quyet-dinh": "QUYẾT ĐỊNH", "ke-hoach": "KẾ HOẠCH", "bao-cao": "BÁO CÁO",
              "giay-moi": "GIẤY MỜI", "thong-bao": "THÔNG BÁO", "to-trinh": "TỜ TRÌNH", "huong-dan": "HƯỚNG DẪN",
              "cong-dien": "CÔNG ĐIỆN"}
ABBREVIATIONS = {"quyet-dinh": "QĐ", "ke-hoach": "KH", "bao-cao": "BC", "giay-moi": "GM", "thong-bao": "TB",
                 "to-trinh": "TTr", "huong-dan": "HD", "cong-dien": "CĐ"}

# Written on the department's own initiative: division, type, summary, recipients (senders, or "divisions").
OWN = [
    ("VP", "bao-cao", "Kết quả công tác nội vụ tháng {month} năm {year}, phương hướng nhiệm vụ tháng tới",
     ("ubnd", "bnv")),
    ("VP", "giay-moi", "Họp giao ban lãnh đạo Sở và trưởng các phòng, đơn vị tháng {month}", ()),
    ("VP", "thong-bao", "Phân công lãnh đạo Sở trực dịp nghỉ lễ", ()),
    ("VP", "quyet-dinh", "Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc trong phong trào thi đua "
                         "năm {prev}", ()),
    ("VP", "ke-hoach", "Công tác văn thư, lưu trữ năm {year} của Sở Nội vụ", ()),
    ("CCVC", "quyet-dinh", "Về việc nâng bậc lương thường xuyên đối với công chức, viên chức quý {quarter} năm {year}",
     ()),
    ("CCVC", "to-trinh", "Về việc phê duyệt kết quả tuyển dụng công chức năm {year}", ("ubnd",)),
    ("CCVC", "thong-bao", "Kết quả kiểm tra phiếu đăng ký dự tuyển công chức năm {year}", DEPARTMENTS[:4]),
    ("CCVC", "cong-van", "Về việc đôn đốc báo cáo kết quả tuyển dụng viên chức năm {year}", DEPARTMENTS),
    ("CCVC", "ke-hoach", "Tổ chức thi nâng ngạch công chức lên chuyên viên chính năm {year}",
     ("ubnd", *DEPARTMENTS[:3])),
    ("TCBC", "to-trinh", "Về việc giao biên chế công chức và số lượng người làm việc năm {next}", ("ubnd",)),
    ("TCBC", "cong-van", "Về việc góp ý dự thảo đề án sắp xếp tổ chức bộ máy của {body}", DEPARTMENTS[:2]),
    ("XDCQ", "ke-hoach", "Tổ chức Tháng Thanh niên năm {year} của Sở Nội vụ", ()),
    ("XDCQ", "cong-van", "Về việc hướng dẫn sắp xếp thôn, tổ dân phố", COMMUNES[:5]),
    ("XDCQ", "bao-cao", "Kết quả thực hiện Quy chế dân chủ ở cơ sở năm {year}", ("ubnd", "bnv")),
    ("CCHC", "ke-hoach", "Cải cách hành chính năm {next} của Sở Nội vụ", ("ubnd",)),
    ("CCHC", "bao-cao", "Kết quả công tác cải cách hành chính quý {quarter} năm {year}", ("ubnd", "bnv")),
    ("CCHC", "cong-van", "Về việc đôn đốc tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {prev}", DEPARTMENTS),
    ("CCHC", "quyet-dinh", "Về việc kiện toàn Tổ giúp việc về cải cách hành chính của Sở Nội vụ", ()),
    ("TTRA", "ke-hoach", "Thanh tra, kiểm tra năm {next} của Sở Nội vụ", ("thanhtra",)),
    ("TTRA", "quyet-dinh", "Về việc thanh tra việc thực hiện quy định về tuyển dụng, sử dụng viên chức tại {body}",
     DEPARTMENTS[:1]),
    ("TTRA", "bao-cao", "Công tác tiếp công dân, giải quyết khiếu nại, tố cáo quý {quarter} năm {year}", ("thanhtra",)),
]

# Work files: division, number, title, retention in years (None: permanent), the topics filed in it.
CASE_FILES = [
    ("VP", 1, "Hồ sơ công tác thi đua, khen thưởng năm {year}", 10, ("tdkt",)),
    ("VP", 2, "Hồ sơ báo cáo công tác nội vụ tháng, quý, năm {year}", 20, ("vp",)),
    ("VP", 3, "Hồ sơ công tác văn thư, lưu trữ và tôn giáo năm {year}", 10, ("vtlt", "tg")),
    ("CCVC", 1, "Hồ sơ tuyển dụng, tiếp nhận công chức, viên chức năm {year}", None, ("ccvc",)),
    ("TCBC", 1, "Hồ sơ giao biên chế, vị trí việc làm và tổ chức bộ máy năm {year}", None, ("tcbc",)),
    ("XDCQ", 1, "Hồ sơ xây dựng chính quyền cơ sở và công tác thanh niên năm {year}", 20, ("xdcq",)),
    ("CCHC", 1, "Hồ sơ cải cách hành chính và Chỉ số CCHC năm {year}", 20, ("cchc",)),
    ("TTRA", 1, "Hồ sơ tiếp công dân, giải quyết khiếu nại, tố cáo năm {year}", 15, ("ttra",)),
]

PROGRESS = ["Đang tổng hợp số liệu từ các cơ quan, đơn vị.", "Đã dự thảo văn bản, đang xin ý kiến các phòng.",
            "Đang rà soát hồ sơ, đối chiếu tiêu chuẩn, điều kiện theo quy định.",
            "Đã làm việc với cơ quan đề nghị; đang hoàn thiện báo cáo.", "Đang nghiên cứu, đề xuất phương án xử lý."]
DONE = ["Đã tham mưu lãnh đạo Sở chỉ đạo thực hiện.", "Đã tổng hợp, báo cáo lãnh đạo Sở.",
        "Đã triển khai thực hiện; lưu hồ sơ.", "Đã thẩm định, báo cáo kết quả với lãnh đạo Sở.",
        "Đã cử công chức dự họp và báo cáo kết quả.", "Đã hướng dẫn cơ quan đề nghị hoàn thiện hồ sơ."]
COORDINATED = ["Đã có ý kiến tham gia bằng văn bản.", "Đã cung cấp số liệu cho phòng chủ trì.",
               "Thống nhất với dự thảo của phòng chủ trì."]
SEND_BACK = ["Đề nghị rà soát lại căn cứ pháp lý và số liệu tại phụ lục kèm theo.",
             "Sửa lại nơi nhận: bổ sung UBND tỉnh (để báo cáo).",
             "Nội dung đề xuất chưa rõ; đề nghị nêu cụ thể thời hạn và trách nhiệm thực hiện.",
             "Thể thức chưa đúng Nghị định số 30/2020/NĐ-CP; đề nghị chỉnh sửa."]
REVISED = ["3. Đề nghị các cơ quan, đơn vị báo cáo kết quả thực hiện về Sở Nội vụ trước ngày 25 hằng tháng.",
           "3. Văn bản này thay thế các hướng dẫn trước đây của Sở Nội vụ về cùng nội dung.",
           "3. Giao Văn phòng Sở theo dõi, đôn đốc việc thực hiện."]
REQUESTS = ["nghiên cứu, có ý kiến bằng văn bản", "tổng hợp, báo cáo kết quả thực hiện",
            "phối hợp triển khai thực hiện", "xem xét, thẩm định theo thẩm quyền", "chỉ đạo các phòng chuyên môn "
            "triển khai thực hiện"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Nông", "Lục", "Vương", "Hà",
            "Triệu", "Lý", "Sùng", "Giàng", "Ma", "Hầu", "Lò"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu", "Mạnh", "Hồng"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hoa", "Hùng", "Hương", "Khánh", "Lan", "Long", "Mai",
         "Nam", "Nga", "Phong", "Sơn", "Thảo", "Tuấn", "Vân", "Yến", "Pà", "Chứ", "Mỷ", "Súa"]


# --------------------------------------------------------------------------------------------------------
# The department's people


@dataclass
class _Cast:
    clerks: list[Staff]
    directors: list[Staff]  # the Giám đốc first
    heads: dict[str, list[Staff]]  # division code → its leaders, the head first
    hands: dict[str, list[Staff]]  # division code → who handles documents there
    divisions: dict[str, Division]
    login: dict[str, Staff]

    @classmethod
    def of(cls, agency: Agency) -> _Cast:
        posts = (Assignment.objects.current().filter(agency=agency, staff__is_active=True)
                 .select_related("staff__user", "division", "position").prefetch_related("staff__user__groups")
                 .order_by("position__rank", "staff_id"))
        cast = cls([], [], {}, {}, {d.code: d for d in Division.objects.filter(agency=agency, is_active=True)}, {})
        for post in posts:
            staff, roles = post.staff, {g.name for g in post.staff.user.groups.all()}
            cast.login[staff.user.username] = staff
            code = post.division.code if post.division else None
            if Role.CLERK in roles and code:
                cast.clerks.append(staff)
            if Role.AGENCY_LEADER in roles:
                cast.directors.append(staff)
            if code and Role.DIVISION_LEADER in roles:
                cast.heads.setdefault(code, []).append(staff)
            if code and roles & {Role.SPECIALIST, Role.DESK_OFFICER}:
                cast.hands.setdefault(code, []).append(staff)
        return cast


# --------------------------------------------------------------------------------------------------------
# Plans


@dataclass
class _In:
    """One incoming document and how it will be handled."""

    received: dt.datetime
    sender: Sender
    doc_type: str
    summary: str
    topic: Topic | None
    answer: tuple[str, str] | None = None
    urgency: str = Urgency.NORMAL
    secrecy: str = Secrecy.NORMAL
    symbol: str = ""
    issued_on: dt.date | None = None
    signer: str = ""
    post: str = ""
    days: int = 7  # working days the leader gives
    late: bool = False
    reply: bool = False
    scan: str = "pdf"  # "pdf" (rendered), "image-pdf" or "jpeg" (made with Pillow)
    stop: str | None = None  # registered | directed | assigned | progress: where it waits now
    director: str | None = None  # demo login who directs, when the plan needs one
    assignee: str | None = None
    coordinators: tuple[str, ...] | None = None
    keep: bool = False  # always filed in its work file
    data: bytes = b""


@dataclass
class _Out:
    """One outgoing document: who writes it, about what, to whom, and how far it gets."""

    start: dt.datetime
    end: dt.datetime
    division: str
    doc_type: str
    summary: str
    body: str
    recipients: tuple[str, ...]  # sender keys
    divisions: tuple[str, ...] = ()
    author: str | None = None
    urgency: str = Urgency.NORMAL
    reply_to: int | None = None
    sent_back: str | None = None  # "review" | "approve"
    stop: str | None = None  # draft | sent_back | in_review | reviewed | approved | signed
    reviewer: str | None = None
    approver: str | None = None


@dataclass
class _World:
    agency: Agency
    cast: _Cast
    cal: workdays.Calendar
    rng: random.Random
    now: dt.datetime
    signing: bool
    case_files: dict[tuple[str, int], CaseFile] = field(default_factory=dict)
    closed: set[int] = field(default_factory=set)
    made: dict[str, int] = field(default_factory=lambda: {"incoming": 0, "outgoing": 0, "case_files": 0})

    # time

    def later(self, t: dt.datetime, low_minutes: float, high_minutes: float) -> dt.datetime:
        minutes = max(1, round(self.rng.uniform(low_minutes, high_minutes)))
        return workdays.add_working_time(t, workdays.WorkingTime(minutes), self.cal)

    def between(self, a: dt.datetime, b: dt.datetime, share: float) -> dt.datetime:
        span = max(0, workdays.working_time_between(a, b, self.cal).minutes)
        return workdays.add_working_time(a, workdays.WorkingTime(max(1, round(span * share))), self.cal)

    def working_before(self, minutes: int) -> dt.datetime:
        """The instant from which ``minutes`` of working time have passed by now (bisection)."""
        low, high = self.now - dt.timedelta(days=60), self.now
        for _ in range(40):
            middle = low + (high - low) / 2
            if workdays.working_time_between(middle, self.now, self.cal).minutes >= minutes:
                low = middle
            else:
                high = middle
        return low.replace(microsecond=0)

    def day(self, t: dt.datetime) -> dt.date:
        return t.astimezone(self.cal.zone).date()

    # people

    def pick(self, staff: list[Staff], favourite: str | None = None, share: float = 0.5) -> Staff:
        if favourite and favourite in self.cast.login and self.rng.random() < share:
            chosen = self.cast.login[favourite]
            if chosen in staff:
                return chosen
        return self.rng.choice(staff)

    def person(self, login: str | None, staff: list[Staff], favourite: str | None = None,
               share: float = 0.5) -> Staff:
        return self.cast.login[login] if login else self.pick(staff, favourite, share)

    def head(self, code: str, login: str | None = None) -> Staff:
        return self.person(login, self.cast.heads[code], "division_leader" if code == "CCVC" else None, 0.7)

    def hand(self, code: str, login: str | None = None) -> Staff:
        favourite = {"CCVC": "specialist", "VP": "desk"}.get(code)
        return self.person(login, self.cast.hands[code], favourite, 0.4 if code == "CCVC" else 0.2)


def _words(rng: random.Random, text: str, when: dt.date) -> str:
    """Fill a summary's blanks for a document of ``when``."""
    person = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    village, village2 = rng.sample(VILLAGES, 2)
    return text.format(year=when.year, prev=when.year - 1, next=when.year + 1, year5=when.year + 5,
                       quarter=["I", "II", "III", "IV"][(when.month - 1) // 3], month=when.month,
                       buddhist=when.year + 544, person=person, body=rng.choice(BODIES), village=village,
                       village2=village2, faith=rng.choice(FAITHS), symbol="{symbol}", issued="{issued}",
                       sender="{sender}")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --------------------------------------------------------------------------------------------------------
# The timeline: every document's life runs in one time order


class _Timeline:
    """Lives are generators that yield the instant of their next action and perform it when resumed; the
    timeline resumes them in time order with the clock set to that instant, and drops a life whose next
    action would come after ``limit`` (that document stays where it is, as recent work does)."""

    def __init__(self, limit: dt.datetime) -> None:
        self.limit = limit
        self.heap: list[tuple[dt.datetime, int, Generator[dt.datetime, None, object]]] = []
        self.order = itertools.count()

    def add(self, life: Generator[dt.datetime, None, object]) -> None:
        self._push(life, next(life, None))

    def _push(self, life: Generator[dt.datetime, None, object], at: dt.datetime | None) -> None:
        if at is None:
            return
        if at > self.limit:
            life.close()
            return
        heapq.heappush(self.heap, (at, next(self.order), life))

    def run(self) -> None:
        while self.heap:
            at, _, life = heapq.heappop(self.heap)
            with clock.at(at):
                following = next(life, None)
            if following is not None and following < at:
                raise AssertionError(f"a demo document went back in time: {following} < {at}")
            self._push(life, following)


# --------------------------------------------------------------------------------------------------------
# Lives


def _incoming_life(w: _World, p: _In) -> Generator[dt.datetime, None, None]:
    cast, rng = w.cast, w.rng
    fast = p.urgency in (Urgency.FLASH, Urgency.VERY_URGENT)
    t = w.later(p.received, 2, 15 if fast or p.stop else 90)
    yield t
    clerk = w.pick(cast.clerks, "clerk", 0.75)
    scan_name = {"jpeg": "ban-chup.jpg"}.get(p.scan, f"{p.symbol.replace('/', '-')}.pdf")
    doc = services.register_incoming(
        actor=clerk, doc_type=p.doc_type, summary=p.summary, sender_name=p.sender.name, symbol=p.symbol,
        issued_on=p.issued_on, sender_identifier=p.sender.identifier, signer_name=p.signer,
        signer_position=p.post, urgency=p.urgency, secrecy=p.secrecy, received_at=p.received, page_count=1,
        files=[Upload(name=scan_name, stream=io.BytesIO(p.data), size=len(p.data))])
    p.data = b""
    w.made["incoming"] += 1
    if p.stop == "registered":
        return
    t = w.later(t, 5, 30) if fast or p.stop else w.later(t, 30, 6 * 60)
    yield t
    director = w.person(p.director, cast.directors, "leader", 0.6)
    if p.topic is None:  # for information only
        informed = rng.sample(sorted(cast.divisions), rng.randint(0, 2)) if p.secrecy == Secrecy.NORMAL else []
        services.direct(actor=director, document_id=doc.pk, lead_division_id=None,
                        informed_ids=[cast.divisions[c].pk for c in informed],
                        note=rng.choice(["Đã xem. Chuyển các phòng để biết, thực hiện.", "Lưu, theo dõi.",
                                         "Đã đọc; lưu theo chế độ mật." if p.secrecy != Secrecy.NORMAL else
                                         "Chuyển các phòng để biết."]))
        return
    lead = p.topic.lead
    partners = [c for c in p.topic.partners if c != lead]
    coordinators = p.coordinators if p.coordinators is not None else tuple(
        rng.sample(partners, min(len(partners), rng.choice([0, 0, 1, 1, 2]))))
    due = workdays.add_working_days(t, p.days, w.cal) if p.days > 0 else w.later(t, 3 * 60, 6 * 60)
    note = f"Giao {DIVISION_NAMES[lead]} chủ trì"
    if coordinators:
        note += ", phối hợp " + ", ".join(DIVISION_NAMES[c] for c in coordinators)
    note += f" tham mưu, báo cáo trước ngày {w.day(due):%d/%m/%Y}."
    if p.topic.note:
        note += " " + p.topic.note
    if p.secrecy != Secrecy.NORMAL:
        note += " Lãnh đạo phòng trực tiếp giao chuyên viên xử lý; quản lý theo chế độ mật."
    doc = services.direct(actor=director, document_id=doc.pk, note=note, lead_division_id=cast.divisions[lead].pk,
                          coordinating_ids=[cast.divisions[c].pk for c in coordinators], due_on=w.day(due))
    tasks = {task.division_id: task for task in DocumentTask.objects.filter(document=doc)}
    due_at = doc.due_at
    # Done within the time given, or (a few) up to three working days late.
    done_at = w.later(due_at, 4 * 60, 3 * 8 * 60) if p.late else w.between(t, due_at, rng.uniform(0.45, 0.97))
    if p.stop == "directed":
        return
    t = min(w.later(t, 5, 20) if fast or p.stop else w.later(t, 20, 4 * 60), w.between(t, done_at, 0.15))
    yield t
    leader = w.head(lead, "division_leader" if lead == "CCVC" and p.assignee else None)
    hand = w.hand(lead, p.assignee)
    lead_task = tasks[cast.divisions[lead].pk]
    services.assign(actor=leader, task_id=lead_task.pk, assignee_id=hand.pk)
    if p.stop == "assigned":
        return
    helpers = []
    for code in coordinators:
        t = max(t, w.between(t, done_at, rng.uniform(0.05, 0.2)))
        yield t
        helper = w.hand(code)
        services.assign(actor=w.head(code), task_id=tasks[cast.divisions[code].pk].pk, assignee_id=helper.pk)
        helpers.append((helper, tasks[cast.divisions[code].pk]))
    progress = rng.random() < 0.6 or p.stop == "progress"
    if progress:
        t = max(t, w.between(t, done_at, rng.uniform(0.2, 0.4)))
        yield t
        services.record_progress(actor=hand, task_id=lead_task.pk, note=rng.choice(PROGRESS))
    if p.stop == "progress":
        return
    for helper, task in helpers:
        t = max(t, w.between(t, done_at, rng.uniform(0.2, 0.5)))
        yield t
        services.complete_task(actor=helper, task_id=task.pk, note=rng.choice(COORDINATED))
    reply_id = None
    if p.reply and p.answer:
        start = max(t, w.between(t, done_at, 0.3))
        kind, summary = p.answer
        issued = f"{p.issued_on:%d/%m/%Y}"
        summary = _outgoing_summary(kind, _words(rng, summary, w.day(p.received)).format(
            symbol=p.symbol, issued=issued, sender=p.sender.name))
        out = _Out(start=start, end=w.between(start, done_at, 0.9), division=lead, doc_type=kind, summary=summary,
                   body=_reply_body(rng, p, summary), recipients=(p.sender.key,), author=None, urgency=p.urgency,
                   reply_to=doc.pk, sent_back=_sent_back(rng))
        out.author = hand.user.username
        reply_id = yield from _outgoing_life(w, out)
        t = max(out.end, t)
    t = max(t, done_at)
    yield t
    services.complete_task(actor=hand, task_id=lead_task.pk, note=rng.choice(DONE), reply_id=reply_id)
    yield from _file(w, p.topic.key, lead, [doc.pk] + ([reply_id] if reply_id else []), t, w.day(p.received).year,
                     always=p.keep)


def _sent_back(rng: random.Random) -> str | None:
    if rng.random() >= SENT_BACK_SHARE:
        return None
    return rng.choice(["review", "review", "approve"])


def _reply_body(rng: random.Random, p: _In, summary: str) -> str:
    return "\n\n".join([
        f"Sở Nội vụ nhận được {(TYPE_NAMES.get(p.doc_type) or 'văn bản').capitalize()} số {p.symbol} ngày "
        f"{p.issued_on:%d/%m/%Y} của {p.sender.name} "
        f"{_lower_first(p.summary) if p.summary.startswith('Về ') else 'về ' + _lower_first(p.summary)}.",
        "Sau khi nghiên cứu, đối chiếu với quy định hiện hành, Sở Nội vụ có ý kiến như sau:",
        "1. " + rng.choice(["Hồ sơ đề nghị cơ bản đáp ứng tiêu chuẩn, điều kiện theo quy định.",
                            "Đề nghị cơ quan bổ sung văn bản xác nhận của cơ quan quản lý trực tiếp.",
                            "Nội dung đề nghị thuộc thẩm quyền quyết định của Chủ tịch UBND tỉnh; Sở Nội vụ sẽ "
                            "tổng hợp, trình theo quy định."]),
        "2. " + rng.choice(["Thời hạn thực hiện: trong quý này; đề nghị báo cáo kết quả về Sở Nội vụ để tổng hợp.",
                            "Các nội dung khác thực hiện theo hướng dẫn tại văn bản của Bộ Nội vụ.",
                            "Trong quá trình thực hiện, nếu có vướng mắc đề nghị phản ánh về Sở Nội vụ (qua "
                            "phòng chuyên môn) để được hướng dẫn."]),
        f"Sở Nội vụ trân trọng đề nghị {p.sender.name} quan tâm, phối hợp thực hiện./.",
    ])


def _own_body(rng: random.Random, kind: str, summary: str, year: int) -> str:
    """A body in the usual shape of its type: grounds, then what the department reports, plans or decides."""
    subject = _lower_first(summary.removeprefix("Về việc "))
    grounds = rng.choice([f"Căn cứ Kế hoạch công tác năm {year} của Sở Nội vụ;",
                          "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
                          "Thực hiện chỉ đạo của UBND tỉnh Hà Giang;"])
    if kind == "quyet-dinh":
        return "\n\n".join([grounds, "Theo đề nghị của Trưởng phòng chuyên môn,", "QUYẾT ĐỊNH:",
                             f"Điều 1. {subject[:1].upper()}{subject[1:]} (danh sách kèm theo).",
                             "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
                             "Điều 3. Chánh Văn phòng Sở, Trưởng các phòng, đơn vị thuộc Sở và các cá nhân có tên tại "
                             "Điều 1 chịu trách nhiệm thi hành Quyết định này./."])
    if kind == "giay-moi":
        return "\n\n".join([f"Sở Nội vụ trân trọng kính mời dự {subject}.",
                             "Thời gian: 08 giờ 00 phút, thứ Hai tuần tới.",
                             "Địa điểm: Phòng họp tầng 2, Sở Nội vụ tỉnh Hà Giang.",
                             "Đề nghị các đồng chí chuẩn bị nội dung báo cáo và dự họp đúng thành phần, thời gian./."])
    opening = {"bao-cao": f"Sở Nội vụ báo cáo {subject} như sau:",
               "ke-hoach": f"Sở Nội vụ ban hành Kế hoạch {subject} như sau:",
               "thong-bao": f"Sở Nội vụ thông báo {subject} như sau:",
               "to-trinh": f"Sở Nội vụ kính trình UBND tỉnh xem xét {subject}, cụ thể như sau:"}.get(
                   kind, f"Sở Nội vụ {subject} như sau:")
    return "\n\n".join([
        grounds, opening,
        rng.choice(["1. Mục đích, yêu cầu: bảo đảm đúng quy định, công khai, minh bạch, đúng thời hạn.",
                    "1. Kết quả đạt được: các nhiệm vụ trọng tâm cơ bản hoàn thành theo kế hoạch.",
                    "1. Phạm vi, đối tượng: các phòng, đơn vị thuộc Sở và các cơ quan, đơn vị có liên quan."]),
        rng.choice(["2. Tổ chức thực hiện: các phòng, đơn vị căn cứ chức năng, nhiệm vụ triển khai thực hiện; "
                    "Văn phòng Sở theo dõi, tổng hợp, báo cáo Giám đốc Sở.",
                    "2. Tồn tại, hạn chế và nguyên nhân; phương hướng, nhiệm vụ thời gian tới.",
                    "2. Các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành."]),
    ])


def _outgoing_summary(kind: str, summary: str) -> str:
    """A công văn's summary follows “V/v” in its layout, so it does not start with “Về việc” again."""
    if kind != "cong-van":
        return summary
    rest = summary.removeprefix("Về việc ")
    return rest[:1].upper() + rest[1:]


def _outgoing_life(w: _World, p: _Out) -> Generator[dt.datetime, None, int | None]:
    """From draft to issue between ``p.start`` and ``p.end``; returns the document's id, or None when its
    life ends before it is issued (because of ``stop``, or because that is still in the future)."""
    rng, cast = w.rng, w.cast
    author = w.person(p.author, cast.hands[p.division])
    reviewer = w.person(p.reviewer, cast.heads[p.division], "division_leader" if p.division == "CCVC" else None, 0.7)
    approver = w.person(p.approver, cast.directors, "leader", 0.5)
    recipients = "\n".join([SENDERS[k].name for k in p.recipients]
                           + (["Giám đốc, các Phó Giám đốc Sở"] if not p.recipients else [])
                           + [DIVISION_NAMES[c] for c in p.divisions])
    steps = ["draft", "submit"]
    if p.sent_back == "review":
        steps += ["send_back", "revise", "submit"]
    steps += ["review"]
    if p.sent_back == "approve":
        steps += ["send_back", "revise", "submit", "review"]
    steps += ["approve", "sign", "issue"]
    marks = sorted(rng.uniform(0.02, 0.98) for _ in steps[1:])
    times = [p.start] + [w.between(p.start, p.end, m) for m in marks]
    doc = None
    for step, t in zip(steps, times, strict=True):
        if p.stop and _reached(p.stop, step, p.sent_back):
            return None
        if step == "sign" and not w.signing:
            return None
        yield t
        if step == "draft":
            doc = services.create_draft(actor=author, doc_type=p.doc_type, summary=p.summary,
                                        recipients_text=recipients, body=p.body, urgency=p.urgency,
                                        reply_to_id=p.reply_to, copies=len(p.recipients) + len(p.divisions) + 2)
            w.made["outgoing"] += 1
        elif step == "submit":
            services.submit(actor=author, document_id=doc.pk)
        elif step == "send_back":
            who = reviewer if p.sent_back == "review" else approver
            services.send_back(actor=who, document_id=doc.pk, reason=rng.choice(SEND_BACK))
        elif step == "revise":
            data = layout.draft_pdf(Document.objects.select_related("agency__parent", "doc_type",
                                                                    "drafting_division").get(pk=doc.pk),
                                    p.body + "\n\n" + rng.choice(REVISED))
            services.revise_draft(actor=author, document_id=doc.pk,
                                  file=Upload(name="du-thao-sua.pdf", stream=io.BytesIO(data), size=len(data)))
        elif step == "review":
            services.review(actor=reviewer, document_id=doc.pk, note=rng.choice(["", "Trình Giám đốc xem xét, ký."]))
        elif step == "approve":
            services.approve(actor=approver, document_id=doc.pk)
        elif step == "sign":
            services.sign(actor=approver, document_id=doc.pk)
        elif step == "issue":
            divisions = [cast.divisions[c].pk for c in p.divisions] or (
                [cast.divisions[p.division].pk] if not p.recipients else [])
            external = [(SENDERS[k].name, SENDERS[k].identifier) for k in p.recipients]
            services.issue(actor=w.pick(cast.clerks, "clerk", 0.75), document_id=doc.pk, division_ids=divisions,
                           external=external)
    return doc.pk if doc else None


def _reached(stop: str, step: str, sent_back: str | None) -> bool:
    """Whether ``step`` would take the document past the state it should wait in."""
    waits_before = {"draft": "submit", "in_review": "review", "reviewed": "approve", "approved": "sign",
                    "signed": "issue"}
    if stop == "sent_back":
        return step == "revise"
    return step == waits_before[stop]


def _own_life(w: _World, p: _Out, topic: str) -> Generator[dt.datetime, None, None]:
    made = yield from _outgoing_life(w, p)
    if made is not None:
        yield from _file(w, topic, p.division, [made], p.end, w.day(p.start).year)


def _file(w: _World, topic: str, division: str, document_ids: list[int], after: dt.datetime,
          year: int, always: bool = False) -> Generator[dt.datetime, None, None]:
    """Most finished documents go into the work file of their matter (an issued one is then archived)."""
    if w.rng.random() > 0.7 and not always:
        return
    specs = [s for s in CASE_FILES if s[0] == division and topic in s[4]]
    if not specs:
        return
    t = w.later(after, 10, 2 * 8 * 60)
    yield t
    spec = specs[0]
    for candidate in (year, w.day(t).year):
        case_file = w.case_files.get((f"{spec[0]}.{spec[1]:02d}", candidate))
        if case_file is not None and case_file.pk not in w.closed:
            for document_id in document_ids:
                services.file_document(actor=case_file.owner, case_file_id=case_file.pk, document_id=document_id)
            return


def _case_file_life(w: _World, spec: tuple, year: int, opened: dt.datetime, close: dt.datetime | None,
                    archive: dt.datetime | None) -> Generator[dt.datetime, None, None]:
    division, number, title, retention, _topics = spec
    owner = w.hand(division, "specialist" if division == "CCVC" else None)
    yield opened
    code = f"{division}.{number:02d}"
    case_file = services.open_case_file(actor=owner, code=code, title=title.format(year=year),
                                        retention_years=retention, opened_on=dt.date(year, 1, 2))
    w.case_files[(code, year)] = case_file
    w.made["case_files"] += 1
    if close is None:
        return
    yield close
    services.close_case_file(actor=owner, case_file_id=case_file.pk)
    w.closed.add(case_file.pk)
    if archive is None:
        return
    yield archive
    services.archive_case_file(actor=w.cast.login.get("clerk") or w.cast.clerks[0], case_file_id=case_file.pk)


# --------------------------------------------------------------------------------------------------------
# Planning


def _working_days(cal: workdays.Calendar, first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        if cal.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _office_time(rng: random.Random, day: dt.date, zone) -> dt.datetime:
    minutes = rng.randint(7 * 60 + 35, 16 * 60 + 45)
    if 11 * 60 + 30 <= minutes < 13 * 60 + 30:
        minutes += 120 if minutes + 120 < 17 * 60 + 20 else -240
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=zone)


class _Numbers:
    """Each sender's own numbering: increasing through its year, sized to how much it writes."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.last = rng, {}

    def symbol(self, sender: Sender, doc_type: str, issued: dt.date) -> str:
        key = (sender.key, doc_type if doc_type != "cong-van" else "", issued.year)
        share = 1.0 if doc_type == "cong-van" else 0.12
        expected = int(sender.per_year * share * issued.timetuple().tm_yday / 366)
        number = max(self.last.get(key, 0) + 1, expected + self.rng.randint(0, 3))
        self.last[key] = number
        abbreviation = ABBREVIATIONS.get(doc_type, "")
        if sender.party:
            return f"{number}-{abbreviation or 'CV'}/{sender.code}"
        if not abbreviation:
            return f"{number}/{sender.code}-{self.rng.choice(sender.subs)}"
        return f"{number}/{abbreviation}-{sender.code}"


def _signers(rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """A few named signers per sender, so that one sender's documents bear the same names."""
    people = {}
    for sender in SENDERS.values():
        people[sender.key] = [(f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}", post)
                              for post in sender.posts]
    return people


def _plan_incoming(w: _World, start: dt.datetime, count: int) -> list[_In]:
    rng, cal = w.rng, w.cal
    days = _working_days(cal, w.day(start), w.day(w.now))
    weights = [1.3 if d.month in (12, 1) else 1.0 for d in days]
    topics = [t for t in TOPICS for _ in range(t.weight)]
    plans = []
    for day in sorted(rng.choices(days, weights, k=count)):
        received = _office_time(rng, day, cal.zone)
        if received > w.now - dt.timedelta(minutes=30):
            continue
        roll = rng.random()
        if roll < CONFIDENTIAL_SHARE:
            topic = rng.choice(CONFIDENTIAL)
            kind, summary, senders, _answer = rng.choice(topic.items)
            plans.append(_In(received, SENDERS[rng.choice(senders)], kind, summary, topic,
                             secrecy=Secrecy.CONFIDENTIAL, days=rng.randint(5, 10)))
        elif roll < 0.13:
            kind, summary, senders = rng.choice(NOTICES)
            plans.append(_In(received, SENDERS[rng.choice(senders)], kind, summary, None,
                             urgency=Urgency.FLASH if kind == "cong-dien" else Urgency.NORMAL))
        else:
            topic = rng.choice(topics)
            kind, summary, senders, answer = rng.choice(topic.items)
            urgency = rng.choices([Urgency.NORMAL, Urgency.URGENT, Urgency.VERY_URGENT, Urgency.FLASH],
                                  [86, 9, 2, 3])[0]
            plans.append(_In(received, SENDERS[rng.choice(senders)], kind, summary, topic, answer=answer,
                             urgency=urgency, days=_handling_days(rng, urgency, kind), late=rng.random() < LATE_SHARE,
                             reply=answer is not None and rng.random() < REPLY_SHARE))
    return plans


def _handling_days(rng: random.Random, urgency: str, kind: str) -> int:
    if urgency == Urgency.FLASH:
        return 0
    if urgency in (Urgency.URGENT, Urgency.VERY_URGENT):
        return rng.randint(1, 3)
    return rng.randint(3, 6) if kind == "giay-moi" else rng.randint(5, 15)


def _finish_incoming(w: _World, plans: list[_In]) -> None:
    """Symbols, dates and signers in receipt order (each sender's numbers rise through its year)."""
    rng, numbers, signers = w.rng, _Numbers(w.rng), _signers(w.rng)
    plans.sort(key=lambda p: p.received)
    for p in plans:
        received_day = w.day(p.received)
        lag = {Urgency.FLASH: 0, Urgency.VERY_URGENT: 0}.get(p.urgency, rng.choice([0, 1, 1, 2, 2, 3, 5]))
        issued = received_day - dt.timedelta(days=lag)
        p.issued_on = issued
        p.summary = _words(rng, p.summary, issued)
        p.symbol = numbers.symbol(p.sender, p.doc_type, issued)
        p.signer, p.post = rng.choice(signers[p.sender.key])


def _plan_own(w: _World, start: dt.datetime, count: int) -> list[tuple[_Out, str]]:
    rng, cal = w.rng, w.cal
    days = _working_days(cal, w.day(start), w.day(w.now))
    topic_of = {"VP": "vp", "CCVC": "ccvc", "TCBC": "tcbc", "XDCQ": "xdcq", "CCHC": "cchc", "TTRA": "ttra"}
    plans = []
    for day in sorted(rng.choices(days, k=count)):
        division, kind, summary, recipients = rng.choice(OWN)
        begin = _office_time(rng, day, cal.zone)
        end = w.later(begin, 8 * 60, 5 * 8 * 60)
        summary = _outgoing_summary(kind, _words(rng, summary, day))
        inside = tuple(rng.sample(sorted(DIVISION_NAMES), 3)) if not recipients else ()
        plans.append((_Out(begin, end, division, kind, summary, _own_body(rng, kind, summary, day.year), recipients,
                           divisions=inside, sent_back=_sent_back(rng)), topic_of[division]))
    return plans


# --------------------------------------------------------------------------------------------------------
# Scans


SCAN_CSS = """
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
body { font-family: "DejaVu Serif", serif; font-size: 12.5pt; line-height: 1.4; }
section { page-break-after: always; }
.hd, .ft { position: relative; height: 40mm; font-size: 11pt; }
.hd .l, .ft .l { position: absolute; left: 0; width: 62mm; text-align: center; }
.hd .r, .ft .r { position: absolute; right: 0; width: 100mm; text-align: center; }
.ft .l { text-align: left; font-size: 10.5pt; } .ft .r { font-size: 12.5pt; }
.vv { font-size: 10pt; }
.mark { font-weight: bold; border: 1pt solid #000; padding: 1pt 6pt; width: 30mm; text-align: center; }
h1 { text-align: center; font-size: 13pt; margin: 10pt 0 0; }
.summary { text-align: center; font-weight: bold; margin: 0 0 12pt; }
p { text-indent: 10mm; text-align: justify; margin: 0 0 6pt; }
"""


def _scan_html(index: int, p: _In) -> str:
    """One page in the official layout (NĐ 30/2020 Phụ lục I), as the sender printed and signed it. Positioned
    blocks rather than tables: WeasyPrint lays tables out several times slower."""
    e = html.escape
    sender, kind = p.sender, TYPE_NAMES.get(p.doc_type, "")
    mark = {Urgency.FLASH: "HỎA TỐC", Urgency.VERY_URGENT: "THƯỢNG KHẨN", Urgency.URGENT: "KHẨN"}.get(p.urgency, "")
    if p.secrecy != Secrecy.NORMAL:
        mark = ("MẬT " + mark).strip()
    top = f"{e(sender.parent)}<br>" if sender.parent else ""
    vv = f"<br><span class='vv'>V/v {e(_lower_first(p.summary.removeprefix('Về việc ')))}</span>" if not kind else ""
    title = f"<h1>{kind}</h1><div class='summary'>{e(p.summary)}</div>" if kind else ""
    greeting = "<p style='text-align:center;text-indent:0'>Kính gửi: Sở Nội vụ tỉnh Hà Giang.</p>" if not kind else ""
    body = (f"<p>Thực hiện chương trình công tác năm {p.issued_on.year}, {e(sender.name)} gửi Sở Nội vụ "
            f"{e(_what(p))}.</p>"
            f"<p>Đề nghị Sở Nội vụ {e(REQUESTS[index % len(REQUESTS)])}; thời gian thực hiện theo quy định.</p>"
            f"<p>Trong quá trình thực hiện, nếu có vướng mắc đề nghị phản ánh về {e(sender.name)} để phối hợp "
            "giải quyết./.</p>")
    post = p.post.upper()
    above = "KT. " + sender.posts[0].upper() + "<br>" if post != sender.posts[0].upper() else ""
    return (f"<section id='s{index}'><div class='hd'><div class='l'>{top}<b>{e(sender.name.upper())}</b><br>"
            f"Số: {e(p.symbol)}{vv}</div><div class='r'><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - "
            f"Hạnh phúc</b><br><i>{e(sender.place)}, ngày {p.issued_on.day:02d} tháng {p.issued_on.month:02d} năm "
            f"{p.issued_on.year}</i></div></div>{f'<div class=mark>{mark}</div>' if mark else ''}{title}{greeting}"
            f"{body}<div class='ft'><div class='l'><b><i>Nơi nhận:</i></b><br>- Như trên;<br>- Lưu: VT.</div>"
            f"<div class='r'><b>{above}{e(post)}<br><br><br><br>{e(p.signer)}</b></div></div></section>")


def _what(p: _In) -> str:
    """“văn bản về việc …”, “kế hoạch tổ chức …”: the document as its body names it."""
    word = (TYPE_NAMES.get(p.doc_type) or "văn bản").lower()
    return f"{word} {_lower_first(p.summary)}"


def _generic_html(index: int, kind: str) -> str:
    """The stand-in page of an older document: says what it is rather than pretend to be that document."""
    name = TYPE_NAMES.get(kind) or "CÔNG VĂN"
    return (f"<section id='s{index}'><div class='hd'><div class='l'><b>CƠ QUAN BAN HÀNH</b><br>Số: …/…</div>"
            "<div class='r'><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</b><br>"
            f"<i>……, ngày … tháng … năm …</i></div></div><h1>{name}</h1>"
            "<div class='summary'>Bản quét minh họa</div>"
            "<p>Dữ liệu minh họa của motcua: bản quét thật của văn bản đến được đính kèm tại đây khi văn thư vào sổ. "
            "Số, ký hiệu, ngày tháng, cơ quan ban hành và trích yếu của văn bản xem trên phiếu văn bản đến.</p>"
            "</section>")


def _layout(sections: list[str], count: int) -> list[bytes]:
    """One WeasyPrint layout for many documents, cut into one PDF each (a layout costs far more than writing
    a page out of it); a document longer than a page keeps all its pages."""
    import weasyprint

    rendered = weasyprint.HTML(string=f"<html lang='vi'><head><meta charset='utf-8'><style>{SCAN_CSS}</style>"
                                      f"</head><body>{''.join(sections)}</body></html>").render()
    pages: dict[int, list] = {}
    owner = -1
    for page in rendered.pages:
        starts = [int(a[1:]) for a in page.anchors if a.startswith("s") and a[1:].isdigit()]
        owner = min(starts) if starts else owner
        pages.setdefault(owner, []).append(page)
    return [rendered.copy(pages[i]).write_pdf() for i in range(count)]


def _render_scans(plans: list[_In]) -> None:
    """The newest documents and the planned open work get a page of their own; older ones share a stand-in
    page per type (users open recent documents; rendering every page would double the demo's time)."""
    own = {id(p) for p in sorted(plans, key=lambda p: p.received)[-RENDERED_SCANS:]}
    pending = [p for p in plans if p.scan == "pdf" and (id(p) in own or p.stop)]
    for first in range(0, len(pending), SCAN_BATCH):
        batch = pending[first:first + SCAN_BATCH]
        for p, data in zip(batch, _layout([_scan_html(i, p) for i, p in enumerate(batch)], len(batch)), strict=True):
            p.data = data
    kinds = sorted({p.doc_type for p in plans if not p.data and p.scan == "pdf"})
    generic = dict(zip(kinds, _layout([_generic_html(i, k) for i, k in enumerate(kinds)], len(kinds)), strict=True))
    for p in plans:
        if p.scan != "pdf":
            p.data = _image_scan(p)
        elif not p.data:
            p.data = generic[p.doc_type]


def _image_scan(p: _In) -> bytes:
    """A page as a scanner gives it: an image only, slightly skewed, with grain; OCR has to read it."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = 1654, 2339  # A4 at 200 dpi
    page = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(page)
    regular = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 32)
    bold = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf", 32)

    def lines(text: str, font, room: int) -> list[str]:
        out, line = [], ""
        for word in text.split():
            if line and draw.textlength(f"{line} {word}", font=font) > room:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        return [*out, line]

    def column(rows: list[tuple[str, object]], left: int, room: int, y: int) -> int:
        for text, font in rows:
            for line in lines(text, font, room):
                draw.text((left + (room - draw.textlength(line, font=font)) / 2, y), line, font=font, fill=25)
                y += 46
        return y

    column([(p.sender.name.upper(), bold), (f"Số: {p.symbol}", regular)], 170, 560, 160)
    column([("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold), ("Độc lập - Tự do - Hạnh phúc", bold),
            (f"{p.sender.place}, ngày {p.issued_on:%d} tháng {p.issued_on:%m} năm {p.issued_on.year}", regular)],
           760, 800, 160)
    y = column([(TYPE_NAMES.get(p.doc_type) or "Kính gửi: Sở Nội vụ tỉnh Hà Giang", bold)], 230, 1250, 470) + 30
    text = (f"Thực hiện chương trình công tác năm {p.issued_on.year}, {p.sender.name} gửi Sở Nội vụ {_what(p)}. "
            f"Đề nghị Sở Nội vụ {REQUESTS[0]}; thời gian thực hiện theo quy định. Trong quá trình thực hiện, nếu "
            "có vướng mắc đề nghị phản ánh để phối hợp giải quyết./.")
    for line in lines(text, regular, 1250):
        draw.text((230, y), line, font=regular, fill=25)
        y += 50
    above = [(f"KT. {p.sender.posts[0].upper()}", bold)] if p.post != p.sender.posts[0] else []
    column([*above, (p.post.upper(), bold), ("", regular), ("", regular), ("", regular), (p.signer, bold)], 860, 600,
           y + 80)
    grain = Image.effect_noise((width, height), 18)
    page = Image.blend(page, grain, 0.12).rotate(0.6, fillcolor=250, resample=Image.Resampling.BICUBIC)
    out = io.BytesIO()
    if p.scan == "jpeg":
        page.save(out, "JPEG", quality=80, dpi=(200, 200))
    else:
        page.save(out, "PDF", resolution=200)
    return out.getvalue()


def _own(division: str, kind: str) -> tuple:
    return next(spec for spec in OWN if spec[0] == division and spec[1] == kind)


# --------------------------------------------------------------------------------------------------------
# The planned open work, so that every demo login finds something waiting


def _open_work(w: _World) -> tuple[list[_In], list[_Out]]:
    rng = w.rng
    ccvc = next(t for t in TOPICS if t.key == "ccvc")
    cchc = next(t for t in TOPICS if t.key == "cchc")
    vp = next(t for t in TOPICS if t.key == "vp")
    tcbc = next(t for t in TOPICS if t.key == "tcbc")

    def incoming(topic: Topic | None, item: int, hours_ago: float, **kwargs) -> _In:
        if topic is None:
            kind, summary, senders = kwargs.pop("notice")
            answer = None
        else:
            kind, summary, senders, answer = topic.items[item]
        return _In(w.working_before(round(hours_ago * 60)), SENDERS[senders[0]], kind, summary, topic,
                   answer=answer, **kwargs)

    ins = [
        # the Giám đốc: to direct (one flash, one confidential)
        incoming(None, 0, 1.5, notice=NOTICES[0], urgency=Urgency.FLASH, stop="registered"),
        incoming(cchc, 1, 3, stop="registered"),
        incoming(CONFIDENTIAL[1], 0, 5, secrecy=Secrecy.CONFIDENTIAL, stop="registered"),
        # the CCVC leader: to assign
        incoming(ccvc, 0, 4, director="leader", stop="directed", days=8),
        incoming(ccvc, 10, 6, director="leader", stop="directed", days=6),
        incoming(tcbc, 7, 7, director="leader", stop="directed", days=7, coordinators=("CCVC",)),
        # the CCVC specialist: new, due soon, overdue, and a part to co-ordinate
        incoming(ccvc, 4, 10, director="leader", assignee="specialist", stop="assigned", days=9),
        incoming(ccvc, 1, 8 * 8, director="leader", assignee="specialist", stop="progress", days=10),
        incoming(ccvc, 5, 8 * 12, director="leader", assignee="specialist", stop="progress", days=10, late=True),
        # the desk officer of the Văn phòng
        incoming(vp, 5, 8 * 2, director="leader", assignee="desk", stop="assigned", days=6),
        # answered last week by the specialist, with an issued reply
        incoming(ccvc, 1, 8 * 9, director="leader", assignee="specialist", days=6, reply=True, keep=True),
        # a confidential one, given to the specialist by name and handled
        incoming(CONFIDENTIAL[0], 0, 8 * 10, director="leader", assignee="specialist", days=6,
                 secrecy=Secrecy.CONFIDENTIAL),
    ]
    own = _own("CCVC", "cong-van")

    def draft(hours_ago: float, stop: str, author: str = "specialist", division: str = "CCVC",
              spec: tuple = own, sent_back: str | None = None, approver: str | None = None) -> _Out:
        start = w.working_before(round(hours_ago * 60))
        day = w.day(start)
        summary = _outgoing_summary(spec[1], _words(rng, spec[2], day))
        body = _own_body(rng, spec[1], summary, day.year)
        return _Out(start, w.working_before(5), division, spec[1], summary, body,
                    spec[3], author=author, stop=stop, sent_back=sent_back, approver=approver,
                    reviewer="division_leader" if division == "CCVC" else None)

    author_other = next((s.user.username for s in w.cast.hands["CCVC"] if s.user.username != "specialist"), None)
    outs = [
        draft(2, "draft"),  # the specialist's fresh draft
        draft(8 * 2, "sent_back", sent_back="review"),  # returned by the division leader
        draft(6, "in_review"),  # waiting for the division leader
        draft(8, "in_review", author=author_other or "specialist", spec=_own("CCVC", "quyet-dinh")),
        draft(8 * 2, "reviewed", spec=_own("CCVC", "to-trinh")),  # waiting for the Giám đốc
        draft(8 * 2, "reviewed", author=None, division="CCHC", spec=_own("CCHC", "ke-hoach")),
        draft(8 * 3, "approved", spec=_own("CCVC", "ke-hoach"), approver="leader"),  # waiting for his signature
        draft(8 * 3, "signed", author=None, division="VP", spec=_own("VP", "bao-cao"), approver="leader"),
        draft(8 * 3, "signed", spec=_own("CCVC", "thong-bao"), approver="leader"),  # both for the clerk
    ]
    return ins, outs


# --------------------------------------------------------------------------------------------------------


def loaded(agency: Agency) -> bool:
    return Document.objects.filter(agency=agency).exists()


def load(agency: Agency, *, seed: int = 2026) -> dict[str, int]:
    """Add a year of correspondence when the agency has none; how many documents and work files were made."""
    if loaded(agency):
        return {}
    cal = core_calendars.load_calendar(agency.calendar_id)
    now = clock.now()
    world = _World(agency=agency, cast=_Cast.of(agency), cal=cal, rng=random.Random(seed),
                   now=now - dt.timedelta(minutes=5), signing=signing.configured_key() is not None)
    start = now - dt.timedelta(days=365)
    timeline = _Timeline(limit=world.now)
    # Work files: last year's, closed early this year (the first one handed to the archive), and this year's.
    this_year = world.day(now).year
    early = _working_days(cal, dt.date(this_year, 1, 2), dt.date(this_year, 4, 30))
    for i, spec in enumerate(CASE_FILES):
        close = _office_time(world.rng, early[12 + 2 * i], cal.zone)
        archive = _office_time(world.rng, early[55], cal.zone) if i == 0 else None
        timeline.add(_case_file_life(world, spec, this_year - 1, start, close, archive))
        timeline.add(_case_file_life(world, spec, this_year, _office_time(world.rng, early[0], cal.zone), None, None))
    incoming = _plan_incoming(world, start, INCOMING_PER_YEAR)
    planned_in, planned_out = _open_work(world)
    # Three recent paper documents, from communes where there are some, arrive as image-only scans: the OCR
    # worker reads them.
    recent = sorted((p for p in incoming if p.topic), key=lambda p: p.received)[-40:]
    paper = sorted(recent, key=lambda p: (p.sender.key not in COMMUNES, -p.received.timestamp()))
    for p, kind in zip(paper, ["jpeg", "image-pdf", "image-pdf"], strict=False):
        p.scan = kind
    incoming += planned_in
    _finish_incoming(world, incoming)
    _render_scans(incoming)
    for p in incoming:
        timeline.add(_incoming_life(world, p))
    for out, topic in _plan_own(world, start, OUTGOING_PER_YEAR):
        timeline.add(_own_life(world, out, topic))
    for out in planned_out:
        timeline.add(_outgoing_life(world, out))
    with _quiet("pyhanko.pdf_utils.layout"):
        timeline.run()
    _office_life(world)
    return world.made


ANNOUNCEMENTS = (
    ("Lịch nghỉ Tết Nguyên đán và phân công trực cơ quan",
     "Văn phòng Sở thông báo lịch nghỉ Tết Nguyên đán theo thông báo của UBND tỉnh; các phòng đăng ký lịch trực "
     "với Văn phòng trước ngày 20/12.", True),
    ("Triển khai ký số văn bản đi trên hệ thống",
     "Từ tuần này, văn bản đi được trình, duyệt và ký số trên hệ thống; bản giấy chỉ phát hành khi nơi nhận yêu "
     "cầu. Văn thư hướng dẫn các phòng khi cần.", False),
    ("Đăng ký nội dung báo cáo tổng kết công tác năm",
     "Các phòng, đơn vị gửi báo cáo tổng kết năm và phương hướng năm sau về Văn phòng Sở qua hệ thống.", False),
)
MEETINGS = (  # (weekday 0 = Monday, hour, minute, title, location, who chairs)
    (0, 7, 30, "Giao ban lãnh đạo Sở đầu tuần", "Phòng họp tầng 2", "Giám đốc Sở"),
    (1, 14, 0, "Họp Hội đồng thi đua, khen thưởng của Sở", "Phòng họp tầng 2", "Giám đốc Sở"),
    (2, 8, 0, "Làm việc với UBND xã về công tác cải cách hành chính", "UBND xã", "Phó Giám đốc Sở"),
    (3, 9, 0, "Dự họp UBND tỉnh thường kỳ", "Trụ sở UBND tỉnh", "Giám đốc Sở"),
    (4, 14, 0, "Kiểm tra công tác văn thư, lưu trữ tại các phòng", "Các phòng chuyên môn", "Chánh Văn phòng"),
)


def _office_life(world: _World) -> None:
    """The staff portal's notices and this week's and next week's schedule, so the home page is not empty."""
    if not world.cast.clerks:
        return
    clerk = world.cast.clerks[0]
    for title, body, pinned in ANNOUNCEMENTS:
        office.publish_announcement(actor=clerk, title=title, body=body, pinned=pinned)
    monday = world.day(world.now) - dt.timedelta(days=world.day(world.now).weekday())
    for week in (0, 7):
        for weekday, hour, minute, title, location, chair in MEETINGS:
            office.add_schedule_entry(actor=clerk, day=monday + dt.timedelta(days=week + weekday),
                                      start=dt.time(hour, minute), title=title, location=location,
                                      chaired_by=chair)


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """pyHanko warns on every stamp that its box is a hair too wide (198.00000000000003 > 198); a year of
    signatures would bury the demo's own output."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)

