#!/usr/bin/env python3
"""Measure the Scorer (data/model/model.bin) on held-out text.

For each held-out line (see data/model/SOURCES.md for the rule) and each
encoding pair (A, B):
  damage:  m = line.encode(A).decode(B); the model should prefer line to m.
  false repair: c = line.encode(B).decode(A), what a repair undoing "A read
  as B" would make of clean text; the model should prefer line to c.
Both are measured on whole lines and on short spans (a run of non-ASCII
characters with one character of context each side), since repair decides
span by span.

Usage: tools/model/eval_model.py [--lines N] [--show K]
"""

import argparse
import collections
import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
import gen_model  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')


class model:
    def __init__(self, path):
        b = open(path, 'rb').read()
        assert b[:8] == b'MJFXMDL4'
        nsym, bits, ncls, nsec = struct.unpack('<4H', b[8:16])
        secs = [struct.unpack('<II', b[16 + 8 * i:24 + 8 * i]) for i in range(nsec)]
        sl = [b[o:o + n] for o, n in secs]
        self.stage1 = struct.unpack('<4352H', sl[0])
        self.stage2 = struct.unpack(f'<{len(sl[1]) // 4}I', sl[1])
        self.inclass = sl[2]
        self.back = sl[3]
        self.cdef = sl[4]
        self.case = sl[5]
        self.step = sl[6]
        self.ncls = ncls
        keys = struct.unpack(f'<{len(sl[7]) // 4}I', sl[7])
        self.big = {k: v for k, v in zip(keys, sl[8]) if k}
        self.bos = 1 | (ncls << 25)
        self.dense = sl[9]

    def entry(self, cp):
        if cp > 0x10FFFF:
            return (31 << 16) | (31 << 25)
        return self.stage2[(self.stage1[cp >> 8] << 8) | (cp & 0xFF)]

    def pair(self, p, e):
        ps, cs = p & 0xFFFF, e & 0xFFFF
        c = self.case[((p >> 22) & 7) * 7 + ((e >> 22) & 7)]
        if 0 < ps < 256 and 0 < cs < 256:
            return c + self.dense[ps * 256 + cs]
        if ps and cs:
            v = self.big.get((ps << 16) | cs)
            if v is not None:
                return c + v
        pc, cc = (p >> 25) & 0x3F, (e >> 25) & 0x3F
        c += self.back[ps] + self.step[pc * self.ncls + cc]
        return c + (self.inclass[cs] if cs else self.cdef[cc])

    def cost(self, s, before='', after=''):
        p = self.entry(ord(before)) if before else self.bos
        t = 0
        for ch in s:
            e = self.entry(ord(ch))
            t += self.pair(p, e)
            p = e
        if after:
            t += self.pair(p, self.entry(ord(after)))
        return t / 4.0


LANG_PAIRS = {
    'zh_CN': [('utf-8', 'gbk'), ('utf-8', 'cp1252'), ('gbk', 'cp1252'), ('gbk', 'big5'),
              ('gbk', 'euc_kr'), ('gbk', 'shift_jis'), ('utf-8', 'big5'), ('utf-8', 'shift_jis'),
              ('utf-8', 'euc_kr')],
    'zh_TW': [('utf-8', 'big5'), ('utf-8', 'gbk'), ('big5', 'gbk'), ('big5', 'cp1252'),
              ('utf-8', 'cp1252'), ('big5', 'euc_kr'), ('big5', 'shift_jis')],
    'ja': [('utf-8', 'shift_jis'), ('utf-8', 'gbk'), ('shift_jis', 'cp1252'), ('euc_jp', 'cp1252'),
           ('shift_jis', 'gbk'), ('euc_jp', 'gbk'), ('utf-8', 'cp1252'), ('shift_jis', 'big5'),
           ('euc_jp', 'euc_kr')],
    'ko': [('utf-8', 'cp949'), ('euc_kr', 'cp1252'), ('euc_kr', 'gbk'), ('utf-8', 'cp1252'),
           ('euc_kr', 'big5'), ('euc_kr', 'shift_jis'), ('utf-8', 'gbk')],
    'ru': [('utf-8', 'cp1251'), ('utf-8', 'cp1252'), ('cp1251', 'cp1252'), ('koi8_r', 'cp1251'),
           ('cp1251', 'koi8_r'), ('utf-8', 'koi8_r'), ('cp866', 'cp1251')],
    'uk': [('utf-8', 'cp1251'), ('utf-8', 'cp1252'), ('cp1251', 'cp1252'), ('koi8_u', 'cp1251')],
    'el': [('utf-8', 'cp1253'), ('utf-8', 'cp1252'), ('cp1253', 'cp1252'), ('iso8859_7', 'cp1252')],
    'fr': [('utf-8', 'cp1252'), ('cp1252', 'utf-8'), ('utf-8', 'mac_roman'), ('cp1252', 'cp437'),
           ('utf-8', 'cp1250')],
    'de': [('utf-8', 'cp1252'), ('utf-8', 'mac_roman'), ('cp1252', 'cp850'), ('utf-8', 'cp1250')],
    'pl': [('utf-8', 'cp1252'), ('utf-8', 'cp1250'), ('cp1250', 'cp1252'), ('iso8859_2', 'cp1252')],
    'cs': [('utf-8', 'cp1252'), ('utf-8', 'cp1250'), ('cp1250', 'cp1252')],
    'vi': [('utf-8', 'cp1252'), ('cp1258', 'cp1252'), ('utf-8', 'cp1258')],
    'es': [('utf-8', 'cp1252'), ('utf-8', 'mac_roman'), ('cp1252', 'cp850')],
    'it': [('utf-8', 'cp1252'), ('utf-8', 'mac_roman')],
    'pt': [('utf-8', 'cp1252'), ('utf-8', 'mac_roman')],
    'tr': [('utf-8', 'cp1252'), ('cp1254', 'cp1252'), ('utf-8', 'cp1254')],
    'en': [('utf-8', 'cp1252'), ('utf-8', 'gbk'), ('utf-8', 'shift_jis')],
}


# The repair layers (wrong encoding, true encoding) of src/repair/layers.cpp,
# as Python codecs.
LAYERS = [('cp1252', 'utf-8'), ('cp1250', 'utf-8'), ('cp1251', 'utf-8'), ('cp1253', 'utf-8'),
          ('cp1254', 'utf-8'), ('cp1255', 'utf-8'), ('cp1256', 'utf-8'), ('cp1257', 'utf-8'),
          ('cp1258', 'utf-8'), ('iso8859_2', 'utf-8'), ('iso8859_5', 'utf-8'),
          ('iso8859_7', 'utf-8'), ('koi8_r', 'utf-8'), ('mac_roman', 'utf-8'), ('cp437', 'utf-8'),
          ('cp850', 'utf-8'), ('cp866', 'utf-8'), ('gb18030', 'utf-8'), ('big5hkscs', 'utf-8'),
          ('cp932', 'utf-8'), ('cp949', 'utf-8'), ('euc_jp', 'utf-8'),
          ('cp1252', 'gb18030'), ('cp1252', 'big5hkscs'), ('cp1252', 'cp932'),
          ('cp1252', 'euc_jp'), ('cp1252', 'cp949'), ('gb18030', 'big5hkscs'),
          ('big5hkscs', 'gb18030')]


def heldout_lines(lang, limit):
    base = '/usr/share/man' + ('' if lang == 'en' else '/' + lang)
    files = sorted(p for p in gen_model.man_files(lang) if gen_model.held_out(p))
    out = []
    for p in files:
        lines = gen_model.read_man(p)
        if not lines:
            continue
        for l in lines:
            if any(ord(c) > 0x7F for c in l) or lang == 'en':
                if 8 <= len(l) <= 200:
                    out.append(l)
        if len(out) >= limit * 4:
            break
    # Deterministic spread.
    out.sort(key=lambda l: zlib.crc32(l.encode()))
    return out[:limit]


CORPUS = os.path.join(ROOT, '..', 'shared', 'corpora', 'detect')
CORPUS_LANG = {'zh': 'zh_CN', 'chinese': 'zh_CN', 'ja': 'ja', 'japanese': 'ja', 'ko': 'ko',
               'korean': 'ko', 'ru': 'ru', 'russian': 'ru', 'uk': 'uk', 'el': 'el', 'greek': 'el',
               'fr': 'fr', 'french': 'fr', 'de': 'de', 'pl': 'pl', 'polish': 'pl', 'cs': 'cs',
               'vi': 'vi', 'es': 'es', 'spanish': 'es', 'it': 'it', 'pt': 'pt', 'tr': 'tr',
               'turkish': 'tr'}
CODEC = {'uhc': 'cp949', 'euc-tw': None, 'viscii': None, 'ibm862': 'cp862'}


def corpus_lines(limit):
    """Lines of the detection corpora (text the model never saw), by language."""
    out = collections.defaultdict(list)
    with open(os.path.join(CORPUS, 'manifest.tsv'), encoding='utf-8') as f:
        rows = [l.rstrip('\n').split('\t') for l in f][1:]
    for rel, truth, _, lang, *_ in rows:
        key = CORPUS_LANG.get(lang.lower())
        codec = CODEC.get(truth, truth.replace('windows-', 'cp'))
        if not key or not codec:
            continue
        try:
            text = open(os.path.join(CORPUS, rel), 'rb').read().decode(codec)
        except (UnicodeDecodeError, LookupError, OSError):
            continue
        for l in text.split('\n'):
            l = l.strip().lstrip('\ufeff')
            if 8 <= len(l) <= 200 and any(ord(c) > 0x7F for c in l):
                out[key].append(l)
    for k in out:
        out[k] = sorted(set(out[k]), key=lambda l: zlib.crc32(l.encode()))[:limit]
    return out


def spans(s):
    """Maximal runs of non-ASCII characters, with their neighbours."""
    i = 0
    while i < len(s):
        if ord(s[i]) < 0x80:
            i += 1
            continue
        j = i
        while j < len(s) and ord(s[j]) >= 0x80:
            j += 1
        yield s[max(0, i - 1):i], s[i:j], s[j:j + 1]
        i = j


def transcode(s, a, b):
    try:
        r = s.encode(a).decode(b)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    return r if r != s else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', default=os.path.join(ROOT, 'data', 'model', 'model.bin'))
    ap.add_argument('--lines', type=int, default=300)
    ap.add_argument('--show', type=int, default=3)
    ap.add_argument('--margin', type=float, default=0.0)
    ap.add_argument('--layers', action='store_true',
                    help='every language against every repair layer (truth, wrong)')
    ap.add_argument('--corpus', action='store_true',
                    help='use shared/corpora/detect instead of held-out man pages')
    args = ap.parse_args()
    m = model(args.model)
    tot = collections.Counter()
    print(f'{"lang":6} {"lines":>5} {"b/c":>5} | {"damage":>14} {"span dmg":>14} | '
          f'{"false rep":>14} {"span false":>14}')
    examples = []
    corpus = corpus_lines(args.lines) if args.corpus else None
    for lang, pairs in LANG_PAIRS.items():
        if args.layers:
            pairs = [(t, w) for w, t in LAYERS]
        lines = corpus.get(lang, []) if corpus is not None else heldout_lines(lang, args.lines)
        if not lines:
            continue
        bits = sum(m.cost(l) for l in lines)
        chars = sum(len(l) for l in lines)
        r = collections.Counter()
        for l in lines:
            cl = m.cost(l)
            for a, b in pairs:
                moj = transcode(l, a, b)
                if moj is not None:
                    r['dmg'] += 1
                    if m.cost(moj) <= cl + args.margin:
                        r['dmg_bad'] += 1
                        examples.append(('damage', lang, a, b, l, moj, cl, m.cost(moj)))
                fr = transcode(l, b, a)
                if fr is not None:
                    r['fr'] += 1
                    if m.cost(fr) <= cl + args.margin:
                        r['fr_bad'] += 1
                        examples.append(('false repair', lang, a, b, l, fr, cl, m.cost(fr)))
                for before, sp, after in spans(l):
                    cs = m.cost(sp, before, after)
                    moj = transcode(sp, a, b)
                    if moj is not None:
                        r['sdmg'] += 1
                        if m.cost(moj, before, after) <= cs + args.margin:
                            r['sdmg_bad'] += 1
                            examples.append(('span damage', lang, a, b, before + sp + after,
                                             before + moj + after, cs, m.cost(moj, before, after)))
                    fr = transcode(sp, b, a)
                    if fr is not None:
                        r['sfr'] += 1
                        if m.cost(fr, before, after) <= cs + args.margin:
                            r['sfr_bad'] += 1
                            examples.append(('span false repair', lang, a, b, before + sp + after,
                                             before + fr + after, cs, m.cost(fr, before, after)))
        tot += r
        f = lambda k: f'{r[k + "_bad"]:>5}/{r[k]:<6}'
        print(f'{lang:6} {len(lines):>5} {bits / chars:5.2f} | {f("dmg"):>14} {f("sdmg"):>14} | '
              f'{f("fr"):>14} {f("sfr"):>14}')
    f = lambda k: f'{tot[k + "_bad"]:>5}/{tot[k]:<6}'
    print(f'{"all":6} {"":>5} {"":>5} | {f("dmg"):>14} {f("sdmg"):>14} | {f("fr"):>14} {f("sfr"):>14}')
    by = collections.defaultdict(list)
    for e in examples:
        by[e[0], e[1], e[2], e[3]].append(e)
    for k, v in sorted(by.items()):
        print(f'-- {k[0]} {k[1]} {k[2]}->{k[3]}: {len(v)}')
        for e in v[:args.show]:
            print(f'   {e[6]:7.2f} {e[4][:60]!r}\n   {e[7]:7.2f} {e[5][:60]!r}')


if __name__ == '__main__':
    main()
