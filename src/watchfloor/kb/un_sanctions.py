"""Reading the UN Security Council Consolidated Sanctions List (XML) into knowledge-base entries.

Individuals become people and entities become organisations, with every alias and the name in its
original script; the list's reference number (QDi.017, TAe.010, ...) makes the id stable across
editions and is kept, with the list and the listing date, as the source. XML is parsed with
defusedxml: entity expansion and external references are refused.

A person's alias that is one word, or one given name written in two ("عبد الرحمن", "Abdul Rahman"), is
left out: such a name in a post would link a listed person. So are the aliases the list itself rates "Low".
The entry's own name is always kept.
"""

from __future__ import annotations

import re
from typing import Any

from watchfloor.errors import InvalidInput
from watchfloor.kb.normalize import has_arabic, tokenize
from watchfloor.models import Alias, Entity

__all__ = ["parse_un_sanctions", "un_id", "name_words"]

SOURCE = "UN Security Council Consolidated Sanctions List"


def un_id(kind: str, reference: str) -> str:
    """A stable id from the list's reference number: person:un-qdi-017, org:un-qde-115."""
    slug = re.sub(r"[^a-z0-9]+", "-", reference.casefold()).strip("-")
    return f"{'person' if kind == 'INDIVIDUAL' else 'org'}:un-{slug}"


# the first halves of compound given names ("عبد الله", "Abdul Samad"): one name with the word after them
_COMPOUND = frozenset(t.norm for w in ("عبد", "عبدال", "abd", "abdul", "abdel", "abdal", "abdur", "abdu", "al", "ul",
                                       "ur", "el") for t in tokenize(w))


def name_words(text: str) -> int:
    """How many words a name has, a compound given name counted once: "عبد الرحمن" and "Abdur Rahman" are one."""
    return sum(t.norm not in _COMPOUND for t in tokenize(text) if t.norm)


def _text(node: Any, tag: str) -> str:
    child = node.find(tag)
    return " ".join((child.text or "").split()) if child is not None and child.text else ""


_PARTICLES = {"al", "el", "bin", "bint", "ibn", "ul", "ud", "ad", "as", "ash", "at", "az", "ar", "an", "of", "the",
              "for", "and", "in"}


def _case(word: str) -> str:
    return word.lower() if word.lower() in _PARTICLES else word.capitalize()


def _name(node: Any) -> str:
    parts = [_text(node, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    name = " ".join(" ".join(p for p in parts if p).split())
    if name.upper() == name:  # the list writes most names in capitals
        name = re.sub(r"[A-Za-z]+", lambda m: _case(m.group()), name)
        name = re.sub(r"^([^A-Za-z]*)([a-z])", lambda m: m.group(1) + m.group(2).upper(), name)
    return name


def _entry(node: Any, kind: str, listed: str) -> Entity | None:
    reference = _text(node, "REFERENCE_NUMBER")
    name = _name(node)
    if not reference or not name:
        return None
    aliases = [Alias(name, "en")]
    original = _text(node, "NAME_ORIGINAL_SCRIPT")
    if original:  # Arabic script, but the list does not say which language (Arabic, Pashto, Dari ...)
        aliases.append(Alias(original, None))
    alias_tag = "INDIVIDUAL_ALIAS" if kind == "INDIVIDUAL" else "ENTITY_ALIAS"
    for alias in node.findall(alias_tag):
        text = _text(alias, "ALIAS_NAME")
        if _text(alias, "QUALITY") == "Low":  # the list's own warning: too generic to identify anyone
            continue
        if text and text not in {a.text for a in aliases}:
            aliases.append(Alias(text, None if has_arabic(text) else "en"))
    if kind == "INDIVIDUAL":  # one given name identifies no one
        aliases = [a for a in aliases if a.text == name or name_words(a.text) >= 2]
    nationality = [" ".join((v.text or "").split()) for v in node.findall("NATIONALITY/VALUE") if v.text]
    attrs: dict[str, Any] = {
        "designations": [{"by": f"UN Security Council ({_text(node, 'UN_LIST_TYPE')} list)",
                          "date": _text(node, "LISTED_ON") or None, "reference": reference}],
        "sources": [f"{SOURCE}, {reference} (list of {listed})"],
    }
    if nationality:
        attrs["nationality"] = nationality
    titles = [" ".join((v.text or "").split()) for v in node.findall("DESIGNATION/VALUE") if v.text]
    if titles:
        attrs["titles"] = titles
    comments = re.sub(r"INTERPOL-UN Security Council Special Notice web link:\s*\S+|Gender \[\w+\]\.?", "",
                      _text(node, "COMMENTS1"))
    return Entity(id=un_id(kind, reference), type="person" if kind == "INDIVIDUAL" else "organization",
                  name=name, aliases=aliases, description=" ".join(comments.split())[:1000] or None, attrs=attrs)


def parse_un_sanctions(data: bytes, lists: tuple[str, ...] = ()) -> list[Entity]:
    """Entries from the list's XML; ``lists`` keeps only some UN_LIST_TYPE values (e.g. Al-Qaida, Taliban)."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise InvalidInput(f"not a readable UN sanctions list: {exc}") from exc
    if root.tag != "CONSOLIDATED_LIST":
        raise InvalidInput(f"not a UN consolidated list (root element is <{root.tag}>)")
    listed = (root.get("dateGenerated") or "")[:10]
    found: list[Entity] = []
    for kind, path in (("INDIVIDUAL", "INDIVIDUALS/INDIVIDUAL"), ("ENTITY", "ENTITIES/ENTITY")):
        for node in root.findall(path):
            if lists and _text(node, "UN_LIST_TYPE") not in lists:
                continue
            entry = _entry(node, kind, listed)
            if entry is not None:
                found.append(entry)
    return found
