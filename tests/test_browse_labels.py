"""Readers' verdicts from `rasd browse` (/-/label/ID): recorded with who and when through storage, only on
loopback or when asked, never from another site's form; through Datasette's own test client and, once, a
real Chromium that loads the form from the real `rasd browse`, fills it in and submits it."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from rasd.monitor.browse import datasette_for
from rasd.storage import Store
from tests.conftest import write_config
from tests.test_browse import HEADLESS_CHROMIUM, _store, start_browse
from tests.test_search import STORIES

TITLE = STORIES[0][2]  # an SSE story about a women's cooperative in Tiznit


def _labels(db: Path, article_id: int) -> list[tuple[bool, str | None, str]]:
    store = Store(f"sqlite:///{db}")
    try:
        return [(label.sse, label.region, label.labelled_by) for label in store.label_history(article_id)]
    finally:
        store.close()


def _form(datasette: Any, article_id: int) -> tuple[str, str]:
    """The form page: its HTML and the CSRF cookie Datasette set with it."""
    page = asyncio.run(datasette.client.get(f"/-/label/{article_id}"))
    assert page.status_code == 200, page.text
    return page.text, page.cookies["ds_csrftoken"]


def _post(datasette: Any, article_id: int, form: dict[str, str], cookies: dict[str, str] | None = None) -> Any:
    return asyncio.run(datasette.client.post(f"/-/label/{article_id}", data=form, cookies=cookies))


def test_a_verdict_from_the_browser_is_recorded_like_rasd_label(tmp_path: Path) -> None:
    db = tmp_path / "rasd.db"
    ids = _store(db)
    story = ids[TITLE]
    local = datasette_for(db)
    page, token = _form(local, story)
    assert TITLE in page and 'name="csrftoken"' in page and "MA-09 Souss-Massa" in page
    assert '<html lang="fr" dir="ltr">' in page  # rasd browse's language (French by default)
    # the score as a French reader writes it, as the other pages say it (it read "score 0.75" here)
    assert re.search(r"Classifieur : [^(]*\(score \d,\d\d, ", page), page

    said = _post(
        local,
        story,
        {"csrftoken": token, "verdict": "not-sse", "region": "MA-09", "by": "amina"},
        {"ds_csrftoken": token},
    )
    assert said.status_code == 302, said.text
    assert _labels(db, story) == [(False, "MA-09", "amina")]
    store = Store(f"sqlite:///{db}")
    try:
        waiting = store.undelivered_stories("everything", ["all"], ["ar", "fr"], 0.0)
        assert story not in {item.article_id for item in waiting}  # out of every digest, as with rasd label
    finally:
        store.close()
    after = asyncio.run(local.client.get(said.headers["location"], cookies={"ds_csrftoken": token}))
    assert "Enregistré : hors ESS — <bdi>amina</bdi>" in after.text and "n’apparaîtra dans aucun envoi" in after.text
    # the history, with who and when
    assert "<li>hors ESS, région <bdi>MA-09 Souss-Massa</bdi> — <bdi>amina</bdi>, le " in after.text

    # The canned queries link each story to its form; Datasette itself still writes nothing.
    latest = asyncio.run(local.client.get("/rasd/latest_sse_stories"))
    assert f'href="/-/label/{ids[STORIES[1][2]]}">donner un avis</a>' in latest.text
    refused = asyncio.run(local.client.get("/rasd.json?sql=delete+from+labels"))
    assert refused.status_code == 400 and len(_labels(db, story)) == 1


def test_bad_or_forged_verdicts_are_refused_in_one_line_and_nothing_is_written(tmp_path: Path) -> None:
    db = tmp_path / "rasd.db"
    story = _store(db)[TITLE]
    local = datasette_for(db)
    _, token = _form(local, story)
    cookie = {"ds_csrftoken": token}
    good = {"csrftoken": token, "verdict": "sse", "region": "", "by": "amina"}

    # Another site's form: the browser sends no SameSite=Lax cookie with it, and cannot know the token.
    forged = _post(local, story, {**good, "csrftoken": ""})
    assert forged.status_code == 403 and "le formulaire ne vient pas de cette page" in forged.text
    for wrong, expected in [
        ({"verdict": "maybe"}, "choisissez ESS ou hors ESS"),
        ({"region": "MA-13"}, "MA-13 : ce n’est pas un code de région"),
        ({"by": "  "}, "dites qui donne cet avis"),
    ]:
        answer = _post(local, story, {**good, **wrong}, cookie)
        assert answer.status_code == 400 and expected in answer.text
    missing = _post(local, 999_999, good, cookie)
    assert missing.status_code == 404 and missing.text == "aucun article ne porte le numéro 999999\n"
    assert _labels(db, story) == []

    # Served on another address, verdicts are off unless asked for.
    exposed, asked = datasette_for(db, "0.0.0.0"), datasette_for(db, "0.0.0.0", labels=True)
    assert asyncio.run(exposed.client.get(f"/-/label/{story}")).status_code == 403
    assert _post(exposed, story, good, cookie).status_code == 403
    assert "donner un avis" not in asyncio.run(exposed.client.get("/rasd/latest_sse_stories")).text
    assert asyncio.run(asked.client.get(f"/-/label/{story}")).status_code == 200
    assert _labels(db, story) == []


# Words of the form's English and French texts: none is left on the page of a reader of Arabic.
NOT_ARABIC = ("verdict", "Verdict", "Classifier", "Classifieur", "SSE", "ESS", "region", "Région", "name", "nom",
              "Record", "Enregistr", "Avis", "UTC ", "None yet", "Aucun")  # fmt: skip


def test_the_form_is_in_the_language_rasd_browse_was_started_with_right_to_left_in_arabic(tmp_path: Path) -> None:
    db = tmp_path / "rasd.db"
    story = _store(db)[TITLE]
    arabic = datasette_for(db, language="ar")
    page, token = _form(arabic, story)
    assert '<html lang="ar" dir="rtl">' in page and "<title>حكم على المقال " in page
    assert "هل هذا خبر عن الاقتصاد الاجتماعي والتضامني؟" in page and "MA-09 سوس ماسة" in page
    assert "لا شيء بعد." in page and ">تسجيل الحكم</button>" in page
    shown = lxml_html.fromstring(page)
    for story_part in shown.xpath("//h1 | //p[a[@rel='noreferrer']]"):  # the story's title, source and address
        story_part.drop_tree()
    text = shown.text_content()
    assert not any(word in text for word in NOT_ARABIC), text

    cookie = {"ds_csrftoken": token}
    good = {"csrftoken": token, "verdict": "sse", "region": "MA-09", "by": "Youssef"}
    wrong = _post(arabic, story, {**good, "region": "MA-13"}, cookie)
    assert wrong.status_code == 400 and '<p class="problem" role="alert">MA-13: ليس رمز جهة' in wrong.text
    said = _post(arabic, story, good, cookie)
    after = asyncio.run(arabic.client.get(said.headers["location"], cookies=cookie))
    assert "سُجِّل: الاقتصاد الاجتماعي والتضامني — <bdi>Youssef</bdi>. " in after.text
    assert "<li>الاقتصاد الاجتماعي والتضامني، جهة <bdi>MA-09 سوس ماسة</bdi> — <bdi>Youssef</bdi>، " in after.text
    missing = asyncio.run(arabic.client.get("/-/label/999999"))
    assert missing.status_code == 404 and missing.text == "لا يوجد مقال رقمه 999999\n"
    latest = asyncio.run(arabic.client.get("/rasd/latest_sse_stories"))
    assert ">إصدار حكم</a>" in latest.text


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe (fds 3 and 4): no extra library."""

    def __init__(self, profile: Path) -> None:
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()

        def pipes() -> None:
            os.dup2(commands_read, 3)
            os.dup2(replies_write, 4)

        self.process = subprocess.Popen(
            [
                *HEADLESS_CHROMIUM,
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            preexec_fn=pipes,  # only dup2 between fork and exec
            close_fds=False,  # else fds 3 and 4 are closed again after preexec_fn
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(commands_read)
        os.close(replies_write)
        self._buffer = b""
        self._next = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._replies, 65536)
                assert chunk, "chromium closed its pipe"
                self._buffer += chunk
            raw, _, self._buffer = self._buffer.partition(b"\0")
            reply = json.loads(raw)
            if reply.get("id") == self._next:
                assert "error" not in reply, reply
                return reply["result"]  # type: ignore[no-any-return]

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", self.session, expression=expression, awaitPromise=True)
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60) -> None:
        """Until `expression` is true in the page (a page load has no event we wait on: we poll the DOM)."""
        deadline = time.monotonic() + timeout
        while not self.evaluate(expression):
            assert time.monotonic() < deadline, f"timed out waiting for {expression}"
            time.sleep(0.1)

    def close(self) -> None:
        os.close(self._commands)
        os.close(self._replies)
        self.process.kill()
        self.process.wait(timeout=30)


def test_a_reader_records_a_verdict_in_chromium_on_rasd_browse(tmp_path: Path) -> None:
    config = write_config(tmp_path, "")
    db = tmp_path / "rasd.db"
    story = _store(db)[TITLE]
    server, base = start_browse(config, "--lang", "ar")
    browser = None
    try:
        browser = Chromium(tmp_path / "chromium-profile")
        browser.call("Page.navigate", browser.session, url=f"{base}/-/label/{story}")
        browser.wait_for("document.readyState === 'complete' && !!document.querySelector('form')")
        assert browser.evaluate("document.querySelector('h1').textContent") == TITLE
        assert browser.evaluate("getComputedStyle(document.body).direction") == "rtl"  # Arabic: right to left
        browser.evaluate(
            "document.querySelector('input[value=\"not-sse\"]').click();"
            "document.querySelector('#region').value = 'MA-09';"
            "document.querySelector('#by').value = 'أمينة';"
            "document.querySelector('button[type=submit]').click();"
        )
        browser.wait_for("!!document.querySelector('.said')")
        said = browser.evaluate("document.querySelector('.said').textContent")
        assert said.startswith("سُجِّل: خارج الاقتصاد الاجتماعي والتضامني — أمينة. "), said
        # The reader's name is remembered for the next form.
        browser.call("Page.navigate", browser.session, url=f"{base}/-/label/{story}")
        browser.wait_for("document.readyState === 'complete' && !document.querySelector('.said')")
        assert browser.evaluate("document.querySelector('#by').value") == "أمينة"
    finally:
        if browser is not None:
            browser.close()
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert _labels(db, story) == [(False, "MA-09", "أمينة")]
    assert re.search(r"readers' verdicts recorded at /-/label/ID", out), (out, err)


def test_a_mistyped_id_is_a_404_page_and_a_quiet_terminal(tmp_path: Path) -> None:
    import urllib.error
    import urllib.request

    config = write_config(tmp_path, "")
    _store(tmp_path / "rasd.db")
    server, base = start_browse(config, "--lang", "fr")
    try:
        for wanted in ("abc", "999999"):
            try:
                urllib.request.urlopen(f"{base}/-/label/{wanted}", timeout=30)
                raise AssertionError("answered 200")
            except urllib.error.HTTPError as answer:
                assert answer.code == 404
                assert answer.read().decode() == f"aucun article ne porte le numéro {wanted}\n"
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert "Traceback" not in out + err and len(out.splitlines()) == 1, out + err  # the "serving …" line
