"""Two running instances, each registered as the other's partner."""

import requests

from tests.federation.instances import HTTP_TIMEOUT, last_line


def test_each_instance_reaches_the_other_with_its_key(pair):
    a, b = pair
    from_a = a.manage("partner_check", b.code)
    assert "潍坊滨海经济技术开发区（370790）在线，识别本区为 370871" in last_line(
        from_a
    )
    from_b = b.manage("partner_check", a.code)
    assert "济宁经济技术开发区（370871）在线，识别本区为 370790" in last_line(from_b)


def test_wrong_key_is_refused_by_the_running_instance(pair):
    a, _ = pair
    response = requests.get(
        a.url + "/api/v1/federation/ping/",
        headers={"Authorization": "Api-Key abc.def"},
        timeout=HTTP_TIMEOUT,
    )
    assert response.status_code == 401
    assert response.json()["type"] == "not_authenticated"


def test_check_fails_clearly_when_the_partner_is_down(pair):
    a, b = pair
    b.stop()
    try:
        result = a.manage("partner_check", b.code, check=False)
        assert result.returncode != 0
        assert "无法连接" in result.stderr
    finally:
        b.start()
