#!/usr/bin/env python3
"""Turns mojifix_benchmark's JSON output into a Markdown table.

  build/bench/mojifix_benchmark --benchmark_out=bench.json --benchmark_out_format=json
  python3 bench/table.py bench.json

One row per input, one column per measured operation: the median decimal
GB/s over the repetitions, and the best (max) in brackets.
"""
import json
import sys
from collections import OrderedDict


def fmt(rate: float) -> str:
    gb = rate / 1e9
    return f"{gb:.3f}" if gb < 10 else f"{gb:.1f}"


def main() -> None:
    with open(sys.argv[1]) as f:
        report = json.load(f)
    rows = OrderedDict()  # input -> {operation: {aggregate: B/s}}
    ops = []
    setup = []
    for b in report["benchmarks"]:
        name = b.get("run_name", b["name"])
        if b.get("error_occurred"):
            continue
        if name.startswith("setup/"):
            setup.append((name, b["real_time"], b["time_unit"]))
            continue
        op, _, inp = name.partition("/")
        if op == "codec":
            op, _, inp = inp.partition("/")
            op = "codec/" + op
        agg = b.get("aggregate_name", "single")
        rate = b.get("B/s")
        if rate is None:
            continue
        rows.setdefault(inp, {}).setdefault(op, {})[agg] = rate
        if op not in ops:
            ops.append(op)

    main_ops = [o for o in ops if not o.startswith("codec/")]
    print("| input | " + " | ".join(main_ops) + " |")
    print("|---|" + "---:|" * len(main_ops))
    for inp, by_op in rows.items():
        cells = []
        for op in main_ops:
            a = by_op.get(op)
            if not a:
                cells.append("")
                continue
            med = a.get("median", a.get("single"))
            best = a.get("max")
            cells.append(fmt(med) + (f" ({fmt(best)})" if best else ""))
        if any(cells):
            print(f"| {inp} | " + " | ".join(cells) + " |")

    codec_ops = [o for o in ops if o.startswith("codec/")]
    if codec_ops:
        print()
        print("| codec operation | input | GB/s median (max) |")
        print("|---|---|---:|")
        for op in codec_ops:
            for inp, by_op in rows.items():
                a = by_op.get(op)
                if a:
                    med = a.get("median", a.get("single"))
                    best = a.get("max")
                    print(f"| {op[6:]} | {inp} | {fmt(med)}" + (f" ({fmt(best)})" if best else "")
                          + " |")
    for name, t, unit in setup:
        ms = t / {"ns": 1e6, "us": 1e3, "ms": 1.0, "s": 1e-3}[unit]
        print(f"\n{name.split('/iterations')[0]}: {ms:.1f} ms")


if __name__ == "__main__":
    main()
