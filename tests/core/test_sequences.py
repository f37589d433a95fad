import pytest
from django.db import transaction

from core.sequences import next_number

pytestmark = pytest.mark.django_db


def test_each_scope_counts_on_its_own():
    assert [next_number("a:2026"), next_number("a:2026"), next_number("b:2026")] == [
        1,
        2,
        1,
    ]


def test_a_rolled_back_number_is_handed_out_again():
    next_number("c")

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        assert next_number("c") == 2
        raise Undo
    assert next_number("c") == 2


@pytest.mark.django_db(transaction=True)
def test_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        next_number("d")
