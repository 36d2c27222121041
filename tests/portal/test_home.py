"""The public home page: anyone can search the catalogue, see the procedures people use most and look up a
dossier from it, on a phone, in Vietnamese, without logging in; staff still land on their work page."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog.models import Procedure
from motcua.core import clock
from motcua.dossiers import services
from motcua.org.roles import Role
from motcua.portal import home
from tests.dossiers.conftest import LIAISON, ORDINARY, at, intake
from tests.factories import make_staff

PAGE_BUDGET = 200 * 1024  # bytes: the page and everything it links to (the "< 200 KB")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the most-used list is cached in the default cache
    yield
    cache.clear()


def receive(world, code: str, when):
    with clock.at(when):
        return services.receive_at_desk(actor=world.desk, intake=intake(code))


def test_anonymous_visitors_get_the_public_home_in_vietnamese(client, db):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html and '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "Tìm thủ tục hành chính" in html and "Tra cứu tình trạng hồ sơ" in html
    assert "Đăng nhập dành cho cán bộ" not in html  # the staff login is its own page now


def test_the_search_box_sends_the_query_to_the_catalogue(client, db):
    html = client.get("/").content.decode()
    form = re.search(r'<form method="get" action="([^"]+)" role="search".*?</form>', html, re.S)
    assert form and form[1] == "/thu-tuc/"
    assert '<label for="home-q">' in form[0] and 'name="q"' in form[0] and 'id="home-q"' in form[0]


def test_the_search_box_finds_procedures_without_diacritics(client, world):
    # What the box submits: the catalogue page ignores diacritics (the catalogue's own tests go further).
    html = client.get("/thu-tuc/", {"q": "bo nhiem ngach"}).content.decode()
    assert "Bổ nhiệm ngạch công chức" in html


def test_the_lookup_box_opens_the_lookup_page_with_the_code_filled_in(client, world, now):
    dossier = services.receive_at_desk(actor=world.desk, intake=intake())
    html = client.get("/").content.decode()
    form = re.search(r'<form method="get" action="([^"]+)" aria-labelledby="lookup-h">.*?</form>', html, re.S)
    assert form and form[1] == "/tra-cuu/"
    field = re.search(r'<input[^>]*id="([^"]+)"[^>]*>', form[0])
    assert 'name="ma"' in field[0] and f'<label for="{field[1]}">Mã hồ sơ</label>' in form[0]
    assert "kiem_tra" not in form[0]  # the second factor is never put in a URL
    lookup = client.get("/tra-cuu/?" + urllib.parse.urlencode({"ma": dossier.code})).content.decode()
    assert f'value="{dossier.code}"' in lookup


def test_citizens_are_offered_to_log_in_or_register(client, db):
    html = client.get("/").content.decode()
    assert re.search(r'href="/cong-dan/dang-nhap/"[^>]*>Đăng nhập<', html)
    assert re.search(r'href="/cong-dan/dang-ky/"[^>]*>Đăng ký tài khoản<', html)


def test_the_most_used_procedures_come_most_dossiers_first(client, world):
    # "Bổ nhiệm…" sorts before "Khen thưởng…" by name: only the counts can put the second first.
    receive(world, ORDINARY, at(2))
    receive(world, LIAISON, at(3))
    receive(world, LIAISON, at(4))
    with clock.at(at(5)):
        used = home.most_used()
        html = client.get("/").content.decode()
    assert [(p.code, p.dossiers) for p in used] == [(LIAISON, 2), (ORDINARY, 1)]
    section = html.split('id="most-used-h"')[1]
    assert section.index(f'href="/thu-tuc/{LIAISON}/"') < section.index(f'href="/thu-tuc/{ORDINARY}/"')
    assert "2 hồ sơ trong 12 tháng qua" in section


def test_only_the_last_year_and_active_procedures_count(world):
    receive(world, ORDINARY, at(2))
    for month in (1, 2):  # more than a year before: left out
        receive(world, LIAISON, at(3, month=month).replace(year=2025))
    assert home.count_most_used(since=at(5) - home.MOST_USED_WINDOW, limit=8) == [
        (ORDINARY, "Bổ nhiệm ngạch công chức", 1)]
    Procedure.objects.filter(code=ORDINARY).update(status=Procedure.Status.SUSPENDED)
    assert home.count_most_used(since=at(5) - home.MOST_USED_WINDOW, limit=8) == []


def test_the_list_shows_at_most_eight(world):
    rows = [(f"X.{i}", f"Thủ tục {i}", 20 - i) for i in range(10)]
    cache.set(home.MOST_USED_CACHE_KEY, rows)
    assert [p.code for p in home.most_used()] == [f"X.{i}" for i in range(8)]


def test_the_count_is_cached_so_a_visit_costs_no_query(client, world):
    receive(world, ORDINARY, at(2))
    with clock.at(at(5)):
        with CaptureQueriesContext(connection) as first:
            assert client.get("/").status_code == 200
        receive(world, LIAISON, at(5))
        with CaptureQueriesContext(connection) as second:
            html = client.get("/").content.decode()
    assert len(first) <= 1  # the grouped count, once
    assert len(second) == 0
    assert f"/thu-tuc/{LIAISON}/" not in html  # until the cache expires (10 minutes)


def test_with_no_dossiers_the_page_points_to_the_catalogue(client, db):
    html = client.get("/").content.decode()
    assert "Chưa có hồ sơ nào trong 12 tháng qua." in html


def test_the_page_and_what_it_links_weigh_under_200_kb(client, world):
    receive(world, ORDINARY, at(2))
    response = client.get("/")
    html = response.content.decode()
    total = len(response.content)
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"|<script src="([^"]+)"', html)
    assert assets
    for css, js in assets:
        url = css or js
        assert url.startswith(settings.STATIC_URL)  # our own files: no CDN
        served = client.get(url)
        assert served.status_code == 200
        total += len(b"".join(served.streaming_content) if served.streaming else served.content)
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert total < PAGE_BUDGET


def test_every_input_has_a_label(client, db):
    html = client.get("/").content.decode()
    for input_id in re.findall(r'<input(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id
    assert not re.search(r'<input(?![^>]*type="hidden")(?![^>]*\bid=)[^>]*>', html)


def test_staff_keep_their_work_page(client, roles):
    desk = make_staff(role=Role.DESK_OFFICER)
    client.force_login(desk.user)
    html = client.get("/").content.decode()
    assert "Cán bộ một cửa" in html and "Tra cứu tình trạng hồ sơ" not in html


def test_a_logged_in_citizen_gets_the_public_home(client, db, django_user_model):
    citizen = django_user_model.objects.create_user("mai", password="mat-khau-dai-123", first_name="Mai")
    client.force_login(citizen)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tìm thủ tục hành chính" in html and "Ông/Bà đang đăng nhập với tên" in html
    assert 'href="/cong-dan/ho-so/"' in html and "/cong-dan/dang-ky/" not in html
