"""Offset algebra on spans: half-open ``(start, end)`` character ranges of a text, kept sorted and disjoint.

Cleaning only ever cuts, so every text the rules see after the first round is the original with some spans cut
out. :class:`Kept` is that text together with the map back: which ranges of the original each part of it came
from, so that a cut found in what is left becomes cuts in the original's coordinates. Everything here is pure
arithmetic on integers; nothing knows about rules.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Kept", "Span", "clip", "covered", "union"]

Span = tuple[int, int]


def union(ranges: Iterable[Span]) -> list[Span]:
    """The ranges sorted, with overlapping or touching ones joined."""
    out: list[Span] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def covered(spans: Sequence[Span], start: int, end: int) -> int:
    """How many characters of ``[start, end)`` the sorted, disjoint ``spans`` cover."""
    total = 0
    i = max(bisect.bisect_right(spans, (start, start)) - 1, 0)
    while i < len(spans) and spans[i][0] < end:
        lo, hi = spans[i]
        if hi > start:
            total += min(hi, end) - max(lo, start)
        i += 1
    return total


def clip(span: Span, segments: Sequence[Span]) -> list[Span]:
    """The non-empty parts of ``span`` that lie inside the sorted, disjoint ``segments``."""
    start, end = span
    starts = [a for a, _ in segments]
    out: list[Span] = []
    i = max(bisect.bisect_right(starts, start) - 1, 0)
    while i < len(segments) and segments[i][0] < end:
        lo, hi = max(segments[i][0], start), min(segments[i][1], end)
        if hi > lo:
            out.append((lo, hi))
        i += 1
    return out


@dataclass(frozen=True)
class Kept:
    """What is left of a text once sorted, disjoint spans are cut out of it, and the map back to the original.

    ``segments`` are the kept ranges of the original, in order; ``offsets[i]`` is where segment ``i`` starts in
    ``text``, the kept text.
    """

    text: str
    segments: tuple[Span, ...]
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, original: str, cuts: Iterable[Span]) -> Kept:
        """Cut the sorted, disjoint ``cuts`` out of ``original``."""
        segments: list[Span] = []
        pos = 0
        for start, end in cuts:
            if start > pos:
                segments.append((pos, start))
            pos = end
        if pos < len(original):
            segments.append((pos, len(original)))
        offsets: list[int] = []
        total = 0
        for a, b in segments:
            offsets.append(total)
            total += b - a
        return cls("".join(original[a:b] for a, b in segments), tuple(segments), tuple(offsets))

    def to_original(self, lo: int, hi: int) -> list[Span]:
        """The range ``[lo, hi)`` of the kept text as the (possibly several) ranges of the original it came from."""
        out: list[Span] = []
        segments, offsets = self.segments, self.offsets
        i = bisect.bisect_right(offsets, lo) - 1
        while lo < hi and i < len(segments):
            seg_a, seg_b = segments[i]
            start = seg_a + (lo - offsets[i])
            take = min(hi - lo, seg_b - start)
            if out and out[-1][1] == start:
                out[-1] = (out[-1][0], start + take)
            else:
                out.append((start, start + take))
            lo += take
            i += 1
        return out

    def carry(self, spans: Sequence[Span]) -> tuple[Span, ...]:
        """Sorted, disjoint spans of the original carried over to the kept text: the parts of them that were kept."""
        out: list[Span] = []
        i = 0
        for (seg_a, seg_b), at in zip(self.segments, self.offsets, strict=True):
            while i < len(spans) and spans[i][1] <= seg_a:
                i += 1
            j = i
            while j < len(spans) and spans[j][0] < seg_b:
                lo, hi = max(spans[j][0], seg_a), min(spans[j][1], seg_b)
                if hi > lo:
                    out.append((at + lo - seg_a, at + hi - seg_a))
                j += 1
        return tuple(out)
