"""`jaring law`: Aturan BPJS TK: iuran, manfaat, parameter. / The law: contributions, benefits, parameters.

Thin: parse options, call :mod:`jaring.law`, print text (with the explanation and its legal
references) or ``--json``. The law needs no database; ``--db`` is accepted like everywhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer

from jaring.cli.common import DbOpt, JsonOpt, LangOpt, lang, print_json, set_lang
from jaring.dates import parse_date
from jaring.errors import JaringError, require_file

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


def _decimal(text: str | None, field: str) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise JaringError(
            "bad_number",
            f"Bukan angka untuk --{field}: {text!r}",
            f"Not a number for --{field}: {text!r}",
            field=field,
            value=text,
        ) from None


def _need(value: Any, flag: str) -> Any:
    if value is None:
        raise JaringError(
            "missing_option",
            f"Opsi {flag} wajib diisi",
            f"Option {flag} is required",
            field=flag,
        )
    return value


def rupiah(value: int | None) -> str:
    """``Rp16.800`` (Indonesian thousands separator); a negative amount as ``-Rp8.400``."""
    from jaring.formatting import rupiah as rp

    return "" if value is None else rp(value)


def _value_text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={_value_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return f"{len(value)} baris/rows"
    return str(value)


def render_amount(amount: Any, title: str) -> list[str]:
    """Text for an :class:`~jaring.law.Amount`: total, components, then every explanation line."""
    en = lang() == "en"
    lines = [f"{title}: {rupiah(amount.total)}"]
    if amount.uncertain:
        lines.append(
            "  ! uncertain: rests on a value we are not sure of"
            if en
            else "  ! belum pasti: bergantung pada nilai yang belum pasti"
        )
    for key, value in amount.components.items():
        if key == "total":
            continue
        lines.append(f"  {key:<14} {rupiah(value):>16}")
    lines.append("Rincian:" if not en else "Explanation:")
    for line in amount.explanation:
        money = rupiah(line.amount) if line.amount is not None else "-"
        lines.append(
            f"  {money:>16}  {line.label(lang())} [{line.parameter} = {_value_text(line.value)}; "
            f"{'since' if en else 'sejak'} {line.effective_from.isoformat()}; {line.confidence}]"
        )
        lines.append(f"{'':>20}{line.reference}")
        note = line.note(lang())
        if note:
            lines.append(f"{'':>20}({note})")
    return lines


@app.command("contribution")
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
    jht: Annotated[bool, typer.Option("--jht", help="BPU ikut JHT / BPU opts into JHT")] = False,
    on: Annotated[
        str | None, typer.Option("--on", help="Tanggal / date YYYY-MM-DD (default: today)")
    ] = None,
    paid_by: Annotated[str, typer.Option("--paid-by", help="apbd | self")] = "apbd",
    transport: Annotated[
        bool, typer.Option("--transport", help="Pekerja transportasi / transport worker")
    ] = False,
    input_: Annotated[
        Path | None, typer.Option("--input", help="CSV/Parquet: segment, income|wage, risk, jht")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="CSV/Parquet keluaran / output file")
    ] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Iuran bulanan satu pekerja atau satu berkas. / Monthly contribution of a worker or a file."""
    set_lang(lang_)
    from jaring.law import contributions

    day = parse_date(on, "--on")
    if input_ is not None:
        result = _contribution_file(input_, output, day)
        if json_:
            print_json(result)
        else:
            en = lang() == "en"
            typer.echo(
                f"{result['rows']:,} {'rows' if en else 'baris'} -> {result['output'] or '-'}; "
                f"total {rupiah(result['totals']['total'])}"
            )
            for key, value in result["totals"].items():
                typer.echo(f"  {key:<14} {rupiah(value):>20}")
        return
    day = day or dt.date.today()
    seg = _need(segment, "--segment").lower()
    if seg == "bpu":
        amount = contributions.bpu(
            _need(income, "--income"), day, jht=jht, paid_by=paid_by.lower(), transport=transport
        )
    elif seg == "pu":
        amount = contributions.pu(_need(wage, "--wage"), _need(risk, "--risk"), day)
    else:
        raise JaringError(
            "unknown_segment",
            f"Segmen tidak dikenal: {segment!r} (bpu atau pu)",
            f"Unknown segment: {segment!r} (bpu or pu)",
            field="segment",
            value=str(segment),
        )
    if json_:
        print_json({"segment": seg, "on": day, **amount.to_dict(lang())})
    else:
        title = (
            "Contribution" if lang() == "en" else "Iuran"
        ) + f" {seg.upper()} {day.isoformat()}"
        typer.echo("\n".join(render_amount(amount, title)))


def _contribution_file(path: Path, output: Path | None, day: dt.date | None) -> dict[str, Any]:
    import polars as pl

    from jaring.law import contributions

    require_file(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            df = pl.read_parquet(path)
        elif suffix in (".csv", ".txt"):
            df = pl.read_csv(
                path,
                schema_overrides={"segment": pl.String, "risk": pl.String, "paid_by": pl.String},
                infer_schema_length=10_000,
            )
        else:
            raise JaringError(
                "bad_file_type",
                f"Jenis berkas tidak didukung: {path.name} (CSV atau Parquet)",
                f"Unsupported file type: {path.name} (CSV or Parquet)",
                file=str(path),
            )
    except pl.exceptions.PolarsError as e:
        raise JaringError(
            "bad_file",
            f"Berkas tidak dapat dibaca: {path.name} ({type(e).__name__})",
            f"Cannot read file: {path.name} ({type(e).__name__})",
            file=str(path),
        ) from None
    if day is None and "month" not in df.columns:
        day = dt.date.today()  # no --on and no month column: today, as for one worker
    try:
        out = contributions.frame(df, day)
    except JaringError as e:
        e.context.setdefault("file", str(path))
        raise
    if output is not None:
        if output.suffix.lower() == ".parquet":
            out.write_parquet(output)
        elif output.suffix.lower() == ".csv":
            out.write_csv(output)
        else:
            raise JaringError(
                "bad_file_type",
                f"Jenis berkas keluaran tidak didukung: {output.name} (CSV atau Parquet)",
                f"Unsupported output type: {output.name} (CSV or Parquet)",
                file=str(output),
            )
    return {
        "input": str(path),
        "output": str(output) if output else None,
        "on": day,
        "rows": out.height,
        "totals": contributions.totals(out),
    }


@app.command("benefit")
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
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Manfaat BPJS TK dengan rinciannya. / A BPJS TK benefit with its explanation."""
    set_lang(lang_)
    from jaring.law import benefits

    day = parse_date(event_date, "--event-date")
    k = kind.lower()
    if k not in BENEFIT_KINDS:
        raise JaringError(
            "unknown_benefit",
            f"Jenis manfaat tidak dikenal: {kind!r} (pilih {', '.join(BENEFIT_KINDS)})",
            f"Unknown benefit kind: {kind!r} (choose {', '.join(BENEFIT_KINDS)})",
            field="kind",
            value=kind,
        )
    day = day or dt.date.today()
    if k == "jkm":
        amount = benefits.jkm(
            day, segment=segment.lower(), member_since=parse_date(member_since, "--member-since")
        )
    elif k == "jkk-death":
        amount = benefits.jkk_death(_need(wage, "--wage"), day)
    elif k == "jkk-total-disability":
        amount = benefits.jkk_total_disability(_need(wage, "--wage"), day)
    elif k == "jkk-partial-disability":
        amount = benefits.jkk_partial_disability(
            _need(wage, "--wage"),
            day,
            part=part,
            percent=_decimal(percent, "percent"),
            function_loss=_decimal(function_loss, "function-loss"),
        )
    elif k == "stmb":
        amount = benefits.stmb(_need(wage, "--wage"), _need(months, "--months"), day)
    elif k == "jkk-medical":
        amount = benefits.jkk_medical(_need(cost, "--cost"), day)
    elif k == "jkk-home-care":
        amount = benefits.jkk_home_care(_need(cost, "--cost"), day)
    elif k == "jkk-transport":
        amount = benefits.jkk_transport(_need(cost, "--cost"), mode.lower(), day)
    else:
        kids = [_child(text) for text in (child or [])]
        amount = benefits.scholarship(
            day, kids, cause=cause.lower(), contribution_months=contribution_months
        )
    if json_:
        print_json({"kind": k, "event_date": day, **amount.to_dict(lang())})
    else:
        title = ("Benefit" if lang() == "en" else "Manfaat") + f" {k}"
        typer.echo("\n".join(render_amount(amount, title)))


def _child(text: str) -> tuple[str, int]:
    level, _, years = text.partition(":")
    try:
        return level.strip().lower(), int(years)
    except ValueError:
        raise JaringError(
            "bad_child",
            f"--child harus JENJANG:TAHUN, mis. smp:3 (bukan {text!r})",
            f"--child must be LEVEL:YEARS, e.g. smp:3 (not {text!r})",
            field="child",
            value=text,
        ) from None


@app.command("params")
def params_cmd(
    on: Annotated[
        str | None, typer.Option("--on", help="Tanggal / date YYYY-MM-DD (default: today)")
    ] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Semua parameter yang berlaku pada tanggal itu. / Every parameter in force on a date."""
    set_lang(lang_)
    from jaring.law.parameters import ParameterError, params

    day = parse_date(on, "--on") or dt.date.today()
    rows: list[dict[str, Any]] = []
    for item in params().in_force(day):
        if isinstance(item, ParameterError):
            rows.append(
                {
                    "parameter": item.context.get("parameter"),
                    "error": item.code,
                    "message": item.message(lang()),
                }
            )
        else:
            rows.append(
                {
                    "parameter": item.name,
                    "label": item.label_en if lang() == "en" else item.label_id,
                    "value": item.value,
                    "unit": item.unit,
                    "effective_from": item.effective_from,
                    "reference": item.reference,
                    "confidence": item.confidence,
                    "note": item.note_en if lang() == "en" else item.note_id,
                }
            )
    if json_:
        print_json({"on": day, "parameters": rows})
        return
    for row in rows:
        if "error" in row:
            typer.echo(f"{row['parameter']}: ! {row['message']}")
            continue
        typer.echo(
            f"{row['parameter']} = {_value_text(row['value'])} ({row['unit']}) "
            f"[{row['effective_from'].isoformat()}, {row['confidence']}]"
        )
        typer.echo(f"    {row['reference']}")
