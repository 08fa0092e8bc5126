"""ODK Collect and KoboToolbox submissions as field records (pure, but for :func:`pull`, which
asks an ODK Central server through ``pyodk``).

A submission of the XLSForm (:mod:`jaring.field.xlsform`) becomes a :class:`~jaring.field.
rules.Record` whose ``client_id`` and ``instance_id`` are ODK's ``instanceID`` (``uuid:...``):
a submission pulled from ODK Central and the same submission read from a CSV export are one
record, stored once whatever the order.

Where the id is found: ODK Central's OData ``__id`` (pull), its CSV export's ``KEY`` or
``meta-instanceID``, KoboToolbox's ``meta/instanceID`` or ``_uuid`` (which lacks the
``uuid:`` prefix; it is added).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import polars as pl
import requests
from pyodk.client import Client
from pyodk.errors import PyODKError

from jaring.field import errors, rules
from jaring.field.xlsform import choice_names

#: Submissions asked for per request ($top): a day's work of a large team in a few requests.
PAGE = 500

ID_COLUMNS = ("__id", "KEY", "meta-instanceID", "meta/instanceID", "instanceID", "_uuid")


def instance_id(row: Mapping[str, Any]) -> str | None:
    """The submission's ``instanceID`` (``uuid:...``), wherever the export put it."""
    for col in ID_COLUMNS:
        value = row.get(col)
        if value:
            text = str(value).strip()
            if "/" in text:  # a repeat's KEY: uuid:.../group[1]
                text = text.split("/", 1)[0]
            return text if text.startswith("uuid:") else f"uuid:{text}"
    return None


def _codes(region: str) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Choice names -> codes (:func:`jaring.field.xlsform.choice_names`): distrik by name;
    kelurahan by (distrik code, name)."""
    districts, villages = choice_names(region)
    return (
        {name: code for code, name in districts.items()},
        {(code[:8], name): code for code, name in villages.items()},
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _get(row: Mapping[str, Any], name: str) -> Any:
    """A field by name, also where an export prefixed it with its group (``g-nik``,
    ``g/nik``)."""
    if name in row:
        return row[name]
    for key, value in row.items():
        if key.endswith(("-" + name, "/" + name)):
            return value
    return None


def record_of(row: Mapping[str, Any], region: str) -> rules.Record | None:
    """One submission as a record (``None`` without an ``instanceID``)."""
    iid = instance_id(row)
    if iid is None:
        return None
    districts, villages = _codes(region)
    district_name = _text(_get(row, "distrik"))
    district = districts.get(district_name, district_name)
    village_name = _text(_get(row, "kelurahan"))
    village = villages.get((district, village_name), village_name)
    found = row.get("__system")
    system: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    submitter = _text(system.get("submitterName") or row.get("SubmitterName") or "")
    device = _text(_get(row, "deviceid") or system.get("deviceId") or row.get("DeviceID"))
    return rules.Record(
        client_id=iid,
        instance_id=iid,
        nik=_text(_get(row, "nik")),
        name=_text(_get(row, "nama")),
        birth_date=_text(_get(row, "tanggal_lahir"))[:10],
        sex=_text(_get(row, "jenis_kelamin"))[:1].upper(),
        address=_text(_get(row, "alamat")),
        district_code=district,
        village_code=village,
        phone=_text(_get(row, "no_hp")),
        occupation=_text(_get(row, "pekerjaan")),
        market=_text(_get(row, "pasar")),
        income=_text(_get(row, "penghasilan")),
        consent=_text(_get(row, "persetujuan")).lower() in ("ya", "yes", "1", "true"),
        consent_name=_text(_get(row, "nama_persetuju")),
        consent_version=_text(_get(row, "versi_persetujuan")) or rules.CONSENT_VERSION,
        registered_at=_text(_get(row, "start") or system.get("submissionDate")),
        device=" ".join(p for p in ("ODK", device, submitter and f"({submitter})") if p)[:200],
    )


def records_of(rows: Iterable[Mapping[str, Any]], region: str) -> list[rules.Record]:
    """Submissions as records, those without an ``instanceID`` left out."""
    out = []
    for row in rows:
        r = record_of(row, region)
        if r is not None:
            out.append(r)
    return out


def read_export(path: str, region: str) -> list[rules.Record]:
    """An ODK Central or KoboToolbox export (CSV or XLSX) as records, every cell as text."""
    if path.lower().endswith((".xlsx", ".xls")):
        frame = pl.read_excel(path, infer_schema_length=0)
    else:
        frame = pl.read_csv(path, infer_schema_length=0, encoding="utf8-lossy")
    return records_of(frame.iter_rows(named=True), region)


@dataclasses.dataclass
class Central:
    """Where and how to reach ODK Central: its address, a project, a form, an app-user or
    web-user token."""

    url: str
    project: int
    form: str
    token: str


def since_filter(since: dt.datetime | None) -> str | None:
    """The OData filter of submissions received after ``since``."""
    if since is None:
        return None
    return f"__system/submissionDate gt {since.strftime('%Y-%m-%dT%H:%M:%S')}Z"


def fetch(central: Central, *, since: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The submissions of ``central``'s form (received after ``since``), as ODK Central's
    OData answers them, page by page, through ``pyodk`` with the token given (checked by
    Central first: ``GET /v1/users/current``)."""
    if not (central.url and central.form and central.token):
        raise errors.ODK_URL_MISSING(field="url")
    with tempfile.TemporaryDirectory() as d:
        config = Path(d) / "pyodk_config.toml"
        cache = Path(d) / "pyodk_cache.toml"
        # TOML basic strings take JSON's escapes; the password is never used (the token is)
        config.write_text(
            "[central]\n"
            f"base_url = {json.dumps(central.url)}\n"
            'username = "jaring"\npassword = "-"\n'
            f"default_project_id = {int(central.project)}\n",
            encoding="utf-8",
        )
        cache.write_text(f"token = {json.dumps(central.token)}\n", encoding="utf-8")
        rows: list[dict[str, Any]] = []
        try:
            with Client(config_path=config, cache_path=cache) as client:
                while True:
                    table = client.submissions.get_table(
                        form_id=central.form,
                        project_id=central.project,
                        filter=since_filter(since),
                        top=PAGE,
                        skip=len(rows),
                    )
                    page = list(table.get("value") or [])
                    rows.extend(page)
                    if len(page) < PAGE:
                        break
        except requests.RequestException as e:
            raise errors.ODK_UNREACHABLE(url=central.url, reason=type(e).__name__) from None
        except PyODKError as e:
            status = getattr(getattr(e, "response", None), "status_code", None) or "-"
            raise errors.ODK_REFUSED(status=status) from None
    return rows
