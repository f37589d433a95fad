import pytest
from django.core.exceptions import ValidationError

from core.validators import (
    credit_check_char,
    id_check_char,
    validate_credit_code,
    validate_id_number,
)

# 11010519491231002X is the worked example of GB 11643-1999.
VALID_IDS = ["11010519491231002X", "37080219900101123X", "37081119850715001X"]
# 91350100M000100Y43 is a published valid credit code; the other is computed.
VALID_CREDIT_CODES = ["91350100M000100Y43", "91370800MA3C5Y1X0M"]


@pytest.mark.parametrize("value", VALID_IDS)
def test_valid_id_numbers_pass(value):
    assert id_check_char(value[:17]) == value[17]
    validate_id_number(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("370802199001011234", "invalid_checksum"),
        ("37080219900101123", "invalid_format"),
        ("3708021990010112345", "invalid_format"),
        ("37080219901301123X", "invalid_birth_date"),  # month 13
        ("370802189001011230", "invalid_birth_date"),  # born 1890
        ("370802209901011234", "invalid_birth_date"),  # born in the future
        ("37080219900101123Y", "invalid_format"),
    ],
)
def test_invalid_id_numbers_are_refused_with_reason(value, code):
    with pytest.raises(ValidationError) as info:
        validate_id_number(value)
    assert info.value.code == code


def test_lowercase_x_is_accepted_as_check_character():
    validate_id_number("11010519491231002x")


@pytest.mark.parametrize("value", VALID_CREDIT_CODES)
def test_valid_credit_codes_pass(value):
    assert credit_check_char(value[:17]) == value[17]
    validate_credit_code(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("91350100M000100Y44", "invalid_checksum"),
        ("91370800MA3C5Y1X0P", "invalid_checksum"),
        ("91350100M000100Y4", "invalid_format"),
        ("91350100M0001O0Y43", "invalid_format"),  # letter O is not in the alphabet
        ("115113010833722044", "invalid_checksum"),
    ],
)
def test_invalid_credit_codes_are_refused_with_reason(value, code):
    with pytest.raises(ValidationError) as info:
        validate_credit_code(value)
    assert info.value.code == code


@pytest.mark.parametrize(
    ("validator", "value"),
    [
        (validate_id_number, "３７０８０２19900101123X"),
        (validate_credit_code, "91３７０８００MA3C0000１M"),
    ],
)
def test_full_width_digits_are_refused_not_crashed(validator, value):
    with pytest.raises(ValidationError) as info:
        validator(value)
    assert info.value.code == "invalid_format"
