#!/usr/bin/env python3
"""Builds the reading-annotation test data in tests/data/normalize/:

  legit_parens.txt  lines whose parentheses after Han characters are text,
                    not readings: every such line of Debian's Chinese and
                    Japanese manual pages (manpages-zh, manpages-ja) that the
                    sample picks, after the hand-written tricky lines of
                    legit_parens_hand.txt (kept in the tree, not generated).
  annotated.tsv     style <TAB> clean line <TAB> the line with readings
                    inserted after Han characters, as converters do, in every
                    style the normalize stage removes.

Sources (Debian 12 packages; licences in tests/data/normalize/README.md):
  /usr/share/man/{zh_CN,zh_TW,ja}/man*/*.gz   manpages-zh (GFDL-1.2+),
                                              manpages-ja (the licences of the
                                              original pages)
  /usr/share/games/fortunes/{tang300,song100}.u8   fortunes-zh (GPL-3.0+)
  /usr/share/unicode/Unihan_Readings.txt.bz2       unicode-data (Unicode licence)

The readings are taken from Unihan here independently of the C++ matcher: the
first kMandarin reading, the first kJapaneseOn reading.
Run from the repository root: python3 tools/gen_normalize_cases.py
"""

import bz2
import glob
import gzip
import os
import random
import re
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(__file__))
from gen_readings import romaji_to_kana, split_tone, zhuyin  # noqa: E402

OUT = "tests/data/normalize"
UNIHAN = "/usr/share/unicode/Unihan_Readings.txt.bz2"


def is_han(c):
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x323AF


def is_cjk_text(c):
    o = ord(c)
    return (is_han(c) or 0x3041 <= o <= 0x30FA or o == 0x30FC or 0x3000 <= o <= 0x303F
            or 0xFF01 <= o <= 0xFF0F or 0xFF1A <= o <= 0xFF20 or o == 0xFF5E)


ESCAPES = [(r"\\f\[[A-Z]*\]", ""), (r"\\f[BIRP1-4]", ""), (r"\\f\(..", ""), (r"\\-", "-"),
           (r"\\\(em", "—"), (r"\\\(en", "–"), (r"\\\([a-z]{2}", ""), (r"\\e", "\\"),
           (r"\\&", ""), (r"\\ ", " "), (r"\\[|^%]", ""), (r"\\s[-+]?\d", ""), (r'\\".*', "")]


def man_lines(lang):
    out = []
    for path in sorted(glob.glob(f"/usr/share/man/{lang}/man*/*.gz")):
        try:
            text = gzip.open(path, "rt", encoding="utf-8").read()
        except (UnicodeDecodeError, OSError, EOFError):
            continue
        for line in text.split("\n"):
            if line.startswith((".", "'")):
                # Macro arguments are text too (.B, .I, .IR ...), others are not.
                m = re.match(r"^\.(?:B|I|BI|BR|IB|IR|RB|RI|SH|SS|TP|IP)\s+(.*)$", line)
                if not m:
                    continue
                line = m.group(1).replace('"', "")
            for pat, rep in ESCAPES:
                line = re.sub(pat, lambda m, r=rep: r, line)
            line = line.strip()
            if "\\" in line or any(ord(c) < 0x20 for c in line):
                continue
            if sum(1 for c in line if is_cjk_text(c)) < 4:
                continue
            out.append(line)
    return out


def fortune_lines(name):
    text = open(f"/usr/share/games/fortunes/{name}.u8", encoding="utf-8").read()
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return [ln.strip() for ln in text.split("\n") if sum(1 for c in ln if is_han(c)) >= 4]


def load_unihan():
    mandarin, on = {}, {}
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as f:
        for line in f:
            if not line.startswith("U+"):
                continue
            code, field, value = line.rstrip("\n").split("\t")
            ch = chr(int(code[2:], 16))
            if field == "kMandarin":
                mandarin[ch] = value.split()[0]
            elif field == "kJapaneseOn":
                k = romaji_to_kana(value.split()[0])
                if k:
                    on[ch] = k
    return mandarin, on


ZHUYIN_TONES = {1: "", 2: "ˊ", 3: "ˇ", 4: "ˋ"}


def pinyin_styles(ch, mandarin):
    p = mandarin[ch]
    base, tone = split_tone(p)
    z = zhuyin(base)
    styles = {"tone": p, "toneless": base.replace("v", "ü")}
    if z:
        styles["zhuyin"] = ("˙" + z) if tone == 5 else z + ZHUYIN_TONES[tone]
    return styles


def annotate(line, rng, mandarin, on, japanese):
    """Inserts 1-3 annotations; returns (styles used, annotated line) or None."""
    chars = list(line)
    spots = [i for i, c in enumerate(chars) if is_han(c)]
    rng.shuffle(spots)
    # Spots far enough apart that no annotation splits another's word.
    picked = []
    for i in spots:
        if len(picked) < rng.randint(1, 3) and all(abs(i - j) > 2 for j in picked):
            picked.append(i)
    picked.sort(reverse=True)
    used = []
    for i in picked:
        c = chars[i]
        fullwidth = rng.random() < 0.3
        o, cl = ("（", "）") if fullwidth else ("(", ")")
        word2 = i > 0 and is_han(chars[i - 1]) and rng.random() < 0.3
        if japanese:
            if c not in on or (word2 and chars[i - 1] not in on):
                continue
            reading = (on[chars[i - 1]] if word2 else "") + on[c]
            style = "kana"
            if rng.random() < 0.4:
                reading = "".join(chr(ord(k) + 0x60) for k in reading)
                style = "katakana"
            ann = o + reading + cl
        else:
            if c not in mandarin or (word2 and chars[i - 1] not in mandarin):
                continue
            kind = rng.choice(["tone", "tone", "toneless", "zhuyin"])
            # A toneless converter's own space cannot be told from a space the
            # text had; such spots are left out.
            unmarked = kind == "toneless" or split_tone(mandarin[c])[1] == 5
            if unmarked and kind != "zhuyin" and i + 1 < len(chars) and chars[i + 1] == " ":
                continue
            styles = pinyin_styles(c, mandarin)
            if kind not in styles:
                continue
            if word2:
                prev = pinyin_styles(chars[i - 1], mandarin)
                if kind not in prev:
                    continue
                reading = prev[kind] + " " + styles[kind]
                style = kind + "-word"
            else:
                reading = styles[kind]
                style = kind
            ann = o + reading + cl
            # Toneless converters put a space after the annotation.
            if kind == "toneless" and i + 1 < len(chars) and is_cjk_text(chars[i + 1]):
                ann += " "
        chars.insert(i + 1, ann)
        used.append(style + ("-fullwidth" if fullwidth else ""))
    if not used:
        return None
    return ",".join(sorted(set(used))), "".join(chars)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(20261128)
    zh = man_lines("zh_CN") + man_lines("zh_TW")
    ja = man_lines("ja")
    paren_after_han = re.compile(r"[\u3400-\u9fff][(（]")
    legit_zh = sorted(set(ln for ln in zh if paren_after_han.search(ln)))
    legit_ja = sorted(set(ln for ln in ja if paren_after_han.search(ln)))
    legit = rng.sample(legit_zh, min(400, len(legit_zh))) + rng.sample(legit_ja, min(250, len(legit_ja)))
    with open(f"{OUT}/legit_parens.txt", "w", encoding="utf-8") as f:
        f.write("# Lines of Debian's manpages-zh (zh_CN, zh_TW) and manpages-ja with a\n")
        f.write("# parenthesis right after a Han character; generated by\n")
        f.write("# tools/gen_normalize_cases.py. Every parenthesis here is text.\n")
        for ln in legit:
            f.write(ln + "\n")

    mandarin, on = load_unihan()
    no_parens = re.compile(r"[()（）]")
    zh_clean = sorted(set(ln for ln in zh + fortune_lines("tang300") + fortune_lines("song100")
                          if not no_parens.search(ln)) - set(legit))
    ja_clean = sorted(set(ln for ln in ja if not no_parens.search(ln)
                          and re.search(r"[\u3041-\u30fa]", ln)))
    rows = []
    for lines, japanese, n in ((zh_clean, False, 400), (ja_clean, True, 250)):
        for ln in rng.sample(lines, min(n, len(lines))):
            r = annotate(ln, rng, mandarin, on, japanese)
            if r:
                rows.append((r[0], ln, r[1]))
    with open(f"{OUT}/annotated.tsv", "w", encoding="utf-8") as f:
        f.write("# style<TAB>clean line<TAB>line with inserted readings; generated by\n")
        f.write("# tools/gen_normalize_cases.py from manpages-zh, manpages-ja and\n")
        f.write("# fortunes-zh lines without parentheses, readings from Unihan.\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"legit: {len(legit)} lines; annotated: {len(rows)} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
