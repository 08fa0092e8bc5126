"""`jaring claims`: Klaim JKM, JKK, beasiswa. / Claims.

A thin layer over :mod:`jaring.claims.service` and :mod:`jaring.claims.report`: parse options,
call one function, print text or ``--json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from jaring.cli.common import DbOpt, JsonOpt, LangOpt, engine, lang, print_json, set_lang
from jaring.dates import parse_date
from jaring.errors import JaringError, require_file

app = typer.Typer(help="Klaim JKM, JKK, beasiswa. / Claims.", no_args_is_help=True)

ActorOpt = Annotated[str, typer.Option("--actor", help="Siapa yang mencatat. / Who records this.")]
ReasonOpt = Annotated[
    str | None,
    typer.Option(
        "--reason",
        help="Alasan tertulis untuk pengecualian (override). / Written reason for an override.",
    ),
]


def rp(amount: int | None) -> str:
    """Rupiah the Indonesian way: Rp42.000.000."""
    return "-" if amount is None else f"Rp{int(amount):,}".replace(",", ".")


def _t(id_: str, en: str) -> str:
    return en if lang() == "en" else id_


def _localized(result: Any) -> Any:
    """A claim with its explanation's ``note`` in the ``--lang`` language."""
    if isinstance(result, dict) and isinstance(result.get("explanation"), list):
        from jaring.law.amount import localize

        return {**result, "explanation": localize(result["explanation"], lang())}
    return result


def _echo_claim(c: dict[str, Any]) -> None:
    yes = _t("ya", "yes") if c["eligible"] else _t("TIDAK", "NO")
    typer.echo(
        f"{_t('Klaim', 'Claim')} {c['claim']} [{c['type']}] {c['status']}: "
        f"{_t('memenuhi syarat', 'eligible')} {yes}, {_t('hak', 'entitlement')} {rp(c['amount'])}"
        + (f" ({_t('perlu dicek', 'to be checked')})" if c.get("uncertain") else "")
    )
    for line in c["explanation"]:
        label = line.get("label_en" if lang() == "en" else "label_id") or line.get("parameter")
        amount = f" {rp(line['amount'])}" if line.get("amount") else ""
        ref = f" [{line['reference']}]" if line.get("reference") else ""
        text = line.get("note_en" if lang() == "en" else "note_id", line.get("note"))
        note = f" ({text})" if text else ""
        typer.echo(f"  - {label}{amount}{note}{ref}")
    if c.get("missing_documents"):
        typer.echo(
            f"  {_t('Dokumen kurang', 'Documents missing')}: {', '.join(c['missing_documents'])}"
        )


@app.command("file")
def file_(
    type_: Annotated[
        str,
        typer.Option(
            "--type", help="jkm | jkk_death | jkk_medical | jkk_stmb | jkk_disability | scholarship"
        ),
    ],
    nik: Annotated[str | None, typer.Option("--nik", help="NIK peserta. / Member's NIK.")] = None,
    person: Annotated[int | None, typer.Option("--person", help="Id orang. / Person id.")] = None,
    membership: Annotated[
        int | None, typer.Option("--membership", help="Id kepesertaan. / Membership id.")
    ] = None,
    event_date: Annotated[
        str | None, typer.Option("--event-date", help="Tanggal kejadian YYYY-MM-DD.")
    ] = None,
    filed_on: Annotated[
        str | None, typer.Option("--filed-on", help="Tanggal pengajuan (default hari ini).")
    ] = None,
    reporter: Annotated[str, typer.Option("--reporter", help="Pelapor. / Reporter.")] = "operator",
    heir: Annotated[
        list[str] | None,
        typer.Option(
            "--heir",
            help="hubungan:nama[:NIK][:tgl_lahir]; '*' menandai penerima, mis. spouse*:Siti",
        ),
    ] = None,
    wage: Annotated[
        int | None, typer.Option("--wage", help="Upah (default: dasar kepesertaan).")
    ] = None,
    months: Annotated[
        int | None, typer.Option("--months", help="STMB: bulan tidak bekerja.")
    ] = None,
    cost: Annotated[int | None, typer.Option("--cost", help="Biaya perawatan (rupiah).")] = None,
    bill_ref: Annotated[
        str | None, typer.Option("--bill-ref", help="Nomor kuitansi perawatan.")
    ] = None,
    disability: Annotated[str | None, typer.Option("--disability", help="partial | total")] = None,
    part: Annotated[str | None, typer.Option("--part", help="Bagian tubuh (tabel cacat).")] = None,
    percent: Annotated[
        str | None, typer.Option("--percent", help="Persentase tabel cacat.")
    ] = None,
    function_loss: Annotated[
        str | None, typer.Option("--function-loss", help="Persen hilang fungsi.")
    ] = None,
    child: Annotated[
        str | None, typer.Option("--child", help="Beasiswa: nama atau NIK anak.")
    ] = None,
    level: Annotated[
        str | None, typer.Option("--level", help="Beasiswa: tk-sd | smp | sma | pt")
    ] = None,
    school_year: Annotated[
        str | None, typer.Option("--school-year", help="Beasiswa: tahun ajaran, mis. 2024/2025")
    ] = None,
    actor: ActorOpt = "operator",
    reason: ReasonOpt = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Ajukan klaim. / File a claim."""
    from jaring.claims import heirs as heirs_mod
    from jaring.claims import service

    set_lang(lang_)
    inputs = {
        "wage": wage,
        "months": months,
        "cost": cost,
        "bill_ref": bill_ref,
        "disability": disability,
        "part": part,
        "percent": percent,
        "function_loss": function_loss,
        "child": child,
        "level": level,
        "school_year": school_year,
    }
    result = service.file_claim(
        engine(db),
        claim_type=type_,
        nik=nik,
        person_id=person,
        membership_id=membership,
        event_date=parse_date(event_date, "--event-date"),
        filed_on=parse_date(filed_on, "--filed-on"),
        reporter=reporter,
        heirs=[heirs_mod.parse_heir(h) for h in heir or []],
        inputs=inputs,
        actor=actor,
        reason=reason,
    )
    if json_:
        print_json(_localized(result))
        return
    _echo_claim(result)


@app.command("document")
def document(
    claim: Annotated[int, typer.Argument(help="Nomor klaim. / Claim id.")],
    codes: Annotated[
        list[str],
        typer.Argument(
            help="Kode dokumen, mis. death-certificate kpj (lihat: jaring claims codes)"
        ),
    ],
    received_on: Annotated[
        str | None, typer.Option("--received-on", help="Tanggal diterima.")
    ] = None,
    actor: ActorOpt = "operator",
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Catat dokumen yang diterima. / Record documents received."""
    from jaring.claims import service

    set_lang(lang_)
    result = service.record_documents(
        engine(db), claim, codes, received_on=parse_date(received_on, "--received-on"), actor=actor
    )
    if json_:
        print_json(_localized(result))
        return
    missing = result["missing_documents"]
    typer.echo(
        _t("Dokumen lengkap.", "Documents complete.")
        if not missing
        else f"{_t('Dokumen kurang', 'Documents missing')}: {', '.join(missing)}"
    )


@app.command("heir")
def heir(
    claim: Annotated[int, typer.Argument(help="Nomor klaim. / Claim id.")],
    heir_: Annotated[
        list[str], typer.Option("--heir", help="hubungan:nama[:NIK][:tgl_lahir]; '*' = penerima")
    ],
    actor: ActorOpt = "operator",
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Tambah ahli waris. / Add heirs to a claim."""
    from jaring.claims import heirs as heirs_mod
    from jaring.claims import service

    set_lang(lang_)
    result = service.add_heirs(
        engine(db), claim, [heirs_mod.parse_heir(h) for h in heir_], actor=actor
    )
    if json_:
        print_json(_localized(result))
        return
    for h in result["heirs"]:
        mark = " *" if h["recipient"] else ""
        typer.echo(f"  {h['rank']}. {h['relation']}: {h['name']}{mark}")


@app.command("advance")
def advance(
    claim: Annotated[int, typer.Argument(help="Nomor klaim. / Claim id.")],
    to: Annotated[
        str, typer.Option("--to", help="documents_complete | verified | approved | rejected | paid")
    ],
    reason_code: Annotated[
        str | None, typer.Option("--reason-code", help="Kode alasan penolakan (daftar tetap).")
    ] = None,
    paid_on: Annotated[str | None, typer.Option("--paid-on", help="Tanggal bayar.")] = None,
    amount: Annotated[int | None, typer.Option("--amount", help="Jumlah dibayar (rupiah).")] = None,
    reference: Annotated[
        str | None, typer.Option("--reference", help="Referensi pembayaran (SP2D/BPJS).")
    ] = None,
    actor: ActorOpt = "operator",
    reason: ReasonOpt = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Pindahkan status klaim. / Move a claim to its next status."""
    from jaring.claims import service

    set_lang(lang_)
    result = service.advance_claim(
        engine(db),
        claim,
        to,
        actor=actor,
        reason_code=reason_code,
        reason=reason,
        paid_on=parse_date(paid_on, "--paid-on"),
        amount=amount,
        reference=reference,
    )
    if json_:
        print_json(_localized(result))
        return
    typer.echo(f"{_t('Klaim', 'Claim')} {claim}: {result['status']} ({rp(result['amount'])})")


@app.command("show")
def show(
    claim: Annotated[int, typer.Argument(help="Nomor klaim. / Claim id.")],
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Tampilkan klaim dengan penjelasan dan jejaknya. / Show a claim, its explanation and trail."""
    from jaring.claims import service

    set_lang(lang_)
    result = service.get_claim(engine(db), claim)
    if json_:
        print_json(_localized(result))
        return
    _echo_claim(result)
    for e in result["trail"]:
        flag = " OVERRIDE" if e["override"] else ""
        why = f": {e['reason']}" if e["reason"] else ""
        typer.echo(
            f"  {e['at']} {e['actor']} {e['action']} {e['from'] or '-'} -> {e['to']}{flag}{why}"
        )


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option("--status", help="Status klaim.")] = None,
    month: Annotated[
        str | None,
        typer.Option("--month", help="YYYY-MM (bulan kejadian; bulan bayar untuk status paid)"),
    ] = None,
    program: Annotated[
        str | None, typer.Option("--program", help="Program (id atau nama).")
    ] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Jenis klaim.")] = None,
    limit: Annotated[int | None, typer.Option("--limit")] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Daftar klaim. / List claims."""
    from jaring.claims import service

    set_lang(lang_)
    rows = service.list_claims(
        engine(db), status=status, month=month, program=program, claim_type=type_, limit=limit
    )
    if json_:
        print_json(rows)
        return
    for r in rows:
        typer.echo(
            f"{r['claim']:>6} {r['event_date']} {r['type']:<15} {r['status']:<19} "
            f"{rp(r['paid_amount'] if r['status'] == 'paid' else r['amount']):>16} {r['district'] or ''}"
        )
    typer.echo(f"{len(rows)} {_t('klaim', 'claims')}")


@app.command("summary")
def summary(
    program: Annotated[
        str | None, typer.Option("--program", help="Program (id atau nama).")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="Tahun bayar.")] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Ringkasan untuk Pemda: manfaat diterima keluarga vs iuran. / Benefits vs contributions."""
    from jaring.claims import report

    set_lang(lang_)
    s = report.summary(engine(db), program=program, year=year)
    if json_:
        print_json(s)
        return
    for line in summary_lines(s, lang()):
        typer.echo(line)


def summary_lines(s: dict[str, Any], language: str) -> list[str]:
    """The summary as a few lines a mayor can read (shared with the demo)."""
    en = language == "en"
    paid, contrib = s["paid"], s["contributions"]
    src = {
        "payments": "pembayaran tercatat" if not en else "recorded payments",
        "coverage_periods_via_law": "dihitung dari masa perlindungan"
        if not en
        else "computed from coverage periods",
        "none": "belum ada" if not en else "none yet",
    }[contrib["source"]]
    lines = [
        (
            f"Untuk iuran {rp(contrib['amount'])} ({src}), {paid['families']} keluarga menerima "
            f"{rp(paid['amount'])} dari {paid['count']} klaim."
            if not en
            else f"For {rp(contrib['amount'])} of contributions ({src}), {paid['families']} families "
            f"received {rp(paid['amount'])} from {paid['count']} claims."
        )
    ]
    if s.get("benefits_per_rupiah") is not None:
        lines.append(
            f"Setiap Rp1 iuran kembali Rp{s['benefits_per_rupiah']:.2f} kepada keluarga.".replace(
                ".", ",", 1
            )
            if not en
            else f"Every Rp1 of contributions returned Rp{s['benefits_per_rupiah']:.2f} to families."
        )
    if s.get("paid_by_month"):
        months = ", ".join(f"{r['month']}: {r['count']}" for r in s["paid_by_month"])
        lines.append(f"  {'Paid per month' if en else 'Dibayar per bulan'}: {months}")
    for row in s["paid_by_type"]:
        lines.append(f"  {row['type']}: {row['count']} x, {rp(row['amount'])}")
    for row in s["paid_by_district"]:
        lines.append(f"  {row['name'] or row['district']}: {row['count']} x, {rp(row['amount'])}")
    waiting = sum(v["count"] for k, v in s["by_status"].items() if k not in ("paid", "rejected"))
    if waiting:
        lines.append(
            f"{waiting} klaim masih diproses." if not en else f"{waiting} claims in progress."
        )
    return lines


@app.command("forecast")
def forecast(
    program: Annotated[str, typer.Option("--program", help="Program (id atau nama).")],
    year: Annotated[
        int | None, typer.Option("--year", help="Tahun (default tahun anggaran program).")
    ] = None,
    mortality: Annotated[
        Path | None,
        typer.Option("--mortality", help="CSV age,qx_l,qx_p (default: TMI IV 2019)."),
    ] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Perkiraan klaim kematian dari umur dan jenis kelamin peserta. / Expected death claims."""
    from jaring.claims import report

    set_lang(lang_)
    f = report.forecast(engine(db), program=program, year=year, mortality=mortality)
    if json_:
        print_json(f)
        return
    lo, hi = f["range_95"]
    typer.echo(
        _t(
            f"{f['program']['name']} {f['year']}: {f['members']} peserta, perkiraan "
            f"{f['expected_deaths']:.1f} kematian (95%: {lo}-{hi}), santunan JKM sekitar "
            f"{rp(f['expected_jkm_benefits'])}.",
            f"{f['program']['name']} {f['year']}: {f['members']} members, expected "
            f"{f['expected_deaths']:.1f} deaths (95%: {lo}-{hi}), JKM benefits about "
            f"{rp(f['expected_jkm_benefits'])}.",
        )
    )
    typer.echo(f"  {_t('Tabel', 'Table')}: {f['table']['name']} ({f['table']['confidence']})")


@app.command("codes")
def codes(
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Kode yang dipakai klaim: jenis, dokumen, ahli waris, alasan penolakan. / The codes claims use."""
    from jaring.claims import catalog
    from jaring.claims.heirs import rank_of

    set_lang(lang_)
    key = "en" if lang() == "en" else "id"
    data = {
        "types": {k: v["label"][key] for k, v in catalog.claim_types().items()},
        "documents": {k: v[key] for k, v in catalog.document_labels().items()},
        "checklists": {
            k: catalog.required_documents(k, recipient_relation="spouse")
            for k in catalog.documents()["checklists"]
        },
        "heirs": {
            k: {"rank": rank_of(k), "label": v["label"][key]}
            for k, v in catalog.heir_relations().items()
        },
        "reject_reasons": {k: v[key] for k, v in catalog.reject_reasons().items()},
    }
    if json_:
        print_json(data)
        return
    for section, values in data.items():
        typer.echo(f"{section}:")
        for code, label in values.items():
            typer.echo(f"  {code}: {label}")


@app.command("assess")
def assess(
    file: Annotated[
        Path, typer.Argument(help="CSV: membership_id,type,event_date,filed_on[,wage,...]")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Tulis hasil per klaim ke CSV ini.")
    ] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Nilai kelayakan dan hak banyak klaim sekaligus (tanpa menyimpan). / Assess many claims at once."""
    import polars as pl

    from jaring.claims import service

    set_lang(lang_)
    require_file(file)
    frame = pl.read_csv(file, infer_schema_length=None, try_parse_dates=True)
    need = {"membership_id", "type", "event_date", "filed_on"}
    if not need <= set(frame.columns):
        raise JaringError(
            "claims_columns",
            f"Kolom wajib: {', '.join(sorted(need))}",
            f"Required columns: {', '.join(sorted(need))}",
            file=file.name,
        )
    if "claim_ref" not in frame.columns:
        frame = frame.with_row_index("claim_ref", offset=1).with_columns(
            pl.col("claim_ref").cast(pl.Int64)
        )
    frame = frame.with_columns(pl.col("event_date", "filed_on").cast(pl.Date))
    result = service.assess_batch(engine(db), frame)
    summary: dict[str, Any] = {
        "claims": result.height,
        "eligible": int(result["eligible"].sum()),
        "amount": int(result["amount"].sum()),
        "early_deaths": int(result["early_death"].sum()),
        "reasons": {
            r["reasons"]: int(r["len"])
            for r in result.explode("reasons")
            .drop_nulls("reasons")
            .group_by("reasons")
            .len()
            .to_dicts()
        },
    }
    if out is not None:
        result.with_columns(pl.col("reasons").list.join(";")).write_csv(out)
        summary["out"] = str(out)
    if json_:
        print_json(summary)
        return
    typer.echo(
        _t(
            f"{summary['claims']} klaim: {summary['eligible']} memenuhi syarat, hak {rp(summary['amount'])}",
            f"{summary['claims']} claims: {summary['eligible']} eligible, entitlement {rp(summary['amount'])}",
        )
    )
    for code, n in sorted(summary["reasons"].items()):
        typer.echo(f"  {code}: {n}")
