"""Files and folders of runs: atomic writing, run-folder names, config hashes and the state of a run folder.

Every output of every command is written with :func:`atomic_write`: under a
temporary name beside its target, then renamed into place, so a reader never
sees half a file and a killed command leaves only ``.*.partial`` files, which
:func:`clear_partial` removes.

A run folder is complete when its ``summary.json`` (written last) and its
tables exist; the summary records :func:`config_hash` of the run's resolved
config, so :func:`completed_summary` tells a finished run of the same config
(skip it) from one that must be (re)run. The runs of a sweep are named by
their overrides (:func:`run_dir_name`, :func:`job_dirname`) and the sweep by
its definition (:func:`sweep_id`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SUMMARY_FILE = "summary.json"
TABLES = ("timeseries", "by_occupation", "by_stage", "by_sector")
UNHASHED_KEYS = ("progress",)  # keys that change no output
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.,=+\-]+$")
_MAX_NAME = 150


# --------------------------------------------------------------------------- writing
def current_umask() -> int:
    """The process's file-creation mask (read without changing it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | Path, write: Callable[[str], Any]) -> None:
    """Write a file atomically: ``write(tmp)`` fills a temporary file beside ``path``, which is then renamed to ``path``.

    The file gets the permissions of a plain new file (``0o666`` minus the
    umask). If ``write`` raises (or the process is interrupted), the temporary
    file is removed and ``path`` is left as it was.

    Args:
        path: the file to write; its folder must exist.
        write: called with the temporary file's name; writes the whole content there.

    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~current_umask())  # the permissions of a plain new file, not mkstemp's private 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def os_error(err: BaseException | None) -> OSError | None:
    """The operating-system error behind ``err`` (itself, or one it was raised from or while handling), if any."""
    while err is not None and not isinstance(err, OSError):
        err = err.__cause__ or err.__context__
    return err


def writable_problem(path: str | Path, folder: bool = False) -> str | None:
    """Why ``path`` (a file, or with ``folder`` a folder that may not exist yet) cannot be written, or None.

    Checked by creating and removing a temporary file where the output will go (permission bits alone
    say nothing to root or about a read-only mount), so a long job never finds out at its end.
    """
    path = Path(path)
    if folder:
        if path.exists() and not path.is_dir():
            return f"cannot write into {path}: it exists and is not a folder"
        target = path
        while not target.exists():  # the nearest existing ancestor must take the folders to create
            target = target.parent
    else:
        if path.is_dir():
            return f"{path} is a folder; give a file name"
        if path.is_symlink():
            return f"{path} is a symbolic link; laborshift does not write through links"
        target = path.parent
        if not target.is_dir():
            return f"the folder {target} does not exist"
    try:
        fd, probe = tempfile.mkstemp(dir=target, prefix=".laborshift-probe-")
    except OSError as err:
        return f"cannot write into {target}: {err.strerror or err}"
    os.close(fd)
    os.unlink(probe)
    return None


# --------------------------------------------------------------------------- identities
def config_hash(cfg: Any) -> str:
    """Hash of a resolved run config (a mapping or an OmegaConf node); keys that change no output are left out."""
    from omegaconf import DictConfig, OmegaConf

    plain = OmegaConf.to_container(cfg, resolve=True) if isinstance(cfg, DictConfig) else dict(cfg)
    for key in UNHASHED_KEYS:
        plain.pop(key, None)
    blob = json.dumps(plain, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def run_dir_name(override_dirname: str) -> str:
    """Folder name of one run of a sweep: its sorted overrides, or a hash of them when that name is long or unsafe."""
    if not override_dirname:
        return "defaults"
    if len(override_dirname) <= _MAX_NAME and _SAFE_NAME.match(override_dirname):
        return override_dirname
    return "run-" + hashlib.sha256(override_dirname.encode()).hexdigest()[:12]


def job_dirname(job_overrides: Sequence[str]) -> str:
    """The folder name Hydra gives a job with these overrides (``hydra.job.override_dirname``, then :func:`run_dir_name`)."""
    return run_dir_name(",".join(sorted(job_overrides)))


def sweep_id(overrides: Sequence[str]) -> str:
    """A short stable name for a sweep definition (its task overrides, in order), used as the default sweep folder."""
    return "sweep-" + hashlib.sha256("\n".join(overrides).encode()).hexdigest()[:10]


# --------------------------------------------------------------------------- the state of a run folder
def readable_table(path: Path) -> bool:
    """Whether ``path`` is a Parquet file whose footer can be read (a truncated or corrupt file cannot)."""
    import pyarrow.parquet as pq

    try:
        pq.read_metadata(path)
    except Exception:  # a missing file, a truncated footer, not Parquet at all: pyarrow's errors differ by version
        return False
    return True


def completed_summary(out_dir: str | Path, cfg_hash: str) -> dict | None:
    """The summary of a complete run of this config in ``out_dir``, or ``None`` when it must be (re)run.

    Complete means: ``summary.json`` is a JSON object carrying this config's hash, and every table is a readable
    Parquet file. Anything else (a truncated table, a summary that is not an object) is redone.
    """
    path = Path(out_dir) / SUMMARY_FILE
    try:
        summary = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(summary, dict) or summary.get("config_hash") != cfg_hash:
        return None
    if not all(readable_table(Path(out_dir) / f"{t}.parquet") for t in TABLES):
        return None
    return summary


LOCK_FILE = ".laborshift.lock"
_HELD: dict[Path, int] = {}  # folders this process holds the lock of, and how many times (the lock is re-entrant)


class FolderError(RuntimeError):
    """A run folder that cannot be written safely: a user error, reported in one line."""


class OutputWriteError(FolderError):
    """The outputs of a finished run could not be written (a full disk, a folder that went away)."""


class FolderBusy(FolderError):
    """Another process holds the lock of a run folder."""

    def __init__(self, folder: Path, holder: str):
        self.folder, self.holder = folder, holder
        super().__init__(f"{folder} is being written by another laborshift process ({holder}); wait for it to finish, "
                         "or write elsewhere (hydra.run.dir=...)")


@contextmanager
def folder_lock(out_dir: str | Path):
    """Hold an exclusive lock on a run folder while writing it (an OS file lock: released when the process dies).

    Raises :class:`FolderBusy` at once if another process holds it. Within one process the lock is re-entrant
    (the console script takes it before Hydra writes into the folder, the run takes it again). The lock file
    stays; it records the holder's pid for the message.
    """
    import fcntl

    out = Path(out_dir)
    if out.is_symlink() or (out / LOCK_FILE).is_symlink():
        raise FolderError(f"{out} is a symbolic link (or holds one as its lock file); laborshift does not write or clean "
                          "through links: give the real folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666 & ~current_umask())
    except OSError as err:
        raise FolderError(f"cannot write into {out}: {err.strerror or err}") from None
    key = out.resolve()
    if key in _HELD:
        os.close(fd)
        _HELD[key] += 1
        try:
            yield out
        finally:
            _HELD[key] -= 1
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "pid unknown"
            raise FolderBusy(out, holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        _HELD[key] = 1
        yield out
    finally:
        _HELD.pop(key, None)
        os.close(fd)  # closing the descriptor releases the lock


def clear_partial(out_dir: str | Path) -> None:
    """Remove what an interrupted run left: temporary files and a summary from another config."""
    out = Path(out_dir)
    for p in out.glob(".*.partial"):
        p.unlink(missing_ok=True)
    (out / SUMMARY_FILE).unlink(missing_ok=True)


__all__ = ["LOCK_FILE", "SUMMARY_FILE", "TABLES", "UNHASHED_KEYS", "FolderBusy", "FolderError", "OutputWriteError", "atomic_write", "os_error", "writable_problem", "clear_partial", "completed_summary",
           "config_hash", "current_umask", "folder_lock", "job_dirname", "readable_table", "run_dir_name", "sweep_id"]
