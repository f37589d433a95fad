"""The 实施编码 forms real catalogues use, checked part by part.

- national: ``<basic code>-<12-digit area code>-<3 digits>-<body code>-<serial,
  1 digit>-<check, 2 digits>``, e.g.
  ``511A0138000000-511602000000-000-115113010833722043-1-00``. The basic code is
  whatever form the national or a provincial list gives it: ``511A0138000000``,
  ``G-000007-001`` (public services), ``1J-5100-00012``, ``A-005818-5818``. The
  body code is the implementing body's: an 18-character unified social credit
  code, or what the list has instead (17 characters, an old organisation code
  ``00877868-5``, a local number); any of those is kept, with a warning naming
  its form.
- county: ``<8-digit area code><department letters>-<type letters>-<4 digits>``,
  e.g. ``37080100SP-XK-0001``.

Codes are compared by ``code_key``: NFKC (full-width digits, letters and dashes
folded), every dash look-alike a hyphen, trimmed, upper case; so ``…-1-００`` and
a lowercase copy are the same matter. The code is stored as published
(normalised, case kept).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.validators import is_valid_credit_code
from services.choices import MatterCodeForm

COUNTY_PATTERN = re.compile(r"^(\d{8})([A-Z]{2,6})-([A-Z]{2,4})-(\d{4})$")
AREA = re.compile(r"^\d{12}$")
SEGMENT = re.compile(r"^[0-9A-Z]+$")
BODY = re.compile(r"^[0-9A-Z]+(-[0-9A-Z]+)?$")
ORGANISATION_CODE = re.compile(r"^([0-9A-Z]{8})-?([0-9X])$")
# Hyphen look-alikes office software types or converts a hyphen to; NFKC already
# folds the full-width and small ones (－ ﹣).
DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−⁃"), "-")
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\xad"))
BODY_MAX = 40
CODE_MAX = 120


def normalise_code(raw) -> str:
    """A code as stored: NFKC, dashes folded, invisible characters and the
    spaces around dashes removed, trimmed; case as published."""
    text = unicodedata.normalize("NFKC", str(raw or "")).translate(INVISIBLE)
    text = text.translate(DASHES).strip()
    return re.sub(r"\s*-\s*", "-", text)


def code_key(raw) -> str:
    """What two codes are compared by: the normalised code in upper case."""
    return normalise_code(raw).upper()


@dataclass
class ParsedCode:
    code: str  # as stored
    form: str
    key: str = ""
    area_code: str = ""
    basic_code: str = ""
    body_code: str = ""
    warnings: list[str] = field(default_factory=list)


class MalformedCode(ValueError):
    """The code cannot be a 实施编码; ``reasons`` say which part is wrong (translated)."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(reasons))


def _example() -> str:
    return _(
        "An implementation code is “basic code-12-digit area code-3 digits-"
        "implementing body code-serial (1 digit)-check (2 digits)”, e.g. "
        "511A0138000000-511602000000-000-115113010833722043-1-00, or a county "
        "short code such as 37080100SP-XK-0001."
    )


def parse_matter_code(raw) -> ParsedCode:
    """Parse a 实施编码 or raise MalformedCode naming each wrong part."""
    code = normalise_code(raw)
    key = code.upper()
    if not key:
        raise MalformedCode([_("The implementation code must not be empty.")])
    if len(code) > CODE_MAX:
        raise MalformedCode(
            [
                _("The implementation code is longer than %(max)s characters.")
                % {"max": CODE_MAX}
            ]
        )
    if re.search(r"\s", key):
        raise MalformedCode([_("The implementation code must not contain spaces.")])
    strange = "".join(
        dict.fromkeys(
            c for c in code if not (c.isascii() and (c.isalnum() or c == "-"))
        )
    )
    if strange:
        raise MalformedCode(
            [
                _(
                    "The implementation code contains “%(chars)s”, which cannot be "
                    "part of a code. %(example)s"
                )
                % {"chars": strange, "example": _example()}
            ]
        )
    match = COUNTY_PATTERN.match(key)
    if match:
        return ParsedCode(
            code=code, key=key, form=MatterCodeForm.COUNTY, area_code=match.group(1)
        )
    parts = key.split("-")
    if len(parts) <= 3 and re.match(r"^\d{6,}[A-Z]", parts[0]):
        raise MalformedCode(_county_reasons(parts))
    return _parse_national(code, key, parts)


def _county_reasons(parts: list[str]) -> list[str]:
    reasons = []
    head = re.match(r"^(\d*)([A-Z]*)(.*)$", parts[0])
    digits, letters, rest = head.groups()
    if len(digits) != 8:
        reasons.append(
            _("The area code “%(part)s” of a county short code should be 8 digits.")
            % {"part": digits}
        )
    if rest or not 2 <= len(letters) <= 6:
        reasons.append(
            _(
                "The department letters “%(part)s” of a county short code should "
                "be 2 to 6 letters."
            )
            % {"part": letters + rest}
        )
    if len(parts) < 3:
        reasons.append(
            _(
                "The county short code ends early: it should be “8-digit area code "
                "+ department letters-type letters-4-digit number”, e.g. "
                "37080100SP-XK-0001."
            )
        )
        return reasons
    if not re.fullmatch(r"[A-Z]{2,4}", parts[1]):
        reasons.append(
            _(
                "The type letters “%(part)s” of a county short code should be 2 "
                "to 4 letters."
            )
            % {"part": parts[1]}
        )
    if not re.fullmatch(r"\d{4}", parts[2]):
        reasons.append(
            _("The number “%(part)s” of a county short code should be 4 digits.")
            % {"part": parts[2]}
        )
    return reasons


def _basic_width(parts: list[str]) -> int:
    """How many dash-separated parts the basic code takes when the area code
    cannot be found: 3 for the dashed forms (G-000007-001, 1J-5100-00012)."""
    if (
        len(parts) >= 3
        and len(parts[0]) <= 2
        and parts[1].isdigit()
        and parts[2].isdigit()
    ):
        return 3
    return 1


def _parse_national(code: str, key: str, parts: list[str]) -> ParsedCode:
    # The 12-digit area code anchors the code: before it the basic code (of
    # any form), after it 3 digits, the body code (which may hold a dash),
    # the serial and the check.
    anchor = next(
        (
            i
            for i in range(1, len(parts))
            if AREA.match(parts[i]) and len(parts) - i >= 5
        ),
        None,
    )
    if anchor is None:
        truncated = next(
            (i for i in range(1, len(parts)) if AREA.match(parts[i])), None
        )
        if truncated is not None:
            return _raise_truncated(parts, truncated)
        anchor = _basic_width(parts)
        if len(parts) < anchor + 5:
            if len(parts) == 1:
                raise MalformedCode(
                    [
                        _("“%(code)s” is not an implementation code. %(example)s")
                        % {"code": code, "example": _example()}
                    ]
                )
            return _raise_truncated(parts, anchor)
    basic = "-".join(parts[:anchor])
    area, middle = parts[anchor], parts[anchor + 1]
    body = "-".join(parts[anchor + 2 : -2])
    serial, check = parts[-2], parts[-1]
    reasons = []
    if not basic or not all(SEGMENT.match(p) for p in parts[:anchor]):
        reasons.append(
            _(
                "The basic code “%(part)s” (before the area code) should be letters "
                "and digits, e.g. 511A0138000000, G-000007-001 or 1J-5100-00012."
            )
            % {"part": basic}
        )
    if not AREA.match(area):
        reasons.append(
            _("The area code “%(part)s” should be 12 digits.") % {"part": area}
        )
    if not re.fullmatch(r"\d{3}", middle):
        reasons.append(
            _("The 3-digit part after the area code “%(part)s” should be 3 digits.")
            % {"part": middle}
        )
    if not BODY.match(body) or len(body) > BODY_MAX:
        reasons.append(
            _(
                "The implementing body code “%(part)s” should be letters and digits "
                "(a unified social credit code, an organisation code such as "
                "00877868-5, or the code the list gives), at most %(max)s."
            )
            % {"part": body, "max": BODY_MAX}
        )
    if not re.fullmatch(r"\d", serial):
        reasons.append(
            _("The serial “%(part)s” (second-to-last part) should be 1 digit.")
            % {"part": serial}
        )
    if not re.fullmatch(r"\d{2}", check):
        reasons.append(
            _("The check “%(part)s” (last part) should be 2 digits.") % {"part": check}
        )
    if reasons:
        raise MalformedCode(reasons)
    body_published = "-".join(code.split("-")[anchor + 2 : -2])
    parsed = ParsedCode(
        code=code,
        key=key,
        form=MatterCodeForm.NATIONAL,
        area_code=area,
        basic_code=basic,
        body_code=body_published,
    )
    parsed.warnings.extend(body_code_warnings(body_published))
    return parsed


def _raise_truncated(parts: list[str], anchor: int):
    names = [
        _("the 3-digit part after the area code"),
        _("the implementing body code"),
        _("the serial (1 digit)"),
        _("the check (2 digits)"),
    ]
    present = len(parts) - anchor - 1  # parts after the area code
    missing = names[present:] if present < len(names) else names[-1:]
    from core.i18n import join_list

    raise MalformedCode(
        [
            _(
                "The implementation code ends early (truncated?): %(missing)s "
                "missing after “%(end)s”. %(example)s"
            )
            % {
                "missing": join_list([str(n) for n in missing]),
                "end": parts[-1],
                "example": _example(),
            }
        ]
    )


def body_form(body_code: str) -> str:
    """credit, credit_bad_check, credit_17, organisation, organisation_bad_check,
    other: what kind of code a body code is."""
    key = code_key(body_code)
    if len(key) == 18:
        return "credit" if is_valid_credit_code(key) else "credit_bad_check"
    if len(key) == 17:
        return "credit_17"
    match = ORGANISATION_CODE.match(key)
    if match:
        return (
            "organisation"
            if organisation_check(match.group(1)) == match.group(2)
            else "organisation_bad_check"
        )
    return "other"


def organisation_check(digits: str) -> str:
    """The check character of an organisation code (GB 11714)."""
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in digits]
    rest = 11 - sum(w * v for w, v in zip(weights, values, strict=True)) % 11
    return {10: "X", 11: "0"}.get(rest, str(rest))


def body_code_warnings(body_code: str) -> list[str]:
    """Why a body code is doubtful (it is kept anyway), naming its form."""
    if not body_code:
        return []
    form = body_form(body_code)
    values = {"code": body_code, "length": len(code_key(body_code))}
    if form == "credit":
        return []
    if form == "credit_bad_check":
        message = _(
            "The implementing body code “%(code)s” fails the unified social "
            "credit code check; it was saved as it is."
        )
    elif form == "credit_17":
        message = _(
            "The implementing body code “%(code)s” has 17 characters, one short "
            "of a unified social credit code; it was saved as it is."
        )
    elif form == "organisation":
        message = _(
            "The implementing body code “%(code)s” is an old organisation code, "
            "not a unified social credit code; it was saved as it is."
        )
    elif form == "organisation_bad_check":
        message = _(
            "The implementing body code “%(code)s” looks like an old organisation "
            "code but fails its check; it was saved as it is."
        )
    else:
        message = _(
            "The implementing body code “%(code)s” (%(length)s characters) is not "
            "an 18-character unified social credit code; it was saved as it is."
        )
    return [message % values]


def same_body(a: str, b: str) -> bool:
    """Whether two body codes name the same body (dashes and case aside)."""
    return code_key(a).replace("-", "") == code_key(b).replace("-", "")
