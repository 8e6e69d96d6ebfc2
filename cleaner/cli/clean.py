"""``cleaner clean``: plan where each input's output goes, run the plan, and report.

One planner and one runner serve every case. The simplest case (one text file or stdin, and no option that only
batches have) reads like a filter: no progress bar, a failure is a user error, and the removals table is shown
only when the text went to a file.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from cleaner.batch import (
    Failure,
    Interrupted,
    Plan,
    Report,
    WorkerConfig,
    check_outputs,
    default_jobs,
    discard_parts,
    plan_outputs,
    plan_parts,
    run,
    total_bytes,
)
from cleaner.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USER_ERROR, disabled, load, read_options
from cleaner.errors import CleanerError, InputError
from cleaner.io.registry import detect_format
from cleaner.io.remote import Staging, is_url
from cleaner.io.walk import InputFile, walk
from cleaner.render.console import escape_markup, make_batch_progress, make_console
from cleaner.render.tables import batch_summary, tally_table
from cleaner.rules import Ruleset

if TYPE_CHECKING:  # Dask is an optional extra, imported only for --engine dask
    from cleaner.batch.cluster import Cluster

__all__ = ["run_clean"]

# options that only batches have; any of them (or a folder, HTML or a corpus) makes a run a batch (-j, --include
# and --exclude do not: a configuration file may set them for every run, and one file is one document anyway)
_BATCH_FLAGS = ("stats", "errors", "resume", "fail_fast", "keep_removed", "output_field")
# failures printed as they happen; the rest are counted, and all go to --errors
_LIVE_FAILURES = 20


@dataclass(frozen=True)
class _Inputs:
    """The files a command line names, stdin's bytes when it names ``-``, and where the outputs go."""

    files: list[InputFile]
    stdin: bytes | None
    output: Path | None
    to_dir: bool
    several: bool


def run_clean(args: argparse.Namespace) -> int:
    """Run ``cleaner clean``; returns the exit status. Inputs and outputs named by URLs are staged locally (see
    :mod:`cleaner.io.remote`)."""
    if args.scheduler and args.engine != "dask":
        raise CleanerError("--scheduler names a Dask scheduler: it goes with --engine dask")
    if args.parts:
        _check_parts(args)
    ruleset = load(args)  # a bad rule file is a user error before any work starts, or anything is copied
    if not any(is_url(name) for name in [*args.inputs, args.output, args.log, args.errors]):
        return _run_clean(args, ruleset, None)
    if args.resume:
        raise CleanerError("--resume goes on from local outputs only, not from URLs")
    staging = Staging(Path(tempfile.mkdtemp(prefix="cleaner-staging-")))
    try:
        for option, url in (("-o", args.output), ("--log", args.log), ("--errors", args.errors)):
            if args.parts and is_url(url) and staging.holds_parts(url):
                raise CleanerError(
                    f"{option} {url}: holds parts of an earlier run; remove them, or choose another folder"
                )
        local = argparse.Namespace(**vars(args))
        local.inputs = [str(staging.fetch(name)) if is_url(name) else name for name in args.inputs]
        folder = len(args.inputs) > 1 or any(Path(name).is_dir() for name in local.inputs)
        if is_url(args.output):
            folder = folder or args.parts or args.output.endswith("/")
            local.output = str(staging.output(args.output, folder=folder))
        for key in ("log", "errors"):
            if is_url(getattr(args, key)):
                setattr(local, key, str(staging.output(getattr(args, key), folder=args.parts)))
        status = _run_clean(local, ruleset, staging)
        staging.publish()
        return status
    finally:
        staging.close()


def _run_clean(args: argparse.Namespace, ruleset: Ruleset, staging: Staging | None) -> int:
    err = make_console(stderr=True, color=args.color)
    filter_like = not _is_batch(args)
    plan = _plan(args, ruleset, staging)
    try:
        report = _execute(plan, args, progress=not filter_like)
    except Interrupted as stop:
        if not filter_like and not args.quiet:  # what was done before the stop, none of it kept
            done, seconds = stop.report.tally.documents, stop.report.elapsed
            err.print(
                f"{done:,} document(s) cleaned in {seconds:.1f} s before the stop; no partial output was kept "
                "(--resume goes on from the outputs already written)"
            )
        raise
    if filter_like:
        if report.failures:
            # one document and it could not be cleaned: the user's input is the problem
            err.print(f"[cleaner.error]error:[/] {escape_markup(str(report.failures[0]))}")
            return EXIT_USER_ERROR
        if not args.quiet and (args.output or args.log):
            err.print(tally_table(report.tally, title="Removals"))
        return EXIT_OK
    if args.stats:
        make_console(color=args.color).print(tally_table(report.tally))
    if not args.quiet:
        err.print(batch_summary(report, errors_file=args.errors, rules=not args.stats))
    elif report.failure_count:
        err.print(f"[cleaner.error]{report.failure_count} document(s) failed[/]")
    return EXIT_PROBLEMS if report.failure_count or report.stopped else EXIT_OK


def _plan(args: argparse.Namespace, ruleset: Ruleset, staging: Staging | None) -> Plan:
    """The run a command line asks for; a :class:`CleanerError` for one that cannot be run, before any work."""
    inputs = _inputs(args, staging)
    # every output is checked before any work: a run never stops half-way on an output it cannot write
    outputs = [("-o", inputs.output, inputs.to_dir)] if inputs.output is not None and not args.stats else []
    outputs += [
        (option, Path(name), False) for option, name in (("--log", args.log), ("--errors", args.errors)) if name
    ]
    if args.parts:  # -o, --log and --errors are folders of parts
        assert inputs.output is not None
        outputs = [(option, path, True) for option, path, _ in outputs]
        check_outputs(inputs.files, outputs)
        jobs, skipped = plan_parts(inputs.files, inputs.output, [(o, p) for o, p, _ in outputs[1:]]), 0
    else:
        check_outputs(inputs.files, outputs)
        jobs, skipped = plan_outputs(
            inputs.files,
            inputs.output,
            to_dir=inputs.to_dir,
            nest=inputs.several,
            resume=args.resume,
            relog=bool(args.log),
            dry_run=args.stats,
        )
    return Plan(
        jobs=jobs,
        config=_worker_config(args),
        workers=args.jobs or default_jobs(),
        write=not args.stats,
        log=Path(args.log) if args.log else None,
        errors=Path(args.errors) if args.errors else None,
        fail_fast=_fail_fast(args),
        stdin=inputs.stdin,
        skipped=skipped,
        ruleset=ruleset,
        # a cluster's workers read corpus files for themselves, unless they were copied here from URLs and the
        # cluster is another machine's
        sliced=args.engine == "dask" and not (staging is not None and staging.names and args.scheduler),
        parts=args.parts,
        slice_bytes=args.part_size,
    )


def _check_parts(args: argparse.Namespace) -> None:
    """``--parts`` goes with a folder given by ``-o``, and with a run that writes and starts afresh."""
    if not args.output:
        raise CleanerError("--parts writes a folder of parts: name it with -o DIR")
    if args.stats:
        raise CleanerError("--parts writes parts, and --stats writes no output: leave one out")
    if args.resume:
        raise CleanerError("--parts starts afresh (the parts of a run that stops are removed): leave out --resume")
    if not is_url(args.output) and Path(args.output).is_file():
        raise CleanerError(f"-o {args.output}: --parts writes a folder of parts, and this is a file")


def _is_batch(args: argparse.Namespace) -> bool:
    """True unless this is the simplest case: one text file (or stdin) and no batch option."""
    if len(args.inputs) != 1 or args.content in ("html", "auto"):
        return True
    if any(getattr(args, name) for name in _BATCH_FLAGS):
        return True
    name = args.inputs[0]
    return name != "-" and (Path(name).is_dir() or detect_format(name) != "text")


def _inputs(args: argparse.Namespace, staging: Staging | None) -> _Inputs:
    """The input files (folders walked; a staged copy named by its URL), stdin's bytes, and where the outputs
    go."""
    paths = [Path(name) for name in args.inputs]
    for path in paths:
        if str(path) != "-" and not path.exists():
            raise InputError(str(path), "no such file or directory")
    if sum(1 for path in paths if str(path) == "-") > 1:
        raise CleanerError("'-' (stdin) can be given only once")
    output = Path(args.output) if args.output else None
    several = len(paths) > 1
    to_dir = output is not None and (
        several or any(p.is_dir() for p in paths) or output.is_dir() or args.output.endswith(("/", os.sep))
    )
    if output is not None and to_dir and output.exists() and not output.is_dir():
        raise CleanerError(f"-o {output}: several inputs or a folder need an output folder, and this is a file")
    skip = [output] if to_dir and output is not None else []
    named = [p for p in paths if str(p) != "-"]
    found = walk(named, include=args.include, exclude=args.exclude, content=args.content, skip_dirs=skip)
    files = list(found.files)
    if staging is not None:
        files = [dataclasses.replace(f, name=staging.source(f.path)) for f in files]
    stdin = None
    if any(str(p) == "-" for p in paths):
        stdin = sys.stdin.buffer.read()
        stdin_item = InputFile(Path("-"), detect_format("-", args.content), PurePosixPath("stdin.txt"), Path("-"))
        files.insert([str(p) for p in paths].index("-"), stdin_item)
    if found.skipped and not args.quiet:
        example = found.skipped[0]
        make_console(stderr=True, color=args.color).print(
            f"[cleaner.warning]warning:[/] passed over {len(found.skipped)} file(s) of unknown type in the input "
            f"folders (e.g. {escape_markup(str(example))}); take them with --include GLOB"
        )
    if not files:
        raise CleanerError(
            "no input files found (folders are searched for .txt, .html, .jsonl, .parquet ...; see --include)"
        )
    return _Inputs(files, stdin, output, to_dir, several)


def _worker_config(args: argparse.Namespace) -> WorkerConfig:
    return WorkerConfig(
        rule_paths=tuple(str(p) for p in args.rules),
        defaults=not args.no_default_rules,
        disable=tuple(disabled(args)),
        timeout=args.regex_timeout,
        read=read_options(args),
        output_field=args.output_field,
        keep_removed=args.keep_removed,
        want_log=bool(args.log),
        log_path=str(args.log) if args.log else None,
        fail_fast=_fail_fast(args),
        keep_failed=args.on_error == "keep",
        max_removed_share=args.max_removed_share,
        over_removal=args.over_removal,
    )


def _fail_fast(args: argparse.Namespace) -> bool:
    return bool(args.fail_fast) or args.on_error == "fail"


def _execute(plan: Plan, args: argparse.Namespace, *, progress: bool) -> Report:
    """Run the plan, printing failures and warnings as they come, with a progress bar on a terminal."""
    console = make_console(stderr=True, color=args.color)
    live = 0

    def on_failure(failure: Failure) -> None:
        nonlocal live
        live += 1
        if progress and live <= _LIVE_FAILURES:
            console.print(f"[cleaner.error]error:[/] {escape_markup(str(failure))}")

    def on_warning(message: str) -> None:
        if not args.quiet:
            console.print(f"[cleaner.warning]warning:[/] {escape_markup(message)}")

    # a terminated run (SIGTERM) cleans up like Ctrl-C: no partial output is left behind
    previous = signal.signal(signal.SIGTERM, _interrupt)
    stdout = sys.stdout.buffer if not args.stats else None
    cluster = _cluster(args, plan.workers)
    if cluster is not None and cluster.dashboard and not args.quiet:
        console.print(f"Dask dashboard: {escape_markup(cluster.dashboard)}")
    try:
        if not (progress and console.is_terminal and not args.quiet):
            return run(plan, stdout=stdout, on_failure=on_failure, on_warning=on_warning, cluster=cluster)
        bar = make_batch_progress(console)
        with bar:
            task = bar.add_task("cleaning", total=total_bytes(plan) or None, docs=0)

            def advance(docs: int, size: int) -> None:
                bar.update(task, completed=size, docs=docs)

            report = run(
                plan, stdout=stdout, progress=advance, on_failure=on_failure, on_warning=on_warning, cluster=cluster
            )
            bar.update(task, completed=bar.tasks[0].total or 0)
        return report
    except BaseException:
        if cluster is not None:  # a task still running when the run stopped may have written a part since
            cluster.close()
            cluster = None
            discard_parts(plan)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
        if cluster is not None:
            cluster.close()


def _cluster(args: argparse.Namespace, workers: int) -> Cluster | None:
    """The Dask cluster of ``--engine dask`` (None for the local engine)."""
    if args.engine != "dask":
        return None
    try:
        from cleaner.batch.cluster import Cluster
    except ImportError:
        raise CleanerError("--engine dask needs Dask: pip install 'cleaner[dask]'") from None
    return Cluster.connect(args.scheduler, workers)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
