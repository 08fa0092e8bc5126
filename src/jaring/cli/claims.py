"""`jaring claims`: Klaim JKM, JKK, beasiswa. / Claims.

A thin adapter over :mod:`jaring.claims.actions` and :mod:`jaring.claims.queries`: parse
options, call one action or query with the actor (``--user`` / ``JARING_USER``, else the
system), print text or ``--json`` (the domain's dataclasses as they are).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from jaring import formatting, i18n, labels
from jaring.claims import actions, batch, catalog, queries
from jaring.claims.heirs import parse_heir, rank_of
from jaring.claims.readout import summary_lines
from jaring.cli.common import (
    actor,
    as_json,
    command,
    engine,
    print_json,
    progress,
    say,
    to_jsonable,
)
from jaring.dates import parse_date
from jaring.i18n import _
from jaring.registry.files import write_csv

app = typer.Typer(help="Klaim JKM, JKK, beasiswa. / Claims.", no_args_is_help=True)

ActorOpt = Annotated[
    str | None,
    typer.Option(
        "--actor",
        hidden=True,
        help="Diabaikan: jejak mencatat akun --user. / Ignored: the trail records the --user account.",
    ),
]
ReasonOpt = Annotated[
    str | None,
    typer.Option(
        "--reason",
        help="Alasan tertulis untuk pengecualian (override). / Written reason for an override.",
    ),
]
ClaimArg = Annotated[int, typer.Argument(help="Nomor klaim. / Claim id.")]
HEIR_HELP = "hubungan:nama[:NIK][:tgl_lahir]; '*' menandai penerima, mis. spouse*:Siti"

rp = formatting.rupiah


def _free_text_actor(name: str | None) -> None:
    """``--actor`` named who recorded a change in free text; the trail now records the
    account that acts. The option is still accepted, and said to be ignored."""
    if name:
        typer.echo(
            "jaring: "
            + _(
                "--actor is ignored: the trail records the account given by --user or "
                "JARING_USER, else the system."
            ),
            err=True,
        )


def _echo_claim(c: queries.Claim) -> None:
    en = i18n.lang() == "en"
    line = _(
        "Claim %(claim)s [%(type)s] %(status)s: eligible %(eligible)s, entitlement %(amount)s",
        claim=c.claim,
        type=c.type,
        status=c.status,
        eligible=_("yes") if c.eligible else _("NO"),
        amount=rp(c.amount),
    )
    if c.uncertain:
        line += " (" + _("to be checked") + ")"
    say(line)
    for x in c.explanation:
        label = x.get("label_en" if en else "label_id") or x.get("parameter")
        amount = f" {rp(x['amount'])}" if x.get("amount") else ""
        ref = f" [{x['reference']}]" if x.get("reference") else ""
        note = f" ({x['note']})" if x.get("note") else ""
        say(f"  - {label}{amount}{note}{ref}")
    if c.missing_documents:
        say("  " + _("Documents missing: %(codes)s", codes=", ".join(c.missing_documents)))
    _echo_payment_time(c)


def _echo_payment_time(c: queries.Claim) -> None:
    """The day BPJS TK had to pay by and the compensation owed, once the claim has them."""
    if c.payment_due is None or c.complete_on is None:
        return
    line = _(
        "Payment due by %(due)s: %(n)s working days after the file was complete on %(complete)s",
        due=formatting.date(c.payment_due),
        n=c.payment_working_days or "-",
        complete=formatting.date(c.complete_on),
    )
    if c.payment_assumed_years:
        years = ", ".join(str(y) for y in c.payment_assumed_years)
        line += (
            " (" + _("no holiday list for %(years)s: Monday to Friday counted", years=years) + ")"
        )
    say("  " + line)
    if c.late_compensation is not None:
        if c.late_days:
            say(
                "  "
                + _(
                    "Late payment compensation owed: %(amount)s (%(days)s days late x %(rate)s of %(benefit)s)",
                    amount=rp(c.late_compensation),
                    days=c.late_days,
                    rate="1%",
                    benefit=rp(c.amount),
                )
            )
        else:
            say("  " + _("Paid on time: no compensation owed"))


def _show(c: queries.Claim) -> None:
    if as_json():
        print_json(c)
    else:
        _echo_claim(c)


@command(app, "file")
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
    heir: Annotated[list[str] | None, typer.Option("--heir", help=HEIR_HELP)] = None,
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
    actor_: ActorOpt = None,
    reason: ReasonOpt = None,
) -> None:
    """Ajukan klaim. / File a claim."""
    _free_text_actor(actor_)
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
    eng = engine()
    c = actions.file_claim(
        eng,
        actor(eng),
        claim_type=type_,
        nik=nik,
        person_id=person,
        membership_id=membership,
        event_date=parse_date(event_date, "event_date"),
        filed_on=parse_date(filed_on, "filed_on"),
        reporter=reporter,
        heirs=[parse_heir(h) for h in heir or []],
        inputs=inputs,
        reason=reason,
    )
    _show(c)


@command(app, "document")
def document(
    claim: ClaimArg,
    codes: Annotated[
        list[str],
        typer.Argument(
            help="Kode dokumen, mis. death-certificate kpj (lihat: jaring claims codes)"
        ),
    ],
    received_on: Annotated[
        str | None, typer.Option("--received-on", help="Tanggal diterima.")
    ] = None,
    actor_: ActorOpt = None,
) -> None:
    """Catat dokumen yang diterima. / Record documents received."""
    _free_text_actor(actor_)
    eng = engine()
    c = actions.record_documents(
        eng, actor(eng), claim, codes, received_on=parse_date(received_on, "received_on")
    )
    if as_json():
        print_json(c)
        return
    missing = c.missing_documents
    say(
        _("Documents missing: %(codes)s", codes=", ".join(missing))
        if missing
        else _("Documents complete.")
    )


@command(app, "heir")
def heir(
    claim: ClaimArg,
    heir_: Annotated[list[str], typer.Option("--heir", help=HEIR_HELP)],
    actor_: ActorOpt = None,
) -> None:
    """Tambah ahli waris. / Add heirs to a claim."""
    _free_text_actor(actor_)
    eng = engine()
    c = actions.add_heirs(eng, actor(eng), claim, [parse_heir(h) for h in heir_])
    if as_json():
        print_json(c)
        return
    for h in c.heirs:
        mark = " *" if h.recipient else ""
        say(f"  {h.rank}. {h.relation}: {h.name}{mark}")


@command(app, "advance")
def advance(
    claim: ClaimArg,
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
    confirm_uncertain: Annotated[
        bool,
        typer.Option(
            "--confirm-uncertain", help="Setujui jumlah yang ditandai belum pasti (dengan alasan)."
        ),
    ] = False,
    actor_: ActorOpt = None,
    reason: ReasonOpt = None,
) -> None:
    """Pindahkan status klaim. / Move a claim to its next status."""
    _free_text_actor(actor_)
    eng = engine()
    c = actions.advance_claim(
        eng,
        actor(eng),
        claim,
        to,
        reason_code=reason_code,
        reason=reason,
        paid_on=parse_date(paid_on, "paid_on"),
        amount=amount,
        reference=reference,
        confirm_uncertain=confirm_uncertain,
    )
    if as_json():
        print_json(c)
        return
    say(
        _(
            "Claim %(claim)s: %(status)s (%(amount)s)",
            claim=claim,
            status=c.status,
            amount=rp(c.amount),
        )
    )
    _echo_payment_time(c)


@command(app, "show")
def show(claim: ClaimArg) -> None:
    """Tampilkan klaim dengan penjelasan dan jejaknya. / Show a claim, its explanation and trail."""
    eng = engine()
    c = queries.get_claim(eng, actor(eng), claim)
    if as_json():
        print_json(c)
        return
    _echo_claim(c)
    for e in c.trail:
        flag = " OVERRIDE" if e.override else ""
        why = f": {e.reason}" if e.reason else ""
        say(f"  {e.at} {e.actor} {e.action} {e.from_status or '-'} -> {e.to_status}{flag}{why}")


@command(app, "list")
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
) -> None:
    """Daftar klaim. / List claims."""
    eng = engine()
    rows = queries.list_claims(
        eng, actor(eng), status=status, month=month, program=program, claim_type=type_, limit=limit
    )
    if as_json():
        print_json(rows)
        return
    for r in rows:
        money = rp(r.paid_amount if r.status == "paid" else r.amount)
        say(
            f"{r.claim:>6} {r.event_date} {r.type:<15} {r.status:<19} {money:>16} "
            f"{r.district or ''}"
        )
    say(_("%(n)s claims", n=len(rows)))


@command(app, "summary")
def summary(
    program: Annotated[
        str | None, typer.Option("--program", help="Program (id atau nama).")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="Tahun bayar.")] = None,
) -> None:
    """Ringkasan untuk Pemda: manfaat diterima keluarga vs iuran. / Benefits vs contributions."""
    eng = engine()
    s = queries.summary(eng, actor(eng), program=program, year=year)
    if as_json():
        print_json(s)
        return
    for line in summary_lines(to_jsonable(s)):
        say(line)


@command(app, "forecast")
def forecast(
    program: Annotated[str, typer.Option("--program", help="Program (id atau nama).")],
    year: Annotated[
        int | None, typer.Option("--year", help="Tahun (default tahun anggaran program).")
    ] = None,
    mortality: Annotated[
        Path | None,
        typer.Option("--mortality", help="CSV age,qx_l,qx_p (default: TMI IV 2019)."),
    ] = None,
) -> None:
    """Perkiraan klaim kematian dari umur dan jenis kelamin peserta. / Expected death claims."""
    eng = engine()
    f = queries.forecast(eng, actor(eng), program=program, year=year, mortality=mortality)
    if as_json():
        print_json(f)
        return
    lo, hi = f.range_95
    say(
        _(
            "%(program)s %(year)s: %(members)s members, expected %(deaths)s deaths (95%%: "
            "%(lo)s-%(hi)s), JKM benefits about %(benefits)s.",
            program=f.program.name,
            year=f.year,
            members=f.members,
            deaths=formatting.number(f.expected_deaths, digits=1),
            lo=lo,
            hi=hi,
            benefits=rp(f.expected_jkm_benefits),
        )
    )
    say(
        "  "
        + _("Table: %(name)s (%(confidence)s)", name=f.table.name, confidence=f.table.confidence)
    )


@command(app, "codes")
def codes() -> None:
    """Kode yang dipakai klaim: jenis, dokumen, ahli waris, alasan penolakan. / The codes claims use."""
    key = "en" if i18n.lang() == "en" else "id"
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
    if as_json():
        print_json(data)
        return
    for section, values in data.items():
        say(f"{section}:")
        for code, label in values.items():
            say(f"  {code}: {label}")


@command(app, "assess")
def assess(
    file: Annotated[
        Path, typer.Argument(help="CSV: membership_id,type,event_date,filed_on[,wage,...]")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Tulis hasil per klaim ke CSV ini.")
    ] = None,
) -> None:
    """Nilai kelayakan dan hak banyak klaim sekaligus (tanpa menyimpan). / Assess many claims at once."""
    frame = batch.read_claims(file)
    eng = engine()
    with progress() as p:
        result = queries.assess_batch(eng, actor(eng), frame, p)
    s = batch.summarise(result)
    if out is not None:
        write_csv(result.with_columns(pl.col("reasons").list.join(";")), out)
        s = dataclasses.replace(s, out=str(out))
    if as_json():
        print_json(s)
        return
    say(
        _(
            "%(claims)s claims: %(eligible)s eligible, entitlement %(amount)s",
            claims=s.claims,
            eligible=s.eligible,
            amount=rp(s.amount),
        )
    )
    if s.unassessed:
        say(_("%(n)s rows were not assessed (their reason below); the others were.",
              n=formatting.number(s.unassessed)))  # fmt: skip
    for code, n in sorted(s.reasons.items()):
        kind = "claim_row_problem" if code in batch.PROBLEMS else "reject_reason"
        say(f"  {labels.label(kind, code)}: {formatting.number(n)}")
