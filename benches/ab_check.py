#!/usr/bin/env python3
"""Compare two builds on one journal: `registry check`, interleaved, order alternating.

    python3 benches/ab_check.py ROUNDS JOURNAL OLD_BINARY NEW_BINARY

Each round runs both binaries, OLD first in even rounds and NEW first in odd ones, and
reports per binary the median and least wall and cpu (user + sys) time, system time and
peak RSS, then the median of NEW/OLD cpu per round, also for each order apart. On the
2-core VM this project is measured on, speed drifts within seconds: a script that always ran
one binary second showed a ratio of 0.95 for a binary against a copy of itself. The two
orders' ratios disagreeing by more than the change being measured means: more rounds.
"""
import os
import statistics
import sys
import time


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    rounds, journal, old, new = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    runs = {old: [], new: []}

    def run(binary):
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            os.execv(binary, [binary, "registry", "--ledger", journal, "check"])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
        if status != 0:
            sys.exit(f"{binary} exited with status {status} on {journal}")
        runs[binary].append((wall, usage.ru_utime + usage.ru_stime, usage.ru_stime, usage.ru_maxrss))

    for i in range(rounds):
        for binary in (old, new) if i % 2 == 0 else (new, old):
            run(binary)
    for binary in (old, new):
        r = runs[binary]
        print(
            f"{binary}: wall median {statistics.median(x[0] for x in r):.3f} s, least {min(x[0] for x in r):.3f} s"
            f" | cpu median {statistics.median(x[1] for x in r):.3f} s, least {min(x[1] for x in r):.3f} s"
            f" | sys median {statistics.median(x[2] for x in r):.3f} s | peak RSS {max(x[3] for x in r) // 1024} MB"
        )
    ratios = [n[1] / o[1] for o, n in zip(runs[old], runs[new])]
    print(
        f"new/old cpu per round: median {statistics.median(ratios):.3f}"
        f" (old first {statistics.median(ratios[0::2]):.3f}, new first {statistics.median(ratios[1::2]) if rounds > 1 else float('nan'):.3f})"
    )


if __name__ == "__main__":
    main()
