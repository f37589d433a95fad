"""What the district keeps is written in its own language."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext


def district_language() -> translation.override:
    """Switch to the district's language (``LANGUAGE_CODE``) for text that is stored
    or served as an official document: event notes, results, certificates and
    notices stay Chinese when the request that caused them asked for English
    (``Accept-Language: en``), which only changes the answers that request reads.

    Use it as ``with district_language():``, not as a decorator: one ``override``
    object shared by concurrent calls would restore the wrong language.
    """
    return translation.override(settings.LANGUAGE_CODE)


def district_text(message, **params) -> str:
    """``message`` (a ``gettext_lazy`` msgid) in the district's language with
    ``params`` filled in: for a note or result written into a record."""
    with district_language():
        return str(message) % params if params else str(message)


def join_list(items) -> str:
    """A run-in list: 甲、乙、丙 in Chinese, "a, b, c" in English."""
    return pgettext("list separator", ", ").join(str(item) for item in items)


def join_messages(items) -> str:
    """Several messages on one line: separated by ； in Chinese, "; " in English."""
    return pgettext("error separator", "; ").join(str(item) for item in items)
