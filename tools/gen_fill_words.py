#!/usr/bin/env python3
"""Build the table of Chinese words lossy recovery asks when it fills a gap
(data/model/fill_words.bin).

A gap's reading that makes a word of the dictionary with the characters
around it (康 before 定 in 康定, 区 before 分 in 区分) has evidence a
character model weighs only pair by pair. The words are those of jieba's
dictionary (python3-jieba, Expat licence), two to four characters long,
each of them Han and in the Basic Multilingual Plane, in Simplified
Chinese and converted to Taiwan standard characters with OpenCC's s2tw
(libopencc from Debian, through ctypes, as tools/gen_model.py does); a word
in both keeps its higher frequency. Sources and licences:
data/model/fill_words.SOURCES.md.

Layout (little-endian): "MJFXWRD1", u32 count, u32 0; u64 keys, sorted;
u8 weights, padded to 8 bytes. A key is the word's code points, 16 bits
each, the first in the highest bits, zeros after a shorter word. A weight
is round(4 * log2(frequency)), at most 255.

Run from the repository root: python3 tools/gen_fill_words.py
"""

import math
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_model import JIEBA_DICT, opencc_convert, read_jieba  # noqa: E402

OUT = 'data/model/fill_words.bin'


def han(c):
    o = ord(c)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF


def key(word):
    k = 0
    for i in range(4):
        k = (k << 16) | (ord(word[i]) if i < len(word) else 0)
    return k


def main():
    words, freqs = read_jieba()
    table = {}

    def add(ws):
        for w, f in zip(ws, freqs):
            if not 2 <= len(w) <= 4 or not all(han(c) for c in w) or f < 1:
                continue
            k = key(w)
            table[k] = max(table.get(k, 0), f)

    add(words)
    trad = opencc_convert(words, '/usr/share/opencc/s2tw.json')
    if not trad:
        sys.exit('libopencc is needed for the Traditional words')
    add(trad)
    keys = sorted(table)
    weights = bytes(min(255, round(4 * math.log2(table[k]))) for k in keys)
    with open(OUT, 'wb') as f:
        f.write(b'MJFXWRD1' + struct.pack('<II', len(keys), 0))
        f.write(struct.pack('<%dQ' % len(keys), *keys))
        f.write(weights)
        f.write(b'\0' * (-len(weights) % 8))
    print('%s: %d words from %s' % (OUT, len(keys), JIEBA_DICT))


if __name__ == '__main__':
    main()
