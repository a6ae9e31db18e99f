"""Digests end to end on a real SQLite file and a real SMTP server on 127.0.0.1 (aiosmtpd): what the
subscriber receives (headers, both parts, RTL/LTR, escaping, grouping), schedules, the "N more" carried to
the next digest, and exactly-once delivery through SMTP failures, crashes and concurrent runs."""

from __future__ import annotations

import asyncio
import email
import re
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from lxml import html as lxml_html

from rasd.alerts import DigestReport, current_slot, run_digests
from rasd.classify import Classification
from rasd.config import Settings, Source, Subscription, load_settings
from rasd.extract import Article, content_hash
from rasd.monitor.speech import LRM, RLM, Speech
from rasd.storage import Store, utcnow
from tests.bidi import MARKS
from tests.conftest import REPO, run_rasd

SOURCES = [
    Source(name="Tiznit Info", url="https://tiznit.example/", region="MA-09", lang="ar"),
    Source(name="Hespress Régions", url="https://regions.example/", lang="mixed"),
    Source(name="Le Rabatois", url="https://rabat.example/", region="MA-04", lang="fr"),
]
HOSTILE_TITLE = 'Coopératives <script>alert("x")</script> & <b>gras</b> à Salé'


@dataclass(frozen=True)
class StorySpec:
    source: str
    slug: str
    title: str
    text: str
    lang: str
    regions: list[str]
    published: datetime
    score: float = 0.8
    url: str | None = None


def _base_url(source: str) -> str:
    return next(s.url for s in SOURCES if s.name == source)


def save(store: Store, spec: StorySpec) -> int | None:
    url = spec.url or f"{_base_url(spec.source)}{spec.slug}"
    article = Article(
        url=url,
        title=spec.title,
        text=spec.text,
        date=spec.published,
        date_source="meta:article:published_time",
        author=None,
        lang=spec.lang,
        site_name=spec.source,
        content_hash=content_hash(spec.text),
    )
    verdict = Classification(
        sse=True,
        score=spec.score,
        regions=spec.regions,
        reasons=[f"matched: {spec.title.split()[0]} ×2", f"region {spec.regions[0] if spec.regions else '-'}"],
        parts={"lexicon": spec.score},
    )
    return store.save_article(spec.source, f"https://canonical.example/{spec.source}/{spec.slug}", article, verdict)


AR_TEXT = (
    "استفادت تعاونية نسائية بجماعة أربعاء رسموكة بإقليم تيزنيت من دعم المبادرة الوطنية للتنمية البشرية "
    "لاقتناء معدات عصر زيت الأركان وتعبئته، في إطار برنامج تحسين الدخل والإدماج الاقتصادي للشباب. " * 3
)
FR_TEXT = (
    "La coopérative féminine Al Amal de Salé a inauguré son nouvel atelier de couscous artisanal avec le "
    "soutien de l'INDH et du pôle régional de l'économie sociale et solidaire de Rabat-Salé-Kénitra. " * 3
)


def sample_stories() -> list[StorySpec]:
    """Arabic in MA-09 (two, of different dates), French in MA-04 (one hostile title), a national story,
    a story syndicated on two sites, and one whose URL is not http(s)."""
    day = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    return [
        StorySpec("Tiznit Info", "coop-argan", "تعاونية نسائية لإنتاج زيت الأركان", AR_TEXT, "ar", ["MA-09"], day),
        StorySpec(
            "Tiznit Info",
            "souss-fair",
            "معرض جهوي للاقتصاد الاجتماعي والتضامني بأكادير",
            "ينظم معرض جهوي للاقتصاد الاجتماعي والتضامني بأكادير بمشاركة تعاونيات سوس ماسة. " * 5,
            "ar",
            ["MA-09"],
            day + timedelta(days=1),
        ),
        StorySpec("Le Rabatois", "sale-coop", HOSTILE_TITLE, FR_TEXT, "fr", ["MA-04", "MA-06"], day),
        StorySpec(
            "Hespress Régions",
            "national",
            "Le plan national de l'économie sociale et solidaire",
            "Le ministère a présenté le plan national de l'économie sociale et solidaire aux coopératives. " * 5,
            "fr",
            [],
            day - timedelta(days=1),
        ),
        StorySpec(
            "Le Rabatois",
            "kenitra",
            "Une association de Kénitra lance une épicerie solidaire",
            "Une association de Kénitra lance une épicerie solidaire pour les familles du quartier. " * 5,
            "fr",
            ["MA-04"],
            day + timedelta(hours=5),
            url="javascript:alert(1)//kenitra",
        ),
    ]


SYNDICATED = StorySpec(
    "Hespress Régions",
    "argan-copy",
    "تعاونية نسائية لإنتاج زيت الأركان (منقول)",
    AR_TEXT,
    "ar",
    ["MA-09"],
    datetime(2026, 11, 20, 11, 0, tzinfo=UTC),
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    yield store
    store.close()


def fill(store: Store) -> None:
    for spec in [*sample_stories(), SYNDICATED]:
        save(store, spec)


# ---- a real SMTP server ------------------------------------------------------------------------------


@dataclass
class Recorder:
    """aiosmtpd handler: keeps what it accepted; `mode` makes it fail the way a real server does."""

    mode: str = "ok"  # ok | 451 | 554 | timeout | drop | 550-rcpt (the recipient's address refused)
    delay: float = 0.0
    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.mode == "550-rcpt":
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.mode == "451":
            return "451 4.3.0 Mailbox temporarily unavailable"
        if self.mode == "554":
            return "554 5.7.1 Message rejected"
        if self.mode == "timeout":
            await asyncio.sleep(3)  # longer than the client's timeout: it gives up
            return "451 4.4.2 Too slow"
        if self.mode == "drop":
            server.transport.close()  # the data arrived, the connection dies before the reply
            return "421 4.4.2 Connection dropped"
        await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 2.0.0 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def broken_server(mode: str) -> Iterator[int]:
    """A bare socket speaking just enough SMTP to fail where aiosmtpd cannot: `silent` accepts and never
    greets; `cut` answers 354 to DATA and closes the connection after the first chunk of the message."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            if mode == "silent":
                connection.recv(1)  # until the client gives up and closes
                return
            connection.sendall(b"220 relay ESMTP\r\n")
            for line in connection.makefile("rb"):
                command = line[:4].upper()
                if command == b"DATA":
                    connection.sendall(b"354 go ahead\r\n")
                    connection.recv(512)
                    return
                connection.sendall(b"250 relay\r\n" if command in (b"EHLO", b"HELO") else b"250 OK\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        thread.join(timeout=5)
        listener.close()


@pytest.fixture
def smtp_server() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield recorder, controller.port
    controller.stop()


def settings_for(tmp_path: Path, subscriptions: list[dict[str, Any]], smtp: dict[str, Any] | None = None) -> Settings:
    return Settings.model_validate(
        {
            "storage": {"url": f"sqlite:///{tmp_path / 'rasd.db'}"},
            "outbox": str(tmp_path / "outbox"),
            "smtp": smtp or {},
            "subscriptions": subscriptions,
        }
    )


EVERYTHING = {"name": "Tout le Maroc", "email": "veille@example.ma", "frequency": "immediate", "min_score": 0.5}
FSI, PDI = "\u2068", "\u2069"  # the text part's isolates around web fragments
FRENCH_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre"]
FRENCH_MONTHS += ["octobre", "novembre", "décembre"]


def plain_smtp(port: int, **extra: Any) -> dict[str, Any]:
    return {"host": "127.0.0.1", "port": port, "security": "plain", "timeout": 1.0, **extra}


def parts(message: EmailMessage) -> tuple[str, str]:
    html_part, text_part = message.get_body(("html",)), message.get_body(("plain",))
    assert html_part is not None and text_part is not None
    return html_part.get_content(), text_part.get_content()


def digest_rows(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT id, subscription, status, attempts, last_error FROM digests").fetchall()


# ---- what the subscriber receives --------------------------------------------------------------------


def test_digest_received_over_smtp_reads_right(store: Store, smtp_server: tuple[Recorder, int], tmp_path: Path) -> None:
    recorder, port = smtp_server
    fill(store)
    settings = settings_for(tmp_path, [EVERYTHING], plain_smtp(port, sender="Rasd <rasd@veille.example.ma>"))
    now = utcnow()
    report = run_digests(store, settings, now=now)
    assert report.failed == [] and len(report.sent) == 1, report.lines()

    (message,) = recorder.received
    assert recorder.envelopes == [("rasd@veille.example.ma", ["veille@example.ma"])]
    # headers: count and period (local time in the settings' zone), sender, recipient, ids
    local = now.replace(tzinfo=UTC).astimezone(ZoneInfo("Africa/Casablanca"))
    month = FRENCH_MONTHS[local.month - 1]  # the reader's language (reading French and Arabic stories: French)
    when = f"{local.day} {month} {local.year} à {local:%H:%M}"
    # no FSI/PDI in the header: subject lines in mail lists and terminals show them as stray marks
    assert message["Subject"] == f"Rasd : 5 articles ESS pour Tout le Maroc — {when}"
    assert message["Content-Language"] == "fr"
    assert message["From"] == "Rasd <rasd@veille.example.ma>" and message["To"] == "veille@example.ma"
    assert message["Message-ID"].endswith("@veille.example.ma>") and message["Date"]
    assert message["List-Id"] == "Rasd Tout le Maroc <tout-le-maroc.rasd.local>"
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert all(p["Content-Transfer-Encoding"] == "base64" for p in message.iter_parts())
    html, text = parts(message)
    # inside the message, a French name in a French line needs no isolation marks
    assert "<h1>Rasd : 5 articles ESS pour Tout le Maroc — " in html
    assert text.splitlines()[0] == f"Rasd : 5 articles ESS pour Tout le Maroc — {when}"

    page = lxml_html.document_fromstring(html)
    # escaping: the hostile title is text, no element came from it
    assert not page.xpath("//script") and not page.xpath("//b")
    titles = [h.text_content() for h in page.xpath("//article/h3")]
    assert HOSTILE_TITLE in titles
    assert "<script>" not in html and "&lt;script&gt;" in html
    # only http(s) links: the javascript: story's title is not a link, and no href anywhere is one
    kenitra = page.xpath("//article[h3[contains(., 'Kénitra')]]")[0]
    assert not kenitra.xpath("./h3/a")
    assert all(a.get("href").startswith(("http://", "https://")) for a in page.xpath("//a"))
    # grouping: regions in code order, national last; newest first in a group
    groups = [
        (s.xpath("./h2")[0].text_content(), [h.text_content() for h in s.xpath("./article/h3")])
        for s in page.xpath("//section")
    ]
    assert [label for label, _ in groups] == ["Rabat-Salé-Kénitra", "Souss-Massa", "National / non localisé"]
    assert groups[0][1] == ["Une association de Kénitra lance une épicerie solidaire", HOSTILE_TITLE]
    assert groups[1][1] == ["معرض جهوي للاقتصاد الاجتماعي والتضامني بأكادير", "تعاونية نسائية لإنتاج زيت الأركان"]
    # direction and language per story, in the same email
    argan = page.xpath("//article[h3[contains(., 'الأركان')]]")
    assert len(argan) == 1, "a syndicated story is one entry"
    assert argan[0].get("dir") == "rtl" and argan[0].get("lang") == "ar"
    assert page.xpath("//article[h3[contains(., 'Salé')]]")[0].get("dir") == "ltr"
    # the reader's words around the story: French labels, laid out left-to-right
    assert page.xpath("/html/@lang") == ["fr"] and page.xpath("/html/@dir") == ["ltr"]
    # one entry with both sources, linked; the date in local time; an excerpt in whole sentences
    meta = argan[0].xpath("./div[@class='meta']")[0]
    assert meta.get("dir") == "ltr" and meta.get("lang") == "fr"
    assert [a.text_content() for a in meta.xpath("./a")] == ["Tiznit Info", "Hespress Régions"]
    assert meta.xpath("./a/@href") == ["https://tiznit.example/coop-argan", "https://regions.example/argan-copy"]
    assert "20 novembre 2026 à 10:00" in meta.text_content() and "Sources :" in meta.text_content()
    excerpt_text = argan[0].xpath("./p[@class='excerpt']")[0].text_content()
    assert 100 < len(excerpt_text) <= 320 and excerpt_text.endswith("للشباب.")
    # why, in plain French: the topics and the story's words, the region and the places it names
    about, where = (" ".join(li.text_content().split()) for li in argan[0].xpath(".//div[@class='why']//li"))
    assert about.startswith("Sujet : les coopératives (تعاونية نسائية ×4) ; ")  # title and text
    assert "l’INDH et les projets générateurs de revenus (المبادرة الوطنية للتنمية البشرية ×3" in about
    assert where == "Où : Souss-Massa — تيزنيت ×3, أربعاء رسموكة ×3"  # the province and its commune
    # no reference story for it: its resemblance (cosine 0.15 to seeds/002_….txt, +0.06 points) is nearer
    # the similarity floor, where it adds nothing, than the ceiling; the Agadir story's (0.27) is close:
    # named by its title (seeds/001_….txt), not by its file name
    agadir = page.xpath("//article[h3[contains(., 'بأكادير')]]")[0]
    resembles = " ".join(agadir.xpath(".//div[@class='why']//li[@class='resembles']")[0].text_content().split())
    seed_title = "فاس مكناس: لقاء تواصلي حول برامج دعم الاقتصاد الاجتماعي والتضامني."
    assert resembles == f"Proche de l’article de référence : {seed_title}"
    assert "score" not in html and "threshold" not in html and "seuil" not in html
    assert argan[0].xpath(".//mark[. = 'تعاونية نسائية']"), "the matched words are highlighted"
    salé = page.xpath("//article[h3[contains(., 'Salé')]]")[0]
    assert "aussi : Casablanca-Settat" in salé.xpath("./div[@class='meta']")[0].text_content()
    # the footer says how to change or stop it, and whom to write to
    footer = page.xpath("//footer")[0].text_content()
    assert "Pour la modifier ou ne plus la recevoir, écrivez à rasd@veille.example.ma" in footer
    assert "« Tout le Maroc »" in footer
    assert "rasd.toml" not in footer, "a subscriber is not shown a path on the server"

    # the plain text part says the same; only the fragments of the other direction (Arabic) are isolated
    assert HOSTILE_TITLE in text and "== Rabat-Salé-Kénitra ==" in text
    assert text.index("== Rabat-Salé-Kénitra") < text.index("== Souss-Massa") < text.index("== National")
    assert "Source : Tiznit Info\n    https://tiznit.example/coop-argan" in text
    # its copy on another site, under it, said to be the same story (two "Source :" read as two stories)
    assert "\n  Aussi publié par : Hespress Régions\n    https://regions.example/argan-copy" in text
    assert f"Où : Souss-Massa — {FSI}تيزنيت{PDI} ×3" in text
    assert "Pour la modifier" in text.split("\n--\n")[1]

    # nothing new: a second run sends nothing
    assert run_digests(store, settings, now=now).lines() == []
    assert len(recorder.received) == 1


def test_a_story_the_second_opinion_retained_reaches_a_subscription_without_min_score(
    store: Store, tmp_path: Path
) -> None:
    """Retained by the trained second opinion, a story is SSE with a score just under the threshold: a
    subscription that sets no `min_score` gets every SSE story (it asked the threshold again and never sent
    these); one that sets a `min_score` above it does not get it."""
    save(
        store,
        StorySpec(
            "Tiznit Info", "narrow", "تعاونية للنسيج بتيزنيت", "نص عن النسيج " * 40, "ar", ["MA-09"],
            datetime(2026, 11, 21, tzinfo=UTC), score=0.30,
        ),
    )  # fmt: skip
    subscriptions: list[dict[str, Any]] = [
        {"name": "Tout", "email": "tout@example.ma", "frequency": "immediate"},
        {"name": "Fortes", "email": "fortes@example.ma", "frequency": "immediate", "min_score": 0.42},
    ]
    run_digests(store, settings_for(tmp_path, subscriptions))
    received = {}
    for eml in (tmp_path / "outbox").glob("*.eml"):
        message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        received[message["To"]] = parts(message)[0]
    assert "تعاونية للنسيج بتيزنيت" in received["tout@example.ma"]
    assert "fortes@example.ma" not in received


def test_regions_languages_and_min_score_select_stories(store: Store, tmp_path: Path) -> None:
    fill(store)
    save(
        store,
        StorySpec(
            "Tiznit Info",
            "weak",
            "تعاونية ضعيفة",
            "نص تعاونية " * 40,
            "ar",
            ["MA-09"],
            datetime(2026, 11, 21, tzinfo=UTC),
            score=0.45,
        ),
    )
    subscriptions = [
        {
            "name": "Souss",
            "email": "souss@example.ma",
            "regions": ["MA-09"],
            "languages": ["ar"],
            "frequency": "immediate",
            "min_score": 0.6,
        },
        {
            "name": "Rabat FR",
            "email": "rabat@example.ma",
            "regions": ["MA-04"],
            "languages": ["fr"],
            "frequency": "immediate",
            "min_score": 0.4,
        },
    ]
    settings = settings_for(tmp_path, subscriptions)
    run_digests(store, settings)
    by_recipient: dict[str, list[str]] = {}
    for eml in (tmp_path / "outbox").glob("*.eml"):
        message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        page = lxml_html.document_fromstring(parts(message)[0])
        by_recipient[message["To"]] = sorted(h.text_content() for h in page.xpath("//article/h3"))
    assert by_recipient == {
        "souss@example.ma": sorted(
            ["تعاونية نسائية لإنتاج زيت الأركان", "معرض جهوي للاقتصاد الاجتماعي والتضامني بأكادير"]
        ),
        "rabat@example.ma": sorted([HOSTILE_TITLE, "Une association de Kénitra lance une épicerie solidaire"]),
    }


def test_stories_beyond_max_lead_the_next_digest(store: Store, tmp_path: Path) -> None:
    fill(store)  # 5 stories
    settings = settings_for(tmp_path, [{**EVERYTHING, "max_stories": 2}])
    seen: list[set[str]] = []
    for _ in range(4):
        before = set((tmp_path / "outbox").glob("*.eml")) if (tmp_path / "outbox").exists() else set()
        run_digests(store, settings)
        new = set((tmp_path / "outbox").glob("*.eml")) - before
        if not new:
            break
        (eml,) = new
        message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        html, text = parts(message)
        titles = {h.text_content() for h in lxml_html.document_fromstring(html).xpath("//article/h3")}
        waiting = 5 - sum(len(s) for s in seen) - len(titles)
        if waiting:
            assert f"{len(titles)} sur {len(titles) + waiting} articles ESS" in message["Subject"]
            assert f"{waiting} autre" in html and f"{waiting} autre" in text
        else:
            assert "autres articles correspondants" not in html and "autre article" not in html
        seen.append(titles)
    assert [len(s) for s in seen] == [2, 2, 1]
    assert len(set().union(*seen)) == 5, "every story once, none lost"


# ---- schedules -----------------------------------------------------------------------------------------


def test_daily_and_weekly_slots_in_the_settings_time_zone() -> None:
    zone = ZoneInfo("Africa/Casablanca")  # UTC+1
    daily = Subscription(name="d", email="d@example.ma", frequency="daily", time=clock_time(7, 0))
    weekly = Subscription(name="w", email="w@example.ma", frequency="weekly", day="friday", time=clock_time(18, 30))
    before = current_slot(daily, datetime(2026, 11, 22, 5, 59), zone)  # 06:59 local
    after = current_slot(daily, datetime(2026, 11, 22, 6, 0), zone)  # 07:00 local
    assert before.due == datetime(2026, 11, 21, 6, 0) and after.due == datetime(2026, 11, 22, 6, 0)
    assert after.stored_before == after.due and after.period("fr") == "dimanche 22 novembre 2026"
    assert after.period("ar") == "الأحد، 22 نونبر 2026" and after.period("en") == "Sunday, November 22, 2026"
    sunday = current_slot(weekly, datetime(2026, 11, 22, 12, 0), zone)
    assert sunday.due == datetime(2026, 11, 20, 17, 30)
    assert sunday.period("fr") == "semaine jusqu’au vendredi 20 novembre 2026"
    assert current_slot(weekly, datetime(2026, 11, 27, 17, 29), zone).due == sunday.due
    assert current_slot(weekly, datetime(2026, 11, 27, 17, 30), zone).due == datetime(2026, 11, 27, 17, 30)


def save_late_story(store: Store) -> int | None:
    """An SSE story stored after the day's digest went out: it waits for the next day's."""
    spec = StorySpec("Tiznit Info", "late", "تعاونية جديدة", "تعاونية جديدة للنساء " * 30, "ar", ["MA-09"],
                     datetime(2026, 11, 22, tzinfo=UTC))  # fmt: skip
    return save(store, spec)


def test_a_daily_digest_is_sent_once_per_day_with_what_was_stored_by_its_time(store: Store, tmp_path: Path) -> None:
    fill(store)
    stored_at = utcnow()
    local = stored_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Africa/Casablanca"))
    due = (local + timedelta(minutes=30)).time().replace(second=0, microsecond=0)
    settings = settings_for(tmp_path, [{**EVERYTHING, "frequency": "daily", "time": due.isoformat()}])

    def outbox() -> int:
        return len(list((tmp_path / "outbox").glob("*.eml"))) if (tmp_path / "outbox").exists() else 0

    # before today's time: yesterday's slot covers nothing stored (the stories came after it)
    run_digests(store, settings, now=stored_at + timedelta(minutes=20))
    assert outbox() == 0
    run_digests(store, settings, now=stored_at + timedelta(minutes=40))
    assert outbox() == 1
    late = save_late_story(store)
    assert late is not None
    # same day, later: the slot is taken, the late story waits for tomorrow's digest
    run_digests(store, settings, now=stored_at + timedelta(hours=5))
    assert outbox() == 1
    run_digests(store, settings, now=stored_at + timedelta(days=1, minutes=40))
    assert outbox() == 2
    run_digests(store, settings, now=stored_at + timedelta(days=1, minutes=50))
    assert outbox() == 2
    with sqlite3.connect(tmp_path / "rasd.db") as connection:
        (count,) = connection.execute("SELECT COUNT(*) FROM digest_items WHERE article_id = ?", (late,)).fetchone()
    assert count == 1


def test_a_daily_digest_made_while_the_clock_ran_ahead_does_not_hold_back_the_next_ones(
    store: Store, tmp_path: Path
) -> None:
    """The clock ran 3 days ahead for a while (a machine booted with a wrong clock), then NTP set it
    back: the digest made then, dated 3 days ahead, took every daily slot until the clock caught up, and
    the subscriber got nothing for those days, without a word. The slot is taken only by a digest created
    between its time and now."""
    fill(store)
    stored_at = utcnow()
    local = stored_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Africa/Casablanca"))
    due = (local + timedelta(minutes=30)).time().replace(second=0, microsecond=0)
    settings = settings_for(tmp_path, [{**EVERYTHING, "frequency": "daily", "time": due.isoformat()}])
    ahead = timedelta(days=3)
    run_digests(store, settings, now=stored_at + ahead + timedelta(minutes=40))  # made with the clock ahead
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
    late = save_late_story(store)

    run_digests(store, settings, now=stored_at + timedelta(days=1, minutes=40))  # the clock set right

    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 2
    with sqlite3.connect(tmp_path / "rasd.db") as connection:
        (count,) = connection.execute("SELECT COUNT(*) FROM digest_items WHERE article_id = ?", (late,)).fetchone()
    assert count == 1
    run_digests(store, settings, now=stored_at + timedelta(days=1, minutes=50))  # the slot is taken now
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 2


# ---- exactly once ------------------------------------------------------------------------------------


@pytest.mark.parametrize("failure", ["451", "554", "refused", "timeout", "drop", "silent", "cut"])
def test_a_failed_digest_is_retried_and_arrives_once(
    store: Store, smtp_server: tuple[Recorder, int], tmp_path: Path, failure: str
) -> None:
    """451/554 after DATA, connection refused, no answer to DATA (timeout), the connection dropped after
    DATA before the reply, a server that never greets, the connection cut in the middle of DATA."""
    recorder, port = smtp_server
    fill(store)
    now = utcnow()
    with ExitStack() as stack:
        if failure == "refused":
            failing_port = free_port()  # nothing listens there
        elif failure in ("silent", "cut"):
            failing_port = stack.enter_context(broken_server(failure))
        else:
            recorder.mode, failing_port = failure, port
        first = run_digests(store, settings_for(tmp_path, [EVERYTHING], plain_smtp(failing_port)), now=now)
    assert first.sent == [] and len(first.failed) == 1, first.lines()
    assert "(kept, will retry)" in first.failed[0]
    assert recorder.received == []
    ((digest_id, _, status, attempts, error),) = digest_rows(tmp_path / "rasd.db")
    assert status == "pending" and attempts == 1 and error
    expected = {
        "451": "answered 451 4.3.0",
        "554": "answered 554 5.7.1",
        "refused": "ConnectionRefusedError",
        "timeout": "timed out",
        "drop": "SMTPServerDisconnected",
        "silent": "timed out",
        "cut": "SMTPServerDisconnected|ConnectionResetError|BrokenPipeError",
    }[failure]
    assert re.search(expected, error), error
    with sqlite3.connect(tmp_path / "rasd.db") as connection:
        outcomes = connection.execute(
            "SELECT outcome, error FROM deliveries WHERE digest_id = ?", (digest_id,)
        ).fetchall()
    assert outcomes == [("failed", error)]

    recorder.mode = "ok"
    working = settings_for(tmp_path, [EVERYTHING], plain_smtp(port))
    for _ in range(3):
        run_digests(store, working, now=now + timedelta(minutes=5))
    (message,) = recorder.received
    assert message["Subject"].startswith("Rasd : 5 articles ESS")
    assert digest_rows(tmp_path / "rasd.db") == [(digest_id, "Tout le Maroc", "sent", 2, None)]


def test_a_mail_server_that_never_greets_is_waited_for_once_per_run_and_every_digest_arrives_later(
    store: Store, smtp_server: tuple[Recorder, int], tmp_path: Path
) -> None:
    """A relay that accepts the connection and never greets was waited for ([smtp] timeout, 30 s by
    default) once per pending digest of the run: twenty subscribers, ten minutes for nothing, the daemon's
    other jobs held up behind it. The first digest's wait says it; the others stay pending, unclaimed, and
    go with the next run."""
    recorder, port = smtp_server
    fill(store)
    readers = [{**EVERYTHING, "name": f"Lecteur {n}", "email": f"lecteur{n}@example.ma"} for n in range(3)]
    with broken_server("silent") as silent:  # its later connections wait in the kernel's backlog, ungreeted
        first = run_digests(store, settings_for(tmp_path, readers, plain_smtp(silent)))

    assert first.sent == [] and len(first.failed) == 1 and "timed out" in first.failed[0], first.lines()
    assert first.lines()[-1] == "the other digests wait for the next run: the mail server did not answer"
    assert "le serveur de courriel n’a pas répondu" in Speech("fr").told(first.lines()[-1])
    assert [(status, attempts) for _, _, status, attempts, _ in digest_rows(tmp_path / "rasd.db")] == [
        ("pending", 1), ("pending", 0), ("pending", 0),
    ]  # fmt: skip

    second = run_digests(store, settings_for(tmp_path, readers, plain_smtp(port)))

    assert len(second.sent) == 3 and second.failed == [], second.lines()
    assert sorted(to for _, (to,) in recorder.envelopes) == [f"lecteur{n}@example.ma" for n in range(3)]


def test_a_run_that_died_while_sending_is_resent_with_the_same_message_id(
    store: Store, smtp_server: tuple[Recorder, int], tmp_path: Path
) -> None:
    """The window exactly-once cannot close: the server accepted the message, then the process died
    before mark_sent. After the stale-claim delay the digest is sent again, the very same message."""
    recorder, port = smtp_server
    fill(store)
    settings = settings_for(tmp_path, [EVERYTHING], plain_smtp(port))
    recorder.mode = "451"
    run_digests(store, settings)
    (crashed,) = store.claim_pending_digests()  # a run claims it ... and dies
    recorder.mode = "ok"
    assert run_digests(store, settings).sent == [], "a fresh claim is left to its run"
    with sqlite3.connect(tmp_path / "rasd.db") as connection:
        connection.execute("UPDATE digests SET claimed_at = datetime(claimed_at, '-16 minutes')")
    run_digests(store, settings)
    (message,) = recorder.received
    stored = email.message_from_string(crashed.message, policy=policy.default)
    assert message["Message-ID"] == stored["Message-ID"]


def test_missing_password_is_one_clear_line_and_the_digest_waits(
    store: Store, smtp_server: tuple[Recorder, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, port = smtp_server
    fill(store)
    monkeypatch.setenv("RASD_TEST_USER", "veille")
    monkeypatch.delenv("RASD_TEST_PASSWORD", raising=False)
    settings = settings_for(
        tmp_path, [EVERYTHING], plain_smtp(port, username_env="RASD_TEST_USER", password_env="RASD_TEST_PASSWORD")
    )
    report = run_digests(store, settings)
    assert report.failed and "$RASD_TEST_PASSWORD is empty" in report.failed[0]
    assert digest_rows(tmp_path / "rasd.db")[0][2] == "pending"


def test_concurrent_digest_runs_send_each_story_once(smtp_server: tuple[Recorder, int], tmp_path: Path) -> None:
    """Four `rasd digest` processes at once on one SQLite file, six subscribers, a slow SMTP server."""
    recorder, port = smtp_server
    recorder.delay = 0.2
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    fill(store)
    store.close()
    subscribers = "".join(
        f'[[subscriptions]]\nname = "s{n}"\nemail = "s{n}@example.ma"\nfrequency = "immediate"\nmin_score = 0.5\n'
        for n in range(6)
    )
    config = tmp_path / "rasd.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "rasd.db"}"\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "plain"\n{subscribers}',
        encoding="utf-8",
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "rasd.monitor", "--config", str(config), "digest"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        )
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    sent_lines = [line for out, _ in outputs for line in out.splitlines() if line.startswith("sent:")]
    assert len(sent_lines) == 6, outputs
    assert sorted(to for _, (to,) in recorder.envelopes) == sorted(f"s{n}@example.ma" for n in range(6))
    for message in recorder.received:
        assert message["Subject"].startswith("Rasd : 5 articles ESS")
    with sqlite3.connect(tmp_path / "rasd.db") as connection:
        assert connection.execute("SELECT COUNT(*), SUM(status = 'sent') FROM digests").fetchone() == (6, 6)
        assert connection.execute("SELECT COUNT(*) FROM digest_items").fetchone() == (30,)


SOUSS_NOW = (  # a subscription whose digest is due at every run
    '[[subscriptions]]\nname = "Souss"\nemail = "souss@example.ma"\nregions = ["MA-09"]\nfrequency = "immediate"\n'
)


def _digest_config(tmp_path: Path, subscriptions: str, top: str = "") -> Path:
    """A rasd.toml with the test store, an outbox and these [[subscriptions]] (`top`: top-level keys)."""
    config = tmp_path / "rasd.toml"
    config.write_text(
        f'{top}outbox = "{tmp_path / "outbox"}"\n[storage]\nurl = "sqlite:///{tmp_path / "rasd.db"}"\n{subscriptions}',
        encoding="utf-8",
    )
    return config


def test_dry_run_prints_what_would_go_to_whom_and_marks_nothing(store: Store, tmp_path: Path) -> None:
    fill(store)
    config = _digest_config(tmp_path, SOUSS_NOW)
    dry = run_rasd("--config", str(config), "digest", "--dry-run", cwd=tmp_path, timeout=60)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("would send: Souss <souss@example.ma>: Rasd : 2 articles ESS pour Souss — "), (
        dry.stdout
    )
    assert FSI not in dry.stdout and PDI not in dry.stdout  # a terminal shows them as stray characters
    assert "[MA-09] تعاونية نسائية لإنتاج زيت الأركان (Tiznit Info)" in dry.stdout.translate(MARKS)
    assert "Salé" not in dry.stdout
    assert digest_rows(tmp_path / "rasd.db") == [] and not (tmp_path / "outbox").exists()
    again = run_rasd("--config", str(config), "digest", "--dry-run", cwd=tmp_path, timeout=60)
    assert again.stdout.splitlines()[1:] == dry.stdout.splitlines()[1:], "a dry run changed nothing"
    real = run_rasd("--config", str(config), "digest", cwd=tmp_path, timeout=60)
    assert real.stdout.startswith(
        "written to the outbox, not emailed (no [smtp] host): Souss <souss@example.ma>: 2 stories → "
    ), real.stdout
    (written,) = (tmp_path / "outbox").glob("*.eml")
    after = run_rasd("--config", str(config), "digest", "--dry-run", cwd=tmp_path, timeout=60)
    # nothing due: when the last digest was made and where it is, not only "no digest due"
    with sqlite3.connect(tmp_path / "rasd.db") as connection:
        (created,) = connection.execute("SELECT created_at FROM digests").fetchone()
    # in the digests' time zone, as the digest's subject says it: the store's UTC was an hour off in Morocco
    made = datetime.fromisoformat(created).replace(tzinfo=UTC).astimezone(ZoneInfo("Africa/Casablanca"))
    no_digest, last = after.stdout.splitlines()
    assert no_digest == "no digest due"
    when = f"{made:%Y-%m-%d %H:%M} (Africa/Casablanca)"
    assert last == f"  last digest for Souss <souss@example.ma>: made {when}, written to {written}"


def test_rasd_digest_speaks_the_readers_language(store: Store, tmp_path: Path) -> None:
    fill(store)
    config = _digest_config(tmp_path, SOUSS_NOW + 'language = "ar"\n', top='language = "fr"\n')
    dry = run_rasd("--config", str(config), "digest", "--dry-run", cwd=tmp_path, timeout=60)
    assert dry.stdout.startswith("enverrait : Souss <souss@example.ma> : "), dry.stdout
    real = run_rasd("--config", str(config), "digest", cwd=tmp_path, timeout=60)
    assert real.stdout.startswith(
        "écrit dans la boîte d’envoi, non envoyé par courriel (pas d’hôte [smtp]) : "
        "Souss <souss@example.ma> : 2 articles → "
    ), real.stdout
    after = run_rasd("--config", str(config), "digest", "--dry-run", cwd=tmp_path, timeout=60, env={"RASD_LANG": "ar"})
    no_digest, last = after.stdout.splitlines()
    assert no_digest == RLM + "لا نشرة مستحقة", after.stdout
    assert last.startswith(RLM) and last.translate(MARKS).startswith("  آخر نشرة لـ Souss <souss@example.ma>: "), last
    assert f"{LRM}{tmp_path / 'outbox'}" in last, last  # the path kept in order


def test_nothing_due_says_when_each_subscription_gets_its_first_digest(store: Store, tmp_path: Path) -> None:
    """A daily digest waits for its time: "no digest due" alone read as if a crawl had found nothing."""
    fill(store)
    config = _digest_config(
        tmp_path,
        '[[subscriptions]]\nname = "Oriental"\nemail = "o@example.ma"\nregions = ["MA-02"]\n'
        '[[subscriptions]]\nname = "Hebdo"\nemail = "h@example.ma"\nregions = ["MA-02"]\nfrequency = "weekly"\n'
        'day = "friday"\ntime = 09:30:00\n',
    )
    english = run_rasd("--config", str(config), "digest", cwd=tmp_path, timeout=60)
    assert english.stdout.splitlines() == [
        "no digest due",
        "  no digest yet for Oriental <o@example.ma>: it comes every day at 07:00 (Africa/Casablanca), with the SSE "
        "stories stored by then",
        "    no SSE story waits for it yet",
        "  no digest yet for Hebdo <h@example.ma>: it comes every Friday at 09:30 (Africa/Casablanca), with the SSE "
        "stories stored by then",
        "    no SSE story waits for it yet",
    ], english.stdout
    french = run_rasd("--config", str(config), "digest", cwd=tmp_path, timeout=60, env={"RASD_LANG": "fr"})
    assert "  pas encore de bulletin pour Hebdo <h@example.ma> : il vient chaque vendredi à 09:30 (" in french.stdout


def test_nothing_due_says_how_many_stories_wait_for_the_next_digest_and_when_it_comes(
    store: Store, tmp_path: Path
) -> None:
    """A journalist sets a daily digest at 18:00 and asks `rasd digest` at noon: "no digest due" and the last
    digest's UTC time said neither when the next would come (after a change of `time` too) nor whether it would
    hold anything (newcomer12's trial). Under each daily or weekly subscription: its next time, and how many SSE
    stories its filters keep so far — counted as its digest will count them, none it has had."""
    fill(store)
    souss = '[[subscriptions]]\nname = "Souss"\nemail = "souss@example.ma"\nregions = ["MA-09"]\ntime = 18:00:00\n'
    config = _digest_config(tmp_path, souss)
    first = run_rasd("--config", str(config), "digest", cwd=tmp_path, timeout=60)
    assert first.stdout.splitlines()[1:] == [
        "  no digest yet for Souss <souss@example.ma>: it comes every day at 18:00 (Africa/Casablanca), with the SSE "
        "stories stored by then",
        "    2 SSE stories wait for it so far",
    ], first.stdout
    words = {
        "fr": "    2 articles ESS l’attendent pour l’instant",
        "ar": "    ينتظرها خبران عن الاقتصاد الاجتماعي والتضامني حتى الآن",
    }
    for language, line in words.items():
        said = run_rasd("--config", str(config), "digest", cwd=tmp_path, timeout=60, env={"RASD_LANG": language})
        assert said.stdout.translate(MARKS).splitlines()[-1] == line, said.stdout
    # tomorrow's digest made (as at 18:00 tomorrow), then one more story stored for the one after
    settings = load_settings(str(config))
    made = run_digests(store, settings, now=utcnow() + timedelta(days=1))
    assert len(made.sent) == 1, made.lines()
    after = run_rasd("--config", str(config), "digest", cwd=tmp_path, timeout=60)
    assert after.stdout.splitlines()[2:] == [
        "  next digest for Souss <souss@example.ma>: every day at 18:00 (Africa/Casablanca)",
        "    no SSE story waits for it yet",
    ], after.stdout
    # a weekly subscription keeping to a topic none of the stories is about: none waits for it
    topical = '[[subscriptions]]\nname = "Micro"\nemail = "m@example.ma"\ntopics = ["microfinance"]\nday = "friday"\n'
    both = _digest_config(tmp_path, f'{souss}{topical}frequency = "weekly"\n')
    weekly = run_rasd("--config", str(both), "digest", cwd=tmp_path, timeout=60).stdout.splitlines()
    assert weekly[-2:] == [
        "  no digest yet for Micro <m@example.ma>: it comes every Friday at 07:00 (Africa/Casablanca), with the SSE "
        "stories stored by then",
        "    no SSE story waits for it yet",
    ], weekly
    config = _digest_config(tmp_path, souss)
    save_late_story(store)
    later = run_rasd("--config", str(config), "digest", "--dry-run", cwd=tmp_path, timeout=60, env={"RASD_LANG": "fr"})
    assert later.stdout.splitlines()[2:] == [
        "  prochain bulletin pour Souss <souss@example.ma> : chaque jour à 18:00 (Africa/Casablanca)",
        "    1 article ESS l’attend pour l’instant",
    ], later.stdout


def test_rasd_digest_quiet_prints_only_digests_for_cron(store: Store, tmp_path: Path) -> None:
    """deploy/crontab.example runs `rasd digest` every 5 minutes, and cron mails whatever it prints: "no digest
    due" and each subscription's last digest reached the official's inbox 288 times a day. With --quiet, as
    the crontab runs it, nothing is printed when nothing is due; a digest made is still said."""
    fill(store)
    config = _digest_config(tmp_path, SOUSS_NOW)
    first = run_rasd("--config", str(config), "digest", "--quiet", cwd=tmp_path, timeout=60)
    assert first.returncode == 0 and first.stdout.startswith("written to the outbox, not emailed"), first.stdout
    again = run_rasd("--config", str(config), "digest", "--quiet", cwd=tmp_path, timeout=60)
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    crontab = (REPO / "deploy" / "crontab.example").read_text(encoding="utf-8")
    assert "bin/rasd digest --quiet\n" in crontab


def _refused_smtp_config(tmp_path: Path) -> Path:
    """An immediate subscription whose mail server refuses every connection (nothing listens there)."""
    config = tmp_path / "rasd.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "rasd.db"}"\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {free_port()}\nsecurity = "plain"\n'
        '[[subscriptions]]\nname = "Souss"\nemail = "souss@example.ma"\nfrequency = "immediate"\n',
        encoding="utf-8",
    )
    return config


def test_rasd_digest_exits_1_when_a_delivery_failed(store: Store, tmp_path: Path) -> None:
    fill(store)
    config = _refused_smtp_config(tmp_path)
    result = run_rasd("--config", str(config), "digest", cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert result.stdout.startswith("FAILED: Souss <souss@example.ma>: digest #1: smtp://127.0.0.1:")
    assert "ConnectionRefusedError" in result.stdout and "(kept, will retry)" in result.stdout
    dry = run_rasd("--config", str(config), "digest", "--dry-run", cwd=tmp_path, timeout=60)
    assert dry.returncode == 0
    assert dry.stdout.startswith("would send: Souss <souss@example.ma>: retry of digest #1 (5 stories, last error: ")
    assert digest_rows(tmp_path / "rasd.db")[0][2:4] == ("pending", 1), "the dry run claimed nothing"


def test_rasd_digest_quiet_says_a_failure_that_repeats_once_a_day_not_every_5_minutes(
    store: Store, tmp_path: Path
) -> None:
    """The mail server down, cron's `rasd digest --quiet` every 5 minutes mailed the same "FAILED: … Connection
    refused (kept, will retry)" 288 times a day (newcomer13's trial). The first failure is said; a retry that
    fails as the one before it did is not, but once a day (every 288th attempt); the exit code stays 1, and
    without --quiet (a reader at the prompt) every failure is said."""
    fill(store)
    config = _refused_smtp_config(tmp_path)

    def cron() -> subprocess.CompletedProcess[str]:
        ran = run_rasd("--config", str(config), "digest", "--quiet", cwd=tmp_path, timeout=60)
        assert ran.returncode == 1, ran.stderr
        return ran

    assert cron().stdout.startswith("FAILED: Souss <souss@example.ma>: digest #1: smtp://127.0.0.1:")
    assert cron().stdout == ""  # five minutes later: the same failure, known
    loud = run_rasd("--config", str(config), "digest", cwd=tmp_path, timeout=60)
    assert loud.returncode == 1 and loud.stdout.startswith("FAILED: Souss"), loud.stdout
    with sqlite3.connect(tmp_path / "rasd.db") as db:  # a day of runs every 5 minutes later
        db.execute("UPDATE digests SET attempts = 288")
    assert cron().stdout.startswith("FAILED: Souss <souss@example.ma>: digest #1")  # the day's reminder
    assert cron().stdout == ""


# ---- STARTTLS and SSL, with a login from the environment --------------------------------------------


def test_a_failed_delivery_says_what_happened_and_what_to_check_in_the_readers_words(
    store: Store, tmp_path: Path
) -> None:
    """A French reader's `rasd digest` against a port where nothing listens, then a relay that refuses the
    message (554): plain French and what to check, the error itself in brackets (it was "answered 554" and
    "ConnectionRefusedError: …" in a French line); the database keeps the English."""
    fill(store)
    config = tmp_path / "rasd.toml"

    def digest(port: int) -> subprocess.CompletedProcess[str]:
        config.write_text(
            f'[storage]\nurl = "sqlite:///{tmp_path / "rasd.db"}"\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "plain"\ntimeout = 10\n'
            '[[subscriptions]]\nname = "Souss"\nemail = "souss@example.ma"\nfrequency = "immediate"\n',
            encoding="utf-8",
        )
        return run_rasd("--config", str(config), "digest", cwd=tmp_path, env={"RASD_LANG": "fr"})

    port = free_port()
    refused = digest(port)
    assert refused.returncode == 1
    assert refused.stdout == (
        f"ÉCHEC : Souss <souss@example.ma> : bulletin n° 1 : smtp://127.0.0.1:{port} : rien ne répond à cette "
        "adresse (ConnectionRefusedError: [Errno 111] Connection refused) : le serveur de courrier tourne-t-il, et "
        "[smtp] host et port sont-ils justes ? (gardé, nouvel essai plus tard)\n"
    )

    def relay(mode: str) -> tuple[int, subprocess.CompletedProcess[str]]:
        controller = Controller(Recorder(mode=mode), hostname="127.0.0.1", port=free_port())
        controller.start()
        try:
            return controller.port, digest(controller.port)
        finally:
            controller.stop()

    port, rejected = relay("554")
    assert rejected.returncode == 1
    assert (
        f"smtp://127.0.0.1:{port} : a répondu 554 5.7.1 Message rejected : un refus qu’il répétera tant "
        "que l’adresse ou les réglages [smtp] ne changent pas (gardé, nouvel essai plus tard)" in rejected.stdout
    )
    with sqlite3.connect(tmp_path / "rasd.db") as db:
        (error,) = db.execute("SELECT last_error FROM digests WHERE id = 1").fetchone()
    assert error.startswith(f"smtp://127.0.0.1:{port}: answered 554 5.7.1 Message rejected: a refusal")
    port, unknown = relay("550-rcpt")  # the relay refuses the subscriber's address: it read as a Python dict
    assert unknown.returncode == 1
    assert (
        f"smtp://127.0.0.1:{port} : a refusé l’adresse souss@example.ma en répondant 550 5.1.1 Mailbox "
        "unavailable : un refus qu’il répétera tant que l’adresse de l’abonnement ou les réglages [smtp] ne changent "
        "pas (gardé, nouvel essai plus tard)" in unknown.stdout
    ), unknown.stdout


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, standing in for a relay with a private CA (passed as `ca_file`)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rasd test relay")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "relay.pem", tmp_path / "relay.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # the SSL case, see below
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_delivery_with_login_from_the_environment(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, security: str
) -> None:
    import ssl

    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = _self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        logins.append((data.login, data.password))
        return AuthResult(success=data.login == b"veille" and data.password == b"s3cret-from-env")

    recorder = Recorder()
    # aiosmtpd counts only STARTTLS as TLS for `auth_require_tls`: over implicit TLS it would hide AUTH.
    tls_options: dict[str, Any] = (
        {"tls_context": server_tls, "require_starttls": True, "auth_require_tls": True}
        if security == "starttls"
        else {"ssl_context": server_tls, "auth_require_tls": False}
    )
    controller = Controller(
        recorder,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticator,
        auth_required=True,
        server_hostname="127.0.0.1",
        **tls_options,
    )
    controller.start()
    try:
        fill(store)
        monkeypatch.setenv("RASD_TEST_USER", "veille")
        monkeypatch.setenv("RASD_TEST_PASSWORD", "s3cret-from-env")
        smtp = {
            "host": "127.0.0.1",
            "port": controller.port,
            "security": security,
            "timeout": 5.0,
            "username_env": "RASD_TEST_USER",
            "password_env": "RASD_TEST_PASSWORD",
        }
        untrusted = run_digests(store, settings_for(tmp_path, [EVERYTHING], smtp))
        assert untrusted.failed and "CERTIFICATE_VERIFY_FAILED" in untrusted.failed[0], untrusted.lines()
        trusted = settings_for(tmp_path, [EVERYTHING], {**smtp, "ca_file": str(cert)})
        assert len(run_digests(store, trusted).sent) == 1
    finally:
        controller.stop()
    assert logins == [(b"veille", b"s3cret-from-env")]
    (message,) = recorder.received
    assert message["To"] == "veille@example.ma"


def test_rasd_digest_quiet_leaves_unsaid_that_the_others_wait_behind_a_failure_left_unsaid() -> None:
    """A relay that accepts and never greets, cron's `rasd digest --quiet` every 5 minutes: the timed-out retry,
    failing as before, is left unsaid, and so is "the other digests wait for the next run" under it — it alone
    made a mail every 5 minutes. Said with the failure it follows (the first, the day's reminder), and always
    without --quiet."""
    failure = "Souss <souss@example.ma>: digest #1: smtp://127.0.0.1:2525: timed out (kept, will retry)"
    wait = "the other digests wait for the next run: the mail server did not answer"
    repeated = DigestReport(failed=[failure], repeated=[failure], unanswered=True)
    assert repeated.lines(quiet=True) == []
    assert repeated.lines() == [f"FAILED: {failure}", wait]
    first = DigestReport(failed=[failure], unanswered=True)
    assert first.lines(quiet=True) == [f"FAILED: {failure}", wait]
