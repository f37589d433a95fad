"""Validators for Chinese identity numbers shared by every register.

- 居民身份证号 (GB 11643-1999): 17 digits + ISO 7064 MOD 11-2 check character,
  with a plausible birth date.
- 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet with
  a MOD 31 check character.
"""

from __future__ import annotations

import datetime
import re
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
ID_PATTERN = re.compile(r"^[0-9]{17}[0-9X]$")

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
CREDIT_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def id_check_char(first17: str) -> str:
    total = sum(
        int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True)
    )
    return ID_CHECK[total % 11]


def validate_id_number(value: str) -> None:
    """Raise ValidationError unless ``value`` is a well-formed 18-digit 身份证号."""
    value = (value or "").strip().upper()
    if not ID_PATTERN.match(value):
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits, then a digit or X."),
            code="invalid_format",
        )
    try:
        birth = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise ValidationError(
            _("The date of birth in the ID number is invalid."),
            code="invalid_birth_date",
        ) from exc
    if birth.year < 1900 or birth > datetime.date.today():
        raise ValidationError(
            _("The date of birth in the ID number is implausible."),
            code="invalid_birth_date",
        )
    if id_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The check digit of the ID number is wrong."), code="invalid_checksum"
        )


def credit_check_char(first17: str) -> str:
    total = sum(
        CREDIT_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_WEIGHTS, strict=True)
    )
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Raise ValidationError unless ``value`` is a valid 统一社会信用代码."""
    value = (value or "").strip().upper()
    if not CREDIT_PATTERN.match(value):
        raise ValidationError(
            _(
                "A unified social credit code has 18 characters: digits and capital "
                "letters other than I, O, Z, S and V."
            ),
            code="invalid_format",
        )
    if credit_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The check character of the unified social credit code is wrong."),
            code="invalid_checksum",
        )


def is_valid_credit_code(value: str) -> bool:
    try:
        validate_credit_code(value)
    except ValidationError:
        return False
    return True


def validate_image_pixels(file) -> None:
    """Refuse an image of more than ``UPLOAD_MAX_IMAGE_PIXELS`` pixels.

    Width and height come from the file's header, without decoding it: a
    90-megapixel PNG of a few kilobytes (a decompression bomb, or a photo no page
    needs) is refused before anything opens it in full. A file Pillow cannot read
    is left to the caller's own type check.
    """
    from PIL import Image, UnidentifiedImageError

    limit = settings.UPLOAD_MAX_IMAGE_PIXELS
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        width, height = limit + 1, 1
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return
    finally:
        if position is not None:
            file.seek(position)
    if width * height > limit:
        raise ValidationError(
            _(
                "The image is %(width)s × %(height)s pixels; at most "
                "%(limit)s million pixels are accepted."
            ),
            code="image_too_large",
            params={
                "width": width,
                "height": height,
                "limit": f"{limit / 1_000_000:g}",
            },
        )
