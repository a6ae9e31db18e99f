"""Morocco's twelve regions (2015): their ISO 3166-2:MA codes and names, as data only, so that the command
line's `--region` option reads them without loading the settings' validation. (The places in each region,
which the classifier looks for, are the gazetteer `regions.toml` beside this file.)

A region written by name (`--region Oriental`, `region = "سوس ماسة"` in sources.toml) is found here too, so the
command line and the config files accept the same spellings and suggest the same closest regions.
"""

import difflib
import re
from typing import Protocol

REGION_CODES = tuple(f"MA-{n:02d}" for n in range(1, 13))
# Names as digests show them (French, Arabic): the official names of the 2015 regions.
REGION_NAMES = {
    "MA-01": ("Tanger-Tétouan-Al Hoceïma", "طنجة تطوان الحسيمة"),
    "MA-02": ("L'Oriental", "الشرق"),
    "MA-03": ("Fès-Meknès", "فاس مكناس"),
    "MA-04": ("Rabat-Salé-Kénitra", "الرباط سلا القنيطرة"),
    "MA-05": ("Béni Mellal-Khénifra", "بني ملال خنيفرة"),
    "MA-06": ("Casablanca-Settat", "الدار البيضاء سطات"),
    "MA-07": ("Marrakech-Safi", "مراكش آسفي"),
    "MA-08": ("Drâa-Tafilalet", "درعة تافيلالت"),
    "MA-09": ("Souss-Massa", "سوس ماسة"),
    "MA-10": ("Guelmim-Oued Noun", "كلميم واد نون"),
    "MA-11": ("Laâyoune-Sakia El Hamra", "العيون الساقية الحمراء"),
    "MA-12": ("Dakhla-Oued Ed-Dahab", "الداخلة وادي الذهب"),
}


# What may come before a region's name, once folded (ة is ه then): "جهة سوس ماسة", "Région de l'Oriental".
_REGION_WORD = re.compile(r"^(?:ال)?جه[هة]\s+|^region\s+(?:de\s+la\s+|de\s+l[’']\s*|de\s+|du\s+|d[’']\s*)?|^l[’']\s*")


class Catalog(Protocol):
    """A gettext catalog: the standard library's or Babel's translations."""

    def pgettext(self, context: str, message: str, /) -> object: ...


def region_name_in(code: str, catalog: Catalog) -> str | None:
    """A region's name in the catalog's language ("Souss-Massa", "سوس ماسة": its French name is the message,
    context ``region``), or None for a code that names no region. The one lookup the digests' "why"
    (`alerts.why`), `rasd explain` and the commands' lines (`monitor.speech`) share."""
    if code not in REGION_NAMES:
        return None
    return str(catalog.pgettext("region", REGION_NAMES[code][0]))


def _folded(value: str) -> str:
    from rasd.extract import normalize_for_matching  # Arabic letter variants and accents folded

    folded = " ".join(normalize_for_matching(value).replace("-", " ").split())
    return _REGION_WORD.sub("", folded).strip()


def _spellings(code: str) -> set[str]:
    """Every accepted way to write a region: MA-09, ma-9, 9, ma 09, its French and Arabic names folded
    (accents, hyphens, Arabic letter variants, "جهة" or "région de" before it set aside)."""
    number = code.split("-")[1]
    spellings = {code.lower(), number, str(int(number)), f"ma {int(number)}", f"ma {number}"}
    return spellings | {_folded(name) for name in REGION_NAMES[code]}


def region_code(value: str) -> str | None:
    """A region given as its code (MA-09, ma-9, 9), its French or Arabic name, any spelling folded, or a
    run of whole words of its name that names no other region ("سوس", "Oriental", "Béni Mellal")."""
    wanted = _folded(value)
    exact = next((code for code in REGION_NAMES if wanted in _spellings(code)), None)
    if exact is not None or len(wanted) < 3:
        return exact
    holding = [code for code in REGION_NAMES if any(f" {wanted} " in f" {_folded(n)} " for n in REGION_NAMES[code])]
    return holding[0] if len(holding) == 1 else None


def closest_region_codes(value: str, limit: int = 3) -> list[str]:
    """The codes of the regions whose code or French or Arabic name is closest to a misspelt `value`
    (`Sous`, `Souss`, `سوس ماسا`); then of those with a word of their name close to it (`سوص` for سوس,
    `ماسا` for ماسة: both folded, so ة is ه and أ is ا before they are compared); then of the regions
    whose name holds it."""
    wanted = _folded(value)
    by_spelling = {spelling: code for code in REGION_NAMES for spelling in _spellings(code)}
    close = difflib.get_close_matches(wanted, list(by_spelling), n=limit * 3, cutoff=0.6)
    codes = [by_spelling[spelling] for spelling in close]
    if len(wanted) >= 3:
        by_word: dict[str, list[str]] = {}
        for code, names in REGION_NAMES.items():
            for word in {word for name in names for word in _folded(name).split() if len(word) >= 3}:
                by_word.setdefault(word, []).append(code)
        words = difflib.get_close_matches(wanted, list(by_word), n=limit, cutoff=0.6)
        codes += [code for word in words for code in by_word[word]]
        codes += [code for code in REGION_NAMES if any(wanted in _folded(name) for name in REGION_NAMES[code])]
    return list(dict.fromkeys(codes))[:limit]


def closest_regions(value: str, limit: int = 3) -> list[str]:
    """The regions closest to a misspelt `value` (closest_region_codes), as `MA-09 Souss-Massa · سوس ماسة`:
    both names, for a reader of either language."""
    return [f"{code} {' · '.join(REGION_NAMES[code])}" for code in closest_region_codes(value, limit)]
