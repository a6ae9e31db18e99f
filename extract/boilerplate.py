"""Site boilerplate that trafilatura keeps on Moroccan WordPress sites, removed line by line.

Two kinds of rule, per language: *end markers* (a line that starts the comment form, the related-posts
block or the theme's footer: everything from there on is not the article) and *noise lines* (a site
slogan, breadcrumbs, "Back to top" buttons: dropped wherever they stand). A source can add its own lines
in config (`boilerplate = [...]`), e.g. its name and slogan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extract.normalize import normalize_for_matching

# Compared on normalised text (hamza, ta marbuta and case folded), as prefixes of a line.
_END_MARKERS = {
    "ar": (
        "قد يعجبك ايضا",
        "قد يعجبك أيضاً",
        "اترك رد",
        "اترك تعليق",
        "اضف تعليق",
        "أضف تعليقك",
        "لن يتم نشر عنوان بريدك",
        "شروط التعليق",
        "مقالات ذات صلة",
        "اخبار ذات صلة",
        "مواضيع ذات صلة",
        "اقرا ايضا",
        "المقال التالي",
        "المقال السابق",
        "التعليقات مغلقة",
        "جميع الحقوق محفوظة",
        "الاكثر قراءة",
        "شارك هذا المقال",
    ),
    "fr": (
        "laisser un commentaire",
        "laisser une reponse",
        "votre adresse e-mail ne sera pas publiee",
        "votre adresse de messagerie ne sera pas publiee",
        "articles similaires",
        "articles connexes",
        "a lire aussi",
        "lire aussi",
        "vous aimerez aussi",
        "tous droits reserves",
        "partager cet article",
        "les plus lus",
    ),
    "any": (
        "exit mobile version",
        "back to top button",
        "related posts",
        "leave a reply",
        "you may also like",
    ),
}
_NOISE_LINES = {
    "ar": ("المصداقية والدقة في الخبر", "الرئيسية", "اخبار سريعة", "شارك", "طباعة", "واتساب", "فيسبوك"),
    "fr": ("accueil", "partager", "imprimer"),
    "any": ("facebook", "twitter", "whatsapp", "linkedin", "telegram", "email", "print", "©"),
}
# Breadcrumbs: short lines made of a few words glued or separated by », >, /, | (e.g. "أخبارأخبار سريعةجهات المملكة").
_BREADCRUMB = re.compile(r"^[^.!?؟،,:]{0,60}(\s*[»>/|›]\s*[^.!?؟،,:]{1,40}){1,5}$")
_GLUED_MENU = re.compile(r"^(اخبار|جهات|الرئيسية|مجتمع|اقتصاد|رياضه|سياسه)\S*(اخبار|جهات|مجتمع|اقتصاد)")


def _starts_with_any(line: str, prefixes: Iterable[str]) -> bool:
    return any(line.startswith(normalize_for_matching(p)) for p in prefixes)


def strip_boilerplate(text: str, lang: str, extra_lines: Iterable[str] = ()) -> str:
    """The article body without the site's furniture; paragraphs are kept as lines."""
    languages = (lang, "any") if lang in ("ar", "fr") else ("ar", "fr", "any")
    end_markers = [m for key in languages for m in _END_MARKERS[key]]
    noise = {normalize_for_matching(n) for key in languages for n in _NOISE_LINES[key]}
    noise |= {normalize_for_matching(line) for line in extra_lines}
    kept: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        folded = normalize_for_matching(line)
        if kept and _starts_with_any(folded, end_markers) and len(folded) < 120:
            break
        if folded in noise or (len(folded) < 80 and (_BREADCRUMB.match(folded) or _GLUED_MENU.match(folded))):
            continue
        if folded.startswith("©") or folded.startswith("(c) "):
            continue
        kept.append(line)
    return "\n".join(kept)
