"""The field form as an XLSForm, for teams that use ODK Collect or KoboToolbox: the same fields,
constraints and choice lists as the offline form (pure: a region in, a workbook out).

Field names are the ones ``jaring registry import`` maps (``nik``, ``nama``, ``tanggal_lahir``,
``jenis_kelamin``, ``alamat``, ``kelurahan``, ``distrik``, ``no_hp``, ``pekerjaan``,
``penghasilan``), at the top level (an ODK Central CSV export names a grouped field
``group-field``), so that a submission export imports as a list with every field mapped.
Choice names of places are their names as the registry's place look-up keys them, with ``_``
for spaces (``sorong_timur`` is Distrik Sorong Timur, ``baru`` Kampung Baru: the look-up drops
the prefix), so an export's places are found again; kelurahan carry their distrik for the
cascading choice filter.

The NIK constraint is what XPath can say of the rules (16 digits, a month 1-12, a day 1-31
or 41-71, a serial not 0000); the full date and region checks run when the submissions come
in (``jaring field pull`` or ``jaring field import``), as for every list.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import xlsxwriter

from jaring.field import errors, rules
from jaring.registry.normalise import normalise_place
from jaring.registry.regions import name_of

NIK_CONSTRAINT = (
    "regex(., '^[0-9]{16}$') and substr(., 13, 4) != '0000' "
    "and number(substr(., 9, 2)) >= 1 and number(substr(., 9, 2)) <= 12 "
    "and ((number(substr(., 7, 2)) >= 1 and number(substr(., 7, 2)) <= 31) "
    "or (number(substr(., 7, 2)) >= 41 and number(substr(., 7, 2)) <= 71))"
)
PHONE_CONSTRAINT = "regex(., '^(\\+?62|0)[1-9][0-9]{7,12}$')"

SURVEY_COLUMNS = (
    "type",
    "name",
    "label::Indonesian (id)",
    "label::English (en)",
    "hint::Indonesian (id)",
    "hint::English (en)",
    "required",
    "constraint",
    "constraint_message::Indonesian (id)",
    "constraint_message::English (en)",
    "relevant",
    "choice_filter",
    "appearance",
    "parameters",
    "calculation",
)

SURVEY: list[dict[str, str]] = [
    {"type": "start", "name": "start"},
    {"type": "end", "name": "end"},
    {"type": "deviceid", "name": "deviceid"},
    {"type": "username", "name": "username"},
    {
        "type": "text",
        "name": "nik",
        "label::Indonesian (id)": "NIK (16 digit, dari KTP)",
        "label::English (en)": "NIK (16 digits, from the KTP)",
        "required": "yes",
        "constraint": NIK_CONSTRAINT,
        "constraint_message::Indonesian (id)": "NIK harus 16 angka dengan tanggal lahir yang "
        "mungkin dan nomor urut bukan 0000.",
        "constraint_message::English (en)": "A NIK is 16 digits with a possible birth date and "
        "a serial other than 0000.",
        "appearance": "numbers",
    },
    {
        "type": "text",
        "name": "nama",
        "label::Indonesian (id)": "Nama lengkap (sesuai KTP)",
        "label::English (en)": "Full name (as on the KTP)",
        "required": "yes",
    },
    {
        "type": "date",
        "name": "tanggal_lahir",
        "label::Indonesian (id)": "Tanggal lahir",
        "label::English (en)": "Birth date",
        "constraint": ". <= today()",
        "constraint_message::Indonesian (id)": "Tanggal lahir tidak boleh di masa depan.",
        "constraint_message::English (en)": "A birth date cannot be in the future.",
    },
    {
        "type": "select_one jk",
        "name": "jenis_kelamin",
        "label::Indonesian (id)": "Jenis kelamin",
        "label::English (en)": "Sex",
        "required": "yes",
    },
    {
        "type": "text",
        "name": "alamat",
        "label::Indonesian (id)": "Alamat",
        "label::English (en)": "Address",
        "appearance": "multiline",
    },
    {
        "type": "select_one distrik",
        "name": "distrik",
        "label::Indonesian (id)": "Distrik",
        "label::English (en)": "District",
        "required": "yes",
    },
    {
        "type": "select_one kelurahan",
        "name": "kelurahan",
        "label::Indonesian (id)": "Kelurahan",
        "label::English (en)": "Village",
        "choice_filter": "distrik = ${distrik}",
    },
    {
        "type": "text",
        "name": "no_hp",
        "label::Indonesian (id)": "No HP",
        "label::English (en)": "Phone",
        "constraint": PHONE_CONSTRAINT,
        "constraint_message::Indonesian (id)": "Nomor HP Indonesia: 08... atau +628...",
        "constraint_message::English (en)": "An Indonesian phone: 08... or +628...",
        "appearance": "numbers",
    },
    {
        "type": "text",
        "name": "pekerjaan",
        "label::Indonesian (id)": "Pekerjaan",
        "label::English (en)": "Occupation",
        "hint::Indonesian (id)": "mis. pedagang pasar, ojek, nelayan",
        "hint::English (en)": "e.g. market trader, ojek, fisher",
    },
    {
        "type": "text",
        "name": "pasar",
        "label::Indonesian (id)": "Pasar atau pangkalan",
        "label::English (en)": "Market or base",
    },
    {
        "type": "integer",
        "name": "penghasilan",
        "label::Indonesian (id)": "Penghasilan per bulan (Rp)",
        "label::English (en)": "Income per month (Rp)",
        "constraint": ". >= 0",
        "constraint_message::Indonesian (id)": "Rupiah, tanpa titik.",
        "constraint_message::English (en)": "Rupiah, without dots.",
    },
    {
        "type": "image",
        "name": "foto_ktp",
        "label::Indonesian (id)": "Foto KTP (boleh dilewati)",
        "label::English (en)": "Photo of the KTP (optional)",
        "parameters": "max-pixels=1600",
    },
    {
        "type": "note",
        "name": "tujuan",
        "label::Indonesian (id)": "Bacakan kepada pekerja: data Anda (NIK, nama, tanggal lahir, "
        "alamat, HP, pekerjaan, penghasilan dan foto KTP) dikumpulkan oleh pemerintah daerah "
        "untuk mendaftarkan Anda pada perlindungan BPJS Ketenagakerjaan yang dibayar daerah, "
        "dan hanya disimpan untuk tujuan itu selama yang diatur daerah. Anda boleh meminta "
        "melihat, memperbaiki atau menghapusnya.",
        "label::English (en)": "Read to the worker: the purpose (UU 27/2022).",
    },
    {
        "type": "select_one ya",
        "name": "persetujuan",
        "label::Indonesian (id)": "Pekerja sudah mendengar dan setuju",
        "label::English (en)": "The worker heard this and agrees",
        "required": "yes",
        "constraint": ". = 'ya'",
        "constraint_message::Indonesian (id)": "Tanpa persetujuan, data tidak boleh dicatat.",
        "constraint_message::English (en)": "Without consent, nothing may be recorded.",
    },
    {
        "type": "text",
        "name": "nama_persetuju",
        "label::Indonesian (id)": "Nama yang menyetujui",
        "label::English (en)": "Name of the person who agreed",
        "required": "yes",
    },
    {
        "type": "calculate",
        "name": "versi_persetujuan",
        "calculation": f"'{rules.CONSENT_VERSION}'",
    },
]


def slugs(names: list[str]) -> list[str]:
    """Places' choice names: the name as the registry looks places up
    (:func:`jaring.registry.normalise.normalise_place`: no "Distrik"/"Kampung"... prefix,
    letters only), ``_`` for spaces, so that an export's ``sorong_timur`` or ``baru`` (for
    Kampung Baru) is found again when it is imported as a list."""
    keys = pl.Series(names, dtype=pl.String).to_frame("n").select(normalise_place(pl.col("n")))
    return [re.sub(r"[^a-z0-9]+", "_", k or "").strip("_") for k in keys.to_series().to_list()]


def slug(name: str) -> str:
    """A place's choice name (:func:`slugs`)."""
    return slugs([name])[0]


def choices(region: str) -> list[dict[str, str]]:
    """The choice lists: sex, yes, and the distrik and kelurahan of ``region``."""
    out = [
        {"list_name": "jk", "name": "L", "label::Indonesian (id)": "Laki-laki (L)",
         "label::English (en)": "Male (L)"},
        {"list_name": "jk", "name": "P", "label::Indonesian (id)": "Perempuan (P)",
         "label::English (en)": "Female (P)"},
        {"list_name": "ya", "name": "ya", "label::Indonesian (id)": "Ya, setuju",
         "label::English (en)": "Yes, agrees"},
    ]  # fmt: skip
    districts, villages = choice_names(region)
    lists = rules.region_lists((region,))
    for d in lists.districts:
        out.append(
            {
                "list_name": "distrik",
                "name": districts[d.code],
                "label::Indonesian (id)": d.name,
                "label::English (en)": d.name,
            }
        )
    for d in lists.districts:
        for v in d.villages:
            out.append(
                {
                    "list_name": "kelurahan",
                    "name": villages[v.code],
                    "label::Indonesian (id)": v.name,
                    "label::English (en)": v.name,
                    "distrik": districts[d.code],
                }
            )
    return out


def choice_names(region: str) -> tuple[dict[str, str], dict[str, str]]:
    """The choice name of every distrik and kelurahan of ``region``, by code: its
    :func:`slugs`, and for a name already taken in the region (or one without letters) the
    name with the code's last part (``baru_1001``: the registry's look-up drops the digits
    and finds the kelurahan by name inside its distrik)."""
    lists = rules.region_lists((region,))
    used: set[str] = set()
    districts: dict[str, str] = {}
    for d, name in zip(lists.districts, slugs([d.name for d in lists.districts]), strict=True):
        districts[d.code] = _unique(name, d.code, used)
    villages: dict[str, str] = {}
    every = [v for d in lists.districts for v in d.villages]
    for v, name in zip(every, slugs([v.name for v in every]), strict=True):
        villages[v.code] = _unique(name, v.code, used)
    return districts, villages


def _unique(name: str, code: str, used: set[str]) -> str:
    if not name or name in used:
        name = f"{name}_{code.rsplit('.', 1)[-1]}".strip("_")
        if not name[0].isalpha():
            name = f"k{name}"
    used.add(name)
    return name


def check_region(region: str) -> str:
    """``region`` as a regency or city code (``96.71``); refuses others."""
    region = (region or "").strip()
    if name_of(region) is None:
        raise errors.REGION_UNKNOWN(field="region", region=region)
    if region.count(".") != 1:
        raise errors.REGION_LEVEL(field="region", region=region)
    return region


def form_id(region: str) -> str:
    return "jaring_lapangan_" + region.replace(".", "")


def write(region: str, out: str | Path, *, version: str = "2026120501") -> Path:
    """Write the XLSForm of ``region`` (a regency or city, ``96.71``) to ``out``."""
    region = check_region(region)
    path = Path(out)
    book = xlsxwriter.Workbook(str(path))
    survey = book.add_worksheet("survey")
    for j, col in enumerate(SURVEY_COLUMNS):
        survey.write(0, j, col)
    for i, row in enumerate(SURVEY, start=1):
        for j, col in enumerate(SURVEY_COLUMNS):
            if row.get(col):
                survey.write_string(i, j, row[col])
    sheet = book.add_worksheet("choices")
    names = ["list_name", "name", "label::Indonesian (id)", "label::English (en)", "distrik"]
    for j, col in enumerate(names):
        sheet.write(0, j, col)
    for i, row in enumerate(choices(region), start=1):
        for j, col in enumerate(names):
            if row.get(col):
                sheet.write_string(i, j, row[col])
    settings = book.add_worksheet("settings")
    title = f"Jaring: pendaftaran lapangan, {name_of(region)}"
    for j, (k, v) in enumerate(
        [
            ("form_title", title),
            ("form_id", form_id(region)),
            ("version", version),
            ("default_language", "Indonesian (id)"),
            ("instance_name", "concat(${nama}, ' ', ${pasar})"),
        ]
    ):
        settings.write(0, j, k)
        settings.write_string(1, j, v)
    book.close()
    return path
