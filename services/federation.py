"""Calls this instance makes to partner districts outside the outbox."""

from __future__ import annotations

import requests
from django.conf import settings

from core.errors import ValidationFailed
from core.models import District


def partner_ping(district: District) -> dict:
    """GET the partner's /federation/ping/ with our key; raise with the reason on failure."""
    key = district.outbound_key()
    if not district.api_base_url or not key:
        raise ValidationFailed(f"{district.name} 未配置接口地址或对方密钥")
    try:
        response = requests.get(
            district.api_base_url.rstrip("/") + "/api/v1/federation/ping/",
            headers={"Authorization": f"Api-Key {key}", "Accept": "application/json"},
            timeout=settings.OUTBOX_HTTP_TIMEOUT_SECONDS,
        )
    except requests.RequestException as error:
        raise ValidationFailed(f"无法连接 {district.name}：{error}") from None
    if response.status_code != 200:
        raise ValidationFailed(
            f"{district.name} 拒绝了请求（HTTP {response.status_code}）：{response.text[:300]}"
        )
    return response.json()
