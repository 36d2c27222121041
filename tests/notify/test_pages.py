"""The inbox (/thong-bao/) and the channel choices (/thong-bao/cai-dat/): each person sees and changes only
their own."""

import pytest
from django.urls import reverse

from motcua.notify.models import Message, Preference
from tests.notify.conftest import applicant
from tests.notify.helpers import ask


@pytest.fixture
def inboxes(citizen, other_citizen, django_capture_on_commit_callbacks):
    ask(django_capture_on_commit_callbacks, recipients=[applicant(citizen)])
    ask(django_capture_on_commit_callbacks, event="dossier.result_ready", recipients=[applicant(citizen)])
    ask(django_capture_on_commit_callbacks, event="dossier.returned", recipients=[applicant(other_citizen)])
    return Message.objects.get(user=other_citizen)


def test_the_inbox_lists_my_messages_newest_first_with_the_unread_count(client, citizen, inboxes):
    client.force_login(citizen)
    page = client.get(reverse("notify-inbox")).content.decode()
    assert "2 chưa đọc" in page
    assert page.index("đã có kết quả") < page.index("đã được tiếp nhận")
    assert "Đã trả kết quả" not in page  # the other citizen's message


def test_the_header_shows_the_unread_count(client, citizen, inboxes):
    client.force_login(citizen)
    page = client.get(reverse("notify-preferences")).content.decode()
    assert f'href="{reverse("notify-inbox")}"' in page and "(2<span" in page


def test_marking_one_read_lowers_the_count(client, citizen, inboxes):
    client.force_login(citizen)
    mine = Message.objects.filter(user=citizen).first()
    assert client.post(reverse("notify-read", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "1 chưa đọc" in client.get(reverse("notify-inbox")).content.decode()


def test_marking_all_read(client, citizen, inboxes):
    client.force_login(citizen)
    client.post(reverse("notify-read-all"))
    assert not Message.objects.filter(user=citizen, read_at__isnull=True).exists()
    assert Message.objects.filter(read_at__isnull=True).count() == 1  # the other citizen's is untouched


def test_opening_a_message_marks_it_read_and_goes_to_what_it_is_about(client, citizen, inboxes):
    client.force_login(citizen)
    mine = Message.objects.filter(user=citizen).first()
    response = client.post(reverse("notify-open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == mine.link
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_a_link_to_another_site_is_not_followed(client, citizen, inboxes):
    client.force_login(citizen)
    mine = Message.objects.filter(user=citizen).first()
    Message.objects.filter(pk=mine.pk).update(link="https://lua-dao.example/")
    response = client.post(reverse("notify-open", args=[mine.pk]))
    assert response["Location"] == reverse("notify-inbox")


@pytest.mark.parametrize("name", ["notify-read", "notify-open"])
def test_another_persons_message_cannot_be_marked_or_opened(client, citizen, inboxes, name):
    client.force_login(citizen)
    assert client.post(reverse(name, args=[inboxes.pk])).status_code == 404
    inboxes.refresh_from_db()
    assert inboxes.read_at is None


def test_marking_read_needs_post(client, citizen, inboxes):
    client.force_login(citizen)
    mine = Message.objects.filter(user=citizen).first()
    assert client.get(reverse("notify-read", args=[mine.pk])).status_code == 405


@pytest.mark.parametrize("name", ["notify-inbox", "notify-preferences"])
def test_pages_need_a_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_the_inbox_pages_by_id(client, citizen, inboxes, monkeypatch):
    from motcua.notify import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    client.force_login(citizen)
    first = client.get(reverse("notify-inbox"))
    older = first.context["older"]
    assert older is not None and len(first.context["rows"]) == 1
    second = client.get(reverse("notify-inbox"), {"truoc": older})
    assert second.context["older"] is None and len(second.context["rows"]) == 1
    assert client.get(reverse("notify-inbox"), {"truoc": "x"}).status_code == 404


def test_preferences_show_the_defaults_then_save_my_choice(client, citizen, inboxes,
                                                           django_capture_on_commit_callbacks):
    client.force_login(citizen)
    form = client.get(reverse("notify-preferences")).context["form"]
    assert form.initial == {"email": True, "sms": True, "in_app": True}
    response = client.post(reverse("notify-preferences"), {"in_app": "on"})
    assert response.status_code == 302
    pref = Preference.objects.get(user=citizen)
    assert (pref.email, pref.sms, pref.in_app) == (False, False, True)
    n = ask(django_capture_on_commit_callbacks, event="dossier.returned", recipients=[applicant(citizen)])
    assert list(n.deliveries.values_list("channel", flat=True)) == ["in_app"]


def test_a_staff_member_sees_no_sms_by_default(client, citizen, django_capture_on_commit_callbacks):
    officer = {**applicant(citizen), "role": "staff"}
    ask(django_capture_on_commit_callbacks, event="dossier.assigned", recipients=[officer])
    client.force_login(citizen)
    assert client.get(reverse("notify-preferences")).context["form"].initial["sms"] is False
