import pytest

from core.choices import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_signs_in_and_sees_the_workbench(page, login, staff_factory):
    user = staff_factory(Role.READ_ONLY)
    page.goto("/")
    assert "/accounts/login/" in page.url  # not signed in: sent to the login page
    login(user)
    assert page.locator("h1").inner_text() == "工作台"
    assert "济宁经济技术开发区" in page.locator(".brand").inner_text()
    # the stylesheet is served locally
    color = page.evaluate(
        "getComputedStyle(document.querySelector('.topbar')).backgroundColor"
    )
    assert color == "rgb(180, 22, 27)"


def test_wrong_password_shows_the_form_error(page, staff_factory):
    user = staff_factory(Role.READ_ONLY)
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.locator(".error").inner_text()
