"""Header synonyms -> canonical fields.

Lists are typed by hand: "NIK", "No. KTP", "Nama Lengkap", "Tgl Lahir", "L/P"... A header is
matched after folding case and dropping everything but letters and digits, so "No. KTP",
"NO KTP" and "no_ktp" are one key. A file whose headers cannot be mapped is refused with a
message that lists what was found and what is needed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jaring.registry import errors

FIELDS = (
    "nik",
    "name",
    "birth_date",
    "birth_place",
    "sex",
    "address",
    "village",
    "district",
    "phone",
    "occupation",
    "income",
    "desil",
)

# fmt: off
SYNONYMS: dict[str, tuple[str, ...]] = {
    "nik": (
        "NIK", "No. KTP", "No KTP", "Nomor KTP", "Nomor Induk Kependudukan", "NIK KTP",
        "No. NIK", "Nomor NIK", "KTP", "NIK/No KTP",
    ),
    "name": (
        "Nama", "Nama Lengkap", "Nama Peserta", "Nama Pekerja", "Nama Pedagang", "Nama Anggota",
        "Nama Sesuai KTP", "Nama_Lengkap", "Name", "Full Name",
    ),
    "birth_date": (
        "Tgl Lahir", "Tanggal Lahir", "Tgl. Lahir", "Tgl_Lahir", "TTL Tanggal", "Tanggal_Lahir",
        "Date of Birth", "Birth Date", "DOB", "Lahir",
    ),
    "birth_place": ("Tempat Lahir", "Tmp Lahir", "Tempat_Lahir", "Place of Birth"),
    "sex": (
        "L/P", "Jenis Kelamin", "JK", "Kelamin", "Jns Kelamin", "Jenis_Kelamin", "Sex", "Gender",
        "P/L",
    ),
    "address": ("Alamat", "Alamat Lengkap", "Alamat Rumah", "Alamat Tinggal", "Address", "Jalan"),
    "village": (
        "Kelurahan", "Desa", "Kel", "Kel.", "Kelurahan/Desa", "Desa/Kelurahan", "Kampung",
        "Village",
    ),
    "district": ("Distrik", "Kecamatan", "Kec", "Kec.", "Distrik/Kecamatan", "District"),
    "phone": (
        "No HP", "No. HP", "Nomor HP", "HP", "No Telp", "No. Telp", "Telepon", "No Telepon",
        "No WA", "WhatsApp", "Phone", "Nomor Telepon", "Handphone",
    ),
    "occupation": ("Pekerjaan", "Jenis Pekerjaan", "Profesi", "Jenis Usaha", "Occupation", "Usaha"),
    "income": (
        "Penghasilan", "Penghasilan Per Bulan", "Pendapatan", "Penghasilan/Bulan", "Income",
        "Omzet",
    ),
    "desil": ("Desil", "Desil Kesejahteraan", "Desil_Kesejahteraan", "Decile"),
}
# fmt: on


def fold(header: object) -> str:
    """The matching key of a header: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", str(header or "").lower())


_INDEX: dict[str, str] = {fold(s): field for field, syns in SYNONYMS.items() for s in syns}


def field_of(header: object) -> str | None:
    """The canonical field a header means, or ``None``."""
    return _INDEX.get(fold(header))


def map_headers(headers: list[str], *, where: str = "") -> dict[str, str]:
    """``{header as typed: field}`` for every header that maps (first one wins per field).

    Refuses a file that has no name column, or neither a NIK nor a birth-date column: such a
    list cannot identify anyone.
    """
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for h in headers:
        f = field_of(h)
        if f and f not in taken:
            mapping[h] = f
            taken.add(f)
    if "name" not in taken or not ({"nik", "birth_date"} & taken):
        found = ", ".join(str(h) for h in headers if str(h).strip()) or "-"
        raise errors.COLUMNS_UNMAPPED(file=where, headers=found, found=[str(h) for h in headers])
    return mapping


def header_score(cells: Sequence[object]) -> int:
    """How many cells of a row look like known headers (to find the header row under a
    title such as "DAFTAR PEDAGANG PASAR REMU 2024")."""
    return len({field_of(c) for c in cells if field_of(c)})


# Columns of a family list (P3KE, DTSEN, a KK register) that the registry stores as typed and
# the families domain reads back (jaring.families.actions.families.build_from_lists).
# fmt: off
FAMILY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "kk_number": (
        "No KK", "No. KK", "Nomor KK", "no_kk", "Nomor Kartu Keluarga", "No Kartu Keluarga",
        "NKK", "KK", "Nomor_KK",
    ),
    "family_relation": (
        "Hubungan Keluarga", "hubungan_keluarga", "Hubungan dengan Kepala Keluarga",
        "hubungan_dengan_kepala_keluarga", "Hubungan", "SHDK", "Status Hubungan Dalam Keluarga",
        "Hub. Keluarga", "Hubungan KK",
    ),
}
# fmt: on
_FAMILY_INDEX: dict[str, str] = {
    fold(s): field for field, syns in FAMILY_SYNONYMS.items() for s in syns
}


def family_field_of(header: object) -> str | None:
    """``kk_number`` or ``family_relation`` when a header names one, else ``None``."""
    return _FAMILY_INDEX.get(fold(header))
