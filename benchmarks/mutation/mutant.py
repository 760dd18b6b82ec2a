"""One mutant: a span of a file's text replaced, with a stable id and a diff."""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    path: str  # relative to the repository
    start: int  # character offsets into the original text
    end: int
    replacement: str
    operator: str  # e.g. "sql.cmp", "py.drop_conjunct"

    def apply(self, text: str) -> str:
        return text[: self.start] + self.replacement + text[self.end:]

    def line(self, text: str) -> int:
        return text.count("\n", 0, self.start) + 1

    def key(self, text: str) -> str:
        """A stable id: the file, the operator and the changed line before and after
        (not its number, so the id survives edits elsewhere in the file), plus the
        occurrence of that same change in the file."""
        return f"{self.path}:{self.operator}:{self._digest(text)}"

    def _digest(self, text: str) -> str:
        lo = text.rfind("\n", 0, self.start) + 1
        hi = text.find("\n", self.end)
        hi = len(text) if hi < 0 else hi
        before = " ".join(text[lo:hi].split())
        new = self.apply(text)
        new_hi = new.find("\n", self.start + len(self.replacement))
        after = " ".join(new[lo:len(new) if new_hi < 0 else new_hi].split())
        return hashlib.sha256(f"{before}\0{after}\0{self.start - lo}".encode()).hexdigest()[:10]

    def diff(self, text: str) -> str:
        a = text.splitlines(keepends=True)
        b = self.apply(text).splitlines(keepends=True)
        lines = difflib.unified_diff(a, b, f"a/{self.path}", f"b/{self.path}", n=1)
        return "".join(lines)


def offsets(text: str) -> list[int]:
    """The character offset of the start of each line (index 0 = line 1)."""
    out = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            out.append(i + 1)
    return out
