"""Pages written as folder indexes for `build-md --project`: links rebased, nothing else."""

from __future__ import annotations

import pytest

from sopkit.folder_pages import FolderClash, folder_index, folder_locations, rebase_links

FILES = {
    "index.md": "index.md",
    "guide.md": "guide/index.md",
    "roles/analyst.md": "roles/analyst/index.md",
    "roles/index.md": "roles/index.md",
    "img/flow one.png": "img/flow one.png",
    "sops/README.md": "sops/README.md",
}


def test_pages_other_than_indexes_become_folder_indexes() -> None:
    assert folder_index("roles/analyst.md") == "roles/analyst/index.md"
    assert folder_index("guide.md") == "guide/index.md"
    assert folder_index("roles/index.md") == "roles/index.md"
    assert folder_index("sops/README.md") == "sops/README.md"
    assert folder_index("img/a.png") == "img/a.png"


def test_two_pages_at_one_url_are_refused() -> None:
    with pytest.raises(FolderClash) as clash:
        folder_locations(["guide/index.md", "guide.md"])
    assert str(clash.value).startswith("guide.md and guide/index.md are both served at guide/")
    assert folder_locations(["a.md", "b/index.md"]) == {
        "a.md": "a/index.md",
        "b/index.md": "b/index.md",
    }


def test_links_are_rebased_from_the_new_place() -> None:
    text = (
        'See [the analyst](roles/analyst.md#step-a "Analyst") and ![flow](img/flow%20one.png).\n'
        "[ref]: roles/index.md?x=1\n"
    )
    assert rebase_links(text, "guide.md", "guide/index.md", FILES) == (
        'See [the analyst](../roles/analyst/index.md#step-a "Analyst") and '
        "![flow](../img/flow%20one.png).\n"
        "[ref]: ../roles/index.md?x=1\n"
    )


def test_a_page_that_stays_follows_the_pages_that_moved() -> None:
    text = "[Analyst](analyst.md) and [all roles](./)\n"
    assert rebase_links(text, "roles/index.md", "roles/index.md", FILES) == (
        "[Analyst](analyst/index.md) and [all roles](./)\n"
    )


def test_what_is_not_a_file_of_the_site_stays_as_written() -> None:
    text = (
        "[web](https://example.com/guide.md) [mail](mailto:a@b.c) [top](#top) [abs](/guide.md)\n"
        '[missing](nope.md) [url](roles/analyst/) <a href="roles/analyst.md">raw</a>\n\n'
        "```\n[code](roles/analyst.md)\n```\n\n`[span](roles/analyst.md)`\n"
    )
    assert rebase_links(text, "guide.md", "guide/index.md", FILES) == text


def test_indented_blocks_such_as_admonitions_are_rebased() -> None:
    text = '!!! tip "Start"\n\n    Read [the analyst](roles/analyst.md) first.\n'
    assert rebase_links(text, "guide.md", "guide/index.md", FILES) == (
        '!!! tip "Start"\n\n    Read [the analyst](../roles/analyst/index.md) first.\n'
    )
