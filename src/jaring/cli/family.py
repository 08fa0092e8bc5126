"""`jaring family`: Keluarga (Kartu Keluarga): bangun dari daftar, lihat, tambah, koreksi.
/ Families: build from lists, show, add a member, change requests.

Thin: parse options, call one action or query of :mod:`jaring.families` as the actor of
``--user`` / ``JARING_USER`` (else the system), render text or ``--json``.
"""

from typing import Annotated

import typer

from jaring import formatting
from jaring.cli.common import actor, as_json, command, engine, lang, print_json, say
from jaring.dates import parse_date
from jaring.families.actions import families
from jaring.families.queries import families as queries
from jaring.i18n import _

app = typer.Typer(
    help="Keluarga (KK): bangun dari daftar, lihat, koreksi. / Families: build, show, correct.",
    no_args_is_help=True,
)


@command(app, "build")
def build(
    batch: Annotated[list[int] | None, typer.Option("--batch", help="Only these batches.")] = None,
) -> None:
    """Bangun keluarga dari daftar ber-no_kk. / Build families from lists with a KK number."""
    eng = engine()
    out = families.build_from_lists(eng, actor(eng), batches=batch or None)
    if as_json():
        print_json(out)
        return
    say(
        _(
            "%(rows)s rows with a KK number: %(families)s new families, %(members)s new "
            "members, %(skipped)s rows skipped.",
            rows=out.rows,
            families=out.families_created,
            members=out.members_added,
            skipped=out.skipped,
        )
    )


@command(app, "show")
def show(nik: Annotated[str, typer.Argument(help="NIK of a member.")]) -> None:
    """Keluarga seseorang. / A person's family."""
    from jaring.registry import queries as registry

    eng = engine()
    who = actor(eng)
    fam = queries.family_of(eng, who, registry.person_by_nik(eng, who, nik))
    if as_json():
        print_json(fam)
        return
    if fam is None:
        say(_("No family known."))
        return
    say(_("KK %(kk)s (%(source)s)", kk=fam.kk_number, source=fam.source))
    for m in fam.members:
        born = formatting.date(m.birth_date, lang()) if m.birth_date else "-"
        dead = f"  {_('died')}" if m.deceased else ""
        say(f"  {m.id:>5}  {m.relation_label:<22} {m.name}  {m.nik or '-'}  {born}{dead}")


@command(app, "add")
def add(
    kk: Annotated[str, typer.Argument(help="KK number (16 digits).")],
    relation: Annotated[str, typer.Option("--relation", help="head, spouse, child, parent...")],
    name: Annotated[str, typer.Option("--name", help="Full name.")],
    nik: Annotated[str | None, typer.Option("--nik", help="NIK (16 digits).")] = None,
    birth_date: Annotated[str | None, typer.Option("--birth-date", help="YYYY-MM-DD.")] = None,
    sex: Annotated[str | None, typer.Option("--sex", help="L or P.")] = None,
) -> None:
    """Tambah anggota keluarga. / Add a family member."""
    eng = engine()
    out = families.add_member(
        eng, actor(eng), kk, relation=relation, name=name, nik=nik,
        birth_date=parse_date(birth_date, "birth_date"), sex=sex,
    )  # fmt: skip
    if as_json():
        print_json(out)
        return
    say(_("Member %(member)s added to KK %(kk)s.", member=out.member_id, kk=out.kk_number))


@command(app, "change")
def change(
    member: Annotated[int, typer.Argument(help="Member id (see show).")],
    values: Annotated[list[str], typer.Argument(help="field=value, e.g. relation=child")],
    reason: Annotated[str, typer.Option("--reason", help="Why.")],
) -> None:
    """Ajukan koreksi anggota keluarga. / Ask for a correction of a member."""
    from jaring.errors import BAD_VALUE

    pairs = {}
    for v in values:
        if "=" not in v:
            raise BAD_VALUE(value=v, field="field=value")
        k, _sep, val = v.partition("=")
        pairs[k.strip()] = val
    eng = engine()
    out = families.request_change(eng, actor(eng), member, pairs, reason=reason)
    if as_json():
        print_json(out)
        return
    say(_("Change request %(change)s waits for a supervisor.", change=out.change))


@command(app, "decide")
def decide(
    change_id: Annotated[int, typer.Argument(help="Change request id.")],
    approve: Annotated[bool, typer.Option("--approve/--reject", help="Apply it, or not.")],
    note: Annotated[str | None, typer.Option("--note", help="A note.")] = None,
) -> None:
    """Putuskan permintaan koreksi. / Decide a change request."""
    eng = engine()
    out = families.decide_change(eng, actor(eng), change_id, approve=approve, note=note)
    if as_json():
        print_json(out)
        return
    say(_("Change request %(change)s: %(status)s", change=out.change, status=out.status))
