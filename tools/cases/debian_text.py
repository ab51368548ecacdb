"""Extracts prose lines from text that ships in Debian packages.

Used by tools/gen_cases.py. Man pages are gzipped roff: macros and escapes are
stripped and only lines that read as prose are kept. The Korean Debian FAQ is
HTML: tags are stripped.

A file is *held out* (never used to train the model) iff
zlib.crc32(absolute_path.encode()) % 10 == 0; the model's generator applies
the same rule, so cases built from held-out files test text the model has not
seen.
"""

import gzip
import html
import os
import re
import subprocess
import unicodedata
import zlib

MAN_ROOT = "/usr/share/man"

# roff special characters that occur in prose; anything else drops the line.
ROFF_CHARS = {
    "em": "\u2014", "en": "\u2013", "lq": "\u201c", "rq": "\u201d",
    "oq": "\u2018", "cq": "\u2019", "aq": "'", "dq": '"', "hy": "-",
    "bu": "\u2022", "co": "\u00a9", "rg": "\u00ae", "tm": "\u2122",
    "de": "\u00b0", "mu": "\u00d7", "+-": "\u00b1", "->": "\u2192",
    "<-": "\u2190", "Fo": "\u00ab", "Fc": "\u00bb", "fo": "\u2039",
    "fc": "\u203a", "ga": "`", "ti": "~", "ha": "^", "sl": "/",
    "ba": "|", "rs": "\\", "at": "@", "sh": "#", "Do": "$", "ct": "\u00a2",
    "Po": "\u00a3", "Ye": "\u00a5", "Eu": "\u20ac", "eu": "\u20ac",
    "ss": "\u00df", "12": "\u00bd", "14": "\u00bc", "34": "\u00be",
    "ps": "\u00b6", "sc": "\u00a7", "r!": "\u00a1", "r?": "\u00bf",
    "pc": "\u00b7", "mc": "\u00b5", "di": "\u00f7", "<=": "\u2264",
    ">=": "\u2265", "!=": "\u2260", "aa": "\u00b4", "ul": "_",
}
ROFF_STRINGS = {"lq": "\u201c", "rq": "\u201d", "R": "\u00ae", "Tm": "\u2122"}
TEXT_MACROS = {"SH", "SS", "B", "I", "SM", "SB", "BI", "BR", "IB", "IR", "RB",
               "RI", "TP", "IP", "Nm", "Nd", "Sh", "Ss", "It", "Dl"}
ALTERNATING = {"BI", "BR", "IB", "IR", "RB", "RI"}


def held_out(path):
    return zlib.crc32(os.path.abspath(path).encode()) % 10 == 0


def man_files(lang):
    """Regular files (not links) of the man pages of `lang` ("en" = C)."""
    if lang == "en":
        roots = [os.path.join(MAN_ROOT, d) for d in sorted(os.listdir(MAN_ROOT))
                 if re.fullmatch(r"man\w+", d)]
    else:
        roots = [os.path.join(MAN_ROOT, lang)]
    out = []
    for root in roots:
        for dirpath, dirs, files in os.walk(root):
            dirs.sort()
            for f in sorted(files):
                p = os.path.join(dirpath, f)
                if os.path.isfile(p) and not os.path.islink(p):
                    out.append(p)
    return out


_ESC = re.compile(r"\\(\((..)|\[([^\]]*)\]|\*\((..)|\*\[([^\]]*)\]|\*(.)|"
                  r"f\(..|f\[[^\]]*\]|f.|s[+-]?\d+|s\(\d\d|.)")


def _unescape(text):
    bad = False

    def sub(m):
        nonlocal bad
        whole = m.group(1)
        if m.group(2) is not None or m.group(3) is not None:
            name = m.group(2) if m.group(2) is not None else m.group(3)
            if name in ROFF_CHARS:
                return ROFF_CHARS[name]
            bad = True
            return ""
        for g in (4, 5, 6):
            if m.group(g) is not None:
                if m.group(g) in ROFF_STRINGS:
                    return ROFF_STRINGS[m.group(g)]
                bad = True
                return ""
        if whole.startswith("f") or whole.startswith("s") and len(whole) > 1:
            return ""
        c = whole
        if c == "-":
            return "-"
        if c == "e":
            return "\\"
        if c in "&|^%:c)":
            return ""
        if c in "0~ ":
            return " "
        bad = True
        return ""

    out = _ESC.sub(sub, text)
    return None if bad or "\\" in out else out


def roff_lines(raw):
    """Yields the text lines of a roff document, macros and escapes removed."""
    for line in raw.split("\n"):
        if line.startswith((".\\\"", "'\\\"", "\\\"")):
            continue
        if line.startswith((".", "'")):
            parts = line[1:].strip().split(None, 1)
            if not parts or parts[0] not in TEXT_MACROS or len(parts) < 2:
                continue
            args = re.findall(r'"[^"]*"|\S+', parts[1])
            args = [a.strip('"') for a in args]
            if parts[0] in ("TP", "IP"):
                continue
            sep = "" if parts[0] in ALTERNATING else " "
            line = sep.join(args)
        text = _unescape(line)
        if text is None:
            continue
        text = re.sub(r"\s+", " ", text).strip()
        if text:
            yield text


def read_man(path):
    try:
        with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
            data = f.read()
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError, EOFError):
        return None


def _cjk_count(s):
    n = 0
    for ch in s:
        o = ord(ch)
        if (0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7A3
                or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FFFF):
            n += 1
    return n


SCRIPT_OF_LANG = {"ru": "CYRILLIC", "uk": "CYRILLIC", "el": "GREEK"}
CJK_LANGS = {"zh_CN", "zh_TW", "ja", "ko"}


def is_prose(line, lang, min_len=8, max_len=200):
    """True when `line` reads as a sentence or title of language `lang`."""
    if not (min_len <= len(line) <= max_len):
        return False
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Cn") for c in line):
        return False
    if "\ufffd" in line or re.search(r"[{}<>=|]|\$\w|/\w+/|\w\(\d\)|--\w|^\W", line):
        return False
    if re.match(r"\d+\s+\d+\s+[0-9A-Fa-f]{2}\s", line):
        return False  # a row of a character-set table (charsets(7) and the like)
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 0.6 * len(line.replace(" ", "")):
        return False
    if lang in CJK_LANGS:
        cjk = _cjk_count(line)
        if cjk < 4 or cjk < 0.4 * len(letters):
            return False
        if lang == "ko" and not re.search("[\uac00-\ud7a3]", line):
            return False
        if lang == "ja" and not re.search("[\u3040-\u30ff]", line):
            return False
        return True
    if " " not in line:
        return False
    if lang in SCRIPT_OF_LANG:
        want = SCRIPT_OF_LANG[lang]
        own = sum(1 for c in letters if unicodedata.name(c, "").startswith(want))
        return own >= 0.9 * len(letters)
    # Latin-script languages.
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    if latin < 0.95 * len(letters):
        return False
    if lang == "en":
        return True
    # Untranslated English lines are common in translated man pages.
    accented = sum(1 for c in letters if ord(c) > 0x7F)
    return len(line.split()) >= 3 and accented >= (3 if lang == "vi" else 1)


def man_prose(lang, which="held-out"):
    """Prose lines from man pages; which = held-out | training | all."""
    seen = set()
    out = []
    for path in man_files(lang):
        h = held_out(path)
        if (which == "held-out" and not h) or (which == "training" and h):
            continue
        raw = read_man(path)
        if raw is None:
            continue
        for line in roff_lines(raw):
            if line not in seen and is_prose(line, lang):
                seen.add(line)
                out.append(line)
    return out


def faq_ko_files():
    names = subprocess.run(["dpkg", "-L", "debian-faq-ko"], capture_output=True,
                           text=True, check=True).stdout.split("\n")
    return sorted(p for p in names if p.endswith(".ko.html") and os.path.isfile(p))


def html_prose(path, lang):
    with open(path, "rb") as f:
        raw = f.read().decode("utf-8", errors="replace")
    raw = re.sub(r"(?is)<(script|style|pre)\b.*?</\1>", " ", raw)
    raw = re.sub(r"(?i)<br\s*/?>|</?(p|div|li|h\d|dt|dd|tr|td|title|table|ul|ol)\b[^>]*>",
                 "\n", raw)
    raw = re.sub(r"<[^>]*>", "", raw)
    raw = html.unescape(raw)
    out = []
    for para in raw.split("\n"):
        para = re.sub(r"\s+", " ", para).strip()
        # Long paragraphs are split into sentences.
        for sent in re.split(r"(?<=[.?!])\s+", para):
            if is_prose(sent, lang):
                out.append(sent)
    return out


def faq_ko_prose(which="held-out"):
    seen = set()
    out = []
    for path in faq_ko_files():
        h = held_out(path)
        if (which == "held-out" and not h) or (which == "training" and h):
            continue
        for line in html_prose(path, "ko"):
            if line not in seen:
                seen.add(line)
                out.append(line)
    return out


def debian_prose(lang, which="held-out"):
    if lang == "ko":
        return faq_ko_prose(which)
    return man_prose(lang, which)


def mo_strings(path, skip_untranslated=False):
    """Translated strings of a gettext catalogue."""
    import gettext
    try:
        with open(path, "rb") as f:
            cat = gettext.GNUTranslations(f)._catalog
    except (OSError, UnicodeDecodeError, ValueError, IndexError, LookupError):
        # A few catalogues have headers the gettext module cannot read.
        return []
    out = []
    for key, value in cat.items():
        if key == "" or not isinstance(value, str):
            continue
        if skip_untranslated and value == (key[0] if isinstance(key, tuple) else key):
            continue
        out.append(value)
    return out


def messages_prose(lang, which="held-out"):
    """Prose lines from the gettext catalogues of /usr/share/locale/<lang>/."""
    folder = "/usr/share/locale/%s/LC_MESSAGES" % {"zh_CN": "zh_CN", "zh_TW": "zh_TW"}.get(lang, lang)
    if not os.path.isdir(folder):
        return []
    seen = set()
    out = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if not name.endswith(".mo") or os.path.islink(path):
            continue
        h = held_out(path)
        if (which == "held-out" and not h) or (which == "training" and h):
            continue
        for value in sorted(mo_strings(path)):
            for line in value.split("\n"):
                line = line.strip()
                if "%" in line or "_" in line or "&" in line:
                    continue
                if line not in seen and is_prose(line, lang):
                    seen.add(line)
                    out.append(line)
    return out


_CLAUSE = re.compile(r"[，。；：、！？（）「」“”]|[,;:!?()] |\. ")


def fragments(lines, lang):
    """Clauses of longer lines: shorter text for chains that are rarely lossless."""
    out = []
    seen = set(lines)
    for line in lines:
        for frag in _CLAUSE.split(line):
            frag = frag.strip()
            if frag in seen or frag == line:
                continue
            if is_prose(frag, lang, min_len=4 if lang in CJK_LANGS else 8):
                seen.add(frag)
                out.append(frag)
    return out


def word_ngrams(lines, lang, seen=()):
    """Runs of 2-4 words of space-separated languages: short text such as
    names and titles, for chains that are rarely lossless on longer text."""
    if lang in ("zh_CN", "zh_TW", "ja"):
        return []
    out = []
    seen = set(seen)
    for line in lines:
        words = line.split(" ")
        for n in (2, 3, 4):
            for i in range(0, len(words) - n + 1, n):
                gram = " ".join(words[i:i + n]).strip(" ,.;:!?()[]\"'«»“”„")
                if gram in seen or not any(ord(c) > 127 for c in gram):
                    continue
                if is_prose(gram, lang, min_len=4, max_len=60) or (
                        lang == "ko" and len(gram) >= 4 and
                        all(c.isalpha() or c == " " for c in gram)):
                    seen.add(gram)
                    out.append(gram)
    return out
