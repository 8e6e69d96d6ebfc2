"""The accuracy/speed frontier of a leaner heuristic model: the shipped tree models cut to their first K trees
per stage (a boosted model's first trees are a model of their own), each scored on the dev corpora in text mode
with every shipped pack. Prints a Markdown table: trees per stage, F1 on each corpus (shingle for AEB,
bag of words for WCXB-dev, as the accuracy tables do) and the CPU seconds of each ``cleaner eval`` run.

The thresholds stay as they are: a model of fewer trees that is shipped would have its thresholds tuned again,
so this frontier is a lower bound on what fewer trees can keep.

Run from the repo root, with the project's venv active::

    python benchmarks/frontier.py ../shared/data [--trees 150 100 75 50 25]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RULES = HERE.parent / "rules"
CORPORA = (("scrapinghub-aeb.jsonl.gz", "shingle"), ("wcxb-dev.jsonl.gz", "bow"))


def cut_models(folder: Path, trees: int) -> None:
    """Cut every model file in ``folder`` to its first ``trees`` trees per stage."""
    for path in folder.glob("*.model.json"):
        model = json.loads(path.read_text(encoding="utf-8"))
        for stage in model["stages"]:
            stage["trees"] = stage["trees"][:trees]
        model["about"] = f"{model.get('about', '')}; cut to the first {trees} trees per stage"
        path.write_text(json.dumps(model), encoding="utf-8")


def evaluate(corpus: Path, metric: str, rules: Path) -> tuple[float, float]:
    """F1 by ``metric`` and the CPU seconds of one ``cleaner eval`` run in text mode, one process."""
    command = [sys.executable, "-m", "cleaner", "eval", str(corpus), "--mode", "text", "-j", "1", "--json"]
    command += ["--no-config", "--no-default-rules", "--rules", str(rules)]
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    before = os.times()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    after = os.times()
    seconds = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return float(json.loads(done.stdout)["scores"][metric]["f1"]), seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the folder of the corpora (../shared/data)")
    parser.add_argument("--trees", type=int, nargs="+", default=[150, 100, 75, 50, 25], help="trees per stage")
    args = parser.parse_args()
    command = "python benchmarks/frontier.py " + " ".join(sys.argv[1:])
    print(f"Command `{command.strip()}`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n")
    head = " | ".join(f"{name.split('.')[0]} {metric} F1 | CPU s" for name, metric in CORPORA)
    print(f"| trees per stage | {head} |\n|---|" + "---|" * (2 * len(CORPORA)))
    for trees in args.trees:
        with tempfile.TemporaryDirectory(prefix="cleaner-frontier-") as tmp:
            rules = Path(tmp) / "rules"
            shutil.copytree(RULES, rules)
            cut_models(rules, trees)
            cells = []
            for name, metric in CORPORA:
                f1, seconds = evaluate(args.data / name, metric, rules)
                cells += [f"{f1:.5f}", f"{seconds:.1f}"]
                print(f"  {trees} trees, {name}: {f1:.5f} in {seconds:.1f} CPU s", file=sys.stderr, flush=True)
            print(f"| {trees} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
