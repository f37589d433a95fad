"""Calls this instance makes to partner districts outside the outbox."""

from __future__ import annotations

from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ValidationFailed
from core.models import District


def _unreachable(district: District, error: Exception) -> ValidationFailed:
    return ValidationFailed(
        _("Cannot connect to %(district)s: %(error)s")
        % {"district": district.name, "error": error}
    )


def partner_ping(district: District) -> dict:
    """GET the partner's /federation/ping/ with our key; raise with the reason on failure."""
    key = district.outbound_key()
    if not district.api_base_url or not key:
        raise ValidationFailed(
            _("%(district)s has no API address or partner key configured")
            % {"district": district.name}
        )
    try:
        response = requests.get(
            district.api_base_url.rstrip("/") + "/api/v1/federation/ping/",
            headers={"Authorization": f"Api-Key {key}", "Accept": "application/json"},
            timeout=settings.OUTBOX_HTTP_TIMEOUT_SECONDS,
        )
    except requests.RequestException as error:
        raise _unreachable(district, error) from None
    if response.status_code != 200:
        raise ValidationFailed(
            _("%(district)s refused the request (HTTP %(status)s): %(answer)s")
            % {
                "district": district.name,
                "status": response.status_code,
                "answer": response.text[:300],
            }
        )
    return response.json()


def partner_applications(district: District) -> dict[str, dict]:
    """Every application the partner shares with us, by uuid (following the cursor)."""
    key = district.outbound_key()
    url = (
        district.api_base_url.rstrip("/")
        + "/api/v1/federation/applications/?page_size=200"
    )
    found: dict[str, dict] = {}
    while url:
        try:
            response = requests.get(
                url,
                headers={
                    "Authorization": f"Api-Key {key}",
                    "Accept": "application/json",
                },
                timeout=settings.OUTBOX_HTTP_TIMEOUT_SECONDS,
            )
        except requests.RequestException as error:
            raise _unreachable(district, error) from None
        if response.status_code != 200:
            raise ValidationFailed(
                _("%(district)s refused the request (HTTP %(status)s)")
                % {"district": district.name, "status": response.status_code}
            )
        try:
            page = response.json()
            rows = page["results"]
        except (ValueError, KeyError, TypeError):
            raise ValidationFailed(
                _("The answer of %(district)s is not a list of applications")
                % {"district": district.name}
            ) from None
        for row in rows:
            found[row["uuid"]] = row
        url = page.get("next")
        if url and not url.startswith(district.api_base_url.rstrip("/") + "/"):
            # Our key goes only to the partner's registered address.
            raise ValidationFailed(
                _(
                    "The next-page address of %(district)s is outside its "
                    "registered API address: %(url)s"
                )
                % {"district": district.name, "url": url}
            )
    return found


@dataclass
class Difference:
    number: str
    kind: str  # missing_there, missing_here, status_mismatch
    here: str
    there: str

    def describe(self) -> str:
        return _("%(number)s: %(difference)s (ours %(here)s, theirs %(there)s)") % {
            "number": self.number,
            "difference": DIFFERENCE_LABELS[self.kind],
            "here": self.here or "—",
            "there": self.there or "—",
        }


DIFFERENCE_LABELS = {
    "missing_there": gettext_lazy("Missing at the partner"),
    "missing_here": gettext_lazy("Missing in our district"),
    "status_mismatch": gettext_lazy("Status differs"),
}


def reconcile(district: District) -> tuple[list[Difference], int]:
    """Compare what both sides hold for their shared applications.

    Applications taken here but not yet accepted (so never sent) and those whose
    messages are still in the outbox are in transit, not differences.
    """
    from services.models import Application, OutboxMessage
    from services.models.federation import OutboxStatus
    from services.selectors.federation import shared_application_list

    there = partner_applications(district)
    in_transit = set(
        OutboxMessage.objects.filter(destination=district)
        .exclude(status=OutboxStatus.DELIVERED)
        .values_list("aggregate_key", flat=True)
    )
    not_sent = {"submitted", "needs_correction", "rejected"}
    differences, compared = [], 0
    for application in shared_application_list(partner=district):
        key = str(application.uuid)
        if key in in_transit:
            there.pop(key, None)
            continue
        if (
            application.home_district_id == district.pk
            and application.status in not_sent
        ):
            continue
        compared += 1
        remote = there.pop(key, None)
        if remote is None:
            differences.append(
                Difference(application.number, "missing_there", application.status, "")
            )
        elif remote["status"] != application.status:
            differences.append(
                Difference(
                    application.number,
                    "status_mismatch",
                    application.status,
                    remote["status"],
                )
            )
    for key, remote in there.items():
        if Application.objects.filter(uuid=key).exists():
            continue
        differences.append(
            Difference(remote["number"], "missing_here", "", remote["status"])
        )
    return differences, compared
