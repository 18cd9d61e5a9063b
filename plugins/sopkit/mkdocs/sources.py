"""Real source files behind every page, for plugins that read a page's source.

MkDocs keeps a generated file in memory, with no `abs_src_path`. Plugins that read sources
(git dates and authors, i18n, print and PDF tools) expect a path they can open, so each file the
handbook generates is also written to a temporary folder that lives for one build, as
mkdocs-gen-files does with the pages its scripts write.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from mkdocs.structure.files import File, Files


class SourceFolders:
    """The temporary folders of the builds in progress; `remove` deletes them all."""

    def __init__(self) -> None:
        self._folders: list[tempfile.TemporaryDirectory[str]] = []
        self._current: Path | None = None

    def write_sources(self, files: Files, generated_by: str) -> list[File]:
        """Give each in-memory file made by `generated_by` a copy on disk; returns those files.

        The file keeps its content, URL, `edit_uri` and `generated_by`: only `abs_src_path`
        changes, from None to the copy, so the page builds exactly as before.
        """
        written: list[File] = []
        root: Path | None = None
        for file in files:
            if file.generated_by != generated_by or file.abs_src_path is not None:
                continue
            if root is None:
                root = self._new_folder()
            target = root.joinpath(*file.src_uri.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.content_bytes)
            file.abs_src_path = str(target)
            written.append(file)
        return written

    def write(self, src_uri: str, text: str) -> Path:
        """Write the source of a page made by this plugin; returns its path."""
        if self._current is None:
            self._current = self._new_folder()
        target = self._current.joinpath(*src_uri.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        # Bytes: the text as it is, with no newline translation on any system.
        target.write_bytes(text.encode("utf-8"))
        return target

    def remove(self) -> None:
        self._current = None
        while self._folders:
            self._folders.pop().cleanup()

    def _new_folder(self) -> Path:
        folder = tempfile.TemporaryDirectory(prefix="sopkit-pages-")
        self._folders.append(folder)
        return Path(folder.name)


def with_markdown(file: File, markdown: str) -> File:
    """`file` with its page Markdown in memory and its source path kept.

    MkDocs reads a page from `content_string`; plugins that read the source file or its git
    history (dates, authors, edit links) use `abs_src_path`, which setting the content clears.
    """
    source = file.abs_src_path
    file.content_string = markdown
    file.abs_src_path = source
    return file
