"""The one workflow engine: every status in the product changes here.

A register declares its table in ``choices.py``::

    CASE_WORKFLOW = Workflow(
        "enforcement.Case",
        [
            Transition("issue_notice", _("Issue a notice"), [S.REGISTERED], S.NOTICE_ISSUED,
                       permission="enforcement.change_case"),
            Transition("close", _("Close"), [S.RECTIFIED, S.ENFORCED], S.CLOSED,
                       permission="enforcement.change_case", note_required=True),
            Transition("mark_overdue", _("Overdue"), [S.NOTICE_ISSUED], S.OVERDUE,
                       system=True),
        ],
    )

and its actions call ``CASE_WORKFLOW.apply(pk, "close", actor=..., expected_version=...)``.
``apply`` is the only step that writes a status:

1. check the note when the step needs one;
2. lock the row, within what the actor may write (``core.scoping``), so a row
   they may not touch is ``NotFound``;
3. check the version on the locked row (``core.versioning``);
4. check the step starts from the current status (409 otherwise) and that the
   actor may take it (permission, roles, partner, system-only);
5. run the step's guard (a rule on the row, raising a domain error) and the
   caller's ``prepare`` (fields the step sets besides the status);
6. move the status, bump the version, save, and record the step: the register's
   own event table when it has one (``record=``), else ``core.StateChange``;
   all audited as the actor.

A database trigger (``status_protected()`` in the model's ``Meta.triggers``)
refuses any other UPDATE of the status column, so a forgotten ``.update()`` or
``save()`` fails loudly instead of skipping the rules.

``apply_many`` takes one step on many rows (an import) with the same checks,
row by row, in a fixed number of queries per batch: the rows locked and their
versions compared in one query, one UPDATE and one insert of the recorded
steps per batch (``core.bulk``).

Buttons on pages and ``allowed_transitions`` in the API come from
``Workflow.allowed()``, so they never offer a step ``apply`` would refuse.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import pgtrigger
from django.apps import apps
from django.db import models, transaction
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.errors import DomainError, IllegalTransition, NotFound, ValidationFailed
from core.scoping import is_partner, writable
from core.versioning import check_version

PROTECT_TRIGGER = "status_by_workflow"


def status_protected(field_name: str = "status") -> pgtrigger.Protect:
    """A trigger refusing UPDATEs that change ``field_name`` outside the engine."""
    return pgtrigger.Protect(
        name=PROTECT_TRIGGER,
        operation=pgtrigger.Update,
        condition=pgtrigger.Q(
            **{f"old__{field_name}__df": pgtrigger.F(f"new__{field_name}")}
        ),
    )


@contextlib.contextmanager
def status_writes_allowed(model: type[models.Model]):
    """Let this thread change ``model``'s status column (the engine, data fixes)."""
    with pgtrigger.ignore(f"{model._meta.label}:{PROTECT_TRIGGER}"):
        yield


@dataclass(frozen=True)
class Transition:
    """One allowed step: verb, from which statuses, to which, and who may take it.

    ``permission`` is a Django permission the actor needs; ``roles`` a set of
    group names of which the actor needs one (either or both may be given).
    ``partner`` lets a partner district's system take it (federation events);
    ``system`` keeps it for the system alone (deadline sweeps, cascades): no
    person is offered it. ``guard(obj, actor)`` raises a domain error when a rule
    on the row forbids the step now.

    ``target=None`` is a step that is recorded on the row's timeline (a
    re-inspection that found nothing new, a disposal) under the same lock,
    version, source and permission checks, but leaves the status as it is.
    """

    verb: str
    label: Any
    sources: tuple[str, ...]
    target: str | None
    permission: str | None = None
    roles: tuple[str, ...] = ()
    guard: Callable[[Any, Any], None] | None = None
    note_required: bool = False
    partner: bool = False
    system: bool = False

    def __init__(
        self,
        verb,
        label,
        sources: Iterable[str],
        target: str | None,
        *,
        permission: str | None = None,
        roles: Iterable[str] = (),
        guard: Callable[[Any, Any], None] | None = None,
        note_required: bool = False,
        partner: bool = False,
        system: bool = False,
    ):
        # A frozen dataclass with list-friendly arguments.
        for name, value in {
            "verb": verb,
            "label": label,
            "sources": tuple(str(s) for s in sources),
            "target": str(target) if target is not None else None,
            "permission": permission,
            "roles": tuple(str(r) for r in roles),
            "guard": guard,
            "note_required": note_required,
            "partner": partner,
            "system": system,
        }.items():
            object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        return f"Transition({self.verb}: {self.sources} → {self.target})"


def _role_names(actor) -> set[str]:
    cached = getattr(actor, "_role_names", None)
    if cached is None:
        cached = set(actor.groups.values_list("name", flat=True))
        actor._role_names = cached
    return cached


RecordStep = Callable[..., Any]


@dataclass
class Workflow:
    """A register's transition table and the engine step that applies it."""

    model_label: str
    transitions: list[Transition]
    field: str = "status"
    # record(obj, transition, *, actor, from_status, note, data) -> event; None
    # writes a core.StateChange.
    record: RecordStep | None = None
    by_verb: dict[str, Transition] = dataclass_field(init=False)

    def __post_init__(self):
        self.by_verb = {t.verb: t for t in self.transitions}
        if len(self.by_verb) != len(self.transitions):
            raise ValueError(f"{self.model_label}: a verb appears twice")

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    def __getitem__(self, verb: str) -> Transition:
        return self.by_verb[verb]

    def __contains__(self, verb: str) -> bool:
        return verb in self.by_verb

    def __iter__(self):
        return iter(self.transitions)

    def sources(self, verb: str) -> tuple[str, ...]:
        return self.by_verb[verb].sources

    def transitions_from(self, status: str) -> list[Transition]:
        return [t for t in self.transitions if status in t.sources]

    # -- who may ------------------------------------------------------------

    def may(self, actor, transition: Transition) -> bool:
        """Whether ``actor`` may take ``transition`` at all (not yet: on which row)."""
        if actor is None:
            return True
        if transition.system:
            return False
        if is_partner(actor):
            return transition.partner
        if not actor.is_authenticated:
            return False
        if actor.is_superuser:
            return True
        if transition.partner and not (transition.permission or transition.roles):
            return False
        if transition.permission and not actor.has_perm(transition.permission):
            return False
        if transition.roles and not (_role_names(actor) & set(transition.roles)):
            return False
        return True

    def allowed(self, obj, actor) -> list[Transition]:
        """The steps ``actor`` may take on ``obj`` now: the page's buttons, the API's
        ``allowed_transitions``. Guards run too, so no offered step is refused."""
        status = getattr(obj, self.field)
        steps = []
        for transition in self.transitions_from(status):
            if actor is None or not self.may(actor, transition):
                continue
            if transition.guard is not None:
                try:
                    transition.guard(obj, actor)
                except DomainError:
                    continue
            steps.append(transition)
        return steps

    # -- the one step that writes a status ------------------------------------

    def apply(
        self,
        obj_or_pk,
        verb: str,
        *,
        actor,
        expected_version,
        note: str = "",
        data: dict | None = None,
        prepare: Callable[[Any], dict | None] | None = None,
        queryset=None,
    ):
        """Take step ``verb`` on the row; return the saved row (see the module doc).

        ``queryset`` narrows where the row is looked for (defaults to what the
        actor may write); ``prepare(locked_row)`` sets the step's other fields and
        may return extra data for the recorded step.
        """
        transition = self.by_verb.get(verb)
        if transition is None:
            raise IllegalTransition(_("Unknown step “%(verb)s”") % {"verb": verb})
        note = (note or "").strip()
        if transition.note_required and not note:
            raise ValidationFailed(
                _("%(step)s needs a reason") % {"step": transition.label},
                errors=[
                    {
                        "field": "note",
                        "code": "required",
                        "message": _("%(step)s needs a reason")
                        % {"step": transition.label},
                    }
                ],
            )
        model = self.model
        pk = obj_or_pk.pk if isinstance(obj_or_pk, models.Model) else obj_or_pk
        qs = queryset if queryset is not None else writable(model, actor)
        with (
            transaction.atomic(),
            actor_context(actor),
            status_writes_allowed(model),
        ):
            locked = qs.select_for_update(of=("self",)).filter(pk=pk).first()
            if locked is None:
                raise NotFound()
            check_version(locked, expected_version)
            current = getattr(locked, self.field)
            if current not in transition.sources:
                raise IllegalTransition(
                    _("The record is “%(status)s”; the step “%(step)s” is not possible")
                    % {
                        "status": _display(locked, self.field),
                        "step": transition.label,
                    }
                )
            if not self.may(actor, transition):
                raise IllegalTransition(
                    _("Your role may not take the step “%(step)s”")
                    % {"step": transition.label}
                )
            if transition.guard is not None:
                transition.guard(locked, actor)
            extra = prepare(locked) if prepare else None
            if transition.target is not None:
                setattr(locked, self.field, transition.target)
            if hasattr(locked, "version"):
                locked.version += 1
            locked.save()
            record = self.record or record_state_change
            record(
                locked,
                transition,
                actor=actor,
                from_status=current,
                note=note,
                data={**(data or {}), **(extra or {})},
            )
        return locked

    def apply_many(
        self,
        expected: dict,
        verb: str,
        *,
        actor,
        note: str = "",
        prepare: Callable[[Any], dict | None] | None = None,
        fields: Iterable[str] = (),
        queryset=None,
        held: Iterable[models.Model] | None = None,
        batch_size: int = 1000,
    ) -> list:
        """``apply`` for many rows (an import): the same checks, row by row, in a
        fixed number of queries per batch.

        ``expected`` maps pk → the version the caller read. Every row is locked
        (pk order) within ``queryset`` (default: what the actor may write),
        its version compared, the step's source, the actor's right and the
        guard checked, ``prepare`` run; then the rows are saved with one
        ``bulk_update`` (status, version, ``fields`` that ``prepare`` sets and
        the ``auto_now`` fields) and the steps recorded with one ``bulk_create``
        of ``core.StateChange`` (registers with their own ``record`` get one
        call per row). The first refusal raises and the caller's transaction
        leaves every row as it was. The audit triggers see each row's UPDATE,
        as with ``apply``.

        ``held`` are the rows themselves when the caller already holds them in
        this transaction: created by it, or locked by ``versioning.lock_many``.
        They are not read again (an import of 10,000 new matters would lock and
        fetch them only to find what it has), but they must still lie within
        ``queryset`` (one query) and their versions are still compared.
        """
        from core.bulk import bulk_update_values
        from core.versioning import lock_many

        transition = self.by_verb.get(verb)
        if transition is None:
            raise IllegalTransition(_("Unknown step “%(verb)s”") % {"verb": verb})
        note = (note or "").strip()
        if transition.note_required and not note:
            raise ValidationFailed(
                _("%(step)s needs a reason") % {"step": transition.label}
            )
        if not expected:
            return []
        model = self.model
        qs = queryset if queryset is not None else writable(model, actor)
        with (
            transaction.atomic(),
            actor_context(actor if not is_partner(actor) else None),
            status_writes_allowed(model),
        ):
            if held is None:
                locked = lock_many(qs, expected=expected)
            else:
                locked = {obj.pk: obj for obj in held}
                in_scope = qs.filter(pk__in=list(expected)).count()
                if set(locked) != set(expected) or in_scope != len(expected):
                    raise NotFound()
                for pk, version in expected.items():
                    check_version(locked[pk], version)
            if not self.may(actor, transition):
                raise IllegalTransition(
                    _("Your role may not take the step “%(step)s”")
                    % {"step": transition.label}
                )
            auto_now = [
                f for f in model._meta.concrete_fields if getattr(f, "auto_now", False)
            ]
            rows, steps = [], []
            for pk in sorted(locked):
                obj = locked[pk]
                current = getattr(obj, self.field)
                if current not in transition.sources:
                    raise IllegalTransition(
                        _(
                            "The record is “%(status)s”; the step “%(step)s” is "
                            "not possible"
                        )
                        % {
                            "status": _display(obj, self.field),
                            "step": transition.label,
                        }
                    )
                if transition.guard is not None:
                    transition.guard(obj, actor)
                extra = prepare(obj) if prepare else None
                if transition.target is not None:
                    setattr(obj, self.field, transition.target)
                if hasattr(obj, "version"):
                    obj.version += 1
                for auto in auto_now:
                    auto.pre_save(obj, add=False)
                rows.append(obj)
                steps.append((obj, current, extra))
            update = [self.field, *fields, *(f.name for f in auto_now)]
            if hasattr(model, "version"):
                update.append("version")
            bulk_update_values(
                model, rows, list(dict.fromkeys(update)), batch_size=batch_size
            )
            if self.record is None:
                _record_state_changes(
                    steps, transition, actor=actor, note=note, batch_size=batch_size
                )
            else:
                for obj, current, extra in steps:
                    self.record(
                        obj,
                        transition,
                        actor=actor,
                        from_status=current,
                        note=note,
                        data=extra or {},
                    )
        return rows


def _record_state_changes(steps, transition, *, actor, note, batch_size):
    """``record_state_change`` for many rows in one ``bulk_create``."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import StateChange

    if not steps:
        return
    content_type = ContentType.objects.get_for_model(type(steps[0][0]))
    StateChange.objects.bulk_create(
        [
            StateChange(
                content_type=content_type,
                object_id=obj.pk,
                verb=transition.verb,
                from_status=current,
                to_status=transition.target or current,
                actor=actor if getattr(actor, "pk", None) else None,
                partner=actor.district if is_partner(actor) else None,
                note=note,
                data=extra or {},
            )
            for obj, current, extra in steps
        ],
        batch_size=batch_size,
    )


def _display(obj, field_name: str) -> str:
    getter = getattr(obj, f"get_{field_name}_display", None)
    return str(getter()) if getter else str(getattr(obj, field_name))


def record_state_change(obj, transition, *, actor, from_status, note, data):
    """The default record of a step, for registers without an event table."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import StateChange

    return StateChange.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        verb=transition.verb,
        from_status=from_status,
        to_status=transition.target or from_status,
        actor=actor if getattr(actor, "pk", None) else None,
        partner=actor.district if is_partner(actor) else None,
        note=note,
        data=data or {},
    )
