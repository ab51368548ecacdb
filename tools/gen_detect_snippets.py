#!/usr/bin/env python3
"""Generates tests/data/ingest/snippets.tsv: short prefixes of held-out text
in every encoding detection should tell apart, for detect_accuracy_test.

Text comes from the files that data/model/training.txt lists as held out
(the rule crc32(path) % 10 == 0 of tools/gen_model.py), so accuracy is not
measured on text the model was built from. Sources and licences:
data/model/SOURCES.md (man pages of manpages-zh/ja/ru/uk/el/fr/de/pl/cs/vi/
es/it and other packages, the Korean Debian FAQ of debian-faq-ko).

Each row: encoding, language, source file, cuts, base64 bytes. The cuts
("16:15,32:31,...") give, per length class, the longest prefix cut at a
character boundary with at most that many bytes; the classes are 16, 32,
64, 128 and 512, and "file" (a 2048-byte prefix standing for a whole file,
for every third snippet). Encodings: what the codec room decodes, UTF-16 without a byte-order
mark, and UTF-8. Deterministic (no randomness beyond a fixed-seed shuffle).

    python3 tools/gen_detect_snippets.py [--per-group N]
"""

import argparse
import base64
import gzip
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_model  # noqa: E402  (read_man, read_html, the held-out rule)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LENGTHS = [16, 32, 64, 128, 512]
FILE_LENGTH = 2048

# language -> (held-out path prefix, [encodings (Python codec names)])
GROUPS = {
    'zh_CN': ('/usr/share/man/zh_CN/', ['gbk', 'gb18030', 'utf-16-le', 'utf-16-be', 'utf-8']),
    'zh_TW': ('/usr/share/man/zh_TW/', ['big5', 'utf-16-le', 'utf-16-be', 'utf-8']),
    'ja': ('/usr/share/man/ja/', ['shift_jis', 'euc_jp', 'utf-16-le', 'utf-16-be', 'utf-8']),
    'ko': ('/usr/share/doc/debian/FAQ/ko/', ['euc_kr', 'utf-16-le', 'utf-16-be', 'utf-8']),
    'ru': ('/usr/share/man/ru/', ['cp1251', 'koi8_r', 'iso8859_5', 'cp866', 'utf-16-le', 'utf-8']),
    'uk': ('/usr/share/man/uk/', ['cp1251', 'utf-8']),
    'el': ('/usr/share/man/el/', ['cp1253', 'iso8859_7', 'utf-8']),
    'fr': ('/usr/share/man/fr/', ['cp1252', 'iso8859_15', 'mac_roman', 'cp850', 'utf-8']),
    'de': ('/usr/share/man/de/', ['cp1252', 'iso8859_1', 'cp437', 'utf-8']),
    'es': ('/usr/share/man/es/', ['cp1252', 'iso8859_1', 'utf-8']),
    'it': ('/usr/share/man/it/', ['cp1252', 'utf-8']),
    'pl': ('/usr/share/man/pl/', ['cp1250', 'iso8859_2', 'utf-8']),
    'cs': ('/usr/share/man/cs/', ['cp1250', 'iso8859_2', 'utf-8']),
}

# Python codec name -> the name detection reports.
REPORTED = {
    'gbk': 'gbk', 'gb18030': 'gb18030', 'big5': 'big5', 'shift_jis': 'shift_jis',
    'euc_jp': 'euc-jp', 'euc_kr': 'euc-kr', 'cp1251': 'windows-1251', 'koi8_r': 'koi8-r',
    'iso8859_5': 'iso-8859-5', 'cp866': 'cp866', 'cp1253': 'windows-1253',
    'iso8859_7': 'iso-8859-7', 'cp1252': 'windows-1252', 'iso8859_15': 'iso-8859-15',
    'iso8859_1': 'iso-8859-1', 'mac_roman': 'mac-roman', 'cp850': 'cp850', 'cp437': 'cp437',
    'cp1250': 'windows-1250', 'iso8859_2': 'iso-8859-2', 'cp1258': 'windows-1258',
    'utf-16-le': 'utf-16le', 'utf-16-be': 'utf-16be', 'utf-8': 'utf-8',
}


def held_out_files(prefix):
    out = []
    with open(os.path.join(ROOT, 'data/model/training.txt'), encoding='utf-8') as f:
        for line in f:
            if line.startswith('held-out\t'):
                p = line.rstrip('\n').split('\t', 1)[1]
                if p.startswith(prefix) and os.path.exists(p) and gen_model.held_out(p):
                    out.append(p)
    return sorted(out)


def read_lines(path):
    if path.endswith('.html'):
        return gen_model.read_html(path) or []
    return gen_model.read_man(path) or []


def non_ascii(s):
    return sum(1 for c in s if ord(c) > 0x7F)


def cut(text, enc, limit):
    """Longest prefix of text whose encoding has at most limit bytes."""
    out = b''
    for c in text:
        b = c.encode(enc)
        if len(out) + len(b) > limit:
            break
        out += b
    return out


def paragraphs(lines):
    """Runs of lines joined, each a candidate start of a snippet."""
    for i in range(len(lines)):
        yield '\n'.join(lines[i:i + 80])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--per-group', type=int, default=24)
    ap.add_argument('--out', default=os.path.join(ROOT, 'tests/data/ingest/snippets.tsv'))
    args = ap.parse_args()
    rng = random.Random(20261128)
    rows = []
    for lang, (prefix, encs) in GROUPS.items():
        files = held_out_files(prefix)
        starts = []
        for p in files:
            lines = read_lines(p)
            last = -1000
            for i, para in enumerate(paragraphs(lines)):
                if i - last < 40:
                    continue
                # A start in running text: non-ASCII at once, as a detector
                # sees it in the middle of a page.
                head = para[:8]
                if non_ascii(head) < (2 if lang[:2] in ('zh', 'ja', 'ko') else 1):
                    continue
                if len(para.encode('utf-8')) < 2100:
                    continue
                starts.append((p, para))
                last = i
        rng.shuffle(starts)
        for enc in encs:
            taken = 0
            for p, para in starts:
                if taken >= args.per_group:
                    break
                try:
                    para.encode(enc)
                except UnicodeEncodeError:
                    continue
                if enc.startswith('utf-16') and para[:1] == '\ufeff':
                    continue
                full = cut(para, enc, FILE_LENGTH if taken % 3 == 0 else LENGTHS[-1])
                cuts = [f'{n}:{len(cut(para, enc, n))}' for n in LENGTHS]
                if len(full) > LENGTHS[-1]:
                    cuts.append(f'file:{len(full)}')
                rows.append((REPORTED[enc], lang, p, ','.join(cuts),
                             base64.b64encode(full).decode()))
                taken += 1
            print(f'{lang} {enc}: {taken} snippets from {len(files)} files', file=sys.stderr)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, 'w', encoding='utf-8') as f:
        f.write('# generated by tools/gen_detect_snippets.py; sources in README.md\n')
        f.write('# encoding\tlanguage\tsource\tcuts\tbase64\n')
        for r in rows:
            f.write('\t'.join(r) + '\n')


if __name__ == '__main__':
    main()
