"""Relations inside a Kartu Keluarga, and who of a family is an heir of a member who died.

A KK names each member's relation to the head of the family (``hubungan dengan kepala
keluarga``: Kepala Keluarga, Istri, Anak, Orang Tua, Mertua, Menantu, Cucu, Famili Lain...).
An heir's relation is to the deceased, so it depends on who died: the head's wife is the
widow of the head, but the mother-in-law... of the head's son. :func:`to_deceased` turns
one into the other where a KK says it for certain, and says nothing (``None``) where it
does not (the head's grandchild may be the deceased son's child or his nephew): the
operator adds those by hand. The order of heirs is the law's (:func:`jaring.claims.heirs.rank_of`).
"""

from __future__ import annotations

import re

from jaring.families import errors

#: The relations to the head Jaring keeps, with their label.
RELATIONS: dict[str, dict[str, str]] = {
    "head": {"id": "Kepala keluarga", "en": "Head of the family"},
    "spouse": {"id": "Suami/istri", "en": "Husband or wife"},
    "child": {"id": "Anak", "en": "Child"},
    "child_in_law": {"id": "Menantu", "en": "Son- or daughter-in-law"},
    "grandchild": {"id": "Cucu", "en": "Grandchild"},
    "parent": {"id": "Orang tua", "en": "Parent"},
    "parent_in_law": {"id": "Mertua", "en": "Parent-in-law"},
    "sibling": {"id": "Saudara kandung", "en": "Sibling"},
    "grandparent": {"id": "Kakek/nenek", "en": "Grandparent"},
    "other": {"id": "Famili lain/lainnya", "en": "Other relative or household member"},
}

# how KK and P3KE/DTSEN lists write them (folded: lower case, letters only)
_WORDS: dict[str, str] = {
    "kepalakeluarga": "head",
    "kepalarumahtangga": "head",
    "kk": "head",
    "kepala": "head",
    "head": "head",
    "istri": "spouse",
    "isteri": "spouse",
    "suami": "spouse",
    "suamiistri": "spouse",
    "pasangan": "spouse",
    "spouse": "spouse",
    "anak": "child",
    "anakkandung": "child",
    "anakangkat": "child",
    "anaktiri": "child",
    "child": "child",
    "menantu": "child_in_law",
    "childinlaw": "child_in_law",
    "cucu": "grandchild",
    "grandchild": "grandchild",
    "orangtua": "parent",
    "ayah": "parent",
    "ibu": "parent",
    "parent": "parent",
    "mertua": "parent_in_law",
    "parentinlaw": "parent_in_law",
    "saudara": "sibling",
    "saudarakandung": "sibling",
    "famililain": "other",
    "lainnya": "other",
    "pembantu": "other",
    "other": "other",
    "kakek": "grandparent",
    "nenek": "grandparent",
    "kakeknenek": "grandparent",
    "grandparent": "grandparent",
}
# the numeric codes of the Dukcapil SHDK list (status hubungan dalam keluarga)
_CODES = {
    "1": "head",
    "2": "spouse",
    "3": "child",
    "4": "child_in_law",
    "5": "grandchild",
    "6": "parent",
    "7": "parent_in_law",
    "8": "other",
    "9": "other",
    "10": "other",
}


def parse(text: object) -> str | None:
    """The relation code a list's cell means (``"Istri"`` -> ``spouse``, ``"3"`` ->
    ``child``), or ``None`` for a blank or unknown cell.

    >>> parse("Kepala Keluarga"), parse("ISTRI"), parse("3"), parse("Famili Lain")
    ('head', 'spouse', 'child', 'other')
    """
    if text is None:
        return None
    raw = str(text).strip()
    if raw in _CODES:
        return _CODES[raw]
    key = re.sub(r"[^a-z]", "", raw.lower())
    return _WORDS.get(key)


def require(relation: str) -> str:
    """``relation`` when it is a code of :data:`RELATIONS` (or a word :func:`parse` knows),
    else ``bad_relation`` naming the choices."""
    code = relation if relation in RELATIONS else parse(relation)
    if code is None:
        raise errors.BAD_RELATION(field="relation", value=relation, choices=", ".join(RELATIONS))
    return code


# (relation of the deceased to the head, relation of the member to the head) -> the member's
# relation to the deceased, as the claims catalogue names heirs; missing: not certain.
_TO_DECEASED: dict[tuple[str, str], str] = {
    ("head", "spouse"): "spouse",
    ("head", "child"): "child",
    ("head", "parent"): "parent",
    ("head", "parent_in_law"): "parent_in_law",
    ("head", "sibling"): "sibling",
    ("head", "grandchild"): "grandchild",
    ("head", "grandparent"): "grandparent",
    ("spouse", "head"): "spouse",
    ("spouse", "child"): "child",
    ("spouse", "grandchild"): "grandchild",
    ("spouse", "parent"): "parent_in_law",
    ("spouse", "parent_in_law"): "parent",
    ("child", "head"): "parent",
    ("child", "spouse"): "parent",
    ("child", "child"): "sibling",
    ("child", "parent"): "grandparent",
    ("parent", "head"): "child",
    ("parent", "sibling"): "child",
    ("parent", "parent"): "spouse",
    ("parent", "child"): "grandchild",
    ("parent_in_law", "spouse"): "child",
    ("parent_in_law", "parent_in_law"): "spouse",
    ("parent_in_law", "child"): "grandchild",
    ("sibling", "head"): "sibling",
    ("sibling", "sibling"): "sibling",
    ("grandchild", "child_in_law"): "parent",
}


def to_deceased(deceased: str, member: str) -> str | None:
    """The relation of a family member (``member``: their relation to the head) to the
    member who died (``deceased``: theirs), as a claim names heirs; ``None`` where the KK
    does not say it for certain.

    >>> to_deceased("head", "spouse"), to_deceased("spouse", "parent"), to_deceased("child", "head")
    ('spouse', 'parent_in_law', 'parent')
    >>> to_deceased("child", "grandchild") is None
    True
    """
    return _TO_DECEASED.get((deceased, member))
