"""Everybody changes their own password, on a Chinese page linked from the user menu."""

import pytest
from django.urls import reverse

from core.choices import Role

pytestmark = pytest.mark.django_db

OLD = "Old-passw0rd-2026"
NEW = "Xin-mima-2026-hall"


@pytest.fixture
def clerk(staff_factory):
    user = staff_factory(Role.CLERK)
    user.set_password(OLD)
    user.save()
    return user


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_user_menu_links_to_the_password_page(client, clerk):
    client.force_login(clerk)
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{reverse("password_change")}"' in body
    assert "修改密码" in body


def test_the_page_needs_a_login(client):
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_wrong_old_password_is_refused_in_chinese(client, clerk):
    assert login(client, clerk.username, OLD).status_code == 302
    response = client.post(
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "旧密码不正确" in body
    assert 'class="mainnav"' in body
    clerk.refresh_from_db()
    assert clerk.check_password(OLD)


def test_the_new_password_works_and_the_old_one_no_longer(client, clerk):
    assert login(client, clerk.username, OLD).status_code == 302
    page = client.get("/accounts/password_change/").content.decode()
    assert "修改密码" in page and "旧密码" in page
    response = client.post(
        "/accounts/password_change/",
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    done = client.get(response["Location"])
    assert "密码已修改" in done.content.decode()
    # The session that changed it stays signed in.
    assert client.get(reverse("home")).status_code == 200

    client.post(reverse("logout"))
    assert login(client, clerk.username, OLD).status_code == 200  # refused
    assert login(client, clerk.username, NEW).status_code == 302
    assert client.get(reverse("home")).status_code == 200
