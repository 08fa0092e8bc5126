"""`jaring law`: Aturan BPJS TK: iuran, manfaat, parameter. / The law: contributions, benefits, parameters.

Thin: parse options, call :mod:`jaring.law`, print text (with the explanation and its legal
references) or ``--json``. The law needs no database: this module imports
:mod:`jaring.cli.options`, not the store (``--db`` is accepted like everywhere, and unused).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer

from jaring import formatting
from jaring.cli.options import as_json, command, lang, print_json, progress, say
from jaring.dates import parse_date
from jaring.i18n import _
from jaring.law import benefits, deferral, errors, queries, workdays
from jaring.law.amount import Amount
from jaring.law.queries import ParameterMissing

app = typer.Typer(
    help="Aturan BPJS TK: iuran, manfaat, parameter. / The law: contributions, benefits, parameters.",
    no_args_is_help=True,
)

BENEFIT_KINDS = (
    "jkm",
    "jkk-death",
    "jkk-total-disability",
    "jkk-partial-disability",
    "stmb",
    "jkk-medical",
    "scholarship",
    "jkk-home-care",
    "jkk-transport",
)
OnOpt = Annotated[
    str | None, typer.Option("--on", help="Tanggal / date YYYY-MM-DD (default: today)")
]


# --- the command line's own values ---------------------------------------------------------------
# Refusals raised while a command runs are shown with the option that sets their field.


def _need(value: Any, field: str) -> Any:
    if value is None:
        raise errors.MISSING_OPTION(field=field, fields=field)
    return value


def _decimal(text: str | None, field: str) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise errors.of_value(errors.BAD_NUMBER, field, text) from None


def _child(text: str) -> tuple[str, int]:
    level, _sep, years = text.partition(":")
    try:
        return level.strip().lower(), int(years)
    except ValueError:
        raise errors.of_value(errors.BAD_CHILD, "child", text) from None


# --- text ----------------------------------------------------------------------------------------


def _money(value: int | None) -> str:
    return "" if value is None else formatting.rupiah(value)


def _value(value: Any) -> str:
    """A parameter's value on one line: a mapping as ``key=value``, a table by its rows."""
    if isinstance(value, dict):
        return ", ".join(f"{k}={_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return _("%(n)s rows", n=len(value))
    return str(value)


def render_amount(amount: Amount, title: str) -> list[str]:
    """Text for an :class:`~jaring.law.Amount`: total, components, then every explanation line."""
    lines = [f"{title}: {_money(amount.total)}"]
    if amount.uncertain:
        lines.append("  " + _("! uncertain: rests on a value we are not sure of"))
    for key, value in amount.components.items():
        if key == "total":
            continue
        lines.append(f"  {key:<14} {_money(value):>16}")
    lines.append(_("Explanation:"))
    for line in amount.explanation:
        money = _money(line.amount) if line.amount is not None else "-"
        since = _("since %(day)s", day=line.effective_from.isoformat())
        lines.append(
            f"  {money:>16}  {line.label(lang())} [{line.parameter} = {_value(line.value)}; "
            f"{since}; {line.confidence}]"
        )
        lines.append(f"{'':>20}{line.reference}")
        note = line.note(lang())
        if note:
            lines.append(f"{'':>20}({note})")
    return lines


# --- commands ------------------------------------------------------------------------------------


@command(app, "contribution")
def contribution(
    segment: Annotated[str | None, typer.Option("--segment", help="bpu | pu")] = None,
    income: Annotated[
        int | None, typer.Option("--income", help="Penghasilan BPU / BPU declared income (Rp)")
    ] = None,
    wage: Annotated[
        int | None, typer.Option("--wage", help="Upah PU / PU monthly wage (Rp)")
    ] = None,
    risk: Annotated[
        str | None,
        typer.Option("--risk", help="sangat-rendah | rendah | sedang | tinggi | sangat-tinggi"),
    ] = None,
    jht: Annotated[
        bool | None,
        typer.Option(
            "--jht/--no-jht",
            help="Paket dengan JHT (BPU: tidak, PU: ya bila tidak disebut) / package with JHT",
        ),
    ] = None,
    jp: Annotated[
        bool | None,
        typer.Option("--jp/--no-jp", help="PU: paket dengan JP (default ya) / PU package with JP"),
    ] = None,
    on: OnOpt = None,
    pp49_jp_deferral: Annotated[
        bool,
        typer.Option(
            "--pp49-jp-deferral",
            help="PU: pemberi kerja memakai penundaan JP PP 49/2020 / employer used the deferral",
        ),
    ] = False,
    paid_by: Annotated[
        str, typer.Option("--paid-by", help="apbd | self | apbn | apbdes | donor")
    ] = "apbd",
    transport: Annotated[
        bool, typer.Option("--transport", help="Pekerja transportasi / transport worker")
    ] = False,
    input_: Annotated[
        Path | None, typer.Option("--input", help="CSV/Parquet: segment, income|wage, risk, jht")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="CSV/Parquet keluaran / output file")
    ] = None,
) -> None:
    """Iuran bulanan satu pekerja atau satu berkas. / Monthly contribution of a worker or a file."""
    day = parse_date(on, "on")
    if input_ is not None:
        with progress() as p:
            result = queries.contribution_file(input_, day, output, p)
        if as_json():
            print_json(result)
            return
        say(
            _(
                "%(rows)s rows -> %(output)s; total %(total)s",
                rows=formatting.number(result.rows),
                output=result.output or "-",
                total=_money(result.totals["total"]),
            )
        )
        for key, value in result.totals.items():
            say(f"  {key:<14} {_money(value):>20}")
        return
    day = day or dt.date.today()
    seg = _need(segment, "segment").lower()
    if seg == "bpu":
        _need(income, "income")
    elif seg == "pu":
        _need(wage, "wage")
        _need(risk, "risk")
    amount = queries.contribution(
        segment,
        day,
        income=income,
        wage=wage,
        risk=risk,
        jht=jht,
        paid_by=paid_by,
        transport=transport,
        jp=jp,
        pp49_jp_deferral=pp49_jp_deferral,
    )
    if as_json():
        print_json({"segment": seg, "on": day, **amount.to_dict(lang())})
        return
    title = _("Contribution %(segment)s %(day)s", segment=seg.upper(), day=day.isoformat())
    say("\n".join(render_amount(amount, title)))


@command(app, "benefit")
def benefit(
    kind: Annotated[str, typer.Argument(help=" | ".join(BENEFIT_KINDS))],
    event_date: Annotated[
        str | None, typer.Option("--event-date", help="Tanggal kejadian / event date")
    ] = None,
    segment: Annotated[str, typer.Option("--segment", help="bpu | pu")] = "bpu",
    member_since: Annotated[
        str | None, typer.Option("--member-since", help="Mulai kepesertaan / membership start")
    ] = None,
    wage: Annotated[
        int | None, typer.Option("--wage", help="Upah sebulan / monthly wage (Rp)")
    ] = None,
    months: Annotated[
        int | None, typer.Option("--months", help="STMB: lama tidak mampu bekerja (bulan)")
    ] = None,
    part: Annotated[
        str | None, typer.Option("--part", help="Bagian tubuh (tabel cacat) / body part")
    ] = None,
    percent: Annotated[
        str | None, typer.Option("--percent", help="Persentase cacat / disability %")
    ] = None,
    function_loss: Annotated[
        str | None, typer.Option("--function-loss", help="% hilang fungsi / loss of function")
    ] = None,
    cost: Annotated[
        int | None, typer.Option("--cost", help="Biaya medis, homecare, transport / cost (Rp)")
    ] = None,
    mode: Annotated[str, typer.Option("--mode", help="Transport: land | sea | air")] = "land",
    child: Annotated[
        list[str] | None,
        typer.Option("--child", help="Beasiswa: JENJANG:TAHUN, mis. tk-sd:6 (maks. 2)"),
    ] = None,
    cause: Annotated[str, typer.Option("--cause", help="Beasiswa: jkm | jkk")] = "jkm",
    contribution_months: Annotated[
        int | None, typer.Option("--contribution-months", help="Beasiswa JKM: masa iur (bulan)")
    ] = None,
) -> None:
    """Manfaat BPJS TK dengan rinciannya. / A BPJS TK benefit with its explanation."""
    day = parse_date(event_date, "event_date")
    k = kind.lower()
    if k not in BENEFIT_KINDS:
        raise errors.of_value(
            errors.UNKNOWN_BENEFIT, "kind", kind, choices=", ".join(BENEFIT_KINDS)
        )
    day = day or dt.date.today()
    if k == "jkm":
        since = parse_date(member_since, "member_since")
        amount = benefits.jkm(day, segment=segment.lower(), member_since=since)
    elif k == "jkk-death":
        amount = benefits.jkk_death(_need(wage, "wage"), day)
    elif k == "jkk-total-disability":
        amount = benefits.jkk_total_disability(_need(wage, "wage"), day)
    elif k == "jkk-partial-disability":
        amount = benefits.jkk_partial_disability(
            _need(wage, "wage"),
            day,
            part=part,
            percent=_decimal(percent, "percent"),
            function_loss=_decimal(function_loss, "function_loss"),
        )
    elif k == "stmb":
        amount = benefits.stmb(_need(wage, "wage"), _need(months, "months"), day)
    elif k == "jkk-medical":
        amount = benefits.jkk_medical(_need(cost, "cost"), day)
    elif k == "jkk-home-care":
        amount = benefits.jkk_home_care(_need(cost, "cost"), day)
    elif k == "jkk-transport":
        amount = benefits.jkk_transport(_need(cost, "cost"), mode.lower(), day)
    else:
        kids = [_child(text) for text in (child or [])]
        amount = benefits.scholarship(
            day, kids, cause=cause.lower(), contribution_months=contribution_months
        )
    if as_json():
        print_json({"kind": k, "event_date": day, **amount.to_dict(lang())})
        return
    say("\n".join(render_amount(amount, _("Benefit %(kind)s", kind=k))))


@command(app, "late-fine")
def late_fine_cmd(
    amount: Annotated[int, typer.Option("--amount", help="Iuran terlambat / late contribution")],
    month: Annotated[str, typer.Option("--month", help="Bulan iuran / contribution month")],
    paid_on: Annotated[str, typer.Option("--paid-on", help="Tanggal bayar / paid on")],
) -> None:
    """Denda keterlambatan iuran. / The fine on a late contribution."""
    day = parse_date(month, "month") or dt.date.today()
    paid = parse_date(paid_on, "paid_on") or dt.date.today()
    fine = deferral.late_fine(amount, day, paid)
    if as_json():
        print_json({"month": day, "paid_on": paid, **fine.to_dict(lang())})
        return
    say("\n".join(render_amount(fine, _("Late fine"))))


@command(app, "claim-payment")
def claim_payment_cmd(
    program: Annotated[str, typer.Option("--program", help="jkm | jkk")],
    complete_on: Annotated[
        str, typer.Option("--complete-on", help="Berkas lengkap / file complete on")
    ],
    benefit: Annotated[int, typer.Option("--benefit", help="Nilai manfaat / benefit (Rp)")],
    paid_on: Annotated[str, typer.Option("--paid-on", help="Tanggal bayar / paid on")],
) -> None:
    """Batas bayar klaim dan ganti rugi keterlambatan. / Claim payment deadline and late
    compensation."""
    prog = program.lower()
    if prog not in ("jkm", "jkk"):
        raise errors.of_value(errors.UNKNOWN_CAUSE, "program", program)
    done = parse_date(complete_on, "complete_on") or dt.date.today()
    paid = parse_date(paid_on, "paid_on") or dt.date.today()
    amount = workdays.claim_payment(prog, done, benefit, paid)
    if as_json():
        print_json(
            {"program": prog, "complete_on": done, "paid_on": paid, **amount.to_dict(lang())}
        )
        return
    say("\n".join(render_amount(amount, _("Late payment compensation"))))


@command(app, "params")
def params_cmd(on: OnOpt = None) -> None:
    """Semua parameter yang berlaku pada tanggal itu. / Every parameter in force on a date."""
    day = parse_date(on, "on") or dt.date.today()
    rows = queries.parameters_in_force(day, lang())
    if as_json():
        print_json({"on": day, "parameters": rows})
        return
    for row in rows:
        if isinstance(row, ParameterMissing):
            say(f"{row.parameter}: ! {row.message}")
            continue
        say(
            f"{row.parameter} = {_value(row.value)} ({row.unit}) "
            f"[{row.effective_from.isoformat()}, {row.confidence}]"
        )
        say(f"    {row.reference}")
