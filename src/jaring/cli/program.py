"""`jaring program`: Program APBD: rencana anggaran, pendaftaran. / Programs: budget plans, enrolment."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from jaring.cli.common import actor, as_json, command, engine, print_json, progress, say
from jaring.dates import parse_date
from jaring.formatting import datetime, number, percent, rupiah
from jaring.i18n import _
from jaring.programs import actions, errors, queries
from jaring.programs.budget import parse_rupiah
from jaring.programs.months import parse_month
from jaring.programs.queries import PlanSummary, ScenarioFigures
from jaring.registry.queries.browse import Filters

app = typer.Typer(
    help="Program APBD: rencana anggaran, pendaftaran. / Programs: budget plans, enrolment.",
    no_args_is_help=True,
)

ProgramArg = Annotated[str, typer.Argument(help="Program id or name. / Id atau nama program.")]


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
            raise errors.BAD_RULES(reason=e.msg, field="rules") from None
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


@command(app, "create")
def create(
    name: Annotated[str, typer.Option("--name", help="Program name. / Nama program.")],
    year: Annotated[int, typer.Option("--year", help="Fiscal year. / Tahun anggaran.")],
    budget: Annotated[
        str, typer.Option("--budget", help="Budget: 2200000000, Rp2.200.000.000 or '2,2 miliar'.")
    ],
    region: Annotated[
        str | None, typer.Option("--region", help="Paying Pemda, e.g. 96.71.")
    ] = None,
    funder_type: Annotated[
        str, typer.Option("--funder", help="apbd, apbn, apbdes, donor or self (pekerja mandiri).")
    ] = "apbd",
    segment: Annotated[str, typer.Option("--segment", help="bpu or pu.")] = "bpu",
    income_base: Annotated[
        int | None, typer.Option("--income", help="Declared income (BPU) or wage (PU).")
    ] = None,
    risk: Annotated[str | None, typer.Option("--risk", help="PU JKK risk group.")] = None,
    jht: Annotated[bool, typer.Option("--jht", help="Include JHT. / Termasuk JHT.")] = False,
    jp: Annotated[bool, typer.Option("--jp", help="PU: include JP. / PU: termasuk JP.")] = False,
    period_start: Annotated[
        str | None, typer.Option("--start", help="First day, YYYY-MM-DD.")
    ] = None,
    period_end: Annotated[str | None, typer.Option("--end", help="Last day, YYYY-MM-DD.")] = None,
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
) -> None:
    """Buat program. / Create a program."""
    eng = engine()
    out = actions.create_program(
        eng,
        actor(eng),
        name=name,
        fiscal_year=year,
        budget=parse_rupiah(budget),
        funder_type=funder_type,
        funder_region=region,
        segment=segment,
        income_base=income_base,
        risk=risk,
        with_jht=jht,
        with_jp=jp,
        period_start=parse_date(period_start, "period_start"),
        period_end=parse_date(period_end, "period_end"),
        rules=_rules(rules, occupation, desil_max, district, age_min, age_max),
    )
    if as_json():
        print_json(out)
        return
    say(
        _(
            "Program %(id)s created: %(name)s, budget %(budget)s, %(start)s to %(end)s",
            id=out.id,
            name=out.name,
            budget=rupiah(out.budget),
            start=out.period_start,
            end=out.period_end,
        )
    )


@command(app, "update")
def update(
    program: ProgramArg,
    funder_type: Annotated[
        str | None,
        typer.Option(
            "--payer-type",
            "--funder",
            help="apbd, apbn, apbdes, donor or self (pekerja mandiri). Issued invoices keep "
            "their amounts; later ones follow the new payer.",
        ),
    ] = None,
    funder_region: Annotated[
        str | None, typer.Option("--region", help='Paying Pemda, e.g. 96.71 ("" clears).')
    ] = None,
    budget: Annotated[
        int | None, typer.Option("--budget", help="Budget in rupiah. / Anggaran (Rp).")
    ] = None,
    segment: Annotated[str | None, typer.Option("--segment", help="bpu or pu.")] = None,
    income_base: Annotated[
        int | None, typer.Option("--income", help="Declared income (BPU) or wage (PU).")
    ] = None,
    risk: Annotated[str | None, typer.Option("--risk", help="PU JKK risk group.")] = None,
    jht: Annotated[
        bool | None, typer.Option("--jht/--no-jht", help="Include JHT. / Termasuk JHT.")
    ] = None,
    jp: Annotated[
        bool | None, typer.Option("--jp/--no-jp", help="PU: include JP. / PU: termasuk JP.")
    ] = None,
    period_start: Annotated[
        str | None, typer.Option("--start", help="First day, YYYY-MM-DD.")
    ] = None,
    period_end: Annotated[str | None, typer.Option("--end", help="Last day, YYYY-MM-DD.")] = None,
) -> None:
    """Ubah program: pembayar, anggaran, paket. / Change a program: payer, budget, package."""
    eng = engine()
    out = actions.update_program(
        eng,
        actor(eng),
        program,
        funder_type=funder_type,
        funder_region=funder_region,
        budget=budget,
        segment=segment,
        income_base=income_base,
        risk=risk,
        with_jht=jht,
        with_jp=jp,
        period_start=parse_date(period_start, "period_start"),
        period_end=parse_date(period_end, "period_end"),
    )
    if as_json():
        print_json(out)
        return
    say(
        _(
            "Program %(id)s updated: %(name)s, paid by %(payer)s, budget %(budget)s",
            id=out.id,
            name=out.name,
            payer=out.funder_type,
            budget=rupiah(out.budget),
        )
    )


@command(app, "list")
def list_() -> None:
    """Daftar program. / List programs."""
    eng = engine()
    rows = queries.list_programs(eng, actor(eng))
    if as_json():
        print_json(rows)
        return
    for r in rows:
        say(f"{r.id:>4}  {r.name}  {r.fiscal_year}  {rupiah(r.budget)}")


def _plan_lines(s: PlanSummary) -> list[str]:
    lines = [
        _(
            "%(people)s people x %(months)s months = %(person_months)s person-months, "
            "cost %(cost)s, unspent %(unspent)s",
            people=number(s.people),
            months=s.months,
            person_months=number(s.person_months),
            cost=rupiah(s.cost),
            unspent=rupiah(s.unspent),
        ),
        _(
            "Solver: %(solver)s, optimality gap %(gap)s",
            solver=s.solver,
            gap=percent(s.optimal_gap, digits=4),
        ),
    ]
    if s.greedy_gap is not None and s.solver != "closed_form":
        lines.append(
            _(
                "Greedy: %(people)s people, %(gap)s below the IP",
                people=s.greedy_people,
                gap=percent(s.greedy_gap, digits=4),
            )
        )
    if s.from_list:
        lines.append(
            _(
                "Candidates added by hand: %(listed)s counted beside the rules, %(chosen)s "
                "of them in the plan",
                listed=number(s.from_list),
                chosen=number(s.people_from_list),
            )
        )
    for q in s.quotas:
        met = _("Quota %(quota)s: met", quota=q.quota)
        lines.append("  " + (met if q.met else _("Quota %(quota)s: NOT met", quota=q.quota)))
    if s.plan_id:
        lines.append(
            _("Saved as plan %(plan)s; enrol it with 'jaring program enrol'", plan=s.plan_id)
        )
    return lines


@command(app, "plan")
def plan(
    program: ProgramArg,
    budget: Annotated[
        str | None, typer.Option("--budget", help="Budget (rupiah); APBD-Perubahan replaces it.")
    ] = None,
    priority: Annotated[
        str | None, typer.Option("--priority", help="desil,risk,registered (order).")
    ] = None,
    quotas: Annotated[
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
) -> None:
    """Rencanakan apa yang dibeli anggaran. / Plan what the budget buys."""
    eng = engine()
    who = actor(eng)
    start = parse_month(from_month, "from_month") if from_month else None
    with progress() as p:
        out = actions.plan_program(
            eng,
            who,
            program,
            budget=None if budget is None else parse_rupiah(budget),
            scenario=scenario,
            priority=priority,
            quotas=quotas or [],
            from_month=start,
            drop_covered=drop_covered,
            name=name,
            save=not dry_run,
            progress=p,
        )
    if as_json():
        print_json(out)
        return
    for line in _plan_lines(out):
        say(line)


@command(app, "scenarios")
def scenarios(
    program: ProgramArg,
    budget: Annotated[str | None, typer.Option("--budget", help="Budget (rupiah).")] = None,
    priority: Annotated[str | None, typer.Option("--priority")] = None,
    quotas: Annotated[list[str] | None, typer.Option("--quota")] = None,
    extra: Annotated[
        int, typer.Option("--extra", help="What this many more rupiah would buy.")
    ] = 1_000_000_000,
) -> None:
    """Bandingkan skenario. / Compare "everyone for fewer months" with "fewer people, all months"."""
    eng = engine()
    out = queries.compare_scenarios(
        eng,
        actor(eng),
        program,
        budget=None if budget is None else parse_rupiah(budget),
        priority=priority,
        quotas=quotas or [],
        extra=extra,
    )
    if as_json():
        print_json(out)
        return
    for label, s in (
        (_("Fewer people, every month"), out.full),
        (_("Everyone, fewer months"), out.spread),
        (f"+{rupiah(extra)}", out.with_extra),
    ):
        if not isinstance(s, ScenarioFigures):
            say(f"{label}: {s.message}")
            continue
        say(
            _(
                "%(label)s: %(people)s x %(months)s = %(person_months)s, %(cost)s, "
                "unspent %(unspent)s",
                label=label,
                people=number(s.people),
                months=s.months,
                person_months=number(s.person_months),
                cost=rupiah(s.cost),
                unspent=rupiah(s.unspent),
            )
        )
    say(
        _(
            "%(extra)s more protects %(people)s more people",
            extra=rupiah(extra),
            people=number(out.extra_buys_people),
        )
    )


@command(app, "enrol")
def enrol(
    program: ProgramArg,
    plan_id: Annotated[
        int | None, typer.Option("--plan", help="Plan id (default: latest).")
    ] = None,
    on: Annotated[str | None, typer.Option("--date", help="Date of enrolment.")] = None,
) -> None:
    """Daftarkan peserta dari rencana. / Enrol the people of a plan."""
    eng = engine()
    who = actor(eng)
    day = parse_date(on, "on")
    with progress() as p:
        out = actions.enrol(eng, who, program, plan_id=plan_id, on=day, progress=p)
    if as_json():
        print_json(out)
        return
    say(
        _(
            "Plan %(plan)s: %(enrolled)s new members, %(extended)s extended, %(ended)s ended",
            plan=out.plan_id,
            enrolled=number(out.enrolled),
            extended=number(out.extended),
            ended=number(out.ended),
        )
    )


@command(app, "status")
def status(program: ProgramArg) -> None:
    """Rekonsiliasi anggaran. / Budget = spent + committed + unspent, to the rupiah."""
    eng = engine()
    out = queries.reconcile(eng, actor(eng), program)
    if as_json():
        print_json(out)
        return
    say(
        _(
            "%(program)s: budget %(budget)s = spent %(spent)s + committed %(committed)s "
            "+ unspent %(unspent)s",
            program=out.program,
            budget=rupiah(out.budget),
            spent=rupiah(out.spent),
            committed=rupiah(out.committed),
            unspent=rupiah(out.unspent),
        )
    )
    say(
        _(
            "Arrears %(arrears)s; still to invoice %(to_invoice)s; balanced: %(balanced)s",
            arrears=rupiah(out.arrears),
            to_invoice=rupiah(out.to_invoice),
            balanced=_("yes") if out.balanced else _("NO"),
        )
    )


candidates_app = typer.Typer(
    help="Kandidat program pilihan tangan. / A program's candidates added by hand.",
    no_args_is_help=True,
)
app.add_typer(candidates_app, name="candidates")
PersonIds = Annotated[
    list[int] | None, typer.Argument(help="Person ids. / Id orang.", show_default=False)
]


@command(candidates_app, "add")
def candidates_add(
    program: ProgramArg,
    ids: PersonIds = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why they are added.")] = None,
    district: Annotated[
        str | None, typer.Option("--district", help="Everyone of this distrik (code).")
    ] = None,
    village: Annotated[
        str | None, typer.Option("--village", help="Everyone of this kelurahan (code).")
    ] = None,
    occupation: Annotated[
        str | None, typer.Option("--occupation", help="Everyone with this occupation.")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Everyone of this source list.")
    ] = None,
) -> None:
    """Tambahkan orang ke kandidat program. / Add people to a program's candidates."""
    eng = engine()
    filters = Filters(district=district, village=village, occupation=occupation, source=source)
    if not ids and not filters.active():
        raise errors.NO_CANDIDATES_CHOSEN(field="ids")
    out = actions.add_candidates(
        eng, actor(eng), program, reason=reason or "", ids=ids or None, filters=filters
    )
    if as_json():
        print_json(out)
        return
    say(
        _(
            "%(program)s: %(added)s people added to the candidates; %(already)s were on the "
            "list already; %(outside)s live outside the program's region and were not added",
            program=out.program,
            added=number(out.added),
            already=number(out.already),
            outside=number(out.outside),
        )
    )


@command(candidates_app, "remove")
def candidates_remove(program: ProgramArg, ids: PersonIds = None) -> None:
    """Hapus orang dari kandidat program. / Take people off a program's candidates."""
    eng = engine()
    out = actions.remove_candidates(eng, actor(eng), program, ids or [])
    if as_json():
        print_json(out)
        return
    say(
        _(
            "%(program)s: %(removed)s people taken off the candidates; %(missing)s were not "
            "on the list",
            program=out.program,
            removed=number(out.removed),
            missing=number(out.not_listed),
        )
    )


@command(candidates_app, "list")
def candidates_list(
    program: ProgramArg,
    after: Annotated[
        int | None, typer.Option("--after", help="The page after this person id.")
    ] = None,
) -> None:
    """Daftar kandidat pilihan tangan. / The people added to a program's candidates."""
    eng = engine()
    out = queries.candidate_list(eng, actor(eng), program, after=after)
    if as_json():
        print_json(out)
        return
    say(
        _(
            "%(program)s: %(total)s people on the list of candidates (%(outside)s outside "
            "the program's region)",
            program=out.program,
            total=number(out.total),
            outside=number(out.outside),
        )
    )
    for c in out.people:
        region = "" if c.in_region else "  " + _("outside the region")
        say(
            f"{c.person.id:>8}  {c.person.nik or '-'}  {c.person.name}  "
            f"{datetime(c.added_at)}  {c.added_by}: {c.reason}{region}"
        )
    if out.next is not None:
        say(_("More: the next page starts after %(id)s", id=out.next))
