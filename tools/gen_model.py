#!/usr/bin/env python3
"""Build the Scorer's tables (data/model/model.bin) from text shipped in
Debian packages. Sources, licences and the held-out rule are listed in
data/model/SOURCES.md; training sizes go to data/model/training.txt.

Usage: tools/gen_model.py [--out data/model] [--cap-mb 3] [--cache counts.pickle]

Model: a character bigram model over folded text (simple lowercase from
UnicodeData.txt, ASCII digits -> '0', whitespace -> ' ') with Katz backoff to
a class bigram (P(class of cur | class of prev) * P(cur | its class)), and a
small letter-case transition model (case is folded away in the bigram, so it
is modelled on its own). Characters the training text does not know share
the mass of their class's rare characters; debris classes (C1 controls,
private use, U+FFFD, ...) have fixed costs.
"""

import argparse
import bz2
import collections
import glob
import gzip
import html
import math
import os
import pickle
import re
import struct
import sys
import unicodedata
import zlib

UCD = '/usr/share/unicode'

# ---------------------------------------------------------------- classes
# Must match enum char_class in src/model/scorer.hpp.
CLASSES = [
    'ascii_letter', 'ascii_digit', 'ascii_space', 'ascii_punct', 'ascii_control',
    'latin_letter', 'latin1_symbol', 'c1_control',
    'greek', 'cyrillic', 'armenian', 'hebrew', 'arabic', 'indic', 'thai', 'other_letter',
    'combining_mark',
    'hangul_ksx1001', 'hangul_other', 'hangul_jamo',
    'kana', 'halfwidth_kana',
    'han_common', 'han_uncommon', 'han_rare',
    'cjk_symbol', 'fullwidth_ascii', 'box_drawing', 'symbol', 'emoji',
    'private_use', 'unassigned', 'surrogate', 'noncharacter', 'replacement',
]
CI = {n: i for i, n in enumerate(CLASSES)}

# Whole cost in bits of a character of a fixed class: debris that mojibake
# leaves (C1 controls, private use, U+FFFD, ...) and emoji, which the
# training text hardly has but real text does.
DEFAULT_COST = {
    'ascii_control': 22, 'c1_control': 28, 'private_use': 28, 'unassigned': 28,
    'surrogate': 28, 'noncharacter': 28, 'replacement': 24, 'emoji': 14,
}

# Classes whose in-class distribution is mixed with a uniform one (weight):
# Latin-1 symbols (½ ° £ ¿ ...) serve every Latin-script language but are
# rare in man pages and catalogues.
SMOOTH_IN_CLASS = {'latin1_symbol': 0.3}

# Cost in bits of a compatibility form on top of the character it stands
# for: (entering the form, staying in it). Halfwidth katakana is real but
# rare text (bank statements, old systems) and common in Shift_JIS mojibake.
FORM_COST = {'h': (8.0, 1.0), 'c': (3.0, 1.0)}

# Classes whose cost does not depend on training text: the whole cost of such
# a character is its DEFAULT_COST (plus the backoff of its predecessor).
FIXED_CLASSES = {'ascii_control', 'c1_control', 'private_use', 'unassigned', 'surrogate',
                 'noncharacter', 'replacement', 'emoji'}
DENSE = 256                # symbols below this id have a dense pair table
BOS_CLASS = len(CLASSES)   # row of the class transition table for start of text
MAX_CLASS_STEP = 18.0      # cap on -log2 P(class | previous class)

# cp1252 punctuation and symbols in 0x80-0x9F that are not letters.
CP1252_SYMBOLS = set('€‚„…†‡ˆ‰‹‘’“”•–—˜™›')

INDIC_SCRIPTS = {'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil',
                 'Telugu', 'Kannada', 'Malayalam', 'Sinhala'}

# Whitespace folded to ' '. NBSP and U+3000 keep their own identity: both are
# real text in French and CJK, and NBSP is also what UTF-8 à leaves behind.
FOLD_SPACE = set('\t\n\v\f\r ') | {chr(c) for c in range(0x2000, 0x200B)} | {
    '\u2028', '\u2029', '\u202f', '\u205f'}

BOS = '\x00'   # start of text or line
UNK = '\x01'   # successor unknown (end of a dictionary word)


def load_ucd():
    gc = {}
    lower = {}
    first = None
    with open(f'{UCD}/UnicodeData.txt', encoding='utf-8') as f:
        for line in f:
            p = line.rstrip('\n').split(';')
            cp = int(p[0], 16)
            if p[1].endswith(', First>'):
                first = cp
                continue
            if p[1].endswith(', Last>'):
                for c in range(first, cp + 1):
                    gc[c] = p[2]
                continue
            gc[cp] = p[2]
            if p[13]:
                lower[cp] = int(p[13], 16)
    script = {}
    with open(f'{UCD}/Scripts.txt', encoding='utf-8') as f:
        for line in f:
            line = line.split('#')[0].strip()
            if not line:
                continue
            rng, sc = [x.strip() for x in line.split(';')]
            a, _, b = rng.partition('..')
            for c in range(int(a, 16), int(b or a, 16) + 1):
                script[c] = sc
    emoji_pres = set()
    ext_pict = set()
    with open(f'{UCD}/emoji/emoji-data.txt', encoding='utf-8') as f:
        for line in f:
            line = line.split('#')[0].strip()
            if not line:
                continue
            rng, prop = [x.strip() for x in line.split(';')]
            a, _, b = rng.partition('..')
            s = range(int(a, 16), int(b or a, 16) + 1)
            if prop == 'Emoji_Presentation':
                emoji_pres.update(s)
            elif prop == 'Extended_Pictographic':
                ext_pict.update(s)
    return gc, lower, script, emoji_pres, ext_pict


def fold_char(c, lower):
    if c in FOLD_SPACE:
        return ' '
    if '0' <= c <= '9':
        return '0'
    cp = ord(c)
    return chr(lower.get(cp, cp))


# Compatibility forms scored as the character they stand for, plus a small
# cost for the form itself (see FORM_COST): halfwidth katakana and Hangul
# as their usual forms, enclosed and Roman numbers as a digit.
HALFWIDTH = range(0xFF61, 0xFFDD)
NUMBER_FORMS = [*range(0x2460, 0x249C), 0x24EA, *range(0x24EB, 0x2500),
                *range(0x2776, 0x2794), *range(0x3251, 0x3260), *range(0x32B1, 0x32C0),
                *range(0x2160, 0x2189)]


def form_of(cp):
    if cp in HALFWIDTH:
        return 'h'
    if 0x2160 <= cp <= 0x32BF and cp in NUMBER_FORMS_SET:
        return 'c'
    return None


NUMBER_FORMS_SET = set(NUMBER_FORMS)


def build_fold_table(lower):
    t = {ord(c): ' ' for c in FOLD_SPACE}
    for d in '123456789':
        t[ord(d)] = '0'
    for cp in HALFWIDTH:
        k = unicodedata.normalize('NFKC', chr(cp))
        if len(k) == 1 and unicodedata.category(chr(cp)) != 'Cn':
            t[cp] = k
    for cp in NUMBER_FORMS:
        if unicodedata.category(chr(cp)) != 'Cn':
            t[cp] = '0'
    for a, b in lower.items():
        if a not in t:
            t[a] = b
    return t


# ---------------------------------------------------------------- text extraction
def held_out(path):
    """The held-out rule shared with the test-case generator."""
    return zlib.crc32(os.path.abspath(path).encode()) % 10 == 0


ROFF_SPECIAL = {
    'em': '—', 'en': '–', 'lq': '“', 'rq': '”', 'oq': '‘', 'cq': '’', 'aq': "'",
    'dq': '"', 'bu': '•', 'co': '©', 'rg': '®', 'tm': '™', 'hy': '-', 'mi': '-',
    'pl': '+', 'mu': '×', 'di': '÷', 'de': '°', '<=': '≤', '>=': '≥', '->': '→',
    '<-': '←', 'ua': '↑', 'da': '↓', 'Fo': '«', 'Fc': '»', 'fo': '‹', 'fc': '›',
    'ga': '`', 'ha': '^', 'ti': '~', 'rs': '\\', 'sl': '/', 'ba': '|', 'at': '@',
    'sh': '#', 'Do': '$', 'dg': '†', 'ss': 'ß', 'Eu': '€', 'eu': '€', 'ct': '¢',
    'Po': '£', 'Ye': '¥', 'ps': '¶', 'sc': '§', 'aa': '´', 'ul': '_', 'lh': '☜',
    'rh': '☞', 'pc': '·', '12': '½', '14': '¼', '34': '¾', '+-': '±', 'no': '¬',
    'if': '∞', 'ne': '≠', '==': '≡', '~~': '≈', 'or': '|',
}
TEXT_MACROS = {'SH', 'SS', 'B', 'I', 'BR', 'BI', 'IB', 'IR', 'RB', 'RI', 'SM', 'SB',
               'IP', 'TP', 'Nm', 'Nd', 'Sh', 'Ss', 'Fl', 'Ar', 'Op', 'Pa', 'Dq', 'Qq',
               'Em', 'Xr', 'It', 'Dl', 'D1', 'Ql', 'Sq', 'Ev', 'Va', 'Cm', 'Li', 'UR', 'MT'}
ALTERNATING = {'BR', 'BI', 'IB', 'IR', 'RB', 'RI'}

_re_special = re.compile(r'\\\(([^\s]{2})|\\\[([^\]]*)\]|\\C\'([^\']*)\'')
_re_font = re.compile(r'\\f(\([^\s]{2}|\[[^\]]*\]|.)')
_re_size = re.compile(r'\\s[+-]?(\d|\(\d\d|\[[^\]]*\])')
_re_string = re.compile(r'\\\*(\([^\s]{2}|\[[^\]]*\]|.)')
_re_misc = re.compile(r'\\[nwkhvxoYZbDlLNR]((\'[^\']*\')|(\([^\s]{2})|(\[[^\]]*\])|.)?')
_re_args = re.compile(r'"((?:[^"]|"")*)"|(\S+)')


def _special(m):
    name = m.group(1) or m.group(2) or m.group(3) or ''
    if name.startswith('u') and re.fullmatch(r'u[0-9A-Fa-f]{4,6}', name):
        return chr(int(name[1:], 16))
    return ROFF_SPECIAL.get(name, '')


def roff_escapes(s):
    s = re.sub(r'\\".*', '', s)
    s = s.replace('\\\\', '\x02')
    s = _re_font.sub('', s)
    s = _re_size.sub('', s)
    s = _re_string.sub('', s)
    s = _re_special.sub(_special, s)
    s = _re_misc.sub('', s)
    s = s.replace('\\-', '-').replace('\\e', '\\').replace('\\ ', ' ').replace('\\~', ' ')
    s = s.replace('\\0', ' ').replace('\\t', ' ')
    s = re.sub(r'\\[&|^,/%:cdu!{}\'`.]', '', s)
    s = re.sub(r'\\(.)', r'\1', s)
    return s.replace('\x02', '\\')


def strip_roff(text):
    out = []
    for line in text.split('\n'):
        if line.startswith(('.', "'")):
            m = re.match(r"[.']\s*(\S+)\s*(.*)", line)
            if not m:
                continue
            mac, rest = m.groups()
            if mac not in TEXT_MACROS or not rest:
                continue
            args = [a if a is not None and a != '' else b
                    for a, b in _re_args.findall(rest)]
            args = [a.replace('""', '"') for a in args if a]
            if mac in ('IP', 'TP'):
                args = args[:1]
            line = ('' if mac in ALTERNATING else ' ').join(args)
        line = roff_escapes(line).strip()
        if line:
            out.append(line)
    return out


def read_man(path):
    try:
        with gzip.open(path, 'rb') if path.endswith('.gz') else open(path, 'rb') as f:
            raw = f.read()
        text = raw.decode('utf-8')
    except (UnicodeDecodeError, OSError, EOFError, zlib.error):
        return None
    if text.startswith('.so ') and text.count('\n') <= 2:
        return None
    return strip_roff(text)


def read_mo(path):
    """msgstr strings of a compiled gettext catalogue."""
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 28:
        return []
    magic = struct.unpack('<I', data[:4])[0]
    end = '<' if magic == 0x950412de else '>' if magic == 0xde120495 else None
    if end is None:
        return []
    _, n, _, toff = struct.unpack(end + '4I', data[4:20])
    out = []
    for i in range(n):
        ln, off = struct.unpack(end + '2I', data[toff + 8 * i: toff + 8 * i + 8])
        if ln == 0:
            continue
        try:
            s = data[off:off + ln].decode('utf-8')
        except UnicodeDecodeError:
            return []
        if s.startswith('Project-Id-Version:') or 'Content-Type:' in s[:400]:
            continue
        for part in s.split('\0'):
            # A number goes where a numeric conversion was ("%d번째", "%d files"),
            # so digits meet real neighbours; other conversions are dropped.
            part = re.sub(r'%(\d+\$)?[-+ #0]*\d*(\.\d+)?[hlLqjzt]*[diufgxX]', '3', part)
            part = re.sub(r'%(\d+\$)?[-+ #0]*\d*(\.\d+)?[hlLqjzt]*[a-zA-Z%]', '', part)
            part = part.replace('&', '').replace('_', '')
            for line in part.split('\n'):
                line = line.strip()
                if line:
                    out.append(line)
    return out


def read_html(path):
    with open(path, 'rb') as f:
        text = f.read().decode('utf-8', errors='strict')
    text = re.sub(r'(?is)<(script|style)\b.*?</\1>', '', text)
    text = re.sub(r'(?s)<[^>]*>', '', text)
    text = html.unescape(text)
    return [l.strip() for l in text.split('\n') if l.strip()]


def read_plain(path):
    with open(path, 'rb') as f:
        text = f.read().decode('utf-8')
    return [l.strip() for l in text.split('\n') if l.strip() and l.strip() != '%']


def read_hunspell(path, nfc=False):
    words = []
    with open(path, 'rb') as f:
        raw = f.read()
    text = raw.decode('utf-8', errors='replace')
    for i, line in enumerate(text.split('\n')):
        if i == 0 and line.strip().isdigit():
            continue
        w = line.split('/')[0].split('\t')[0].strip()
        if not w or '\ufffd' in w:
            continue
        if nfc:
            w = unicodedata.normalize('NFC', w)
        words.append(w)
    return words


# ---------------------------------------------------------------- counting
class counts:
    def __init__(self):
        self.uni = collections.Counter()
        self.bi = collections.Counter()
        self.ctx = collections.Counter()   # prev occurrences that have any successor
        self.case = collections.Counter()  # (prev state, cur state)
        self.chars = 0

    def add_lines(self, lines, fold, casemap):
        text = BOS + BOS.join(lines)
        self.chars += len(text) - len(lines)
        self._add(text, fold, casemap, 1.0)

    def add_words(self, words, fold, casemap, bounded, weights=None):
        """Dictionary words. bounded: the script separates words by spaces."""
        if weights is None:
            if bounded:
                text = BOS + ' ' + ' '.join(words) + ' '
            else:
                text = UNK.join(words) + UNK
            self.chars += len(text)
            self._add(text, fold, casemap, 1.0)
            return
        for w, k in zip(words, weights):
            f = w.translate(fold)
            self.chars += len(w) * k
            for c in f:
                self.uni[c] += k
            for a, b in zip(f, f[1:]):
                self.bi[a, b] += k
                self.ctx[a] += k
            self.ctx[f[-1]] += k   # successor unknown: its mass goes to backoff

    def _add(self, text, fold, casemap, w):
        f = text.translate(fold)
        for c, n in collections.Counter(f).items():
            if c not in (BOS, UNK):
                self.uni[c] += n * w
        for (a, b), n in collections.Counter(zip(f, f[1:])).items():
            if a == UNK or b == BOS:
                continue
            self.ctx[a] += n * w
            if b != UNK:
                self.bi[a, b] += n * w
        cs = re.sub('[^aAnU]', '.', text.translate(casemap))
        for (a, b), n in collections.Counter(zip(cs, cs[1:])).items():
            self.case[a, b] += n * w

    def merge(self, o, w=1.0):
        for d, od in ((self.uni, o.uni), (self.bi, o.bi), (self.ctx, o.ctx), (self.case, o.case)):
            for k, v in od.items():
                d[k] += v * w
        self.chars += o.chars * w


JIEBA_DICT = '/usr/lib/python3/dist-packages/jieba/dict.txt'


def read_jieba():
    words, freqs = [], []
    with open(JIEBA_DICT, encoding='utf-8') as f:
        for line in f:
            p = line.split()
            if len(p) >= 2 and p[1].isdigit():
                words.append(p[0])
                freqs.append(int(p[1]))
    return words, freqs


def opencc_convert(words, config):
    """Convert words with OpenCC (libopencc from Debian, through ctypes)."""
    import ctypes
    try:
        lib = ctypes.CDLL('libopencc.so.1.1')
    except OSError:
        print('libopencc not found: no converted dictionary', file=sys.stderr)
        return []
    lib.opencc_open.restype = ctypes.c_void_p
    lib.opencc_open.argtypes = [ctypes.c_char_p]
    lib.opencc_convert_utf8.restype = ctypes.c_void_p
    lib.opencc_convert_utf8.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.opencc_convert_utf8_free.argtypes = [ctypes.c_void_p]
    lib.opencc_close.argtypes = [ctypes.c_void_p]
    od = lib.opencc_open(config.encode())
    if not od or od == ctypes.c_void_p(-1).value:
        return []
    data = '\n'.join(words).encode()
    r = lib.opencc_convert_utf8(od, data, len(data))
    out = ctypes.string_at(r).decode().split('\n')
    lib.opencc_convert_utf8_free(r)
    lib.opencc_close(od)
    return out if len(out) == len(words) else []


def man_files(lang):
    base = '/usr/share/man' + ('' if lang == 'en' else '/' + lang)
    pat = base + '/man*/*'
    files = sorted(glob.glob(pat))
    # Spread a capped language over all sections, deterministically.
    files.sort(key=lambda p: zlib.crc32(p.encode()) ^ 0x5bd1e995)
    return [p for p in files if os.path.isfile(p)]


def mo_files(lang):
    return sorted(glob.glob(f'/usr/share/locale/{lang}/LC_MESSAGES/*.mo'))


def take_lines(paths, reader, cap, used, skipped, hold=True):
    lines = []
    n = 0
    for p in paths:
        if n >= cap:
            break
        if hold and held_out(p):
            skipped.append(p)
            continue
        got = reader(p)
        if not got:
            continue
        used.append(p)
        lines.extend(got)
        n += sum(len(l) for l in got)
    return lines, n


# Running-text languages: man pages and gettext catalogues. Cap in characters.
RUNNING = {
    'en': 'English', 'fr': 'French', 'de': 'German', 'pl': 'Polish', 'cs': 'Czech',
    'vi': 'Vietnamese', 'es': 'Spanish', 'it': 'Italian', 'ru': 'Russian',
    'uk': 'Ukrainian', 'el': 'Greek', 'pt': 'Portuguese', 'pt_BR': 'Portuguese (Brazil)',
    'tr': 'Turkish', 'hu': 'Hungarian', 'ro': 'Romanian', 'nl': 'Dutch', 'sv': 'Swedish',
    'da': 'Danish', 'fi': 'Finnish', 'hr': 'Croatian', 'sl': 'Slovenian', 'sr': 'Serbian',
    'id': 'Indonesian', 'ja': 'Japanese', 'ko': 'Korean', 'zh_CN': 'Chinese (Simplified)',
    'zh_TW': 'Chinese (Traditional)', 'ar': 'Arabic', 'he': 'Hebrew', 'th': 'Thai', 'hi': 'Hindi',
}
# Languages beyond the main ones get a smaller share.
MINOR = {'pt', 'pt_BR', 'tr', 'hu', 'ro', 'nl', 'sv', 'da', 'fi', 'hr', 'sl', 'sr', 'id'}


def running_lines(lang, cap, used, skipped, hold_mo=False):
    """The running-text lines of a language (held-out files skipped; gettext
    catalogues too with hold_mo), and the characters taken from man pages,
    catalogues and other text."""
    lcap = cap // 3 if lang in MINOR else cap
    # Man pages take at most two thirds: user-interface strings from the
    # catalogues bring other words (greetings, prices, short labels).
    lines, n_man = take_lines(man_files(lang) if os.path.isdir(
        f'/usr/share/man/{lang}') or lang == 'en' else [], read_man, lcap * 2 // 3, used,
        skipped)
    # Some languages use a longer locale name for their catalogues.
    mo = mo_files(lang) + (mo_files('zh_HK') if lang == 'zh_TW' else [])
    mo_lines, n_mo = take_lines(mo, read_mo, max(0, lcap - n_man), used,
                                skipped if hold_mo else [], hold=hold_mo)
    lines += mo_lines
    extra = 0
    if lang == 'zh_CN':
        fl, extra = take_lines([f'/usr/share/games/fortunes/{x}' for x in
                                ('chinese', 'song100', 'tang300')], read_plain, cap, used, skipped)
        lines += fl
    if lang == 'ko':
        faq = sorted(glob.glob('/usr/share/doc/debian/FAQ/ko/*.html'))
        fl, extra = take_lines(faq, read_html, cap, used, skipped)
        lines += fl
    return lines, n_man, n_mo, extra


def collect(fold, casemap, cap, log):
    per_lang = {}
    used, skipped = [], []
    for lang, name in RUNNING.items():
        c = counts()
        lines, n_man, n_mo, extra = running_lines(lang, cap, used, skipped)
        # Decomposed text (macOS file names, some Vietnamese input) is real
        # text too: every 8th line that NFD changes is also counted decomposed.
        nfd = [d for d in (unicodedata.normalize('NFD', l) for l in lines[::8]) if d]
        lines += [d for d, l in zip(nfd, lines[::8]) if d != l]
        c.add_lines(lines, fold, casemap)
        dict_words = 0
        if lang in ('zh_CN', 'zh_TW'):
            words, freqs = read_jieba()
            if lang == 'zh_TW':
                # The same word frequencies in Taiwan standard characters.
                words = opencc_convert(words, '/usr/share/opencc/s2tw.json')
            if words:
                # Kept apart: build() weighs it against the running text.
                d = counts()
                total = sum(len(w) * k for w, k in zip(words, freqs))
                d.add_words(words, fold, casemap, False, [k * cap / total for k in freqs])
                per_lang[lang + ':jieba'] = d
                dict_words = len(words)
                used.append(JIEBA_DICT)
        hun = {'ko': 'ko', 'ar': 'ar', 'he': 'he_IL', 'th': 'th_TH', 'hi': 'hi_IN'}.get(lang)
        if hun:
            p = f'/usr/share/hunspell/{hun}.dic'
            words = read_hunspell(p, nfc=True)
            # Large inflected word lists would outweigh the running text.
            budget = cap // 2
            size = sum(len(w) + 1 for w in words)
            if size > budget:
                step = size / budget
                words = [words[int(i * step)] for i in range(int(len(words) / step))]
            c.add_words(words, fold, casemap, bounded=(lang != 'th'))
            dict_words = len(words)
            used.append(p)
        per_lang[lang] = c
        log(f'{lang:6} man {n_man:>9} mo {n_mo:>9} extra {extra:>9} dict words {dict_words:>7}'
            f'  total chars {int(c.chars):>9}')
    return per_lang, used, skipped


# ---------------------------------------------------------------- tables
def q(bits):
    """Quarter-bit units, saturated to a byte."""
    return max(0, min(255, int(round(bits * 4))))


def classify_all(gc, script, emoji_pres, ext_pict, han_tier, ksx):
    cls = bytearray(0x110000)
    for cp in range(0x110000):
        g = gc.get(cp, 'Cn')
        sc = script.get(cp, 'Unknown')
        c = chr(cp) if not 0xD800 <= cp < 0xE000 else None
        if cp < 0x80:
            ch = chr(cp)
            if ch.isalpha():
                k = 'ascii_letter'
            elif ch.isdigit():
                k = 'ascii_digit'
            elif ch in '\t\n\v\f\r ':
                k = 'ascii_space'
            elif cp < 0x20 or cp == 0x7F:
                k = 'ascii_control'
            else:
                k = 'ascii_punct'
        elif cp < 0xA0:
            k = 'c1_control'
        elif cp < 0xC0 or cp in (0xD7, 0xF7) or (c is not None and c in CP1252_SYMBOLS):
            k = 'latin1_symbol'
        elif cp == 0xFFFD:
            k = 'replacement'
        elif 0xD800 <= cp < 0xE000:
            k = 'surrogate'
        elif (0xFDD0 <= cp <= 0xFDEF) or (cp & 0xFFFE) == 0xFFFE:
            k = 'noncharacter'
        elif g == 'Co':
            k = 'private_use'
        elif g == 'Cn':
            k = 'unassigned'
        elif 0xAC00 <= cp <= 0xD7A3:
            k = 'hangul_ksx1001' if cp in ksx else 'hangul_other'
        elif (0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F or 0xA960 <= cp <= 0xA97F
              or 0xD7B0 <= cp <= 0xD7FF or 0xFFA0 <= cp <= 0xFFDC):
            k = 'hangul_jamo'
        elif 0xFF61 <= cp <= 0xFF9F:
            k = 'halfwidth_kana'
        elif 0xFF01 <= cp <= 0xFF5E:
            k = 'fullwidth_ascii'
        elif sc in ('Hiragana', 'Katakana') or cp in (0x30FC, 0x309B, 0x309C):
            k = 'kana'
        elif sc == 'Han' and (g == 'Lo' or cp in (0x3005, 0x3007)):
            k = han_tier(cp)
        elif 0x2500 <= cp <= 0x25FF:
            k = 'box_drawing'
        elif (cp in emoji_pres and cp >= 0x2000) or (cp in ext_pict and cp >= 0x1F000) or \
                0x1F1E6 <= cp <= 0x1F1FF or 0x1F3FB <= cp <= 0x1F3FF:
            k = 'emoji'
        elif (0x2E80 <= cp <= 0x2FDF or 0x3000 <= cp <= 0x303F or 0x3190 <= cp <= 0x319F
              or 0x31C0 <= cp <= 0x31EF or 0x3200 <= cp <= 0x33FF or 0xFE30 <= cp <= 0xFE4F
              or 0xFF00 <= cp <= 0xFFEF):
            k = 'cjk_symbol'
        elif g.startswith('L') or g.startswith('M') or g == 'Nl':
            if sc in INDIC_SCRIPTS:
                k = 'indic'
            elif sc == 'Thai':
                k = 'thai'
            elif sc in ('Greek', 'Cyrillic', 'Armenian', 'Hebrew', 'Arabic'):
                k = sc.lower()
            elif g.startswith('M'):
                k = 'combining_mark'
            elif sc == 'Latin':
                k = 'latin_letter'
            else:
                k = 'other_letter'
        else:
            k = 'symbol'
        cls[cp] = CI[k]
    return cls


def build(args):
    log = lambda s: print(s, file=sys.stderr)
    gc, lower, script, emoji_pres, ext_pict = load_ucd()
    fold = build_fold_table(lower)
    # Case letters: a/A ASCII lower/upper, n/U other lower/upper, . uncased.
    casemap = {}
    for cp, g in gc.items():
        if g in ('Lu', 'Lt'):
            casemap[cp] = 'A' if cp < 0x80 else 'U'
        elif g == 'Ll':
            casemap[cp] = 'a' if cp < 0x80 else 'n'
    cap = int(args.cap_mb * 1_000_000)
    key = f'{args.cap_mb}/8'
    if args.cache and os.path.exists(args.cache):
        with open(args.cache, 'rb') as f:
            ck, per_lang, used, skipped = pickle.load(f)
        if ck != key:
            per_lang = None
    else:
        per_lang = None
    if per_lang is None:
        per_lang, used, skipped = collect(fold, casemap, cap, log)
        if args.cache:
            with open(args.cache, 'wb') as f:
                pickle.dump((key, per_lang, used, skipped), f)

    total = counts()
    for lang, c in per_lang.items():
        # jieba's counts come from a large corpus; scaled to the cap, then
        # weighted so they set Han frequencies without drowning the rest.
        total.merge(c, args.dict_weight if lang.endswith(':jieba') else 1.0)
    log(f'total chars {int(total.chars)}; distinct bigrams {len(total.bi)}')

    # Han tiers: common in any of Simplified Chinese, Traditional Chinese or
    # Japanese; otherwise seen; otherwise rare.
    def han_rank(lang, n):
        u = collections.Counter(per_lang[lang].uni)
        if lang + ':jieba' in per_lang:
            for ch, k in per_lang[lang + ':jieba'].uni.items():
                u[ch] += k * args.dict_weight
        hs = sorted((c for c in u if script.get(ord(c)) == 'Han'), key=lambda c: (-u[c], c))
        return set(hs[:n])
    common = han_rank('zh_CN', 3500) | han_rank('zh_TW', 3500) | han_rank('ja', 2500)
    seen = {c for c, n in total.uni.items() if script.get(ord(c)) == 'Han' and n >= args.han_seen}

    def han_tier(cp):
        c = chr(cp)
        f = chr(lower.get(cp, cp))
        if f in common:
            return 'han_common'
        if f in seen:
            return 'han_uncommon'
        return 'han_rare'

    ksx = set()
    for cp in range(0xAC00, 0xD7A4):
        if len(chr(cp).encode('euc_kr')) == 2:
            ksx.add(cp)
    assert len(ksx) == 2350, len(ksx)

    cls = classify_all(gc, script, emoji_pres, ext_pict, han_tier, ksx)
    log(f'han common {sum(1 for c in range(0x110000) if cls[c] == CI["han_common"])}, '
        f'uncommon {sum(1 for c in range(0x110000) if cls[c] == CI["han_uncommon"])}')

    def fcls(c):
        """Class of a folded character (BOS has its own)."""
        return BOS_CLASS if c == BOS else cls[ord(c)]

    # Vocabulary: folded characters seen often enough, outside the classes
    # whose cost is fixed. Id 0 = unknown, 1 = BOS.
    vocab = [c for c, n in total.uni.items()
             if n >= args.min_char and CLASSES[fcls(c)] not in FIXED_CLASSES]
    vocab.sort(key=lambda c: (-total.uni[c], c))
    sym = {BOS: 1}
    for c in vocab:
        sym[c] = len(sym) + 1
    nsym = len(sym) + 1
    assert nsym < 65536, nsym
    log(f'vocabulary {nsym}')

    # Class level: P(class of cur | class of prev) and P(cur | its class).
    ncls = len(CLASSES)
    cls_total = [0.0] * ncls
    for c, n in total.uni.items():
        cls_total[fcls(c)] += n
    cls_bi = [[0.0] * ncls for _ in range(ncls + 1)]
    for (a, b), n in total.bi.items():
        cls_bi[fcls(a)][fcls(b)] += n
    grand = sum(cls_total)
    prior = [(cls_total[k] + 1) / (grand + ncls) for k in range(ncls)]
    trans = [[0.0] * ncls for _ in range(ncls + 1)]
    for i in range(ncls + 1):
        row = sum(cls_bi[i])
        for k in range(ncls):
            if CLASSES[k] in FIXED_CLASSES:
                trans[i][k] = DEFAULT_COST[CLASSES[k]]
                continue
            beta = 20.0
            p = (cls_bi[i][k] + beta * prior[k]) / (row + beta)
            trans[i][k] = min(MAX_CLASS_STEP, -math.log2(p))
    # Training lines are stripped, but indented lines are real text.
    trans[BOS_CLASS][CI['ascii_space']] = min(trans[BOS_CLASS][CI['ascii_space']], 5.0)
    # Unknown characters share what the rare characters of their class had.
    ncps = collections.Counter(cls)
    nvocab = collections.Counter(fcls(c) for c in vocab)
    rare_mass = [0.0] * ncls
    for c, n in total.uni.items():
        # Good-Turing in spirit: what was seen only a few times tells how
        # much is left for what was never seen.
        if n < 3.0:
            rare_mass[fcls(c)] += n
    inclass_default = [0.0] * ncls
    for k in range(ncls):
        name = CLASSES[k]
        if name in FIXED_CLASSES:
            continue
        unknown = max(1, ncps[k] - nvocab[k])
        if cls_total[k] > 0:
            mass = max(rare_mass[k], 0.5) / (cls_total[k] + 0.5)
        else:
            mass = 1.0
        inclass_default[k] = min(40.0, max(4.0, -math.log2(mass / unknown)))
    p_in = {}
    inclass = [0.0] * nsym
    for c in vocab:
        p = total.uni[c] / cls_total[fcls(c)]
        w = SMOOTH_IN_CLASS.get(CLASSES[fcls(c)], 0.0)
        p = (1 - w) * p + w / ncps[fcls(c)]
        p_in[c] = p
        inclass[sym[c]] = -math.log2(p)
    for i, name in enumerate(CLASSES + ['bos']):
        log(f'  {name:15} total {cls_total[i] if i < ncls else 0:>12.0f} '
            f'unknown in-class {inclass_default[i] if i < ncls else 0:5.1f}  '
            f'to self {trans[i][i] if i < ncls else 0:5.1f} '
            f'to space {trans[i][CI["ascii_space"]]:5.1f}')

    def p_class_level(a, b):
        return 2.0 ** -trans[fcls(a)][fcls(b)] * p_in[b]

    # Katz backoff with Witten-Bell discounting. Stored bigrams: count >= min_bigram.
    succ_types = collections.Counter()
    for (a, b) in total.bi:
        succ_types[a] += 1
    kept = {}
    stored_low = collections.Counter()
    stored_mass = collections.Counter()
    for (a, b), n in total.bi.items():
        if a not in sym or b not in sym:
            continue
        N = total.ctx[a]
        # Rare contexts (a rare Han character known from a few dictionary
        # words) keep the successors that make up a good share of them.
        if n < args.min_bigram and not (n >= args.min_share_count and n >= args.min_share * N):
            continue
        T = succ_types[a]
        lam = T / (T + N)
        p = (1 - lam) * n / N
        kept[a, b] = p
        stored_mass[a] += p
        stored_low[a] += p_class_level(a, b)
    back_cost = [0.0] * nsym
    for c, s_ in sym.items():
        if c not in total.ctx:
            continue
        left = max(1e-9, 1.0 - stored_mass[c])
        denom = max(1e-9, 1.0 - stored_low[c])
        back_cost[s_] = max(0.0, -math.log2(left / denom))
    log(f'stored bigrams {len(kept)}')

    # Drop stored bigrams that say the same as the backoff (within a quarter bit).
    entries = []
    for (a, b), p in kept.items():
        bits = -math.log2(p)
        via_back = back_cost[sym[a]] + trans[fcls(a)][fcls(b)] + inclass[sym[b]]
        if abs(bits - via_back) < 0.25:
            continue
        entries.append(((sym[a] << 16) | sym[b], q(bits)))
    log(f'bigram entries after redundancy pruning {len(entries)}')

    # Letter case: P(case of cur | case of prev), given whether cur is an
    # ASCII letter (the folded letter already says which).
    states = '.aAnUhc'
    ns = len(states)
    case_cost = [0] * (ns * ns)
    for i, p in enumerate(states):
        # Leaving a compatibility form is like leaving an uncased character.
        pr = p if p in '.aAnU' else '.'
        for lo, up in (('a', 'A'), ('n', 'U')):
            tot = total.case[pr, lo] + total.case[pr, up] + 2
            for qq in (lo, up):
                bits = -math.log2((total.case[pr, qq] + 1) / tot)
                # camelCase and brand names are real text: ASCII case changes
                # cost at most 6 bits.
                bits = min(6.0 if qq == 'A' else 12.0, bits)
                case_cost[i * ns + states.index(qq)] = q(bits)
        for form, (enter, stay) in FORM_COST.items():
            case_cost[i * ns + states.index(form)] = q(stay if p == form else enter)
    log('case costs (bits) ' + ' '.join(f'{p}{qq}:{case_cost[i * ns + j] / 4:.2f}'
                                       for i, p in enumerate(states)
                                       for j, qq in enumerate(states) if j))

    # Per code point entry: sym (bits 0-15), class (16-21), case or form
    # (22-24: index in '.aAnUhc'), class used for costs (25-30: the class of
    # the folded symbol, which differs for forms, e.g. halfwidth kana -> kana).
    entry = [0] * 0x110000
    for cp in range(0x110000):
        c = chr(cp)
        f = c.translate(fold) if not 0xD800 <= cp < 0xE000 else c
        s_ = sym.get(f, 0) if f not in (BOS, UNK) else 0
        g = gc.get(cp)
        form = form_of(cp) if s_ else None
        if form:
            case = states.index(form)
        else:
            case = states.index(casemap[cp]) if g in ('Lu', 'Lt', 'Ll') else 0
        cost_cls = fcls(f) if s_ else cls[cp]
        # Arrows, maths, technical and pictographic symbols (♫ ✓ → √) are
        # common in informal text and rare in the training text: they cost
        # what an emoji costs.
        if cls[cp] == CI['symbol'] and not form and (
                0x2190 <= cp <= 0x23FF or 0x2600 <= cp <= 0x27BF or 0x2B00 <= cp <= 0x2BFF):
            cost_cls = CI['emoji']
            s_ = 0
        entry[cp] = s_ | (cls[cp] << 16) | (case << 22) | (cost_cls << 25)
    # Two-level table: stage1[cp >> 8] -> block, stage2[block * 256 + (cp & 255)].
    blocks = {}
    stage1 = []
    stage2 = bytearray()
    for hi in range(0x1100):
        blk = struct.pack('<256I', *entry[hi * 256:(hi + 1) * 256])
        if blk not in blocks:
            blocks[blk] = len(blocks)
            stage2 += blk
        stage1.append(blocks[blk])
    log(f'stage2 blocks {len(blocks)}')

    # Open addressing hash, linear probing, key 0 = empty.
    n = len(entries)
    bits = max(10, math.ceil(math.log2(n / 0.6)))
    size = 1 << bits
    keys = [0] * size
    vals = bytearray(size)
    for k, v in entries:
        h = ((k * 0x9E3779B1) & 0xFFFFFFFF) >> (32 - bits)
        while keys[h]:
            h = (h + 1) & (size - 1)
        keys[h] = k
        vals[h] = v
    log(f'hash slots {size} load {n / size:.2f}')

    # Dense costs among the 255 most frequent symbols (ids 1-255): most text
    # never needs the hash. Same sums as the sparse path, in quarter bits.
    sym_cls = {v: fcls(c) for c, v in sym.items()}
    stored = dict(entries)
    dense = bytearray(DENSE * DENSE)
    for ps in range(1, DENSE):
        for cs in range(2, min(DENSE, nsym)):
            v = stored.get((ps << 16) | cs)
            if v is None:
                v = (q(back_cost[ps]) + q(trans[sym_cls[ps]][sym_cls[cs]]) + q(inclass[cs]))
            assert v < 256, (ps, cs, v)
            dense[ps * DENSE + cs] = v
    sections = [
        struct.pack('<4352H', *stage1),
        bytes(stage2),
        bytes(q(x) for x in inclass), bytes(q(x) for x in back_cost),
        bytes(q(x) for x in inclass_default), bytes(case_cost),
        bytes(q(trans[i][k]) for i in range(ncls + 1) for k in range(ncls)),
        struct.pack(f'<{size}I', *keys), bytes(vals),
        bytes(dense),
    ]
    # Header: magic, nsym, hash bits, class count, then (offset, size) per section.
    hdr_len = 16 + 8 * len(sections)
    hdr_len = (hdr_len + 15) & ~15
    offs = []
    blob = bytearray()
    pos = hdr_len
    for s in sections:
        offs.append((pos, len(s)))
        blob += s
        pad = (-len(blob)) % 16
        blob += b'\0' * pad
        pos = hdr_len + len(blob)
    hdr = b'MJFXMDL4' + struct.pack('<HHHH', nsym, bits, len(CLASSES), len(sections))
    for o, l in offs:
        hdr += struct.pack('<II', o, l)
    hdr += b'\0' * (hdr_len - len(hdr))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, 'model.bin'), 'wb') as f:
        f.write(hdr + blob)
    log(f'model.bin {len(hdr) + len(blob)} bytes')

    with open(os.path.join(args.out, 'training.txt'), 'w', encoding='utf-8') as f:
        f.write('# Training text per language (characters; dictionary words weighted)\n')
        for lang, c in per_lang.items():
            f.write(f'{lang}\t{int(c.chars)}\n')
        f.write(f'# files used: {len(used)}; held out: {len(skipped)}\n')
        for p in sorted(skipped):
            f.write(f'held-out\t{p}\n')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default=os.path.join(os.path.dirname(__file__), '..', 'data', 'model'))
    ap.add_argument('--cap-mb', type=float, default=5.0)
    ap.add_argument('--min-char', type=float, default=0.3)
    ap.add_argument('--min-bigram', type=float, default=3.0)
    ap.add_argument('--han-seen', type=float, default=3.0)
    ap.add_argument('--min-share', type=float, default=0.1)
    ap.add_argument('--min-share-count', type=float, default=0.01)
    ap.add_argument('--dict-weight', type=float, default=1.0,
                    help='weight of jieba (scaled to the cap) against running text')
    ap.add_argument('--cache', help='pickle of the counts, reused when present')
    build(ap.parse_args())


if __name__ == '__main__':
    main()
