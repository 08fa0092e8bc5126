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
    "ceiling": {"id": "batas atas", "en": "ceiling"},
    "jkk": {"id": "JKK", "en": "JKK"},
    "jkm": {"id": "JKM", "en": "JKM"},
    "marriage": {"id": "menikah", "en": "marriage"},
    "work": {"id": "bekerja", "en": "work"},
    "other": {"id": "lainnya", "en": "other"},
    "transport": {"id": "transportasi", "en": "transport"},
    "sangat-rendah": {"id": "sangat rendah", "en": "very low"},
    "rendah": {"id": "rendah", "en": "low"},
    "sedang": {"id": "sedang", "en": "medium"},
    "tinggi": {"id": "tinggi", "en": "high"},
    "sangat-tinggi": {"id": "sangat tinggi", "en": "very high"},
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
    "registry.niks": {
        "id": "melihat daftar orang dengan dua NIK",
        "en": "read people with two NIKs",
    },
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
    "award.shortlist": {
        "id": "memilih kandidat yang lolos tahap Paritrana",
        "en": "chose the candidates passing a Paritrana stage",
    },
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
    "attachment.put": {"id": "menyimpan berkas lampiran", "en": "stored an attached file"},
    "attachment.read": {"id": "membuka berkas lampiran", "en": "opened an attached file"},
    "attachment.delete": {"id": "menghapus berkas lampiran", "en": "deleted an attached file"},
    "award.edition_create": {"id": "membuat edisi Paritrana", "en": "created a Paritrana edition"},
    "award.candidate_add": {
        "id": "menambah kandidat Paritrana",
        "en": "added a Paritrana candidate",
    },
    "award.juror_add": {"id": "menambah juri Paritrana", "en": "added a Paritrana juror"},
    "award.interview_schedule": {
        "id": "menjadwalkan wawancara Paritrana",
        "en": "scheduled a Paritrana interview",
    },
    "award.interview_notes": {
        "id": "mencatat hasil wawancara Paritrana",
        "en": "recorded interview notes",
    },
    "award.attendance": {"id": "mencatat kehadiran juri", "en": "recorded the jurors present"},
    "award.evidence_add": {"id": "menambah bukti Paritrana", "en": "added Paritrana evidence"},
    "award.evidence_fill": {
        "id": "mengisi bukti dari angka Jaring",
        "en": "filled evidence from Jaring's figures",
    },
    "award.score": {"id": "memberi nilai Paritrana", "en": "scored a Paritrana candidate"},
    "award.submit": {"id": "mengunci nilai Paritrana", "en": "locked Paritrana scores"},
    "coverage.denominator": {
        "id": "mencatat jumlah penduduk bekerja",
        "en": "entered a working population",
    },
    "coverage.denominator_import": {
        "id": "mengimpor jumlah penduduk bekerja",
        "en": "imported working populations",
    },
    "coverage.target": {"id": "menetapkan target cakupan", "en": "set a coverage target"},
    "coverage.ucj": {
        "id": "mencatat laporan cakupan BPJS TK",
        "en": "entered a BPJS TK coverage report",
    },
    "death.record": {"id": "mencatat kematian", "en": "recorded a death"},
    "death.from_claims": {
        "id": "mencatat kematian dari klaim",
        "en": "recorded deaths from claims",
    },
    "death.import": {"id": "mengimpor daftar kematian", "en": "imported a death list"},
    "death.review": {"id": "memutuskan baris daftar kematian", "en": "decided a death list row"},
    "death.undo": {"id": "membatalkan catatan kematian", "en": "undid a recorded death"},
    "death.letter": {"id": "membuat surat untuk keluarga", "en": "made a letter to a family"},
    "invoice.death_cancel": {
        "id": "membatalkan baris tagihan setelah kematian",
        "en": "cancelled invoice lines after a death",
    },
    "invoice.death_restore": {"id": "memulihkan baris tagihan", "en": "restored invoice lines"},
    "family.build": {"id": "menyusun keluarga dari daftar", "en": "built families from the lists"},
    "family.member": {"id": "menambah anggota keluarga", "en": "added a family member"},
    "family.change_request": {
        "id": "meminta perubahan data keluarga",
        "en": "asked for a family change",
    },
    "family.change_decide": {
        "id": "memutuskan perubahan data keluarga",
        "en": "decided a family change",
    },
    "field.sync": {"id": "menerima kiriman dari lapangan", "en": "received records from the field"},
    "field.photo": {
        "id": "menyimpan foto KTP dari lapangan",
        "en": "stored a KTP photo from the field",
    },
    "national.snapshot": {
        "id": "membuat cuplikan data nasional",
        "en": "wrote a national snapshot",
    },
    "national.receive": {
        "id": "menerima hasil pemadanan nasional",
        "en": "received national matching results",
    },
    "national.decide": {
        "id": "memutuskan pasangan lintas wilayah",
        "en": "decided a cross-region pair",
    },
    "national.undo": {
        "id": "membatalkan keputusan pasangan lintas wilayah",
        "en": "undid a cross-region decision",
    },
    "national.pair_read": {
        "id": "membuka pasangan lintas wilayah",
        "en": "opened a cross-region pair",
    },
    "national.review_list": {
        "id": "melihat antrean lintas wilayah",
        "en": "read the cross-region queue",
    },
    "person.nik_limited": {
        "id": "mencapai batas pencarian NIK",
        "en": "reached the NIK look-up limit",
    },
    "program.update": {"id": "mengubah program", "en": "changed a program"},
    "program.bpjs_download": {
        "id": "mengunduh ulang berkas BPJS",
        "en": "downloaded a BPJS file again",
    },
    "program.bpjs_dismiss": {"id": "menutup penolakan BPJS", "en": "closed a BPJS refusal"},
    "registry.choose_nik": {"id": "memilih NIK yang benar", "en": "chose the right NIK"},
    "registry.person_update": {"id": "mengubah data orang", "en": "changed a person"},
    "registry.review_undo": {"id": "membatalkan keputusan pasangan", "en": "undid a pair decision"},
    "settings.letterhead": {"id": "mengubah kop surat wilayah", "en": "set a region's letterhead"},
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
    "attachment": {"id": "berkas lampiran", "en": "attached file"},
    "award_candidate": {"id": "kandidat Paritrana", "en": "Paritrana candidate"},
    "award_juror": {"id": "juri Paritrana", "en": "Paritrana juror"},
    "bpjs_file": {"id": "berkas BPJS", "en": "BPJS file"},
    "bpjs_refusal": {"id": "penolakan BPJS", "en": "BPJS refusal"},
    "coverage_denominator": {"id": "penduduk bekerja", "en": "working population"},
    "coverage_target": {"id": "target cakupan", "en": "coverage target"},
    "ucj_report": {"id": "laporan cakupan BPJS TK", "en": "BPJS TK coverage report"},
    "death": {"id": "kematian", "en": "death"},
    "death_list": {"id": "daftar kematian", "en": "death list"},
    "death_list_row": {"id": "baris daftar kematian", "en": "death list row"},
    "family": {"id": "keluarga", "en": "family"},
    "field_record": {"id": "kiriman lapangan", "en": "field record"},
    "national_pair": {"id": "pasangan lintas wilayah", "en": "cross-region pair"},
    "region_letterhead": {"id": "kop surat wilayah", "en": "region letterhead"},
}

AWARD_CATEGORY: Labels = {
    "provinsi": {"id": "provinsi", "en": "province"},
    "kabupaten-kota": {"id": "kabupaten/kota", "en": "regency or city"},
    "perusahaan": {"id": "perusahaan", "en": "company"},
    "umk": {"id": "usaha mikro dan kecil", "en": "micro and small business"},
}

AWARD_STAGE: Labels = {
    "administrasi": {"id": "data administrasi", "en": "administrative data"},
    "wawancara-provinsi": {"id": "wawancara provinsi", "en": "provincial interview"},
    "verifikasi": {"id": "verifikasi pusat", "en": "central verification"},
    "wawancara-nasional": {"id": "wawancara nasional", "en": "national interview"},
    # the two stages before 5 December 2026, as the audit trail recorded them
    "provinsi": {"id": "provinsi", "en": "provincial"},
    "nasional": {"id": "nasional", "en": "national"},
}

AWARD_ASSESSOR: Labels = {
    "tim_daerah": {"id": "tim daerah (data administrasi)", "en": "a regional team (the data)"},
    "tim_provinsi": {
        "id": "tim provinsi, berapa pun anggotanya",
        "en": "a provincial team of any size",
    },
    "tim_pusat": {"id": "tim verifikasi pusat", "en": "the central verification team"},
    "dewan_juri": {"id": "dewan juri independen (9 orang)", "en": "the independent jury of nine"},
}

REFUND_STATUS: Labels = {
    "due": {"id": "belum dikembalikan", "en": "owed"},
    "returned": {"id": "sudah dikembalikan", "en": "returned"},
    "cancelled": {"id": "dibatalkan", "en": "cancelled"},
}

ACTOR: Labels = {"system": {"id": "sistem", "en": "the system"}}

# Why deduplication holds a pair for an operator (the ``code`` of a stored explanation's
# ``hold``; :data:`jaring.registry.dedupe.HOLDS` keeps the Indonesian words it stores).
DEDUPE_HOLD: Labels = {
    "nik_conflict": {
        "id": "NIK sama, nama berbeda: mungkin dua orang dengan satu NIK",
        "en": "same NIK, different names: perhaps two people with one NIK",
    },
    "twin": {
        "id": "nomor urut NIK berurutan, nama tidak sama: mungkin kembar",
        "en": "consecutive NIK serials, names not the same: perhaps twins",
    },
    "twins": {
        "id": "kembar atau saudara: nomor urut NIK berurutan, nama berbeda",
        "en": "twins or siblings: consecutive NIK serials, different names",
    },
    "names_differ": {
        "id": "nama berbeda (masing-masing punya kata yang tidak ada pada yang lain): "
        "mungkin saudara",
        "en": "names differ (each has a word the other lacks): perhaps siblings",
    },
    "names_apart": {
        "id": "nama beda sama sekali, NIK bukan satu",
        "en": "names wholly different, NIKs not one",
    },
    "name_partial": {
        "id": "satu nama tanpa nama depan (hanya nama keluarga atau inisial), NIK kosong atau "
        "beda: mungkin saudara",
        "en": "one name without its given name (a family name or an initial only), NIK "
        "missing or different: perhaps siblings",
    },
    "given_names": {
        "id": "nama depan lain (dua nama umum), nama keluarga dan tanggal lahir sama, NIK "
        "bukan satu: mungkin kembar",
        "en": "another given name (both common names), same family name and birth date, "
        "NIKs not one: perhaps twins",
    },
    "twins_joined": {
        "id": "pasangan ini menyatukan dua orang dengan NIK berurutan dan nama depan berbeda: "
        "mungkin kembar",
        "en": "this pair would join two people with consecutive NIK serials and different "
        "given names: perhaps twins",
    },
}

# A field's agreement in a stored explanation, keyed by the Indonesian words deduplication
# stores (:data:`jaring.registry.dedupe.LEVELS`), for pages in English.
MATCH_LEVEL: Labels = {
    w: {"id": w, "en": en}
    for w, en in {
        "kosong": "missing",
        "sama": "same",
        "beda": "different",
        "kode wilayah lama/baru (9271/9671)": "old/new region code (9271/9671)",
        "nomor urut beda satu angka": "serial one digit apart",
        "satu angka salah di tanggal lahir NIK": "one digit wrong in the NIK's birth date",
        "satu angka salah atau tertukar": "one digit wrong or two swapped",
        "satu angka hilang atau ganda": "one digit dropped or doubled",
        "kata sama, urutan lain atau bunyi sama": "same words in another order, or same sound",
        "sebagian (nama tengah atau inisial)": "in part (a middle name or an initial)",
        "sangat mirip": "very similar",
        "mirip": "similar",
        "hari/bulan tertukar": "day and month swapped",
        "dua dari tiga sama": "two of three parts the same",
        "tahun sama": "same year",
        "kelurahan sama": "same village",
        "distrik sama": "same distrik",
    }.items()
}

CLAIM_ROW_PROBLEM: Labels = {
    "bad_membership_id": {
        "id": "Nomor kepesertaan kosong atau bukan angka",
        "en": "Membership number empty or not a number",
    },
    "bad_type": {"id": "Jenis klaim tidak dikenal", "en": "Unknown claim type"},
    "bad_event_date": {
        "id": "Tanggal kejadian kosong atau tidak ditulis YYYY-MM-DD",
        "en": "Event date empty or not written YYYY-MM-DD",
    },
    "bad_filed_on": {
        "id": "Tanggal pengajuan kosong atau tidak ditulis YYYY-MM-DD",
        "en": "Filing date empty or not written YYYY-MM-DD",
    },
    "bad_number": {
        "id": "Upah, persen, bulan atau biaya bukan angka",
        "en": "Wage, percent, months or cost not a number",
    },
    "membership_not_found": {
        "id": "Kepesertaan tidak ditemukan (atau di luar wilayah Anda)",
        "en": "Membership not found (or outside your regions)",
    },
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
        "claim_row_problem": CLAIM_ROW_PROBLEM,
        "claim_action": CLAIM_ACTION,
        "row_status": ROW_STATUS,
        "change_status": CHANGE_STATUS,
        "person_field": PERSON_FIELD,
        "sex": SEX,
        "actor": ACTOR,
        "refund_status": REFUND_STATUS,
        "membership_state": MEMBERSHIP_STATE,
        "explain_key": EXPLAIN_KEY,
        "audit_action": AUDIT_ACTION,
        "audit_entity": AUDIT_ENTITY,
        "award_stage": AWARD_STAGE,
        "award_category": AWARD_CATEGORY,
        "award_assessor": AWARD_ASSESSOR,
        "dedupe_hold": DEDUPE_HOLD,
        "match_level": MATCH_LEVEL,
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
