import pytest

from services.catalogue_codes import MalformedCode, parse_matter_code


def test_national_code_from_a_published_catalogue_is_accepted():
    parsed = parse_matter_code(
        "511A0138000000-511602000000-000-115113010833722043-1-00"
    )
    assert parsed.form == "national"
    assert parsed.area_code == "511602000000"
    assert parsed.basic_code == "511A0138000000"
    assert parsed.body_code == "115113010833722043"
    assert parsed.warnings == []


def test_dashed_basic_code_of_a_public_service_is_accepted():
    parsed = parse_matter_code("G-000007-001-511602000000-000-115113010833722043-1-00")
    assert parsed.basic_code == "G-000007-001"
    assert parsed.body_code == "115113010833722043"


def test_county_short_form_is_accepted_keeping_its_case_and_compared_upper():
    parsed = parse_matter_code(" 37080100sp-xk-0001 ")
    assert parsed.code == "37080100sp-xk-0001"
    assert parsed.key == "37080100SP-XK-0001"
    assert parsed.form == "county"
    assert parsed.area_code == "37080100"


def test_body_code_failing_the_checksum_is_kept_with_a_warning():
    parsed = parse_matter_code(
        "511A0138000000-511602000000-000-115113010833722044-1-00"
    )
    assert parsed.body_code == "115113010833722044"
    assert "校验" in parsed.warnings[0]


def test_seventeen_character_body_code_is_kept_with_a_warning():
    parsed = parse_matter_code("511A0138000000-511602000000-000-11511301083372204-1-00")
    assert "17位" in parsed.warnings[0]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "不能为空"),
        ("511A0138000000-5116020000-000-115113010833722043-1-00", "区划代码"),
        ("511A0138000000-511602000000-00-115113010833722043-1-00", "第三段"),
        ("511A0138000000-511602000000-000-1151130*-1-00", "“*”"),
        ("511A0138000000-511602000000-000-115113010833722043-12-00", "序号“12”"),
        ("511A0138000000-511602000000-000-115113010833722043-1-0", "校验位“0”"),
        ("511A0138000000-511602000000-000-115113010833722043", "缺少序号（1位）"),
        ("37080100SP-XK-001", "县级简码的序号"),
        ("食品经营许可", "实施编码应为"),
        ("37080100SP XK 0001", "空格"),
    ],
)
def test_malformed_codes_are_refused_with_the_reason(code, reason):
    with pytest.raises(MalformedCode) as caught:
        parse_matter_code(code)
    assert reason in str(caught.value)


# Real codes as published lists give them (the forms of issue 14).
@pytest.mark.parametrize(
    ("code", "basic", "body", "warning"),
    [
        # provincial basic codes
        (
            "1J-5100-00012-511602000000-000-115113010833722043-1-00",
            "1J-5100-00012",
            "115113010833722043",
            None,
        ),
        (
            "A-005818-5818-511602000000-000-115113010833722043-1-00",
            "A-005818-5818",
            "115113010833722043",
            None,
        ),
        # an old dashed organisation code as the body
        (
            "511A0138000000-511602000000-000-00877868-5-1-00",
            "511A0138000000",
            "00877868-5",
            "组织机构代码",
        ),
        (
            "511A0138000000-511602000000-000-00877868-4-1-00",
            "511A0138000000",
            "00877868-4",
            "未通过其校验",
        ),
        # bodies of 7, 9, 10 and 13 characters
        (
            "511A0138000000-511602000000-000-1151130-1-00",
            "511A0138000000",
            "1151130",
            "7位",
        ),
        (
            "511A0138000000-511602000000-000-008778685-1-00",
            "511A0138000000",
            "008778685",
            "组织机构代码",
        ),
        (
            "511A0138000000-511602000000-000-1151130108-1-00",
            "511A0138000000",
            "1151130108",
            "10位",
        ),
        (
            "511A0138000000-511602000000-000-1151130108337-1-00",
            "511A0138000000",
            "1151130108337",
            "13位",
        ),
    ],
)
def test_real_code_forms_are_accepted_with_the_body_form_named(
    code, basic, body, warning
):
    parsed = parse_matter_code(code)
    assert (parsed.form, parsed.basic_code, parsed.body_code) == (
        "national",
        basic,
        body,
    )
    if warning is None:
        assert parsed.warnings == []
    else:
        assert warning in parsed.warnings[0]


def test_full_width_digits_dashes_and_case_normalise_to_one_key():
    plain = parse_matter_code("511A0138000000-511602000000-000-115113010833722043-1-00")
    for look_alike in (
        "511A0138000000-511602000000-000-115113010833722043-1-００",
        "511a0138000000－511602000000－000－115113010833722043－1－00",
        "511A0138000000–511602000000—000−115113010833722043-1-00",
        "\ufeff511A0138000000-511602000000-000-115113010833722043-1-00 ",
    ):
        assert parse_matter_code(look_alike).key == plain.key


def test_every_wrong_part_is_named_at_once():
    with pytest.raises(MalformedCode) as caught:
        parse_matter_code("511A0138000000-51160200000X-00-115113010833722043-12-0")
    text = str(caught.value)
    assert "区划代码“51160200000X”" in text
    assert "第三段“00”" in text
    assert "序号“12”" in text and "校验位“0”" in text


def test_organisation_check_digit():
    from services.catalogue_codes import organisation_check

    assert organisation_check("00877868") == "5"
