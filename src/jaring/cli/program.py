"""`jaring program`: Program APBD: rencana anggaran, pendaftaran. / Programs: budget plans, enrolment."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from jaring.cli.common import DbOpt, JsonOpt, LangOpt, engine, lang, print_json, set_lang
from jaring.dates import parse_date
from jaring.errors import JaringError

app = typer.Typer(
    help="Program APBD: rencana anggaran, pendaftaran. / Programs: budget plans, enrolment.",
    no_args_is_help=True,
)

ProgramArg = Annotated[str, typer.Argument(help="Program id or name. / Id atau nama program.")]


def rupiah(amount: int | None) -> str:
    """``2200000000`` -> ``Rp2.200.000.000`` (Indonesian grouping); ``-`` for none."""
    from jaring.programs.fmt import rupiah as rp

    return "-" if amount is None else rp(amount)


def num(n: int) -> str:
    """Thousands grouped the reader's way: ``19.336`` in Indonesian, ``19,336`` in English."""
    from jaring.programs.fmt import ribu

    return f"{int(n):,}" if lang() == "en" else ribu(n)


def say(id_text: str, en_text: str) -> None:
    typer.echo(en_text if lang() == "en" else id_text)


def _rules(
    rules_json: str | None,
    occupation: list[str] | None,
    desil_max: int | None,
    district: list[str] | None,
    age_min: int | None,
    age_max: int | None,
) -> dict[str, Any]:
    rules: dict[str, Any] = {}
    if rules_json:
        try:
            rules = json.loads(rules_json)
        except json.JSONDecodeError as e:
            raise JaringError(
                "bad_rules",
                f"Aturan sasaran bukan JSON yang sah: {e.msg}",
                f"Targeting rules are not valid JSON: {e.msg}",
            ) from None
    if occupation:
        rules["occupations"] = occupation
    if desil_max is not None:
        rules["desil_max"] = desil_max
    if district:
        rules["districts"] = district
    if age_min is not None:
        rules["age_min"] = age_min
    if age_max is not None:
        rules["age_max"] = age_max
    return rules


@app.command("create")
def create(
    name: Annotated[str, typer.Option("--name", help="Program name. / Nama program.")],
    year: Annotated[int, typer.Option("--year", help="Fiscal year. / Tahun anggaran.")],
    budget: Annotated[int, typer.Option("--budget", help="Budget in rupiah. / Anggaran (Rp).")],
    region: Annotated[
        str | None, typer.Option("--region", help="Paying Pemda, e.g. 96.71.")
    ] = None,
    funder: Annotated[str, typer.Option("--funder", help="apbd or self.")] = "apbd",
    segment: Annotated[str, typer.Option("--segment", help="bpu or pu.")] = "bpu",
    income: Annotated[
        int | None, typer.Option("--income", help="Declared income (BPU) or wage (PU).")
    ] = None,
    risk: Annotated[str | None, typer.Option("--risk", help="PU JKK risk group.")] = None,
    jht: Annotated[bool, typer.Option("--jht", help="Include JHT. / Termasuk JHT.")] = False,
    start: Annotated[str | None, typer.Option("--start", help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last day, YYYY-MM-DD.")] = None,
    occupation: Annotated[
        list[str] | None, typer.Option("--occupation", help="Eligible occupation word (repeat).")
    ] = None,
    desil_max: Annotated[
        int | None, typer.Option("--desil-max", help="Poorest deciles only.")
    ] = None,
    district: Annotated[
        list[str] | None, typer.Option("--district", help="District code prefix (repeat).")
    ] = None,
    age_min: Annotated[int | None, typer.Option("--age-min")] = None,
    age_max: Annotated[int | None, typer.Option("--age-max")] = None,
    rules: Annotated[str | None, typer.Option("--rules", help="Targeting rules as JSON.")] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Buat program. / Create a program."""
    from jaring.programs import service

    set_lang(lang_)
    out = service.create_program(
        engine(db),
        name=name,
        fiscal_year=year,
        budget=budget,
        funder_type=funder,
        funder_region=region,
        segment=segment,
        income_base=income,
        risk=risk,
        with_jht=jht,
        period_start=parse_date(start, "--start"),
        period_end=parse_date(end, "--end"),
        rules=_rules(rules, occupation, desil_max, district, age_min, age_max),
    )
    if json_:
        print_json(out)
        return
    say(
        f"Program {out['id']} dibuat: {out['name']}, anggaran {rupiah(out['budget'])}, "
        f"{out['period_start']} s.d. {out['period_end']}",
        f"Program {out['id']} created: {out['name']}, budget {rupiah(out['budget'])}, "
        f"{out['period_start']} to {out['period_end']}",
    )


@app.command("list")
def list_(db: DbOpt = None, json_: JsonOpt = False, lang_: LangOpt = None) -> None:
    """Daftar program. / List programs."""
    from jaring.programs import service

    set_lang(lang_)
    rows = service.list_programs(engine(db))
    if json_:
        print_json(rows)
        return
    for r in rows:
        typer.echo(f"{r['id']:>4}  {r['name']}  {r['fiscal_year']}  {rupiah(r['budget'])}")


def _plan_lines(s: dict[str, Any]) -> list[str]:
    id_ = lang() != "en"
    lines = [
        f"{num(s['people'])} orang x {s['months']} bulan = {num(s['person_months'])} "
        f"orang-bulan, biaya {rupiah(s['cost'])}, sisa {rupiah(s['unspent'])}"
        if id_
        else f"{num(s['people'])} people x {s['months']} months = {num(s['person_months'])} "
        f"person-months, cost {rupiah(s['cost'])}, unspent {rupiah(s['unspent'])}"
    ]
    gap = s.get("optimal_gap")
    lines.append(
        (
            f"Pemecah: {s.get('solver')}, celah optimal {gap:.4%}"
            if id_
            else f"Solver: {s.get('solver')}, optimality gap {gap:.4%}"
        )
        if gap is not None
        else ""
    )
    if s.get("greedy_gap") is not None and s.get("solver") != "closed_form":
        lines.append(
            f"Greedy: {s.get('greedy_people')} orang, selisih {s['greedy_gap']:.4%} dari IP"
            if id_
            else f"Greedy: {s.get('greedy_people')} people, {s['greedy_gap']:.4%} below the IP"
        )
    for q in s.get("quotas", []):
        status = "terpenuhi" if id_ else "met"
        if not q["met"]:
            status = "TIDAK terpenuhi" if id_ else "NOT met"
        lines.append(f"  {'Kuota' if id_ else 'Quota'} {q['quota']}: {status}")
    if s.get("plan_id"):
        lines.append(
            f"Disimpan sebagai rencana {s['plan_id']}; daftarkan dengan 'jaring program enrol'"
            if id_
            else f"Saved as plan {s['plan_id']}; enrol it with 'jaring program enrol'"
        )
    return [ln for ln in lines if ln]


@app.command("plan")
def plan(
    program: ProgramArg,
    budget: Annotated[
        int | None, typer.Option("--budget", help="Budget (rupiah); APBD-Perubahan replaces it.")
    ] = None,
    priority: Annotated[
        str | None, typer.Option("--priority", help="desil,risk,registered (order).")
    ] = None,
    quota: Annotated[
        list[str] | None, typer.Option("--quota", help="distrik=0.2, desa=0.1, women=0.5 (repeat).")
    ] = None,
    scenario: Annotated[
        str, typer.Option("--scenario", help="full (fewer people, all months) or spread.")
    ] = "full",
    from_month: Annotated[
        str | None, typer.Option("--from", help="First month to plan, YYYY-MM (re-plan).")
    ] = None,
    drop_covered: Annotated[
        bool, typer.Option("--drop-covered", help="A re-plan may drop people already covered.")
    ] = False,
    name: Annotated[str | None, typer.Option("--name", help="Plan name.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Do not save the plan.")] = False,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Rencanakan apa yang dibeli anggaran. / Plan what the budget buys."""
    from jaring.programs import service
    from jaring.programs.months import parse_month

    set_lang(lang_)
    out = service.plan_program(
        engine(db),
        program,
        budget=budget,
        scenario=scenario,
        priority=priority,
        quotas=quota or [],
        from_month=parse_month(from_month) if from_month else None,
        drop_covered=drop_covered,
        name=name,
        save=not dry_run,
    )
    if json_:
        print_json(out)
        return
    for line in _plan_lines(out):
        typer.echo(line)


@app.command("scenarios")
def scenarios(
    program: ProgramArg,
    budget: Annotated[int | None, typer.Option("--budget")] = None,
    priority: Annotated[str | None, typer.Option("--priority")] = None,
    quota: Annotated[list[str] | None, typer.Option("--quota")] = None,
    extra: Annotated[
        int, typer.Option("--extra", help="What this many more rupiah would buy.")
    ] = 1_000_000_000,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Bandingkan skenario. / Compare "everyone for fewer months" with "fewer people, all months"."""
    from jaring.programs import service

    set_lang(lang_)
    out = service.compare_scenarios(
        engine(db), program, budget=budget, priority=priority, quotas=quota or [], extra=extra
    )
    if json_:
        print_json(out)
        return
    id_ = lang() != "en"
    for key, label in (
        ("full", "Lebih sedikit orang, semua bulan" if id_ else "Fewer people, every month"),
        ("spread", "Semua orang, lebih sedikit bulan" if id_ else "Everyone, fewer months"),
        ("with_extra", f"+{rupiah(extra)}"),
    ):
        s = out[key]
        if "refused" in s:
            typer.echo(f"{label}: {s['message']}")
            continue
        typer.echo(
            f"{label}: {num(s['people'])} x {s['months']} = {num(s['person_months'])}, "
            f"{rupiah(s['cost'])}, {'sisa' if id_ else 'unspent'} {rupiah(s['unspent'])}"
        )
    say(
        f"Tambahan {rupiah(extra)} melindungi {num(out['extra_buys_people'])} orang lagi",
        f"{rupiah(extra)} more protects {num(out['extra_buys_people'])} more people",
    )


@app.command("enrol")
def enrol(
    program: ProgramArg,
    plan_id: Annotated[
        int | None, typer.Option("--plan", help="Plan id (default: latest).")
    ] = None,
    on: Annotated[str | None, typer.Option("--date", help="Date of enrolment.")] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Daftarkan peserta dari rencana. / Enrol the people of a plan."""
    from jaring.programs import service

    set_lang(lang_)
    out = service.enrol(engine(db), program, plan_id=plan_id, on=parse_date(on, "--date"))
    if json_:
        print_json(out)
        return
    say(
        f"Rencana {out['plan_id']}: {num(out['enrolled'])} peserta baru, {num(out['extended'])} "
        f"diperpanjang, {num(out['ended'])} diakhiri",
        f"Plan {out['plan_id']}: {num(out['enrolled'])} new members, {num(out['extended'])} "
        f"extended, {num(out['ended'])} ended",
    )


@app.command("status")
def status(
    program: ProgramArg, db: DbOpt = None, json_: JsonOpt = False, lang_: LangOpt = None
) -> None:
    """Rekonsiliasi anggaran. / Budget = spent + committed + unspent, to the rupiah."""
    from jaring.programs import service

    set_lang(lang_)
    out = service.reconcile(engine(db), program)
    if json_:
        print_json(out)
        return
    say(
        f"{out['program']}: anggaran {rupiah(out['budget'])} = dibayar {rupiah(out['spent'])} "
        f"+ terikat {rupiah(out['committed'])} + sisa {rupiah(out['unspent'])}",
        f"{out['program']}: budget {rupiah(out['budget'])} = spent {rupiah(out['spent'])} "
        f"+ committed {rupiah(out['committed'])} + unspent {rupiah(out['unspent'])}",
    )
    say(
        f"Tunggakan {rupiah(out['arrears'])}; belum ditagih {rupiah(out['to_invoice'])}; "
        f"seimbang: {'ya' if out['balanced'] else 'TIDAK'}",
        f"Arrears {rupiah(out['arrears'])}; still to invoice {rupiah(out['to_invoice'])}; "
        f"balanced: {'yes' if out['balanced'] else 'NO'}",
    )
