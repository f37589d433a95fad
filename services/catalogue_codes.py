"""The 实施编码 forms real catalogues use, checked with a reason for each refusal.

- national: ``<basic code>-<12-digit area code>-<3 digits>-<body code>-<1 digit>-<2 digits>``
  e.g. ``511A0138000000-511602000000-000-115113010833722043-1-00``; the basic code
  may itself be ``G-000007-001`` (some public services).
- county: ``<8-digit area code><department letters>-<type letters>-<4 digits>``
  e.g. ``37080100SP-XK-0001``.

The implementing body's code inside a national code is kept even when it fails
the credit-code checksum (published catalogues contain such codes); the caller
gets a warning instead of a refusal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.validators import is_valid_credit_code
from services.choices import MatterCodeForm

COUNTY_PATTERN = re.compile(r"^(\d{8})([A-Z]{2,6})-([A-Z]{2,4})-(\d{4})$")
BASIC_PLAIN = re.compile(r"^[0-9A-Z]{8,20}$")
BASIC_DASHED = re.compile(r"^[A-Z]-\d{6}-\d{3}$")
BODY_PATTERN = re.compile(r"^[0-9A-Z]{17,18}$")


@dataclass
class ParsedCode:
    code: str
    form: str
    area_code: str = ""
    basic_code: str = ""
    body_code: str = ""
    warnings: list[str] = field(default_factory=list)


class MalformedCode(ValueError):
    """The code fits neither form; ``reasons`` says what is wrong (translated)."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(reasons))


def parse_matter_code(raw: str) -> ParsedCode:
    """Parse a 实施编码 or raise MalformedCode naming what is wrong."""
    code = (raw or "").strip().upper()
    if not code:
        raise MalformedCode([_("The implementation code must not be empty.")])
    if re.search(r"\s", code):
        raise MalformedCode([_("The implementation code must not contain spaces.")])
    match = COUNTY_PATTERN.match(code)
    if match:
        return ParsedCode(
            code=code, form=MatterCodeForm.COUNTY, area_code=match.group(1)
        )
    parts = code.split("-")
    if len(parts) in (3, 4) and len(parts[0]) >= 8 and not parts[0][:1].isalpha():
        raise MalformedCode(
            [
                _(
                    "A county short code should be “8-digit area code + department "
                    "letters-type letters-4-digit number”, e.g. 37080100SP-XK-0001."
                )
            ]
        )
    # A dashed basic code (G-000007-001) spans the first three parts.
    if len(parts) >= 3 and BASIC_DASHED.match("-".join(parts[:3])):
        parts = ["-".join(parts[:3]), *parts[3:]]
    if len(parts) != 6:
        raise MalformedCode(
            [
                _(
                    "The implementation code should be “basic code-12-digit area "
                    "code-3 digits-implementing body code-1 digit-2 digits” (e.g. "
                    "511A0138000000-511602000000-000-115113010833722043-1-00) or a "
                    "county short code (e.g. 37080100SP-XK-0001)."
                )
            ]
        )
    basic, area, middle, body, one, two = parts
    reasons = []
    if not (BASIC_PLAIN.match(basic) or BASIC_DASHED.match(basic)):
        reasons.append(
            _(
                "The basic code “%(code)s” should be 8 to 20 digits or capital "
                "letters, or look like G-000007-001."
            )
            % {"code": basic}
        )
    if not re.fullmatch(r"\d{12}", area):
        reasons.append(
            _("The area code “%(code)s” should be 12 digits.") % {"code": area}
        )
    if not re.fullmatch(r"\d{3}", middle):
        reasons.append(
            _("The third part “%(part)s” should be 3 digits.") % {"part": middle}
        )
    if not BODY_PATTERN.match(body):
        reasons.append(
            _(
                "The implementing body code “%(code)s” should be 17 or 18 digits or "
                "capital letters."
            )
            % {"code": body}
        )
    if not re.fullmatch(r"\d", one):
        reasons.append(
            _("The fifth part “%(part)s” should be 1 digit.") % {"part": one}
        )
    if not re.fullmatch(r"\d{2}", two):
        reasons.append(
            _("The sixth part “%(part)s” should be 2 digits.") % {"part": two}
        )
    if reasons:
        raise MalformedCode(reasons)
    parsed = ParsedCode(
        code=code,
        form=MatterCodeForm.NATIONAL,
        area_code=area,
        basic_code=basic,
        body_code=body,
    )
    parsed.warnings.extend(body_code_warnings(body))
    return parsed


def body_code_warnings(body_code: str) -> list[str]:
    """Why a body code is doubtful (kept anyway): length or credit-code checksum."""
    if not body_code:
        return []
    if len(body_code) != 18:
        return [
            _(
                "The implementing body code “%(code)s” is not an 18-character unified "
                "social credit code; it was saved as it is."
            )
            % {"code": body_code}
        ]
    if not is_valid_credit_code(body_code):
        return [
            _(
                "The implementing body code “%(code)s” fails the unified social "
                "credit code check; it was saved as it is."
            )
            % {"code": body_code}
        ]
    return []
