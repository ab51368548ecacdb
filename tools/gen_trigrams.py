#!/usr/bin/env python3
"""Build the character-trigram table lossy recovery uses to choose the
character a gap stood for (data/model/trigrams.bin).

The Scorer is a bigram model; a gap's neighbours one step further away still
tell much (的 before a space, a Korean particle after its noun). This table
holds, for Chinese, Japanese and Korean running text, the trigrams seen at
least --min-count times and the contexts they follow, as Witten-Bell
interpolation with the Scorer's bigram as the lower order:

  P(c | a b) = (count(a b c) + B(a b) * P_bigram(c | b)) / (count(a b) + T(a b))
  T(a b) = distinct successors of a b; B(a b) = T(a b), plus the dictionary
  mass of words ending in a b (what follows a word is unknown)

The trigrams inside the words of jieba's dictionary count too, weighted as
tools/gen_model.py weighs the dictionary. Line ends are not modelled: in man
pages they fall where the source wraps, not where text ends. The running
text is the Scorer's (tools/gen_model.py: running_lines, held-out files
skipped; see data/model/SOURCES.md), with the gettext catalogues held out by
the same rule and every line a held-out file holds left out too, folded:
ASCII whitespace to a space, ASCII digits to 0, ASCII capitals to small
letters.

Layout (little-endian): "MJFXTRI2", then for the trigrams and the contexts
u32 count and u32 bucket bits; then for each of the two tables its u64 keys,
u32 bucket starts (2^bits + 1) and u16 costs, padded to 8 bytes. Keys are
sorted by bucket, (key * 0x9E3779B97F4A7C15 mod 2^64) >> (64 - bits), and
bucket b holds keys[starts[b], starts[b + 1]). A key is a << 42 | b << 21 | c
(a context: a << 21 | b); costs in quarter bits: -log2 of the trigram's
term, count(a b c) / (count(a b) + T(a b)), and of a context's backoff
weight, B(a b) / (count(a b) + T(a b)). The start of a line is U+0002.

Usage: tools/gen_trigrams.py [--out data/model] [--cap-mb 5] [--min-count 3]
"""

import argparse
import collections
import math
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
import gen_model  # noqa: E402

LANGS = ('zh_CN', 'zh_TW', 'ja', 'ko')
START = 0x02


def fold(line):
    out = []
    for ch in line:
        o = ord(ch)
        if ch in ' \t\n\v\f\r':
            o = 0x20
        elif 0x30 <= o <= 0x39:
            o = 0x30
        elif 0x41 <= o <= 0x5A:
            o += 0x20
        out.append(o)
    return out


def read_any(path):
    if path.endswith('.mo'):
        return gen_model.read_mo(path)
    if path.endswith('.html'):
        return gen_model.read_html(path)
    if path.startswith('/usr/share/man/'):
        return gen_model.read_man(path)
    return gen_model.read_plain(path)


def add_dictionary(lang, cap, tri, unknown):
    """The trigrams inside jieba's words (中国人), weighted by word frequency
    scaled to the cap as the Scorer weighs them: man pages and catalogues
    hardly speak of everyday things."""
    words, freqs = gen_model.read_jieba()
    if lang == 'zh_TW':
        words = gen_model.opencc_convert(words, '/usr/share/opencc/s2tw.json')
        if not words:
            return
    total = sum(len(w) * k for w, k in zip(words, freqs))
    for w, k in zip(words, freqs):
        f = fold(w)
        k *= cap / total
        for i in range(2, len(f)):
            tri[f[i - 2], f[i - 1], f[i]] += k
        # What follows the word is unknown: that mass goes to the backoff.
        if len(f) >= 2:
            unknown[f[-2], f[-1]] += k


def cjk(cp):
    return cp >= 0x2E80


def bucket(key, bits):
    return ((key * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF) >> (64 - bits)


def bucketed(keys, vals):
    """Keys and values sorted by hash bucket (about four keys a bucket), and
    where each bucket starts: a lookup reads one bucket."""
    bits = max(4, (len(keys) // 4).bit_length())
    order = sorted(range(len(keys)), key=lambda i: (bucket(keys[i], bits), keys[i]))
    starts = [0] * ((1 << bits) + 1)
    for i in order:
        starts[bucket(keys[i], bits) + 1] += 1
    for b in range(1 << bits):
        starts[b + 1] += starts[b]
    return bits, [keys[i] for i in order], [vals[i] for i in order], starts


def quarter(bits):
    return max(0, min(0xFFFF, int(round(bits * 4))))


def build(args):
    cap = int(args.cap_mb * 1_000_000)
    tri = collections.Counter()
    chars = 0
    unknown = collections.Counter()  # context -> mass whose successor is unknown
    for lang in LANGS:
        skipped = []
        lines, _, _, _ = gen_model.running_lines(lang, cap, [], skipped, hold_mo=True)
        # Test text comes from the held-out files; a line they share with
        # another file (man pages repeat paragraphs, catalogues repeat
        # messages) is held out too.
        held = set()
        for path in skipped:
            held.update(x.strip() for x in read_any(path) or [])
        lines = [x for x in lines if x.strip() not in held]
        for line in lines:
            t = [START, START] + fold(line)
            chars += len(t) - 2
            for i in range(2, len(t)):
                tri[t[i - 2], t[i - 1], t[i]] += 1
        print(f'{lang}: {len(lines)} lines', file=sys.stderr)
        if lang in ('zh_CN', 'zh_TW'):
            add_dictionary(lang, cap, tri, unknown)

    ctx_n = collections.Counter()
    ctx_t = collections.Counter()
    for (a, b, c), n in tri.items():
        ctx_n[a, b] += n
        ctx_t[a, b] += 1
    # Backoff mass of a context: its distinct successors (Witten-Bell) and
    # the dictionary mass whose successor is unknown.
    ctx_b = collections.Counter(ctx_t)
    for ab, u in unknown.items():
        ctx_n[ab] += u
        ctx_b[ab] += u

    keys3, vals3, keys2, vals2 = [], [], [], []
    for (a, b, c), n in tri.items():
        if n < args.min_count or not (cjk(a) or cjk(b) or cjk(c)):
            continue
        cn, ct = ctx_n[a, b], ctx_t[a, b]
        keys3.append((a << 42) | (b << 21) | c)
        vals3.append(quarter(-math.log2(n / (cn + ct))))
    for (a, b), cn in ctx_n.items():
        if cn < args.min_count or not (cjk(a) or cjk(b)):
            continue
        ct, cb = ctx_t[a, b], ctx_b[a, b]
        keys2.append((a << 21) | b)
        vals2.append(quarter(-math.log2(cb / (cn + ct))))
    out = bytearray(b'MJFXTRI2')
    tables = [bucketed(keys3, vals3), bucketed(keys2, vals2)]
    for bits, keys, vals, starts in tables:
        out += struct.pack('<II', len(keys), bits)
    for bits, keys, vals, starts in tables:
        out += struct.pack(f'<{len(keys)}Q', *keys)
        out += struct.pack(f'<{len(starts)}I', *starts)
        out += struct.pack(f'<{len(vals)}H', *vals)
        out += b'\0' * (-len(out) % 8)
    path = os.path.join(args.out, 'trigrams.bin')
    with open(path, 'wb') as f:
        f.write(out)
    print(f'{chars} characters; {len(keys3)} trigrams, {len(keys2)} contexts; '
          f'{len(out)} bytes -> {path}', file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default=os.path.join(os.path.dirname(__file__), '..', 'data', 'model'))
    ap.add_argument('--cap-mb', type=float, default=5.0)
    ap.add_argument('--min-count', type=int, default=3)
    build(ap.parse_args())


if __name__ == '__main__':
    main()
