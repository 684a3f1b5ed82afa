"""The launcher catalogue: a user adds a launcher as a TOML table; bad files and names get one clear line."""

import pytest

from areo.errors import InputError
from areo.launch import assess, get_launcher, load_launchers

USER_LAUNCHER = """
[launchers.my-rocket]
title = "My rocket"
site = "baikonur"
parking_inclinations_deg = [51.6, 64.8]
max_coast_min = 120.0
c3_km2_s2 = [0.0, 10.0]
payload_kg = [2000.0, 1500.0]
source = "test data"
"""


def test_user_toml_adds_a_launcher(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(USER_LAUNCHER)
    launchers = load_launchers(f)
    assert "my-rocket" in launchers and "proton-m-breeze-m" in launchers
    lv = get_launcher("my-rocket", f)
    assert lv.site.name == "baikonur" and lv.max_dla_deg == 64.8
    assert assess(lv, 5.0, payload_kg=1700.0).margin_kg == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("c3_km2_s2 = [0.0, 10.0]", "c3_km2_s2 = [10.0, 0.0]"),
        ("payload_kg = [2000.0, 1500.0]", "payload_kg = [2000.0]"),
        ('site = "baikonur"', 'site = "kourou"'),
        ("max_coast_min = 120.0", "max_coast = 120.0"),
        ("parking_inclinations_deg = [51.6, 64.8]", "parking_inclinations_deg = [30.0]"),
    ],
)
def test_bad_user_file_names_what_is_wrong(tmp_path, edit, message):
    f = tmp_path / "bad.toml"
    f.write_text(USER_LAUNCHER.replace(edit, message))
    with pytest.raises(InputError) as exc:
        load_launchers(f)
    text = str(exc.value)
    assert "\n" not in text
    key = message.split(" =")[0]
    assert key in text or "kourou" in text


def test_unknown_launcher_lists_the_catalogue():
    with pytest.raises(InputError, match=r"unknown launcher 'proton-m-breez'; did you mean 'proton-m-breeze-m'.*"):
        get_launcher("proton-m-breez")
    with pytest.raises(InputError, match=r"Valid choices: proton-k-d-2, proton-m-breeze-m, proton-m-dm-03, soyuz"):
        get_launcher("atlas")
