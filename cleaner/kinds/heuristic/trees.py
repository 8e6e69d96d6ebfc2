"""Gradient-boosted decision trees stored as data, for the ``heuristic`` rule kind's ``model`` option.

A model file is JSON (``benchmarks/train_heuristic.py`` writes it)::

    {"format": "cleaner-trees/1",
     "about": "how it was trained",
     "stages": [{"features": ["words", "stopwords", ...], "base": -0.4,
                 "trees": [[[0, 1.5, 1, 2, 0.1], [0.3], [-0.2]], ...]}, ...]}

Each tree is a list of nodes, the root first. A split is ``[feature, threshold, left, right, value]``: go to
``left`` when the feature's value is at most ``threshold``, else to ``right`` (indices into the same list, always
after the split itself). A leaf is ``[value]``. A stage's margin (log-odds) is ``base`` plus one leaf value per
tree. Every node carries a value (a split's is the mean of the leaves below it, weighted by training lines), so a
prediction can be explained: each split on the way to the leaf moves the margin by the difference between the
child's and the node's value, and that move is credited to the split's feature (Saabas's method). The credits of
one prediction add up to its margin minus the root values, so "which features weighed against this line" has an
exact answer.

Pure: the heuristic kind reads the file (through the rule-file loader) and hands its text to :func:`parse_model`.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cleaner.errors import ModelError

__all__ = ["FORMAT", "Tree", "TreeModel", "TreeStage", "parse_model", "probability"]

FORMAT = "cleaner-trees/1"


@dataclass(frozen=True)
class Tree:
    """One tree as parallel columns, one entry per node; a leaf's feature is -1."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]


class TreeStage:
    """One stage: the features it reads (by name, in the order of its input vectors) and its trees.

    A stage of a model file the shipped packs were checked with (``rules/checked.json``) reads its trees from the
    file's nodes when they are first needed (``nodes``), not when the file is loaded: a one-line ``cleaner clean -``
    never scores a line, and reading 450 trees is a sixth of its time."""

    def __init__(
        self, features: tuple[str, ...], base: float, trees: tuple[Tree, ...] = (), *, nodes: Sequence[Any] = ()
    ) -> None:
        self.features = features
        self.base = base
        self._nodes = nodes
        if trees or not nodes:
            self.__dict__["trees"] = trees

    @functools.cached_property
    def trees(self) -> tuple[Tree, ...]:
        """The stage's trees."""
        width = len(self.features)
        return tuple(_tree(t, width, f"tree {n + 1}") for n, t in enumerate(self._nodes))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TreeStage):
            return NotImplemented
        return (self.features, self.base, self.trees) == (other.features, other.base, other.trees)

    def __hash__(self) -> int:
        return hash((self.features, self.base))

    def __reduce__(self) -> tuple[type[TreeStage], tuple[tuple[str, ...], float, tuple[Tree, ...]]]:
        # the compiled functions do not pickle (rules travel to worker processes): compile them there again
        return TreeStage, (self.features, self.base, self.trees)

    @functools.cached_property
    def _margin(self) -> Callable[[Sequence[float]], float]:
        return _compile_margin(self)

    @functools.cached_property
    def _credits(self) -> Callable[[Sequence[float], list[float]], None]:
        return _compile_credits(self)

    def margin(self, x: Sequence[float]) -> float:
        """The log-odds this stage gives an input vector."""
        return self._margin(x)

    def walk(self, x: Sequence[float]) -> float:
        """:meth:`margin` by walking the node arrays: the reference the compiled function must agree with."""
        z = self.base
        for tree in self.trees:
            feature, threshold, left, right = tree.feature, tree.threshold, tree.left, tree.right
            i = 0
            while (f := feature[i]) >= 0:
                i = left[i] if x[f] <= threshold[i] else right[i]
            z += tree.value[i]
        return z

    def credits(self, x: Sequence[float]) -> dict[str, float]:
        """How much each feature moved the margin of ``x`` away from the trees' root values (Saabas)."""
        moved = [0.0] * len(self.features)
        self._credits(x, moved)
        return {name: credit for name, credit in zip(self.features, moved, strict=True) if credit}

    def walk_credits(self, x: Sequence[float]) -> dict[str, float]:
        """:meth:`credits` by walking the node arrays: the reference the compiled function must agree with."""
        moved = [0.0] * len(self.features)
        for tree in self.trees:
            feature, threshold, left, right, value = tree.feature, tree.threshold, tree.left, tree.right, tree.value
            i = 0
            while (f := feature[i]) >= 0:
                child = left[i] if x[f] <= threshold[i] else right[i]
                moved[f] += value[child] - value[i]
                i = child
        return {name: credit for name, credit in zip(self.features, moved, strict=True) if credit}


@dataclass(frozen=True)
class TreeModel:
    """A chain of stages; what each stage's features mean is up to the caller (cleaner.kinds.heuristic)."""

    stages: tuple[TreeStage, ...]
    about: str = ""


#: deeper trees are refused: compiled, each level is one more nested conditional expression
MAX_DEPTH = 32


def _compile_margin(stage: TreeStage) -> Callable[[Sequence[float]], float]:
    """The stage's margin as one Python function: each tree becomes a nested conditional expression.

    This is several times faster than walking the node arrays, and scoring is most of the heuristic's time.
    The source holds nothing but numeric literals and ``x[i]`` look-ups: :func:`parse_model` has checked that
    every feature index is an int in range and every threshold and value a finite number (``repr`` of a
    finite float is a float literal that reads back exactly).
    """

    def expression(tree: Tree, i: int) -> str:
        if tree.feature[i] < 0:
            return repr(tree.value[i])
        left, right = expression(tree, tree.left[i]), expression(tree, tree.right[i])
        return f"({left} if x[{tree.feature[i]}] <= {tree.threshold[i]!r} else {right})"

    lines = ["def margin(x):", f"    z = {stage.base!r}"]
    lines += [f"    z += {expression(tree, 0)}" for tree in stage.trees]
    lines.append("    return z")
    function: Callable[[Sequence[float]], float] = _define("margin", lines)
    return function


def _compile_credits(stage: TreeStage) -> Callable[[Sequence[float], list[float]], None]:
    """The stage's credits as one Python function of nested ``if`` statements (see :func:`_compile_margin`)."""

    def statements(tree: Tree, i: int, indent: str) -> list[str]:
        if tree.feature[i] < 0:
            return []
        f, out = tree.feature[i], [f"{indent}if x[{tree.feature[i]}] <= {tree.threshold[i]!r}:"]
        for child, head in ((tree.left[i], None), (tree.right[i], f"{indent}else:")):
            if head:
                out.append(head)
            out.append(f"{indent}    moved[{f}] += {tree.value[child] - tree.value[i]!r}")
            out += statements(tree, child, indent + "    ")
        return out

    lines = ["def credits(x, moved):"]
    for tree in stage.trees:
        lines += statements(tree, 0, "    ")
    lines.append("    return None")
    function: Callable[[Sequence[float], list[float]], None] = _define("credits", lines)
    return function


def _define(name: str, lines: list[str]) -> Any:
    namespace: dict[str, Any] = {"__builtins__": {}}  # the function needs none
    exec(compile("\n".join(lines), f"<cleaner tree model: {name}>", "exec"), namespace)
    return namespace[name]


def probability(margin: float) -> float:
    """The logistic function, clamped so that it never overflows."""
    return 1.0 / (1.0 + math.exp(-max(min(margin, 50.0), -50.0)))


def parse_model(
    text: str, known: Sequence[frozenset[str]], *, required: int | None = None, checked: bool = False
) -> TreeModel:
    """Read and check a model file's text; stage ``i`` may only read the feature names in ``known[i]``.

    The model has ``len(known)`` stages, or between ``required`` and that many when ``required`` is given. The
    same text read again in a process gives the same (immutable) model, whose stages are compiled once. A text
    already ``checked`` (a shipped model file) has its trees read when they are first needed.
    """
    return _parse_model(text, tuple(known), required, checked)


@functools.lru_cache(maxsize=8)
def _parse_model(text: str, known: tuple[frozenset[str], ...], required: int | None, checked: bool) -> TreeModel:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelError(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise ModelError("must be a JSON object")
    if data.get("format") != FORMAT:
        raise ModelError(f"'format' must be '{FORMAT}', not {data.get('format')!r}")
    unknown = sorted(set(data) - {"format", "about", "stages"})
    if unknown:
        raise ModelError(f"unknown key '{unknown[0]}'")
    stages = data.get("stages")
    least = len(known) if required is None else required
    if not isinstance(stages, list) or not least <= len(stages) <= len(known):
        count = f"{len(known)}" if least == len(known) else f"{least} to {len(known)}"
        raise ModelError(f"'stages' must be a list of {count} stages")
    about = data.get("about", "")
    if not isinstance(about, str):
        raise ModelError("'about' must be a string")
    stages_read = tuple(_stage(s, k, i, checked) for i, (s, k) in enumerate(zip(stages, known, strict=False)))
    return TreeModel(stages_read, about)


def _stage(data: Any, known: frozenset[str], index: int, checked: bool) -> TreeStage:
    where = f"stage {index + 1}"
    if not isinstance(data, dict) or set(data) != {"features", "base", "trees"}:
        raise ModelError(f"{where}: must be an object with exactly 'features', 'base' and 'trees'")
    features = data["features"]
    if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
        raise ModelError(f"{where}: 'features' must be a list of names")
    for name in features:
        if name not in known:
            raise ModelError(f"{where}: unknown feature '{name}'")
    base = data["base"]
    if not _number(base):
        raise ModelError(f"{where}: 'base' must be a number")
    trees = data["trees"]
    if not isinstance(trees, list) or not trees:
        raise ModelError(f"{where}: 'trees' must be a non-empty list")
    if checked:
        return TreeStage(tuple(features), float(base), nodes=trees)
    return TreeStage(
        tuple(features),
        float(base),
        tuple(_tree(t, len(features), f"{where}, tree {n + 1}") for n, t in enumerate(trees)),
    )


def _tree(data: Any, width: int, where: str) -> Tree:
    if not isinstance(data, list) or not data:
        raise ModelError(f"{where}: must be a non-empty list of nodes")
    features: list[int] = []
    thresholds: list[float] = []
    lefts: list[int] = []
    rights: list[int] = []
    values: list[float] = []
    for k, node in enumerate(data):
        if type(node) is not list or len(node) not in (1, 5) or not all(map(_number, node)):
            raise ModelError(f"{where}, node {k}: must be [value] or [feature, threshold, left, right, value]")
        if len(node) == 5:
            feature, _, left, right, _ = node
            if not (isinstance(feature, int) and 0 <= feature < width):
                raise ModelError(f"{where}, node {k}: feature index {feature} is not one of the stage's features")
            # children always come after their parent, so every walk ends at a leaf
            for child in (left, right):
                if not (isinstance(child, int) and k < child < len(data)):
                    raise ModelError(f"{where}, node {k}: child index {child} must point to a later node")
            features.append(feature)
            thresholds.append(float(node[1]))
            lefts.append(left)
            rights.append(right)
        else:
            features.append(-1)
            thresholds.append(0.0)
            lefts.append(0)
            rights.append(0)
        values.append(float(node[-1]))
    tree = Tree(tuple(features), tuple(thresholds), tuple(lefts), tuple(rights), tuple(values))
    if _depth(tree) > MAX_DEPTH:
        raise ModelError(f"{where}: deeper than {MAX_DEPTH} levels")
    return tree


def _depth(tree: Tree) -> int:
    depth = [0] * len(tree.feature)
    for i in range(len(tree.feature)):  # children come after their parent, so one pass in order suffices
        if tree.feature[i] >= 0:
            depth[tree.left[i]] = depth[tree.right[i]] = depth[i] + 1
    return max(depth)


def _number(value: Any) -> bool:
    """A finite int or float (JSON numbers; a boolean is not one)."""
    return type(value) in (int, float) and math.isfinite(value)
