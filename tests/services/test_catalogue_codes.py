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


def test_county_short_form_is_accepted_and_normalised():
    parsed = parse_matter_code(" 37080100sp-xk-0001 ")
    assert parsed.code == "37080100SP-XK-0001"
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
    assert "不是18位" in parsed.warnings[0]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "不能为空"),
        ("511A0138000000-5116020000-000-115113010833722043-1-00", "区划代码"),
        ("511A0138000000-511602000000-00-115113010833722043-1-00", "第三段"),
        ("511A0138000000-511602000000-000-1151130-1-00", "实施主体编码"),
        ("511A0138000000-511602000000-000-115113010833722043-12-00", "第五段"),
        ("37080100SP-XK-001", "县级简码"),
        ("食品经营许可", "实施编码应为"),
        ("37080100SP XK 0001", "空格"),
    ],
)
def test_malformed_codes_are_refused_with_the_reason(code, reason):
    with pytest.raises(MalformedCode) as caught:
        parse_matter_code(code)
    assert reason in str(caught.value)
