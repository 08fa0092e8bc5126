"""The catalogue of row issues: one stable code per rule, a severity, and a message in Bahasa
Indonesia and English.

Codes are the public vocabulary of intake (stored in ``registry_issue.code``, shown in the
errors file, asserted by tests); messages may be reworded freely. ``{value}`` and
``{detail}`` are filled from the issue (the value as typed and, for cross-checks, the other
value).
"""

from __future__ import annotations

from typing import NamedTuple


class Message(NamedTuple):
    severity: str  # "error": the row waits for correction; "warning": accepted, flagged
    id: str
    en: str


CATALOGUE: dict[str, Message] = {
    "nik_excel_mangled": Message(
        "error",
        "NIK {value} dirusak Excel (notasi ilmiah): digit terakhirnya hilang. Ketik ulang NIK "
        "sebagai teks (format sel Text atau awali dengan ').",
        "NIK {value} was mangled by Excel (scientific notation): its last digits are lost. "
        "Retype the NIK as text (cell format Text, or prefix it with ').",
    ),
    "nik_not_digits": Message(
        "error", "NIK {value} mengandung karakter selain angka.", "NIK {value} has non-digits."
    ),
    "nik_length": Message(
        "error",
        "NIK {value} harus 16 digit (tertulis {detail} digit).",
        "NIK {value} must have 16 digits (it has {detail}).",
    ),
    "nik_date_invalid": Message(
        "error",
        "NIK {value} memuat tanggal lahir yang mustahil ({detail}).",
        "NIK {value} encodes an impossible birth date ({detail}).",
    ),
    "nik_serial_zero": Message(
        "error",
        "NIK {value}: nomor urut 0000 tidak pernah diterbitkan.",
        "NIK {value}: serial 0000 is never issued.",
    ),
    "nik_region_unknown": Message(
        "warning",
        "NIK {value}: kode wilayah {detail} tidak dikenal (diterima, periksa kembali).",
        "NIK {value}: region code {detail} is unknown (accepted; please check).",
    ),
    "nik_missing": Message(
        "warning",
        "NIK kosong: orang ini hanya dapat dicocokkan dengan nama dan tanggal lahir.",
        "NIK is empty: this person can only be matched by name and birth date.",
    ),
    "nik_birth_date_mismatch": Message(
        "warning",
        "Tanggal lahir {value} berbeda dengan tanggal dari NIK ({detail}).",
        "Birth date {value} differs from the date in the NIK ({detail}).",
    ),
    "nik_sex_mismatch": Message(
        "warning",
        "Jenis kelamin {value} berbeda dengan jenis kelamin dari NIK ({detail}).",
        "Sex {value} differs from the sex in the NIK ({detail}).",
    ),
    "name_missing": Message("error", "Nama kosong.", "Name is empty."),
    "identity_missing": Message(
        "error",
        "Tidak ada NIK yang sah maupun tanggal lahir: orang ini tidak dapat dikenali.",
        "Neither a valid NIK nor a birth date: this person cannot be identified.",
    ),
    "birth_date_invalid": Message(
        "error",
        "Tanggal lahir {value} tidak dapat dibaca atau mustahil.",
        "Birth date {value} cannot be read or is impossible.",
    ),
    "birth_date_invalid_nik_used": Message(
        "warning",
        "Tanggal lahir {value} tidak dapat dibaca; dipakai tanggal dari NIK ({detail}).",
        "Birth date {value} cannot be read; the date from the NIK ({detail}) is used.",
    ),
    "birth_date_out_of_range": Message(
        "warning",
        "Tanggal lahir {value}: umur {detail} tahun tidak wajar untuk pekerja.",
        "Birth date {value}: age {detail} is implausible for a worker.",
    ),
    "sex_invalid": Message(
        "warning",
        "Jenis kelamin {value} tidak dikenal (pakai L atau P).",
        "Sex {value} is not recognised (use L or P).",
    ),
    "phone_invalid": Message(
        "warning", "Nomor HP {value} tidak sah; dikosongkan.", "Phone {value} is invalid; dropped."
    ),
    "district_unknown": Message(
        "warning",
        "Distrik/kecamatan {value} tidak dikenal; dipakai kode dari NIK bila ada.",
        "District {value} is unknown; the NIK's district is used when there is one.",
    ),
    "village_unknown": Message(
        "warning",
        "Kelurahan/desa {value} tidak dikenal.",
        "Village {value} is unknown.",
    ),
    "desil_invalid": Message(
        "warning", "Desil {value} harus 1 sampai 10.", "Desil {value} must be 1 to 10."
    ),
    "income_invalid": Message(
        "warning",
        "Penghasilan {value} bukan angka rupiah.",
        "Income {value} is not a rupiah amount.",
    ),
}


def message(code: str, lang: str = "id", value: object = None, detail: object = None) -> str:
    """The message for ``code`` in ``lang`` with the value (and cross-check detail) filled in."""
    m = CATALOGUE[code]
    template = m.en if lang == "en" else m.id
    return template.format(value="" if value is None else value, detail=detail or "")


def severity(code: str) -> str:
    return CATALOGUE[code].severity
