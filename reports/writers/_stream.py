"""Writing a large report as it is made: text chunks buffered into ~64 KB writes, into a temporary file renamed
over `path` at the end (a failed write leaves the previous report, never half a new one)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

BUFFER_CHARS = 1 << 16


def write_chunks(path: str | Path, chunks: Iterable[str]) -> Path:
    """Write the concatenation of `chunks` to `path` as UTF-8 ("\\n" line ends, as written); returns the path."""
    path = Path(path)
    part = path.with_name(path.name + ".part")
    try:
        with open(part, "w", encoding="utf-8", newline="\n") as out:
            buf: list[str] = []
            size = 0
            for chunk in chunks:
                buf.append(chunk)
                size += len(chunk)
                if size >= BUFFER_CHARS:
                    out.write("".join(buf))
                    buf, size = [], 0
            out.write("".join(buf))
        os.replace(part, path)
    except BaseException:
        try:
            os.unlink(part)
        except OSError:
            pass
        raise
    return path
