#!/usr/bin/env python3
"""Generates mojifix's data-driven test files.

  tests/data/cases/<chain>.tsv   lossless mojibake cases, made with Python's
                                 own codecs (standard library only)
  tests/data/negative/<lang>.txt clean lines that must come back unchanged
                                 (built by tools/cases/negative.py)

Input text: the sentences in tools/cases/sentences.py, and prose lines from
Debian-shipped text (man pages of manpages-*, the Korean Debian FAQ). Only
*held-out* files feed the case files: a file is held out iff
zlib.crc32(absolute_path.encode()) % 10 == 0; the model is trained on the
other files. The output is deterministic: every (chain, language) draws from
its own random.Random seeded with "<chain>/<lang>".

Usage: tools/gen_cases.py [--out tests/data] [--only cases|negative]
"""

import argparse
import html.entities
import os
import random
import sys

sys.dont_write_bytecode = True  # keep tools/cases/ free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases"))

import debian_text  # noqa: E402
from sentences import ASCII_KEYS, FIELD_KEYS, SENTENCES  # noqa: E402

LANGS = ["zh_CN", "zh_TW", "ja", "ko", "ru", "uk", "el", "fr", "de", "pl", "cs",
         "vi", "es", "it", "en"]
CJK = ["zh_CN", "zh_TW", "ja", "ko"]
CASES_PER_LANG = 120     # per (chain, language); fewer when the text runs out
OWN_EVERY = 4            # one own sentence every 4 lines while they last
# Languages with few held-out man pages also draw on held-out gettext
# catalogues (/usr/share/locale/<lang>/LC_MESSAGES/*.mo).
MESSAGE_LANGS = {"el", "ko", "vi"}

# Python codec name for each encoding name used in chain ids.
PY_CODEC = {
    "utf8": "utf-8", "windows-1252": "cp1252", "latin-1": "latin-1",
    "windows-1250": "cp1250", "windows-1251": "cp1251", "windows-1253": "cp1253",
    "windows-1254": "cp1254", "windows-1257": "cp1257", "mac-roman": "mac_roman",
    "cp437": "cp437", "gbk": "gbk", "gb18030": "gb18030", "big5": "big5", "cp932": "cp932",
    "cp949": "cp949", "euc-jp": "euc_jp", "shift_jis": "shift_jis",
    "euc-kr": "euc_kr",
}
# Single-byte decoders that keep undefined bytes as U+0080..U+00FF (as ftfy's
# sloppy-windows-125x and the WHATWG windows-1252 decoder do for C1 bytes).
SLOPPY = {"windows-1252", "windows-1253"}


def decode(data, name):
    """Decodes like the wrong reader did; None when a byte would be lost."""
    codec = PY_CODEC[name]
    if name in SLOPPY:
        return "".join(_sloppy_char(b, codec) for b in data)
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _sloppy_char(b, codec):
    try:
        return bytes([b]).decode(codec)
    except UnicodeDecodeError:
        return chr(b)


def encode(text, name):
    codec = PY_CODEC[name]
    if name in SLOPPY:
        out = bytearray()
        for ch in text:
            try:
                out += ch.encode(codec)
            except UnicodeEncodeError:
                if ord(ch) < 256 and decode(bytes([ord(ch)]), name) == ch:
                    out.append(ord(ch))
                else:
                    return None
        return bytes(out)
    try:
        return text.encode(codec)
    except UnicodeEncodeError:
        return None


def damage(text, layers):
    """Applies (writer encoding, wrong reader) layers, innermost first.

    Returns the damaged text, or None when the damage is not lossless: every
    layer must be undone exactly by encoding with the reader's codec and
    decoding with the writer's."""
    cur = text
    for writer, reader in layers:
        data = encode(cur, writer)
        if data is None:
            return None
        nxt = decode(data, reader)
        if nxt is None or encode(nxt, reader) != data or decode(data, writer) != cur:
            return None
        cur = nxt
    return cur


def to_entities(text):
    """Writes non-ASCII characters as HTML entities (named where HTML has one)."""
    out = []
    for ch in text:
        o = ord(ch)
        if o < 128:
            out.append(ch)
        elif o in html.entities.codepoint2name:
            out.append("&%s;" % html.entities.codepoint2name[o])
        else:
            out.append("&#%d;" % o)
    return "".join(out)


def escape_field(s):
    return (s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


# ---------------------------------------------------------------- chains

SINGLE_BYTE = ["windows-1252", "latin-1", "windows-1250", "windows-1251",
               "windows-1253", "windows-1254", "windows-1257", "mac-roman", "cp437"]
DOUBLE_BYTE = ["gbk", "big5", "cp932", "cp949", "euc-jp"]
LEGACY_TEXT = {"gbk": ["zh_CN"], "big5": ["zh_TW"], "shift_jis": ["ja"],
               "euc-jp": ["ja"], "euc-kr": ["ko"]}


def chain_table():
    chains = []

    def add(cid, layers, langs, kind="full", note="", keep=None):
        chains.append({"id": cid, "layers": layers, "langs": langs, "kind": kind,
                       "note": note, "keep": keep})

    for enc in SINGLE_BYTE:
        add("utf8-as-" + enc, [("utf8", enc)], LANGS)
    for enc in DOUBLE_BYTE:
        add("utf8-as-" + enc, [("utf8", enc)], LANGS)
    # Browsers (WHATWG gbk) and gb18030 decoders map GBK's user-defined rows to
    # private-use characters where a strict GBK decoder fails; only those cases
    # are kept here, the others are in utf8-as-gbk.
    add("utf8-as-gb18030", [("utf8", "gb18030")], CJK,
        note="only lines whose damage holds a private-use character (U+E000..U+F8FF) "
             "from GBK's user-defined rows, so strict GBK could not have made it",
        keep=lambda orig, bad: any(0xE000 <= ord(c) <= 0xF8FF for c in bad))
    for src, langs in LEGACY_TEXT.items():
        for enc in ("windows-1252", "latin-1"):
            add("%s-as-%s" % (src, enc), [(src, enc)], langs)
    add("big5-as-gbk", [("big5", "gbk")], ["zh_TW"])
    add("gbk-as-big5", [("gbk", "big5")], ["zh_CN"])
    add("utf8-as-windows-1252-x2", [("utf8", "windows-1252")] * 2, LANGS)
    add("utf8-as-gbk-x2", [("utf8", "gbk")] * 2, LANGS)
    partial = [("utf8-as-windows-1252", LANGS), ("utf8-as-gbk", LANGS),
               ("utf8-as-cp932", ["ja", "zh_CN", "zh_TW"]),
               ("utf8-as-windows-1251", ["ru", "uk"]),
               ("gbk-as-windows-1252", ["zh_CN"]), ("big5-as-windows-1252", ["zh_TW"]),
               ("euc-kr-as-windows-1252", ["ko"])]
    base = {c["id"]: c["layers"] for c in chains}
    for cid, langs in partial:
        add("partial-" + cid, base[cid], langs, kind="partial",
            note="one field or clause of the line damaged, the rest clean UTF-8")
    for cid, langs in [("utf8-as-windows-1252", LANGS), ("utf8-as-gbk", CJK),
                       ("gbk-as-windows-1252", ["zh_CN"])]:
        add("entities-" + cid, base[cid], langs, kind="entities",
            note="then every non-ASCII character written as an HTML entity "
                 "(named where HTML 4 has a name, else &#NNN;)")
    return chains


def describe(layers):
    parts = []
    for writer, reader in layers:
        w = "UTF-8" if writer == "utf8" else writer
        parts.append("%s bytes decoded as %s%s" % (
            w, reader, " (sloppy: undefined bytes kept as U+00XX)" if reader in SLOPPY else
            " (Python strict decode)"))
    return "; then ".join(parts)


# ---------------------------------------------------------------- text

class TextPool:
    def __init__(self):
        self.own = {l: list(dict.fromkeys(SENTENCES[l])) for l in LANGS}
        self.debian = {}
        self.fragments = {}
        self.ngrams = {}
        for lang in LANGS:
            own = set(self.own[lang])
            lines = debian_text.debian_prose(lang, "held-out")
            if lang in MESSAGE_LANGS:
                lines += debian_text.messages_prose(lang, "held-out")
            lines = list(dict.fromkeys(x for x in lines if x not in own))
            self.debian[lang] = lines
            self.fragments[lang] = debian_text.fragments(self.own[lang] + lines, lang)
            self.ngrams[lang] = debian_text.word_ngrams(
                self.own[lang] + lines, lang, seen=set(lines) | set(self.fragments[lang]))

    def order(self, rng, lang):
        own = self.own[lang][:]
        deb = self.debian[lang][:]
        rng.shuffle(own)
        rng.shuffle(deb)
        out = []
        while own or deb:
            if own and (len(out) % OWN_EVERY == 0 or not deb):
                out.append(own.pop())
            elif deb:
                out.append(deb.pop())
        # Clauses of the lines come last: only chains that are rarely lossless
        # on whole lines get that far.
        frags = self.fragments[lang][:]
        rng.shuffle(frags)
        # Then runs of 2-4 words (names, titles), for the rarest chains.
        grams = self.ngrams[lang][:]
        rng.shuffle(grams)
        return out + frags + grams


def full_cases(chain, lang, pool):
    rng = random.Random("%s/%s" % (chain["id"], lang))
    out = []
    for line in pool.order(rng, lang):
        if chain["kind"] == "entities" and "&" in line:
            continue
        d = damage(line, chain["layers"])
        if d is None or d == line:
            continue
        if chain["keep"] is not None and not chain["keep"](line, d):
            continue
        if chain["kind"] == "entities":
            d = to_entities(d)
            if d == to_entities(line):
                continue
        out.append((lang, line, d))
        if len(out) >= CASES_PER_LANG:
            break
    return out


CLAUSE_SEPS = ["，", "、", "；", "：", "。", ", ", "; ", ": ", " — ", " - "]


def partial_cases(chain, lang, pool):
    """Lines where one field or clause is damaged and the rest is clean."""
    rng = random.Random("%s/%s" % (chain["id"], lang))
    order = pool.order(rng, lang)
    others = [x for x in order if len(x) <= 80]
    out = []
    for line in order:
        pattern = rng.randrange(5)
        other = rng.choice(others)
        keys = FIELD_KEYS[lang] + ASCII_KEYS
        if pattern == 4:
            cut = [(line.find(sep), sep) for sep in CLAUSE_SEPS if 0 < line.find(sep) < len(line) - len(sep)]
            if not cut:
                pattern = rng.randrange(4)
            else:
                pos, sep = min(cut)
                head, tail = line[:pos], line[pos + len(sep):]
                if rng.random() < 0.5:
                    frag, make = head, (lambda x, t=tail, s=sep: x + s + t)
                else:
                    frag, make = tail, (lambda x, h=head, s=sep: h + s + x)
        if pattern == 0:
            k1, k2 = rng.sample(keys, 2)
            frag, make = line, (lambda x, a=k1, b=k2, o=other: "%s: %s | %s: %s" % (a, x, b, o))
        elif pattern == 1:
            frag, make = line, (lambda x, o=other: "[%s] %s" % (x, o))
        elif pattern == 2:
            frag, make = line, (lambda x, o=other: "%s (%s)" % (o, x))
        elif pattern == 3:
            k = rng.choice(keys)
            frag, make = line, (lambda x, a=k: "%s: %s" % (a, x))
        d = damage(frag, chain["layers"])
        if d is None or d == frag:
            continue
        orig, bad = make(frag), make(d)
        if orig == bad or "\t" in orig:
            continue
        out.append((lang, orig, bad))
        if len(out) >= CASES_PER_LANG:
            break
    return out


def write_cases(out_dir, pool):
    os.makedirs(out_dir, exist_ok=True)
    summary = []
    for chain in chain_table():
        rows = []
        for lang in chain["langs"]:
            make = partial_cases if chain["kind"] == "partial" else full_cases
            rows += make(chain, lang, pool)
        counts = {}
        for lang, _, _ in rows:
            counts[lang] = counts.get(lang, 0) + 1
        path = os.path.join(out_dir, chain["id"] + ".tsv")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("# chain: %s\n" % chain["id"])
            f.write("# damage: %s\n" % describe(chain["layers"]))
            if chain["note"]:
                f.write("# form: %s\n" % chain["note"])
            f.write("# kept: only lossless cases (every byte survives; checked by "
                    "undoing the layers) whose damaged line differs from the original\n")
            f.write("# generated by tools/gen_cases.py with Python's codecs; seed "
                    "\"<chain>/<lang>\"; up to %d cases per language\n" % CASES_PER_LANG)
            f.write("# sources: sentences in tools/cases/sentences.py (CC0); prose "
                    "lines, clauses and word runs of held-out Debian files (crc32(path) % 10 == 0): "
                    "man pages /usr/share/man/<lang>/ and /usr/share/man/man*/, Korean "
                    "Debian FAQ (debian-faq-ko), gettext catalogues for el ko vi; see "
                    "tests/data/README.md\n")
            f.write("# counts: %s\n" % " ".join("%s=%d" % kv for kv in counts.items()))
            f.write("# columns: lang<TAB>original<TAB>damaged; \\t \\n \\r \\\\ escaped\n")
            for lang, orig, bad in rows:
                f.write("%s\t%s\t%s\n" % (lang, escape_field(orig), escape_field(bad)))
        summary.append((chain["id"], counts))
    return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "data"))
    ap.add_argument("--only", choices=["cases", "negative"])
    args = ap.parse_args()
    if args.only != "negative":
        pool = TextPool()
        for cid, counts in write_cases(os.path.join(args.out, "cases"), pool):
            print("%-36s %5d  %s" % (cid, sum(counts.values()),
                                      " ".join("%s=%d" % kv for kv in counts.items())))
    if args.only != "cases":
        import negative
        for name, n in negative.write_negative(os.path.join(args.out, "negative")):
            print("negative/%-24s %6d" % (name, n))


if __name__ == "__main__":
    main()
