"""The base of this project's management commands, so that ``help`` can be translated."""

from django.core.management.base import BaseCommand as DjangoBaseCommand


class BaseCommand(DjangoBaseCommand):
    """Django hands ``help`` to argparse as the description, and argparse needs a
    real string: a lazy ``help`` (``gettext_lazy``) is rendered here, in the active
    language, when the parser is built."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        if parser.description is not None:
            parser.description = str(parser.description)
        return parser
