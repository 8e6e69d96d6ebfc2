"""Planning a run: where each input's output goes (a file, a mirrored tree, stdout, or nowhere for a dry run),
refusing plans that would overwrite an input, write two inputs to one place, or put a corpus in a file of
another format. One planner serves one file and many."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cleaner.batch.tasks import WorkerConfig
from cleaner.errors import CleanerError
from cleaner.io.atomic import write_problem
from cleaner.io.registry import FORMATS, corpus_format
from cleaner.io.resumable import Checkpoint, read_checkpoint
from cleaner.io.walk import InputFile
from cleaner.rules import Ruleset

__all__ = [
    "PART_BYTES",
    "Job",
    "Plan",
    "check_outputs",
    "log_part",
    "mirror_path",
    "part_path",
    "plan_outputs",
    "plan_parts",
    "total_bytes",
]

#: ``--parts``: bytes of a corpus file per slice, and so per part, unless ``--part-size`` says otherwise (the same
#: whatever the number of workers, so that the parts are too)
PART_BYTES = 64 << 20


@dataclass(frozen=True)
class Job:
    """One input and where its output goes (None: stdout, or nowhere in a dry run)."""

    item: InputFile
    target: Path | None
    #: the output is already there (``--resume``): the input is cleaned again only for the removal log, whose
    #: entries for it would otherwise be lost, and nothing is written
    done: bool = False
    #: how far an earlier run that was killed got with this corpus output (``--resume``): it goes on from there
    resume: Checkpoint | None = None


@dataclass(frozen=True)
class Plan:
    """A whole run: the jobs, how workers clean, and where the outputs, log and errors go."""

    jobs: list[Job]
    config: WorkerConfig
    workers: int = 1
    #: False for a dry run (``--stats``): nothing but the report, log and errors is written
    write: bool = True
    log: Path | None = None
    errors: Path | None = None
    fail_fast: bool = False
    #: stdin's bytes, for the input ``-``
    stdin: bytes | None = None
    #: outputs skipped by ``--resume`` because they already exist
    skipped: int = 0
    #: the rules, already loaded (None: each worker loads them from ``config``)
    ruleset: Ruleset | None = None
    #: corpus files are cut in slices that the workers read for themselves (the Dask engine; see
    #: :class:`~cleaner.io.format.Slice`), rather than read here and sent to them in batches
    sliced: bool = False
    #: ``-o`` is a folder of parts, one per slice (``--parts``); so are the log and the errors file
    parts: bool = False
    #: bytes of a corpus file per slice (None: :data:`PART_BYTES` for parts, else the corpora shared out among
    #: the workers)
    slice_bytes: int | None = None


def mirror_path(item: InputFile, output_dir: Path, *, nest: bool) -> Path:
    """Where ``item``'s output goes below ``output_dir``: its path relative to its input folder (named as its
    format names outputs), under that folder's own name when ``nest`` (several inputs share one output folder)."""
    relative = FORMATS[item.format].output_name(item.relative)
    if nest and item.root.is_dir():
        return output_dir / item.root.resolve().name / relative
    return output_dir / relative


def plan_outputs(
    files: Sequence[InputFile],
    output: Path | None,
    *,
    to_dir: bool,
    nest: bool,
    resume: bool = False,
    relog: bool = False,
    dry_run: bool = False,
) -> tuple[list[Job], int]:
    """Pair each input with its output path; returns the jobs and how many were skipped by ``resume`` (kept as
    ``done`` jobs with ``relog``, so that a removal log still covers every input). With ``resume``, a corpus
    output that a killed run left half-written goes on from its checkpoint.

    Raises :class:`CleanerError` for an input whose format this machine cannot read (a missing optional
    package), an output that would overwrite an input, two inputs with one output, or a
    corpus written to a file of another format (or to stdout, for a format that cannot stream).
    """
    _check_readable(files)
    if dry_run:
        return [Job(item, None) for item in files], 0
    jobs: list[Job] = []
    seen: dict[str, InputFile] = {}
    inputs = {os.path.realpath(item.path) for item in files if not item.is_stdin}
    skipped = 0
    for item in files:
        corpus = corpus_format(item.format)
        if output is None:
            if corpus is not None and not corpus.streams:
                raise CleanerError(f"{item.path}: a {corpus.title} corpus cannot go to stdout; give an output with -o")
            jobs.append(Job(item, None))
            continue
        target = mirror_path(item, output, nest=nest) if to_dir else output
        problem = corpus.target_problem(target) if corpus is not None and not to_dir else None
        if problem is not None:
            raise CleanerError(f"-o {target}: {problem}")
        real = os.path.realpath(target)
        if real in inputs:
            raise CleanerError(f"-o {target}: would overwrite the input {real}; choose another output path")
        if real in seen:
            raise CleanerError(f"-o {output}: {seen[real].path} and {item.path} would both be written to {target}")
        seen[real] = item
        if resume and target.is_file():
            skipped += 1
            if relog:
                jobs.append(Job(item, target, done=True))
            continue
        checkpoint = read_checkpoint(target, item.path) if resume and corpus is not None else None
        jobs.append(Job(item, target, resume=checkpoint))
    return jobs, skipped


def _check_readable(files: Sequence[InputFile]) -> None:
    """A :class:`CleanerError` naming an input whose format this machine cannot read (a missing optional
    package), and what to install."""
    for fmt in dict.fromkeys(FORMATS[item.format] for item in files):
        lacking = fmt.missing()
        if lacking is not None:
            example = next(item.path for item in files if item.format == fmt.name)
            raise CleanerError(f"{example}: {lacking}")


def plan_parts(files: Sequence[InputFile], output: Path, folders: Sequence[tuple[str, Path]]) -> list[Job]:
    """The jobs of a ``--parts`` run, all written to the folder ``output``: every input must be a corpus file
    this machine can read, and ``output`` and the other ``(option, folder)`` s (the log's and the errors') must
    hold no parts yet (a run's parts are its own, and go if it stops). Raises :class:`CleanerError` otherwise."""
    for item in files:
        if item.is_stdin:
            raise CleanerError("--parts cuts corpus files in slices, and stdin cannot be: save it to a file first")
        corpus = corpus_format(item.format)
        if corpus is None:
            raise CleanerError(
                f"{item.path}: --parts writes corpora (JSON Lines, Parquet) as parts, and this is a {item.format} "
                "file; clean it in a run without --parts"
            )
        if not corpus.sliceable:
            raise CleanerError(f"{item.path}: a {corpus.title} corpus cannot be cut in parts; leave out --parts")
    _check_readable(files)
    for option, folder in (("-o", output), *folders):
        if folder.is_dir() and any(folder.glob("part-*")):
            raise CleanerError(
                f"{option} {folder}: holds parts of an earlier run; remove them, or choose another folder"
            )
    return [Job(item, output) for item in files]


def part_path(folder: Path, number: int, item: InputFile) -> Path:
    """Where part ``number`` of a ``--parts`` run goes: ``part-00000`` and the suffix of the input's name (the
    suffix its format gives the output, for a name that has none of them)."""
    fmt = FORMATS[item.format]
    name = item.path.name.lower()
    plain = next((s for s in fmt.suffixes if not s.endswith(".gz")), fmt.suffixes[0])
    suffix = next((s for s in fmt.suffixes if name.endswith(s)), plain)
    return folder / f"part-{number:05d}{suffix}"


def log_part(folder: Path, number: int) -> Path:
    """Where part ``number`` of a ``--parts`` run's log or errors goes (JSON Lines whatever the input)."""
    return folder / f"part-{number:05d}.jsonl"


def check_outputs(files: Sequence[InputFile], outputs: Sequence[tuple[str, Path, bool]]) -> None:
    """Check, before any work, that every output can be written: ``(option, path, is_folder)`` for each of -o,
    --log and --errors that was given. Raises :class:`CleanerError` naming the option and the path when one is
    a folder where a file must go (or the reverse), lies below a file, cannot be created, is an input, or is
    named twice."""
    inputs = {os.path.realpath(item.path) for item in files if not item.is_stdin}
    seen: dict[str, str] = {}
    for option, path, folder in outputs:
        problem = write_problem(path, folder=folder)
        if problem is not None:
            raise CleanerError(f"{option} {path}: {problem}")
        real = os.path.realpath(path)
        if not folder and real in inputs:
            raise CleanerError(f"{option} {path}: would overwrite the input {real}; choose another path")
        if real in seen:
            raise CleanerError(f"{option} {path}: {seen[real]} writes there too; choose another path")
        seen[real] = option


def total_bytes(plan: Plan) -> int:
    """Bytes of input on disk (the progress bar's total)."""
    total = 0
    for job in plan.jobs:
        with contextlib.suppress(OSError):
            total += len(plan.stdin or b"") if job.item.is_stdin else job.item.path.stat().st_size
    return total
