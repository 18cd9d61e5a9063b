"""Knowledge checks: what the SOP page's "Check yourself" section and onboarding paths show.

The browser keeps a reader's answers under `sopkit:quiz:<site>/<sop id>` (see sopkit.js) with
the quiz's `version`: a digest of its questions, choices and answers, so answers given to an
earlier wording of a quiz never count for the current one. `<site>` is the slug of the site's
name: keys hold only slug characters, so they are safe in any attribute, table cell included.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from sopkit.load import slugify
from sopkit.model import Sop

ANCHOR = "check-yourself"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def quiz_text(text: str) -> str:
    """Handbook text as a quiz shows it: one line, no control characters.

    The radio's `value`, the expected answer and the label all use this form, so the browser
    compares exactly what the reader sees; a raw HTML block must not hold a blank line either.
    """
    return " ".join(_CONTROL.sub("", text).split())


def quiz_version(sop: Sop) -> str:
    """A short digest of what decides a right answer: questions, choices and answers."""
    payload = [[q.question, list(q.choices), q.answer] for q in sop.quiz]
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()


def quiz_key(site_key: str, sop: Sop) -> str:
    """The browser storage key of an SOP's answers (without the `sopkit:quiz:` prefix)."""
    site = slugify(site_key)
    if not site or len(site) > 60:
        digest = hashlib.blake2b(site_key.encode("utf-8"), digest_size=6).hexdigest()
        site = f"{site[:40]}-{digest}".strip("-")
    return f"{site}/{slugify(sop.id) or 'sop'}"


@dataclass(frozen=True)
class QuestionView:
    number: int
    question: str
    choices: tuple[str, ...]
    answer: str
    explain: str


@dataclass(frozen=True)
class QuizView:
    """An SOP's knowledge check, ready for the template (texts not yet escaped)."""

    sop: str
    key: str
    version: str
    questions: tuple[QuestionView, ...]

    @property
    def count(self) -> int:
        return len(self.questions)


def quiz_view(sop: Sop, site_key: str) -> QuizView | None:
    """The quiz of `sop`, or None when it has none."""
    if not sop.quiz:
        return None
    return QuizView(
        sop=sop.id,
        key=quiz_key(site_key, sop),
        version=quiz_version(sop),
        questions=tuple(
            QuestionView(
                number=index + 1,
                question=quiz_text(item.question),
                choices=tuple(quiz_text(choice) for choice in item.choices),
                answer=quiz_text(item.answer),
                explain=quiz_text(item.explain or ""),
            )
            for index, item in enumerate(sop.quiz)
        ),
    )
