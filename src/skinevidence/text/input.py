"""Reading user text (marketing copy, labels, articles) safely: size, encoding and binary checks with clear errors.

Every refusal is an :class:`InputError` that names the problem; nothing here raises anything else for bad input.
"""

from __future__ import annotations

import os
import stat
import sys
from io import BufferedReader
from pathlib import Path

from skinevidence.errors import InputError

MAX_INPUT_BYTES = 10 * 1024 * 1024  # one article, label or product page; catalogues go through batch screening
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(data: bytes, name: str = "input", limit: int = MAX_INPUT_BYTES) -> str:
    """Bytes to text: UTF-8 (or UTF-16 with a byte-order mark); refuses empty, oversized and binary input."""
    if len(data) > limit:
        raise InputError(f"{name} is {len(data) / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB for one "
                         "text (split it, or screen a catalogue in batches)")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name} starts with a {codec} byte-order mark but is not valid {codec}") from exc
            break
    else:
        if b"\x00" in data[:65536]:
            raise InputError(f"{name} looks binary (it contains NUL bytes): give plain text, HTML or Markdown")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                             "save it as UTF-8 and try again") from None
    return check_text(text, name)


def check_text(text: str, name: str = "input") -> str:
    if not text.strip():
        raise InputError(f"{name} is empty: there is no text to check")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > 0.05 * min(len(text), 65536):
        raise InputError(f"{name} looks binary ({controls} control characters): give plain text, HTML or Markdown")
    return text


def open_input(path: Path) -> BufferedReader:
    """A user's regular file opened for binary reading, or an InputError that names the problem.

    Folders, named pipes (FIFOs), devices and sockets are refused before anything is read from them (a FIFO would
    block until a writer came; a device may never end). The file is opened without blocking and checked on the
    opened descriptor itself, so it cannot be swapped between the check and the read. No message quotes content."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except PermissionError:
        raise InputError(f"cannot read {path}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    try:
        kind = _not_a_file(os.fstat(handle).st_mode)
        if kind is not None:
            raise InputError(f"{path} is {kind}, not a regular file; give a file (or '-' and the text on standard "
                             "input)" if kind != "a folder" else f"{path} is a folder, not a file")
        os.set_blocking(handle, True)
        return os.fdopen(handle, "rb")
    except BaseException:
        os.close(handle)
        raise


def check_input(path: Path) -> None:
    """Raise the InputError that :func:`open_input` would, without keeping the file open (inputs are checked
    before any of them is read)."""
    open_input(Path(path)).close()


def _not_a_file(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def read_source(source: str | None, path: Path | None, limit: int = MAX_INPUT_BYTES) -> tuple[str, str]:
    """The text to check and its name, from an argument, a file, or standard input (when both are None or '-')."""
    if source is not None and path is not None:
        raise InputError("give either a text or --file, not both")
    if source is not None and source != "-":
        if len(source.encode("utf-8", "surrogatepass")) > limit:
            raise InputError(f"the text argument is larger than {limit / 1_048_576:.0f} MB")
        return check_text(source, "the text"), "text"
    if path is not None and str(path) != "-":
        with open_input(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise InputError(f"{path} is {size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB")
            data = handle.read(limit + 1)
        return decode(data, str(path), limit), str(path)
    if sys.stdin is None or sys.stdin.isatty():
        raise InputError("no text given: pass it as an argument, with --file, or on standard input")
    data = sys.stdin.buffer.read(limit + 1)
    return decode(data, "standard input", limit), "stdin"
