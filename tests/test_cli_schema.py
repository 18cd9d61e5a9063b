"""`sopkit schema`: the schema editors get accepts the shipped handbook and rejects broken files."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from sopkit.cli import main
from sopkit.load import load_library
from sopkit.model import Library

from .sites import SHIPPED


def printed_schema(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["schema", *args]) == 0
    schema: dict[str, Any] = json.loads(capsys.readouterr().out)
    return schema


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def shipped() -> Library:
    return load_library(SHIPPED)


def sop_documents(library: Library) -> dict[str, Any]:
    return {file: doc.data for file, doc in library.sources.items() if doc.kind == "sop"}


def test_schema_accepts_every_sop_of_the_shipped_handbook(
    shipped: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    check = validator(printed_schema(capsys))
    documents = sop_documents(shipped)
    assert len(documents) == len(shipped.sop_files) >= 15
    for file, data in documents.items():
        assert [error.message for error in check.iter_errors(data)] == [], file


@pytest.mark.parametrize("kind", ["roles", "tools", "onboarding"])
def test_registry_schemas_accept_the_shipped_registries(
    kind: str, shipped: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    check = validator(printed_schema(capsys, "--for", kind))
    data = shipped.sources[f"{kind}.yml"].data
    assert [error.message for error in check.iter_errors(data)] == []
    assert not check.is_valid({"Not A Slug": {"name": "x"}})


def _break(data: dict[str, Any], how: str) -> dict[str, Any]:
    broken = copy.deepcopy(data)
    if how == "missing title":
        del broken["title"]
    elif how == "bad duration":
        broken["steps"][0]["duration"] = "3 days"
    elif how == "unknown key":
        broken["colour"] = "red"
    elif how == "unknown step key":
        broken["steps"][0]["asignee"] = "editor"
    elif how == "two letters in one key":
        broken["steps"][0]["raci"]["RA"] = "editor"
    elif how == "bad id":
        broken["id"] = "Content Production"
    elif how == "bad date":
        broken["reviewed"] = "2026-02-30"
    elif how == "no steps":
        broken["steps"] = []
    elif how == "bad status":
        broken["status"] = "live"
    return broken


@pytest.mark.parametrize(
    "how",
    [
        "missing title",
        "bad duration",
        "unknown key",
        "unknown step key",
        "two letters in one key",
        "bad id",
        "bad date",
        "no steps",
        "bad status",
    ],
)
def test_schema_rejects_broken_front_matter(
    how: str, shipped: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    check = validator(printed_schema(capsys))
    data = sop_documents(shipped)["sops/content/content-production.md"]
    assert check.is_valid(data)
    assert not check.is_valid(_break(data, how))


def test_output_writes_the_same_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--for", "tools"]) == 0
    printed = capsys.readouterr().out
    target = tmp_path / "tools.schema.json"
    assert main(["schema", "--for", "tools", "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8") == printed
    assert main(["schema", "--output", str(tmp_path / "missing" / "x.json")]) == 2
    assert "--output: cannot write" in capsys.readouterr().err


def test_help_documents_the_editor_settings(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["schema", "--help"])
    text = capsys.readouterr().out
    assert '"yaml.schemas"' in text
    assert "# yaml-language-server: $schema=" in text
    assert "front matter" in text
