"""A subscription renamed after its reader changed their mind about the regions: its first digest under the
new name re-sent every story of the last 30 days the reader had already had under the old one (newcomer14's
week: `rasd digest --check` asks to rename a subscription whose regions changed; renamed, the next run sent
the week's 10 stories again, at once). The stories had under a name no longer in the config, by the same
address, are not sent again; a story stored since is; another address's subscription is not affected. The
real `rasd digest` on a real SQLite file, its digests written to the outbox."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from rasd.storage import Store
from tests.bidi import MARKS
from tests.conftest import run_rasd
from tests.test_alerts import AR_TEXT, SOURCES, StorySpec, fill, sample_stories, save

OLD = '[[subscriptions]]\nname = "Souss"\nemail = "souss@example.ma"\nregions = ["MA-09"]\nfrequency = "immediate"\n'
RENAMED = (
    '[[subscriptions]]\nname = "Souss et Rabat"\nemail = "souss@example.ma"\nregions = ["MA-09", "MA-04"]\n'
    'frequency = "immediate"\n'
)
COLLEAGUE = (
    '[[subscriptions]]\nname = "Rabat"\nemail = "rabat@example.ma"\nregions = ["MA-04"]\nfrequency = "immediate"\n'
)


def _config(tmp_path: Path, subscriptions: str) -> Path:
    config = tmp_path / "rasd.toml"
    config.write_text(
        f'outbox = "{tmp_path / "outbox"}"\n[storage]\nurl = "sqlite:///{tmp_path / "rasd.db"}"\n{subscriptions}',
        encoding="utf-8",
    )
    return config


def _digests(tmp_path: Path) -> list[str]:
    """The subjects of the outbox's digests, oldest first."""
    return [
        str(email.message_from_bytes(path.read_bytes(), policy=policy.default)["Subject"])
        for path in sorted((tmp_path / "outbox").glob("*.eml"))
    ]


def _digest(tmp_path: Path, config: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = run_rasd("--config", str(config), "digest", *args, cwd=tmp_path, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _stored(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    fill(store)
    return store


def test_a_renamed_subscription_does_not_send_again_what_its_reader_had(tmp_path: Path) -> None:
    store = _stored(tmp_path)
    _digest(tmp_path, _config(tmp_path, OLD))
    (had,) = _digests(tmp_path)
    assert had.startswith("Rasd : 2 articles ESS pour Souss — "), had
    renamed = _config(tmp_path, RENAMED + COLLEAGUE)
    _digest(tmp_path, renamed)
    # The two Rabat stories (MA-04) are new to this reader, and go to the colleague too; the two Souss stories
    # the reader had are not sent again (before: "4 articles ESS pour Souss et Rabat").
    assert sorted(_digests(tmp_path)[1:]) == [
        Contains("Rasd : 2 articles ESS pour Rabat — "),
        Contains("Rasd : 2 articles ESS pour Souss et Rabat — "),
    ], _digests(tmp_path)
    save(
        store,
        StorySpec(
            "Tiznit Info",
            "coop-new",
            "تعاونية جديدة بتيزنيت",
            "جديد " + AR_TEXT,
            "ar",
            ["MA-09"],
            sample_stories()[0].published,
        ),
    )
    store.close()
    _digest(tmp_path, renamed)  # a Souss story stored since the renaming is sent under the new name
    assert _digests(tmp_path)[3:] == [Contains("Rasd : 1 article ESS pour Souss et Rabat — ")], _digests(tmp_path)


class Contains(str):
    """A subject that starts so (equal to any subject starting with it)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and other.startswith(str(self))

    __hash__ = str.__hash__


def test_nothing_due_says_the_renamed_subscription_goes_on_from_its_old_name(tmp_path: Path) -> None:
    _stored(tmp_path).close()
    _digest(tmp_path, _config(tmp_path, OLD))
    config = _config(tmp_path, RENAMED.replace('frequency = "immediate"', 'frequency = "daily"\ntime = 07:00:00'))
    for language, goes_on, waiting in (
        ("ar", "يتابع «Souss»", "ينتظرها خبران عن الاقتصاد الاجتماعي والتضامني حتى الآن"),
        ("fr", "il prend la suite de « Souss »", "2 articles ESS l’attendent pour l’instant"),
    ):
        said = _digest(tmp_path, config, "--dry-run", env={"RASD_LANG": language}).translate(MARKS)
        assert goes_on in said and "souss@example.ma" in said, said
        # Rabat's two stories alone wait: the two Souss stories had under the old name are not counted (it said 4).
        assert waiting in said, said
