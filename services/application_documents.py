"""The notices of an application as PDF (受理通知书, 一次性告知书, 不予受理通知书)."""

from __future__ import annotations

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.documents import Document, Rendered, render
from core.i18n import district_language
from core.masking import mask_id
from services.choices import DocumentKind


def _issuer(application) -> str:
    department = application.intake_department
    district = application.accepting_district.name
    if department.name.startswith(district):
        return department.name
    return f"{district}{department.name}"


def _long_date(day) -> str:
    # Translators: a date in running text of a notice, in Django's date format syntax.
    return dateformat.format(day, pgettext("date in a notice", "F j, Y"))


def render_notice(application, kind: str, event) -> Rendered:
    """One notice, carrying the application number and the district's name; an
    official document, so in the district's language whoever prints it."""
    with district_language():
        return _render_notice(application, kind, event)


def _render_notice(application, kind: str, event) -> Rendered:
    title = str(DocumentKind(kind).label)
    date = timezone.localdate(event.created_at)
    document = Document(
        title=title,
        number=_("Application number: %(number)s") % {"number": application.number},
        issuer=_issuer(application),
        date=date,
        recipient=application.applicant_name,
    )
    matter = application.title
    district = application.accepting_district.name
    rows = [
        (_("Application number"), application.number),
        (_("Matter applied for"), matter),
        (_("Applicant"), application.applicant_name),
        (_("Identity document number"), mask_id(application.applicant_id_number)),
        (_("Date received"), f"{application.received_on:%Y-%m-%d}"),
        (_("Accepting district"), district),
    ]
    if kind == DocumentKind.ACCEPTANCE:
        document.paragraph(
            _(
                "Your application for “%(matter)s”, submitted on %(date)s, has been "
                "examined: the materials are complete and in the legal form, and "
                "%(district)s has decided to accept it."
            )
            % {
                "date": _long_date(application.received_on),
                "matter": matter,
                "district": district,
            }
        )
        if application.due_date:
            rows.append(
                (
                    pgettext("notice", "Promised completion date"),
                    f"{application.due_date:%Y-%m-%d}",
                )
            )
        if application.deemed_accepted:
            document.paragraph(
                _(
                    "Under Article 32 of the Administrative Licensing Law of the "
                    "People's Republic of China, this application is deemed accepted "
                    "from the day its materials were received."
                )
            )
        document.fields(rows)
        document.paragraph(
            _(
                "Use this notice and the application number to follow the "
                "application's progress."
            )
        )
    elif kind == DocumentKind.CORRECTION:
        document.paragraph(
            _(
                "The materials of your application for “%(matter)s” are incomplete "
                "or not in the legal form. Under Article 32 of the Administrative "
                "Licensing Law of the People's Republic of China, everything you need "
                "to correct is listed below, all at once:"
            )
            % {"matter": matter}
        )
        document.fields(rows)
        items = (event.data or {}).get("items", [])
        document.table(
            [_("No."), _("Material name"), _("Correction required")],
            [
                [str(i), item["name"], item["problem"]]
                for i, item in enumerate(items, 1)
            ],
        )
        if event.note:
            document.paragraph(_("Other remarks: %(note)s") % {"note": event.note})
        document.paragraph(
            _(
                "Please correct as required above and submit again. The time taken "
                "by the correction does not count towards the time limit."
            )
        )
    else:
        document.paragraph(
            _(
                "Your application for “%(matter)s” has been examined, and "
                "%(district)s has decided not to accept it, for these reasons:"
            )
            % {"matter": matter, "district": district}
        )
        document.paragraph(event.note or "")
        document.fields(rows)
        document.paragraph(
            _(
                "If you disagree with this decision, you may apply for administrative "
                "reconsideration within sixty days of receiving this notice, or bring "
                "an administrative lawsuit within six months."
            )
        )
    return render(document)
