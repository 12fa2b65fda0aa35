"""Safe file writes: every file partnermap writes goes through `write_atomic`.

What a write guarantees (README "What a write guarantees"):

- atomic: the data goes to a temp file beside the target (``.<name>.<pid>.<random>.tmp``),
  is flushed and fsynced, then renamed over the target, so a reader sees the old file
  or the new one, never half of one (also on a full disk: the old file stays);
- never through a symlink: partnermap creates no symlinks, so a symlink at the target
  is refused (replacing it would silently detach the real file; writing through it
  would overwrite a file the user did not name);
- a read-only target (no write permission for this user, or no write bit at all,
  which protects it from root too) is refused, not replaced;
- the new file gets the mode the old one had, or ``0666 & ~umask`` when new;
- a temp file left by a writer that died (kill -9, power cut) is removed by the next
  write to the same target (its pid is in its name and no longer runs);
- every failure is one `OutputError` sentence (exit 2).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError

#: A writer gets the temp path and writes the whole file there (openpyxl, Chromium...).
Writer = Callable[[Path], None]


def current_umask() -> int:
    """The process umask, read without changing it where the OS allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # POSIX has no read-only call: set and restore at once
    os.umask(mask)
    return mask


def temp_name(path: Path) -> Path:
    """A fresh temp path beside ``path`` that names this process (for stale cleanup)."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    except OSError:
        return False
    return True


def stale_temps(path: Path, *, all_of_them: bool = False) -> list[Path]:
    """Temp files of earlier writes to ``path`` whose writer is gone.

    With ``all_of_them`` (the caller holds the target's lock, so no other writer is
    live) every temp file of ``path`` counts, including unnamed-pid ones of older
    versions (``.<name>.<random>.tmp``).
    """
    prefix = f".{path.name}."
    out = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            name = entry.name
            if not (name.startswith(prefix) and name.endswith(".tmp")):
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
            middle = name[len(prefix) : -len(".tmp")].split(".")
            pid = int(middle[0]) if len(middle) == 2 and middle[0].isdigit() else None
            if all_of_them or (pid is not None and pid != os.getpid() and not _pid_alive(pid)):
                out.append(Path(entry.path))
    return out


def remove_stale_temps(path: Path, *, all_of_them: bool = False) -> int:
    """Remove `stale_temps` of ``path``; returns how many went."""
    n = 0
    for tmp in stale_temps(path, all_of_them=all_of_them):
        with contextlib.suppress(OSError):
            tmp.unlink()
            n += 1
    return n


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device (the previous file, if any, is unchanged)"
    if exc.errno == errno.EDQUOT:
        return "disk quota exceeded (the previous file, if any, is unchanged)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied (is the folder read-only?)"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if exc.errno == errno.EEXIST:
        return "a file is in the way where a folder is needed"
    return exc.strerror or type(exc).__name__


def check_target(path: Path, *, what: str = "file") -> None:
    """Refuse a target partnermap must not replace: a symlink, a folder, a read-only file."""
    if path.is_symlink():
        raise OutputError(
            f"{path} is a symbolic link; partnermap does not write through links it did not "
            f"create: give the real path of the {what}"
        )
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name for the {what}")
    if path.exists() and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222):
        # (root may write anything: a file with no write bit at all is still protected)
        raise OutputError(
            f"{path} is read-only; partnermap will not replace it (make it writable, or write elsewhere)"
        )


def ensure_folder(folder: Path) -> None:
    """Create ``folder`` (and parents) with one `OutputError` sentence when it cannot be."""
    if folder.is_symlink() and not folder.is_dir():
        raise OutputError(f"{folder} is a broken symbolic link, not a folder")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"cannot write into {folder}: it is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create folder {folder}: {_reason(exc)}") from None


def write_atomic(path: Path | str, data: str | bytes | Writer, *, what: str = "file") -> Path:
    """Write ``data`` (text, bytes, or a `Writer` given the temp path) to ``path`` atomically.

    See the module docstring for what is guaranteed. Returns ``path``.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> write_atomic(d / "a.txt", "hello\\n").read_text()
    'hello\\n'
    """
    path = Path(path)
    check_target(path, what=what)
    ensure_folder(path.parent)
    remove_stale_temps(path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o666 & ~current_umask()
    tmp = temp_name(path)
    try:
        if callable(data):
            data(tmp)
            if not tmp.is_file():
                raise OutputError(f"cannot write {_named(what)}{path}: nothing was produced")
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        else:
            raw = data.encode("utf-8") if isinstance(data, str) else data
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        check_target(path, what=what)  # still not a link or read-only (raced)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputError(f"cannot write {_named(what)}{path}: {_reason(exc)}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)
    return path


def _named(what: str) -> str:
    return "" if what == "file" else f"{what} "


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
