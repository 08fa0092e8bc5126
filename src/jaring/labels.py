"""One catalogue of the words people read for stored codes: statuses, claim types, document
names, heir relations, rejection reasons, change-request fields.

Pages (the ``label`` template helper), the API (``label_id`` / ``label_en`` beside a code) and
exports read them here, so a code never reaches an Indonesian page as itself. Claim types,
documents, heir relations and rejection reasons live with the claims domain's data
(``claims/data/*.yaml``); the statuses are written below. A code nobody labels shows as
itself (a test over every page fails on it).
"""

from __future__ import annotations

import functools
from typing import Any

from jaring import i18n
from jaring.claims import catalog

Labels = dict[str, dict[str, str]]

CLAIM_STATUS: Labels = {
    "filed": {"id": "diajukan", "en": "filed"},
    "documents_complete": {"id": "dokumen lengkap", "en": "documents complete"},
    "verified": {"id": "diverifikasi", "en": "verified"},
    "approved": {"id": "disetujui", "en": "approved"},
    "rejected": {"id": "ditolak", "en": "rejected"},
    "paid": {"id": "dibayar", "en": "paid"},
}

#: A claim's next step as a button says it.
CLAIM_STEP: Labels = {
    "documents_complete": {"id": "Tandai dokumen lengkap", "en": "Mark documents complete"},
    "verified": {"id": "Verifikasi", "en": "Verify"},
    "approved": {"id": "Setujui", "en": "Approve"},
    "rejected": {"id": "Tolak", "en": "Reject"},
    "paid": {"id": "Catat pembayaran", "en": "Record the payment"},
}

CLAIM_ACTION: Labels = {
    "file": {"id": "mengajukan klaim", "en": "filed the claim"},
    "document": {"id": "mencatat dokumen", "en": "recorded documents"},
    "heirs": {"id": "mencatat ahli waris", "en": "recorded heirs"},
    "advance": {"id": "memindahkan status", "en": "moved the status"},
    "recipient": {"id": "menetapkan penerima", "en": "named the recipient"},
}

ROW_STATUS: Labels = {
    "accepted": {"id": "diterima", "en": "accepted"},
    "rejected": {"id": "ditolak", "en": "rejected"},
}

CHANGE_STATUS: Labels = {
    "pending": {"id": "menunggu persetujuan", "en": "waiting for approval"},
    "approved": {"id": "disetujui", "en": "approved"},
    "rejected": {"id": "ditolak", "en": "rejected"},
}

PERSON_FIELD: Labels = {
    "nik": {"id": "NIK", "en": "NIK"},
    "name": {"id": "nama", "en": "name"},
    "birth_date": {"id": "tanggal lahir", "en": "birth date"},
    "birth_place": {"id": "tempat lahir", "en": "birth place"},
    "sex": {"id": "jenis kelamin", "en": "sex"},
    "address": {"id": "alamat", "en": "address"},
    "village": {"id": "kelurahan", "en": "village"},
    "district": {"id": "distrik", "en": "district"},
    "phone": {"id": "nomor HP", "en": "phone"},
    "occupation": {"id": "pekerjaan", "en": "occupation"},
    "income": {"id": "penghasilan per bulan", "en": "monthly income"},
    "desil": {"id": "desil", "en": "decile"},
}

MEMBERSHIP_STATE: Labels = {
    "planned": {"id": "direncanakan", "en": "planned"},
    "submitted": {"id": "dikirim ke BPJS", "en": "sent to BPJS"},
    "active": {"id": "aktif", "en": "active"},
    "suspended": {"id": "ditangguhkan", "en": "suspended"},
    "ended": {"id": "berakhir", "en": "ended"},
    "deceased": {"id": "meninggal", "en": "deceased"},
}

#: Keys of the law's explanation values (a table row, a stage, a mode of transport).
EXPLAIN_KEY: Labels = {
    "months": {"id": "bulan", "en": "months"},
    "percent": {"id": "persen", "en": "percent"},
    "rate": {"id": "tarif", "en": "rate"},
    "amount": {"id": "jumlah", "en": "amount"},
    "wage": {"id": "upah", "en": "wage"},
    "from": {"id": "dari", "en": "from"},
    "to": {"id": "sampai", "en": "to"},
    "min": {"id": "paling sedikit", "en": "at least"},
    "max": {"id": "paling banyak", "en": "at most"},
    "land": {"id": "darat", "en": "land"},
    "sea": {"id": "laut", "en": "sea"},
    "air": {"id": "udara", "en": "air"},
    "level": {"id": "jenjang", "en": "level"},
    "age": {"id": "usia", "en": "age"},
    "children": {"id": "anak", "en": "children"},
    "lump_sum": {"id": "santunan sekaligus", "en": "lump sum"},
    "periodic": {"id": "santunan berkala", "en": "periodic benefit"},
    "funeral": {"id": "biaya pemakaman", "en": "funeral cost"},
    "total": {"id": "jumlah seluruhnya", "en": "total"},
    "per_year": {"id": "per tahun", "en": "per year"},
    "counts_as_jkk": {"id": "dihitung sebagai JKK", "en": "counts as JKK"},
    "restart_after_lapse": {"id": "mulai lagi setelah terputus", "en": "restart after lapse"},
    "refund_after_death": {"id": "dikembalikan setelah meninggal", "en": "refund after death"},
    "max_months": {"id": "paling lama (bulan)", "en": "at most (months)"},
    "grace_months": {"id": "masa tenggang (bulan)", "en": "grace (months)"},
    "first_year": {"id": "tahun pertama", "en": "first year"},
    "first_month": {"id": "bulan pertama", "en": "first month"},
}

AUDIT_ACTION: Labels = {
    "session.start": {"id": "masuk", "en": "signed in"},
    "session.end": {"id": "keluar", "en": "signed out"},
    "user.create": {"id": "membuat pengguna", "en": "created a user"},
    "user.update": {"id": "mengubah pengguna", "en": "changed a user"},
    "user.locked": {"id": "akun terkunci", "en": "account locked"},
    "user.change_password": {"id": "mengganti kata sandi", "en": "changed the password"},
    "user.reset_password": {"id": "mengatur ulang kata sandi", "en": "reset a password"},
    "token.create": {"id": "membuat token API", "en": "created an API token"},
    "token.revoke": {"id": "mencabut token API", "en": "revoked an API token"},
    "person.read": {"id": "membuka data orang", "en": "opened a person"},
    "person.by_nik": {"id": "mencari orang menurut NIK", "en": "looked a person up by NIK"},
    "person.search": {"id": "mencari orang", "en": "searched for people"},
    "person.list": {"id": "melihat daftar orang", "en": "read the people list"},
    "person.source_rows": {"id": "melihat baris sumber orang", "en": "read a person's source rows"},
    "claim.read": {"id": "membuka klaim", "en": "opened a claim"},
    "registry.rows": {"id": "melihat baris daftar", "en": "read list rows"},
    "registry.links": {"id": "melihat tautan baris", "en": "read row links"},
    "registry.batch_errors": {"id": "melihat baris yang ditolak", "en": "read rejected rows"},
    "registry.review_list": {"id": "melihat antrean pemeriksaan", "en": "read the review queue"},
    "registry.import": {"id": "mengimpor daftar", "en": "imported lists"},
    "registry.correct": {"id": "memperbaiki baris", "en": "corrected a row"},
    "registry.review": {"id": "memutuskan pasangan baris", "en": "decided a pair"},
    "registry.split": {"id": "memisahkan baris", "en": "split a row off"},
    "registry.export": {"id": "mengunduh data orang", "en": "downloaded people"},
    "person.edit": {"id": "mengubah data kontak", "en": "edited contact details"},
    "person.change_request": {
        "id": "meminta perubahan identitas",
        "en": "asked for an identity change",
    },
    "person.change_approve": {
        "id": "menyetujui perubahan identitas",
        "en": "approved an identity change",
    },
    "person.change_reject": {
        "id": "menolak perubahan identitas",
        "en": "rejected an identity change",
    },
    "program.create": {"id": "membuat program", "en": "created a program"},
    "program.plan": {"id": "menyimpan rencana", "en": "saved a plan"},
    "program.candidates_add": {
        "id": "menambahkan kandidat pilihan program",
        "en": "added people to a program's candidates",
    },
    "program.candidates_remove": {
        "id": "menghapus kandidat pilihan program",
        "en": "took people off a program's candidates",
    },
    "program.candidates": {
        "id": "melihat kandidat pilihan program",
        "en": "read a program's candidates",
    },
    "program.enrol": {"id": "mendaftarkan peserta", "en": "enrolled members"},
    "program.bpjs_export": {
        "id": "mengunduh berkas pendaftaran BPJS",
        "en": "downloaded the BPJS file",
    },
    "program.bpjs_import": {"id": "membaca jawaban BPJS", "en": "read the BPJS answer"},
    "billing.invoice": {"id": "menerbitkan tagihan", "en": "issued an invoice"},
    "billing.pay": {"id": "mencatat pembayaran", "en": "recorded a payment"},
    "billing.refund_return": {
        "id": "mencatat pengembalian iuran",
        "en": "recorded a refund returned",
    },
    "refund.read": {"id": "melihat pengembalian iuran", "en": "viewed refunds"},
    "claim.file": {"id": "mengajukan klaim", "en": "filed a claim"},
    "claim.documents": {"id": "mencatat dokumen klaim", "en": "recorded claim documents"},
    "claim.heirs": {"id": "mencatat ahli waris", "en": "recorded heirs"},
    "claim.advance": {"id": "memindahkan status klaim", "en": "moved a claim on"},
    "settings.zone": {"id": "mengubah zona waktu wilayah", "en": "set a region's time zone"},
    "settings.photo_retention": {
        "id": "mengubah lama penyimpanan foto KTP",
        "en": "set how long KTP photos are kept",
    },
    "attachment.purge": {"id": "menghapus berkas lewat masa simpan", "en": "erased expired files"},
    "field.pin_code": {"id": "membuat kode atur ulang PIN", "en": "made a PIN reset code"},
    "field.pin_reset": {"id": "mengatur ulang PIN ponsel", "en": "reset a phone's PIN"},
    "award.edition_stage": {
        "id": "memindahkan tahap edisi Paritrana",
        "en": "moved a Paritrana edition's stage",
    },
}

AUDIT_ENTITY: Labels = {
    "web_user": {"id": "pengguna", "en": "user"},
    "web_token": {"id": "token API", "en": "API token"},
    "person": {"id": "orang", "en": "person"},
    "registry_batch": {"id": "unggahan", "en": "list upload"},
    "registry_row": {"id": "baris daftar", "en": "list row"},
    "registry_pair": {"id": "pasangan baris", "en": "pair of rows"},
    "program": {"id": "program", "en": "program"},
    "invoice": {"id": "tagihan", "en": "invoice"},
    "death_refund": {"id": "pengembalian iuran", "en": "refund"},
    "claim": {"id": "klaim", "en": "claim"},
    "region": {"id": "wilayah", "en": "region"},
    "award_edition": {"id": "edisi Paritrana", "en": "Paritrana edition"},
}

AWARD_STAGE: Labels = {
    "provinsi": {"id": "provinsi", "en": "provincial"},
    "nasional": {"id": "nasional", "en": "national"},
}

REFUND_STATUS: Labels = {
    "due": {"id": "belum dikembalikan", "en": "owed"},
    "returned": {"id": "sudah dikembalikan", "en": "returned"},
    "cancelled": {"id": "dibatalkan", "en": "cancelled"},
}

SEX: Labels = {"L": {"id": "laki-laki", "en": "male"}, "P": {"id": "perempuan", "en": "female"}}


@functools.cache
def _claims() -> dict[str, Labels]:
    return {
        "claim_type": {k: dict(v["label"]) for k, v in catalog.claim_types().items()},
        "heir_relation": {k: dict(v["label"]) for k, v in catalog.heir_relations().items()},
        "document": {k: dict(v) for k, v in catalog.document_labels().items()},
        "reject_reason": {k: dict(v) for k, v in catalog.reject_reasons().items()},
    }


def catalogue(kind: str) -> Labels:
    """Every code of ``kind`` with its words (``{"code": {"id": ..., "en": ...}}``)."""
    own = {
        "claim_status": CLAIM_STATUS,
        "claim_step": CLAIM_STEP,
        "claim_action": CLAIM_ACTION,
        "row_status": ROW_STATUS,
        "change_status": CHANGE_STATUS,
        "person_field": PERSON_FIELD,
        "sex": SEX,
        "refund_status": REFUND_STATUS,
        "membership_state": MEMBERSHIP_STATE,
        "explain_key": EXPLAIN_KEY,
        "audit_action": AUDIT_ACTION,
        "audit_entity": AUDIT_ENTITY,
        "award_stage": AWARD_STAGE,
    }
    if kind in own:
        return own[kind]
    return _claims()[kind]


def label(kind: str, code: Any, lang: str | None = None) -> str:
    """The words for ``code`` of ``kind`` in ``lang`` (default: the current language); the
    code itself when nobody labels it."""
    if code is None:
        return ""
    words = catalogue(kind).get(str(code))
    if not words:
        return str(code)
    return words.get(lang or i18n.lang()) or words.get("en") or str(code)


def pair(kind: str, code: Any) -> dict[str, str]:
    """``{"label_id": ..., "label_en": ...}`` for an API answer or an export."""
    return {"label_id": label(kind, code, "id"), "label_en": label(kind, code, "en")}
