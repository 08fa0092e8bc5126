"""The attachment store on SQLite and PostgreSQL: content checks, rights, regions, masking,
encryption at rest, deletion and retention, all audited."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import Engine, func, select

from jaring.access import Actor
from jaring.attachments import actions, keys, queries, rules
from jaring.errors import JaringError
from jaring.store.tables.attachments import attachment, attachment_blob
from jaring.store.tables.web import audit_event

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(buf, "JPEG")
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "attachments.key"
    monkeypatch.delenv("JARING_ATTACHMENT_KEY", raising=False)
    monkeypatch.setenv("JARING_ATTACHMENT_KEY_FILE", str(path))
    return path


def put(engine: Engine, actor: Actor, data: bytes, **kw: object) -> rules.Attachment:
    kw.setdefault("filename", "bukti.pdf")
    kw.setdefault("purpose", "award.evidence")
    with engine.begin() as conn:
        return actions.put(conn, actor, data, **kw)  # type: ignore[arg-type]


def code_of(exc: pytest.ExceptionInfo[JaringError]) -> str:
    return exc.value.code


OPERATOR = Actor("op", "operator", ("96.71.02",), user_id=None)
OTHER_OPERATOR = Actor("op2", "operator", ("96.71.03",))
VIEWER = Actor("viewer", "viewer")
SYSTEM = Actor.system()


def test_kinds_are_judged_by_content(engine: Engine) -> None:
    for data, media in (
        (PDF, "application/pdf"),
        (png_bytes(), "image/png"),
        (jpeg_bytes(), "image/jpeg"),
    ):
        a = put(engine, SYSTEM, data, filename="x.bin")
        assert a.media_type == media
        assert a.filename == "x" + rules.EXTENSIONS[media]
        got, back = queries.read(engine, SYSTEM, a.id)
        assert back == data and got.size == len(data)
    with pytest.raises(JaringError) as e:
        put(engine, SYSTEM, b"MZ\x90\x00 not a pdf", filename="surat.pdf")
    assert code_of(e) == "attachment_bad_type"
    with pytest.raises(JaringError) as e:
        put(engine, SYSTEM, b"", filename="kosong.pdf")
    assert code_of(e) == "attachment_empty"
    with pytest.raises(JaringError) as e:
        put(engine, SYSTEM, PDF + b" " * 2048, max_bytes=1024)
    assert code_of(e) == "attachment_too_large"
    with pytest.raises(JaringError) as e:
        put(engine, SYSTEM, PDF, kinds=("jpeg", "png"))
    assert code_of(e) == "attachment_bad_type"


def test_a_refused_file_leaves_nothing(engine: Engine) -> None:
    with pytest.raises(JaringError), engine.begin() as conn:
        actions.put(conn, SYSTEM, PDF, filename="a.pdf", purpose="award.evidence")
        actions.put(conn, SYSTEM, b"junk", filename="b.pdf", purpose="award.evidence")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(attachment)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(attachment_blob)).scalar() == 0


def test_names_cannot_climb_out() -> None:
    assert rules.clean_filename("../../etc/passwd", "application/pdf") == "passwd.pdf"
    assert rules.clean_filename("a\x00b\r\n.png", "image/png") == "ab.png"
    assert rules.clean_filename(None, "image/jpeg") == "lampiran.jpg"
    assert len(rules.clean_filename("x" * 500 + ".pdf", "application/pdf")) <= 130


@given(st.binary(max_size=64))
def test_random_bytes_are_not_files(data: bytes) -> None:
    if rules.sniff(data) is not None:
        assert data[:4] in (b"%PDF", b"\x89PNG") or data[:3] == b"\xff\xd8\xff"


def test_rights_regions_and_masking(engine: Engine) -> None:
    a = put(
        engine, SYSTEM, jpeg_bytes(), purpose="registry.change", region="96.71.02", personal=True
    )
    assert a.read_right == "person.read"
    # the operator of the region reads it; another region's operator does not
    assert queries.read(engine, OPERATOR, a.id)[1].startswith(b"\xff\xd8")
    with pytest.raises(JaringError) as e:
        queries.get(engine, OTHER_OPERATOR, a.id)
    assert code_of(e) == "out_of_region"
    # a viewer sees people masked: a personal file is refused
    with pytest.raises(JaringError) as e:
        queries.read(engine, VIEWER, a.id)
    assert code_of(e) == "forbidden"
    # a juror has no person.read at all
    with pytest.raises(JaringError) as e:
        queries.read(engine, Actor("j", "juror"), a.id)
    assert code_of(e) == "forbidden"
    assert queries.list_for(engine, VIEWER, "registry.change") == []
    assert [x.id for x in queries.list_for(engine, OPERATOR, "registry.change")] == [a.id]
    # a file cannot be put into a region outside the actor's
    with pytest.raises(JaringError) as e:
        put(engine, OPERATOR, PDF, purpose="registry.change", region="96.71.03")
    assert code_of(e) == "out_of_region"
    with pytest.raises(JaringError) as e:
        queries.get(engine, SYSTEM, 999_999)
    assert code_of(e) == "attachment_not_found"


def test_a_registrar_reads_only_own_files(engine: Engine) -> None:
    mine = Actor("reg1", "registrar", ("96.71.02",))
    theirs = Actor("reg2", "registrar", ("96.71.02",))
    a = put(
        engine,
        mine,
        jpeg_bytes(),
        purpose="field.ktp",
        region="96.71.02",
        read_right="field.register",
        personal=True,
        encrypt=True,
    )
    assert queries.read(engine, mine, a.id)[0].id == a.id
    with pytest.raises(JaringError):
        queries.read(engine, theirs, a.id)


def test_encrypted_at_rest(engine: Engine, _key: Path) -> None:
    data = jpeg_bytes()
    a = put(engine, SYSTEM, data, purpose="field.ktp", encrypt=True, personal=True)
    assert a.encrypted and _key.exists() and oct(_key.stat().st_mode & 0o777) == "0o600"
    with engine.connect() as conn:
        stored = bytes(conn.execute(select(attachment_blob.c.data)).scalar_one())
    assert data not in stored and stored[12:] != data
    assert queries.read(engine, SYSTEM, a.id)[1] == data
    # another key: the file is not readable, and says so
    os.environ["JARING_ATTACHMENT_KEY"] = base64.urlsafe_b64encode(b"k" * 32).decode()
    try:
        with pytest.raises(JaringError) as e:
            queries.read(engine, SYSTEM, a.id)
        assert code_of(e) == "attachment_key_wrong"
        assert e.value.status == 503
    finally:
        del os.environ["JARING_ATTACHMENT_KEY"]
    _key.unlink()
    with pytest.raises(JaringError) as e:
        queries.read(engine, SYSTEM, a.id)
    assert code_of(e) == "attachment_key_missing"


def test_bytes_moved_between_records_do_not_decrypt(engine: Engine) -> None:
    key = keys.load(create=True)
    assert key is not None
    blob = rules.encrypt(key, b"abc", rules.digest(b"abc"))
    assert rules.decrypt(key, blob, rules.digest(b"abd")) is None
    assert rules.decrypt(key, blob, rules.digest(b"abc")) == b"abc"


def test_delete_erases_bytes_keeps_record_and_audits(engine: Engine) -> None:
    a = put(engine, SYSTEM, PDF, purpose="award.evidence")
    with pytest.raises(JaringError) as e:
        actions.delete(engine, VIEWER, a.id, "salah unggah")
    assert code_of(e) == "forbidden"
    with pytest.raises(JaringError) as e:
        actions.delete(engine, SYSTEM, a.id, "  ")
    assert code_of(e) == "attachment_reason_required"
    gone = actions.delete(engine, Actor("sek", "award_secretariat"), a.id, "salah unggah")
    assert gone.deleted_at is not None and gone.deleted_by == "sek"
    with pytest.raises(JaringError) as e:
        queries.read(engine, SYSTEM, a.id)
    assert code_of(e) == "attachment_deleted"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(attachment_blob)).scalar() == 0
        acts = [
            r.action for r in conn.execute(select(audit_event.c.action).order_by(audit_event.c.id))
        ]
    assert acts == ["attachment.put", "attachment.delete"]


def test_purge_keeps_what_is_younger(engine: Engine) -> None:
    old = put(engine, SYSTEM, jpeg_bytes(), purpose="field.ktp")
    cut = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=5)
    with pytest.raises(JaringError):
        actions.purge(engine, OPERATOR, "field.ktp", cut)
    assert actions.purge(engine, SYSTEM, "field.ktp", cut) == 1
    assert queries.get(engine, SYSTEM, old.id).deleted_at is not None
    assert actions.purge(engine, SYSTEM, "field.ktp", cut) == 0


def test_reads_are_audited(engine: Engine) -> None:
    a = put(engine, SYSTEM, PDF)
    queries.read(engine, SYSTEM, a.id)
    with engine.connect() as conn:
        n = conn.execute(
            select(func.count())
            .select_from(audit_event)
            .where(audit_event.c.action == "attachment.read")
        ).scalar()
    assert n == 1
