"""A page holding a numeric reference to a control character (`&#27;`, `&#x7;`: pasted from a word processor
with a title, or a hostile site's terminal escape `&#27;[2J`) is still an article: lxml put the character
in the tree and trafilatura, writing the tree as XML, found no text at all, so the whole story was lost
("no article text found"). Real references to letters (`&#1575;`, ا) are read as before."""

from __future__ import annotations

from datetime import UTC, datetime

from rasd.extract import extract_article

STORY = (
    "<p>La coopérative féminine d'argan de Tiznit a reçu un financement de l'INDH pour son projet générateur de "
    "revenus, dans le cadre de l'économie sociale et solidaire. Les coopératives de la région Souss-Massa exposent "
    "au salon régional.</p><p>Les adhérentes de la coopérative ont présenté leurs produits au salon de l'économie "
    "sociale et solidaire organisé à Agadir, avec le soutien de la &#1575;&#1604;&#1580;&#1607;&#1577;.</p>"
)


def _page(title: str) -> bytes:
    return (
        f'<html lang="fr"><head><meta charset="utf-8"><title>t</title></head><body><article><h1>{title}</h1>'
        f"{STORY}</article></body></html>"
    ).encode()


def test_a_reference_to_a_control_character_does_not_lose_the_story() -> None:
    plain = extract_article(_page("Coopérative argan Tiznit"), "https://a.ma/1", datetime.now(UTC))
    escaped = extract_article(
        _page("Coopérative &#27;[2J&#x1b;]0;pwned&#7; argan&#0011;Tiznit"), "https://a.ma/2", datetime.now(UTC)
    )
    assert plain is not None and escaped is not None
    assert escaped.text == plain.text and "الجهة" in escaped.text
    assert escaped.title == "Coopérative [2J ]0;pwned argan Tiznit"  # no control character reaches a terminal
