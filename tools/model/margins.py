#!/usr/bin/env python3
"""How much the Scorer gains on real repairs and on false ones, per span.

Reads tests/data/cases (held-out lines and their mojibake) and
tests/data/negative (clean lines). For each case, the span is the part where
the two lines differ, with one character of context each side, as repair
compares it. Prints:
  true repairs: gain = cost(damaged span) - cost(clean span), the smallest;
  false repairs: every repair layer applied to clean lines, danger =
  cost(clean span) - cost(candidate span), the largest (positive means the
  model would prefer damaging the clean line, before any margin).

Usage: tools/model/margins.py [model.bin]
"""

import collections
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from eval_model import LAYERS, ROOT, model, transcode  # noqa: E402

DATA = os.path.join(ROOT, 'tests', 'data')


def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == '\\' and i + 1 < len(s):
            out.append({'t': '\t', 'n': '\n', 'r': '\r'}.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return ''.join(out)


def span_gain(m, clean, other):
    """cost(other span) - cost(clean span) over the differing part, and its length."""
    p = 0
    while p < len(clean) and p < len(other) and clean[p] == other[p]:
        p += 1
    q = 0
    while q < len(clean) - p and q < len(other) - p and clean[-1 - q] == other[-1 - q]:
        q += 1
    ea, eb = len(clean) - q, len(other) - q
    before = clean[p - 1] if p > 0 else ''
    after = clean[ea] if ea < len(clean) else ''
    return m.cost(other[p:eb], before, after) - m.cost(clean[p:ea], before, after), max(1, ea - p)


def main():
    m = model(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'data', 'model', 'model.bin'))
    true = []
    for f in sorted(glob.glob(os.path.join(DATA, 'cases', '*.tsv'))):
        if 'entities' in f:
            continue
        for line in open(f, encoding='utf-8'):
            if line.startswith('#') or not line.strip():
                continue
            lang, o, d = line.rstrip('\n').split('\t')[:3]
            g, n = span_gain(m, unescape(o), unescape(d))
            true.append((g, n, os.path.basename(f), lang, unescape(o)[:50]))
    false = []
    for f in sorted(glob.glob(os.path.join(DATA, 'negative', '*.txt'))):
        name = os.path.basename(f)
        for line in open(f, encoding='utf-8'):
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            for wrong, truth in LAYERS:
                c = transcode(line, wrong, truth)
                if c is not None:
                    g, n = span_gain(m, line, c)
                    false.append((-g, n, f'{name} {wrong}->{truth}', line[:50], c[:50]))
    true.sort()
    false.sort(reverse=True)
    print(f'true repairs: {len(true)} spans; gain < 0: {sum(x[0] < 0 for x in true)}, '
          f'< 5: {sum(x[0] < 5 for x in true)}, < 10: {sum(x[0] < 10 for x in true)}')
    for x in true[:10]:
        print(f'  {x[0]:6.2f} bits over {x[1]} chars  {x[2]} {x[3]}: {x[4]!r}')
    print(f'false candidates: {len(false)}; danger > 0: {sum(x[0] > 0 for x in false)}, '
          f'> 5: {sum(x[0] > 5 for x in false)}, > 10: {sum(x[0] > 10 for x in false)}')
    by = collections.Counter(x[2] for x in false if x[0] > 0)
    for k, v in by.most_common(12):
        print(f'  {v:5}  {k}')
    for x in false[:12]:
        print(f'  {x[0]:6.2f} bits over {x[1]} chars  {x[2]}: {x[3]!r} -> {x[4]!r}')


if __name__ == '__main__':
    main()
