"""The coverage page's figures: whole Indonesian month names, coverage by distrik in percent,
the distrik map (and a province's regencies) coloured by coverage, the burn-down, all
following ``?on=``, and the page under 150 KB with its map."""

from __future__ import annotations

import datetime as dt
import re

from jaring.coverage import boundaries
from jaring.web import charts

MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def test_the_distrik_map_and_charts_render_with_whole_labels(browser_as) -> None:  # type: ignore[no-untyped-def]
    admin = browser_as("admin")
    r = admin.get("/coverage?region=96.71&on=2024-06-01")
    assert r.status_code == 200
    assert len(r.content) < 150_000
    html = r.text
    # the map: every distrik of Kota Sorong drawn, the covered ones coloured
    paths = re.findall(r'<path d="[^"]+" fill="([^"]+)"[^>]*data-code="([\d.]+)"', html)
    codes = {c for _f, c in paths}
    assert codes == set(boundaries.children("96.71"))
    fills = dict((c, f) for f, c in paths)
    assert fills["96.71.01"] == charts.SHADES[4]  # 1 of 1 covered
    assert fills["96.71.02"] != charts.NO_DATA  # 1 of 2
    assert fills["96.71.05"] == charts.NO_DATA  # nobody registered there
    # month names whole, in Indonesian, under the trend line
    months = re.findall(r'<text class="lbl month"[^>]*>([^<]+)</text>', html)
    assert "Juni 2024" in months and "Januari 2024" in months
    assert all(m.split()[0] in MONTHS_ID for m in months)
    # coverage by distrik in percent, the Indonesian way
    assert "100,0%" in html and "50,0%" in html
    assert 'id="fig-burn"' in html


def test_every_figure_follows_the_date(browser_as) -> None:  # type: ignore[no-untyped-def]
    admin = browser_as("admin")
    before = admin.get("/coverage?region=96.71&on=2023-06-01").text
    months = re.findall(r'<text class="lbl month"[^>]*>([^<]+)</text>', before)
    assert "Juni 2023" in months and "Juni 2024" not in months
    assert 'id="cov-covered">0<' in before
    # the burn-down is of the date's year: no program in 2023
    assert 'id="fig-burn"' not in before


def test_a_province_map_of_its_regencies(browser_as) -> None:  # type: ignore[no-untyped-def]
    admin = browser_as("admin")
    r = admin.get("/coverage?region=96&on=2024-06-01")
    assert r.status_code == 200 and len(r.content) < 150_000
    codes = set(re.findall(r'data-code="([\d.]+)"', r.text))
    assert codes == set(boundaries.children("96")) and "96.71" in codes


def test_charts_keep_their_shape() -> None:
    months = [dt.date(2024, m, 1) for m in range(1, 13)]
    svg = str(charts.line_chart([(m, i * 10) for i, m in enumerate(months)], "Tren"))
    assert 'viewBox="0 0 640 300"' in svg and "Desember 2024" in svg
    bars = str(
        charts.stacked_bars(months, [("terbayar", [1] * 12), ("sisa", [2] * 12)], "Anggaran")
    )
    assert bars.count("<rect") == 2 + 24  # the legend and two parts a month
    shapes = boundaries.children("96.71")
    m = re.search(r'viewBox="0 0 (\d+) (\d+)"', str(charts.choropleth(shapes, {}, "Peta")))
    assert m is not None and 300 < int(m.group(2)) < 800


def test_regions_are_chosen_by_name_and_groups_read_as_words(browser_as) -> None:  # type: ignore[no-untyped-def]
    """The region is picked from a list of names inside the user's regions, never typed as a
    code; segments, sexes and unknown values read as words."""
    admin = browser_as("admin")
    html = admin.get("/coverage?region=96.71&on=2024-06-01").text
    options = dict(re.findall(r'<option value="([\d.]+)"[^>]*>([^<]+)</option>', html))
    assert options["96.71"] == "Kota Sorong"
    assert options["96"] == "Papua Barat Daya (provinsi)"
    assert options["96.71.02"] == "Sorong Timur (distrik)"
    assert 'name="region" value=' not in html  # no typed code
    assert "BPU: bukan penerima upah" in html and ">bpu<" not in html
    assert "perempuan" in html or "laki-laki" in html
    operator = browser_as("operator")  # one distrik: only what it may read
    mine = operator.get("/coverage").text
    codes = set(re.findall(r'<option value="([\d.]+)"', mine))
    assert codes and all(c.startswith("96.71.02") for c in codes)


def test_unknown_ages_and_areas_read_in_the_pages_language(browser_as) -> None:  # type: ignore[no-untyped-def]
    """The figures carry one word for an unknown age, occupation or area; the page says it
    in its own language."""
    admin = browser_as("admin")
    english = admin.get("/coverage?region=96.71&on=2024-06-01&lang=en").text
    indonesian = admin.get("/coverage?region=96.71&on=2024-06-01&lang=id").text
    assert "tidak diketahui" not in english
    assert ">unknown<" in english and ">tidak diketahui<" in indonesian
