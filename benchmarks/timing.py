"""Timing that is fair to every contender: interleaved repeats, medians and spreads.

Each repeat runs every contender once, in an order rotated from one pair of repeats to the next,
so a burst of noise (another process, a frequency change) falls on all of them alike instead of
on whichever happened to run at that moment. The second repeat of each pair runs the order
backwards, so that of two neighbours each runs first as often as the other. A result is the
median over repeats with its spread, and a ratio of two contenders is taken repeat by repeat
(see `paired_ratio`).
"""
from __future__ import annotations

import statistics
import time


def interleaved(contenders, repeats, settle=0.2):
    """contenders: {name: run()} where run() returns seconds (or None if it cannot run).

    settle: seconds of rest before each run, in which the last contender's BLAS threads stop
    spinning. -> {name: [seconds of each repeat]}."""
    names = list(contenders)
    times = {name: [] for name in names}
    for r in range(repeats if names else 0):  # every contender may be skipped
        shift = r // 2 % len(names)
        order = names[shift:] + names[:shift]
        for name in order[::-1] if r % 2 else order:
            time.sleep(settle)
            seconds = contenders[name]()
            if seconds is not None:
                times[name].append(seconds)
    return times


def summary(seconds):
    """[seconds per repeat] -> {median, low, high, repeats, seconds}: low and high bound the
    spread; seconds keeps every repeat, in the order of the rounds."""
    return {"median": statistics.median(seconds), "low": min(seconds), "high": max(seconds),
            "repeats": len(seconds), "seconds": list(seconds)}


def paired_seconds(result, reference):
    """[(result's time, reference's time) in each round], or [] without the times of every round."""
    mine, theirs = result.get("seconds"), reference.get("seconds")
    if not mine or not theirs or len(mine) != len(theirs):
        return []
    return list(zip(mine, theirs))


def round_ratios(result, reference):
    """[result's time / reference's time in each round], or [] without the times of every round."""
    return [a / b for a, b in paired_seconds(result, reference)]


def paired_ratio(result, reference):
    """result's time / reference's time: the median over the rounds of the ratio within each round.

    Both ran in the same round, so a slow spell of the machine that lasts a round slows both and
    cancels out; the ratio of the two medians could set a quiet round of one against a slow round
    of the other. (Without the times of every round, the ratio of the medians.)"""
    ratios = round_ratios(result, reference)
    return statistics.median(ratios) if ratios else result["median"] / reference["median"]


QUICK = 0.10  # a repeat within this fraction of a contender's quickest ran at the machine's quick speed


def quick_rounds(result, reference):
    """The rounds in which both ran within QUICK of their quickest repeat: on a shared machine
    that runs at two speeds in spells of seconds to minutes (this project's, at times a quarter
    slower), the rounds at the quicker speed for both. [] without the times of every round."""
    pairs = paired_seconds(result, reference)
    if not pairs:
        return []
    quickest_mine, quickest_theirs = min(a for a, _ in pairs), min(b for _, b in pairs)
    return [r for r, (a, b) in enumerate(pairs)
            if a <= (1 + QUICK) * quickest_mine and b <= (1 + QUICK) * quickest_theirs]


def format_seconds(seconds):
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.0f} us"


def spread(result):
    """'+-x%': half the range of the repeats, relative to the median."""
    if result["repeats"] < 2:
        return "1 run"
    return f"+-{50 * (result['high'] - result['low']) / result['median']:.0f}%"


def markdown_table(headers, rows):
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
