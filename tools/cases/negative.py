"""Builds tests/data/negative/<name>.txt: clean lines that fix_text must return
byte for byte. Called by tools/gen_cases.py.

Sources (see tests/data/README.md for licences): Debian man pages (held-out
files first, then the others: false positives do not depend on what the model
was trained on), the Korean Debian FAQ, gettext catalogues, iso-codes
translations, fortunes-zh, hunspell word lists (ar, he, th, hi), and the
sentences in negative_sentences.py; with MOJIFIX_REALTEXT_ROOT, the gettext
catalogues of desktop packages and Debian's CJK, Russian and Vietnamese
documentation (catalogue_lines, docs_lines).
"""

import functools
import glob
import html
import os
import random
import re
import unicodedata

import debian_text
from negative_sentences import (CJK_MENTION_TEMPLATES, DISCUSSION, EMOJI, EMOJI_SENTENCES,
                                HALFWIDTH_JA, LATIN1_SENTENCES, LATIN1_TEMPLATE_WORDS,
                                MIXED_CJK)

LOCALE = "/usr/share/locale"
HUNSPELL = "/usr/share/hunspell"
JIEBA_DICT = "/usr/lib/python3/dist-packages/jieba/dict.txt"
FORTUNES = ["/usr/share/games/fortunes/chinese", "/usr/share/games/fortunes/tang300",
            "/usr/share/games/fortunes/song100"]

# Encodings a clean line could be mistaken for, when re-encoding it with one of
# them gives valid UTF-8 (then the line is ambiguous and left out).
SUSPECT_ENCODINGS = ["cp1252", "latin-1", "cp1250", "cp1251", "cp1253", "cp1254",
                     "cp1257", "mac_roman", "cp437", "gbk", "big5", "cp932", "cp949",
                     "euc_jp", "euc_kr", "shift_jis"]


def undoable_as_mojibake(line):
    """True when `line` could be the result of a lossless wrong decoding."""
    if all(ord(c) < 128 for c in line):
        return False
    for enc in SUSPECT_ENCODINGS:
        try:
            data = line.encode(enc)
            back = data.decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if back != line:
            return True
    return False


def clean(line):
    """True for a line that may go into the negative corpus."""
    line_ok = line and line == line.strip() and len(line) <= 400
    if not line_ok:
        return False
    for c in line:
        cat = unicodedata.category(c)
        if cat in ("Cc", "Cs", "Co", "Cn") or c == "\ufffd":
            return False
    return True


def iso_names(lang):
    """Translated iso-codes names (countries, subdivisions, languages, currencies, scripts)."""
    out = []
    for dom in ("iso_3166-1", "iso_3166-2", "iso_3166-3", "iso_639-3", "iso_639-2",
                "iso_4217", "iso_15924"):
        path = os.path.join(LOCALE, lang, "LC_MESSAGES", dom + ".mo")
        if os.path.isfile(path):
            out += sorted(s.strip() for s in debian_text.mo_strings(path, True))
    return [x for x in dict.fromkeys(out) if len(x) >= 2]


def fortunes_zh():
    out = []
    for path in FORTUNES:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        text = re.sub(r"\x1b\[[0-9;]*m", "", text)
        for line in text.split("\n"):
            line = line.strip().lstrip("-").strip()
            if line and line != "%" and len(line) >= 4:
                out.append(line)
    return out


def hunspell_words(name, script):
    enc = "utf-8"
    with open(os.path.join(HUNSPELL, name + ".aff"), "rb") as f:
        for raw in f:
            if raw.startswith(b"SET"):
                enc = raw.split()[1].decode()
                break
    words = []
    with open(os.path.join(HUNSPELL, name + ".dic"), encoding=enc, errors="replace") as f:
        next(f)
        for raw in f:
            w = raw.split("/")[0].split("\t")[0].strip()
            if w and all(unicodedata.name(c, "").startswith(script) for c in w):
                words.append(w)
    return words


def rare_chinese_words():
    """Low-frequency words of jieba's dictionary: real words made of rare
    characters, which is what UTF-8 read as GBK looks like at a glance."""
    words = []
    with open(JIEBA_DICT, encoding="utf-8") as f:
        for raw in f:
            parts = raw.split()
            if len(parts) >= 2 and int(parts[1]) <= 3 and all(
                    "\u4e00" <= c <= "\u9fff" for c in parts[0]):
                words.append(parts[0])
    return words


def rare_chinese_lines(rng, n):
    words = rare_chinese_words()
    out = []
    for _ in range(n):
        clauses = ["".join(rng.choice(words) for _ in range(rng.randint(2, 4)))
                   for _ in range(rng.randint(1, 3))]
        out.append("，".join(clauses) + rng.choice(["。", "", "；", "？"]))
    return out


def word_lines(rng, words, n, joiner=" ", lo=3, hi=9):
    out = []
    for _ in range(n):
        k = rng.randint(lo, hi)
        out.append(joiner.join(rng.choice(words) for _ in range(k)))
    return out


def thai_lines(rng, words, n):
    # Thai is written without spaces between words; spaces separate phrases.
    out = []
    for _ in range(n):
        phrases = ["".join(rng.choice(words) for _ in range(rng.randint(2, 4)))
                   for _ in range(rng.randint(1, 3))]
        out.append(" ".join(phrases))
    return out


def pick(rng, pools, target):
    """Takes lines from pools in order (held-out first) up to target, deduplicated."""
    out = []
    seen = set()
    for pool in pools:
        pool = list(pool)
        rng.shuffle(pool)
        for line in pool:
            if len(out) >= target:
                return out
            if line in seen or not clean(line) or undoable_as_mojibake(line):
                continue
            seen.add(line)
            out.append(line)
    return out


def debian_pools(lang):
    held = debian_text.debian_prose(lang, "held-out")
    train = debian_text.debian_prose(lang, "training")
    return held, train


def emoji_lines(rng, n):
    base = [x for x in debian_text.man_prose("en", "all") if x.isascii()]
    rng.shuffle(base)
    out = list(EMOJI_SENTENCES)
    for line in base:
        if len(out) >= n:
            break
        words = line.split(" ")
        for _ in range(rng.randint(1, 3)):
            pos = rng.randint(0, len(words))
            words.insert(pos, rng.choice(EMOJI))
        out.append(" ".join(words))
    return out


def latin1_lines(rng, n):
    w = LATIN1_TEMPLATE_WORDS
    out = list(LATIN1_SENTENCES)
    makers = [
        lambda: "Price: £%d.%02d (VAT included)" % (rng.randint(1, 999), rng.randint(0, 99)),
        lambda: "Preis: %d,%02d € pro %s" % (rng.randint(1, 500), rng.randint(0, 99), rng.choice(w["de_units"])),
        lambda: "Prix : %d,%02d € TTC — %s" % (rng.randint(1, 500), rng.randint(0, 99), rng.choice(w["fr_items"])),
        lambda: "¥%s for the %s" % ("{:,}".format(rng.randint(100, 99999)), rng.choice(w["en_items"])),
        lambda: "Temperature: %d °C ± %d °C" % (rng.randint(-30, 45), rng.randint(1, 5)),
        lambda: "Size: %d × %d cm, weight %d g" % (rng.randint(5, 200), rng.randint(5, 200), rng.randint(10, 5000)),
        lambda: "«%s», dijo %s." % (rng.choice(w["es_quotes"]), rng.choice(w["es_names"])),
        lambda: "¡%s! ¿%s?" % (rng.choice(w["es_excl"]), rng.choice(w["es_questions"])),
        lambda: "Add %s cup of %s and %s teaspoon of %s." % (rng.choice("½¼¾"), rng.choice(w["en_food"]), rng.choice("½¼¾"), rng.choice(w["en_food"])),
        lambda: "§ %d Abs. %d Satz %d %s" % (rng.randint(1, 300), rng.randint(1, 9), rng.randint(1, 5), rng.choice(w["de_laws"])),
        lambda: "© %d %s. All rights reserved." % (rng.randint(1990, 2025), rng.choice(w["companies"])),
        lambda: "%s® and %s™ are trademarks of %s." % (rng.choice(w["brands"]), rng.choice(w["brands"]), rng.choice(w["companies"])),
        lambda: "Angle: %d°%02d′ — tolerance ±%d µm" % (rng.randint(0, 359), rng.randint(0, 59), rng.randint(1, 50)),
        lambda: "%s · %s · %s" % tuple(rng.sample(w["fr_items"], 3)),
        lambda: "Café %s: %s, %d,%02d €" % (rng.choice(w["names"]), rng.choice(w["fr_items"]), rng.randint(1, 30), rng.randint(0, 99)),
        lambda: "%d%% off — now only £%d.%02d!" % (rng.randint(5, 70), rng.randint(1, 300), rng.randint(0, 99)),
        lambda: "%s: %d ºC, %d%% humedad" % (rng.choice(w["es_cities"]), rng.randint(0, 40), rng.randint(10, 99)),
        lambda: "Ø %d mm, %d × M%d" % (rng.randint(2, 100), rng.randint(1, 12), rng.randint(2, 24)),
        lambda: "%s ÷ %d = %s" % (rng.randint(10, 999), rng.randint(2, 9), rng.choice(["¼", "½", "¾", "¹⁄₃"])),
        lambda: rng.choice(w["pt_caps"]),
    ]
    while len(out) < n:
        out.append(rng.choice(makers)())
    return out


def latin1_lookalikes():
    """The CJK characters that a double-byte code page makes of one Latin-1
    letter or sign in UTF-8 (é = C3 A9 is 茅 in GBK, ¼ = C2 BC is 村 in
    EUC-JP): the hardest characters for an English line to name."""
    found = set()
    for cp in range(0xA0, 0x100):
        raw = chr(cp).encode("utf-8")
        for enc in ("gbk", "big5", "euc_jp", "euc_kr", "cp932"):
            try:
                s = raw.decode(enc)
            except UnicodeDecodeError:
                continue
            if len(s) == 1 and ord(s) >= 0x2E80:
                found.add(s)
    return sorted(found)


def cjk_mention_lines(rng, n):
    """English lines naming CJK characters on their own: three in four from
    the Latin-1 look-alikes, the rest common Han characters."""
    lookalikes = latin1_lookalikes()
    common = [w for w in "水火山人大中小日月木金土天地上下心手口目耳雨花鳥魚犬猫車電話学校"
              "先生名前東西南北春夏秋冬愛美家国语言字書"]
    out = []
    while len(out) < n:
        pool = lookalikes if rng.random() < 0.75 else common
        c, d = rng.choice(pool), rng.choice(pool)
        line = rng.choice(CJK_MENTION_TEMPLATES).format(c=c, d=d, u="U+%04X" % ord(c))
        if line not in out:
            out.append(line)
    return out


HELP_ROOT = os.environ.get("MOJIFIX_HELP_ROOT", "/usr/share/libreoffice/help")
HELP_LANGS = ["cs", "da", "de", "el", "en-US", "es", "fi", "fr", "hu", "it", "ja", "ko", "nl",
              "pl", "pt-BR", "ru", "sv", "tr", "vi"]
ENTITY = re.compile(r"&[#A-Za-z0-9]+;")


def by_design(line):
    """Lines the default normalizers change on purpose: HTML references,
    fullwidth ASCII, halfwidth katakana, CJK compatibility ideographs and
    Kangxi radicals, text that is not NFC, a byte-order mark."""
    if ENTITY.search(line) or unicodedata.normalize("NFC", line) != line:
        return True
    return any(0xFF01 <= ord(c) <= 0xFF9F or 0xF900 <= ord(c) <= 0xFAFF or
               0x2F00 <= ord(c) <= 0x2FDF or c == "\ufeff" for c in line)


def help_lines(rng, n):
    """Lines of LibreOffice's help pages (libreoffice-help-<lang>, MPL-2.0;
    `apt-get download` and `dpkg-deb -x` them and set MOJIFIX_HELP_ROOT to
    the extracted usr/share/libreoffice/help) in 19 languages, the same
    number from each: running text, menus, and Basic examples that quote
    strings of symbols and accented letters. Only lines with a character
    beyond ASCII; Chinese is left to the zh files (its pages have Simplified
    residue the script stage repairs)."""
    per_lang = n // len(HELP_LANGS)
    out = []
    for lang in HELP_LANGS:
        root = os.path.join(HELP_ROOT, lang)
        if not os.path.isdir(root):
            raise SystemExit(f"missing {root}: see help_lines in tools/cases/negative.py")
        seen = set()
        for dirpath, _, names in sorted(os.walk(root)):
            for name in sorted(names):
                if not name.endswith(".html"):
                    continue
                with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                    text = f.read()
                text = re.sub(r"(?is)<(script|style)\b.*?</\1>", "", text)
                text = html.unescape(re.sub(r"(?s)<[^>]*>", "\n", text))
                for line in text.split("\n"):
                    line = " ".join(line.split())
                    if (line in seen or all(ord(c) < 128 for c in line) or not clean(line) or
                            by_design(line) or undoable_as_mojibake(line)):
                        continue
                    seen.add(line)
        pool = sorted(seen)
        out += rng.sample(pool, min(per_lang, len(pool)))
    return out


FIREFOX_ROOT = os.environ.get("MOJIFIX_FIREFOX_ROOT", "/usr/lib/firefox-esr/browser/extensions")
LIBREOFFICE_UI_ROOT = os.environ.get("MOJIFIX_LIBREOFFICE_UI_ROOT",
                                     "/usr/lib/libreoffice/program/resource")
UI_LANGS = ["ar", "cs", "de", "el", "es", "fr", "he", "hi", "it", "ja", "ko", "pl", "ru", "th",
            "tr", "uk", "vi", "zh_CN", "zh_TW"]
FIREFOX_LANG = {"es": "es-ES", "hi": "hi-IN", "zh_CN": "zh-CN", "zh_TW": "zh-TW"}


def firefox_strings(lang):
    """The values of a Firefox language pack (.ftl, .properties, .dtd)."""
    import zipfile
    path = os.path.join(FIREFOX_ROOT,
                        "langpack-%s@firefox-esr.mozilla.org.xpi" % FIREFOX_LANG.get(lang, lang))
    if not os.path.isfile(path):
        raise SystemExit(f"missing {path}: see ui_lines in tools/cases/negative.py")
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if not name.endswith((".ftl", ".properties", ".dtd")):
                continue
            for line in z.read(name).decode("utf-8", "replace").split("\n"):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                if name.endswith(".dtd"):
                    m = re.match(r'<!ENTITY\s+\S+\s+"(.*)">', line)
                    if m:
                        out.append(m.group(1))
                elif "=" in line:
                    out.append(line.split("=", 1)[1])
    return out


def libreoffice_ui_strings(lang):
    """The translated strings of LibreOffice's user interface."""
    d = os.path.join(LIBREOFFICE_UI_ROOT, lang, "LC_MESSAGES")
    if not os.path.isdir(d):
        raise SystemExit(f"missing {d}: see ui_lines in tools/cases/negative.py")
    out = []
    for path in sorted(glob.glob(os.path.join(d, "*.mo"))):
        out += debian_text.mo_strings(path, True)
    return out


def ui_lines(rng, n):
    """User-interface strings, short ones where most false positives hide,
    of Firefox's language packs (firefox-esr-l10n-<lang>, MPL-2.0; set
    MOJIFIX_FIREFOX_ROOT to the extracted usr/lib/firefox-esr/browser/
    extensions) and of LibreOffice (libreoffice-l10n-<lang>, MPL-2.0; set
    MOJIFIX_LIBREOFFICE_UI_ROOT to the extracted usr/lib/libreoffice/
    program/resource), in 19 languages, the same number from each source and
    language: only strings beyond ASCII, filtered as help_lines does."""
    per = n // (2 * len(UI_LANGS))
    out = []
    for lang in UI_LANGS:
        for strings in (firefox_strings(lang), libreoffice_ui_strings(lang)):
            pool = set()
            for line in strings:
                line = " ".join(line.split())
                if (all(ord(c) < 128 for c in line) or not clean(line) or by_design(line) or
                        undoable_as_mojibake(line)):
                    continue
                pool.add(line)
            pool = sorted(pool - set(out))
            out += rng.sample(pool, min(per, len(pool)))
    return out


# Packages whose gettext catalogues and documentation catalogue_lines and
# docs_lines read (Debian 12): `apt-get download` them, `dpkg-deb -x` each
# into one folder, and set MOJIFIX_REALTEXT_ROOT to it.
REALTEXT_ROOT = os.environ.get("MOJIFIX_REALTEXT_ROOT", "")
CATALOGUE_PACKAGES = ["aisleriot", "coreutils", "dolphin", "evince-common",
                      "evolution-data-server-common", "filezilla-common", "freeciv-data",
                      "gedit-common", "gimp", "gnome-control-center-data", "gnome-shell-common",
                      "gnucash-common", "gnumeric-common", "inkscape", "kate", "kdeconnect",
                      "konsole", "libgtk-3-common", "libgweather-4-common", "nautilus-data",
                      "okular", "pidgin-data", "plasma-workspace-data", "rhythmbox-data",
                      "thunar-data", "totem-common", "transmission-common", "vlc-l10n",
                      "xfce4-session"]
CATALOGUE_LANGS = ["ja", "zh_CN", "zh_TW", "ko", "ru", "uk", "be", "bg", "sr", "uz@cyrillic",
                   "kk", "el", "ar", "fa", "ur", "ug", "he", "hy", "ka", "vi", "th", "is", "da",
                   "nb", "nn", "sv", "fi", "et", "hu", "sk", "cs", "pl", "de", "fr", "es", "it",
                   "pt", "tr", "sq"]
# Clean lines earlier versions of mojifix took for mojibake, kept whenever the
# sources hold them (each stands for a judge rule in src/repair/repair.cpp).
CATALOGUE_PINNED = ["Рўйхат", "Сљедећа", "Ріо", "пёстрой", "аДвоЛЬНы", "كېچىپ،",
                    "تھرڈ", "AaBbCc", "ÕÄÖÜ", "––––", "\u00AD\u00AD", "«å»", "«α»·",
                    "Alþjóðlegt", "Þjóðlag", "Hljóðþjappari", "Áður", "砦は戦場", "縞模様",
                    "استبدّل _ب", "س_بک", "%sاپ", "Её можно", "æøåÆØÅ", "Ві&дкрити",
                    "fi\u00ADó\u00ADkok", "“Aç…”", "عکس کوچک", "Дель-Ріо", "Ç’lloj"]
SCRIPT_TABLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data",
                             "script", "opencc.bin")


@functools.cache
def script_classes():
    """2 bits per BMP code point from data/script/opencc.bin (see
    tools/gen_script_tables.py): 1 Simplified only, 2 Traditional only,
    3 weak Simplified."""
    import struct
    with open(SCRIPT_TABLES, "rb") as f:
        blob = f.read()
    class_off = struct.unpack_from("<I", blob, 24)[0]
    return blob[class_off:class_off + 0x10000 // 4]


def mixes_scripts(line, lang):
    """A Chinese line with a character of the other script, which the script
    stage unifies by design (Simplified residue in Traditional text)."""
    if not lang.startswith("zh"):
        return False
    table = script_classes()
    unwanted = (2,) if lang == "zh_CN" else (1, 3)
    for c in line:
        cp = ord(c)
        if cp < 0x10000 and (table[cp >> 2] >> ((cp & 3) * 2)) & 3 in unwanted:
            return True
    return False


def realtext_line_ok(line, lang):
    return (not all(ord(c) < 128 for c in line) and clean(line) and not by_design(line) and
            not undoable_as_mojibake(line) and not mixes_scripts(line, lang))


def pinned_first(rng, pool, per, pinned):
    """`per` lines of pool: those holding a pinned string first, the rest drawn."""
    pool = sorted(pool)
    first = [x for x in pool if any(p in x for p in pinned)]
    taken = set(first)
    rest = [x for x in pool if x not in taken]
    return first + rng.sample(rest, max(0, min(per - len(first), len(rest))))


def catalogue_lines(rng, n):
    """Translated strings of the gettext catalogues of CATALOGUE_PACKAGES
    (desktop programs, games, coreutils) in CATALOGUE_LANGS, the same number
    from each language, short labels and long sentences alike; only strings
    beyond ASCII, filtered as help_lines does, and Chinese lines without the
    other script's characters."""
    per = n // len(CATALOGUE_LANGS)
    out = []
    for lang in CATALOGUE_LANGS:
        folder = os.path.join(REALTEXT_ROOT, "usr/share/locale", lang, "LC_MESSAGES")
        if not REALTEXT_ROOT or not os.path.isdir(folder):
            raise SystemExit(f"missing {folder}: see catalogue_lines in tools/cases/negative.py")
        pool = set()
        for path in sorted(glob.glob(os.path.join(folder, "*.mo"))):
            for value in debian_text.mo_strings(path, True):
                for line in value.split("\n"):
                    line = " ".join(line.split())
                    if realtext_line_ok(line, lang):
                        pool.add(line)
        out += pinned_first(rng, pool - set(out), per, CATALOGUE_PINNED)
    return out


DOCS = [  # (folder under REALTEXT_ROOT, file name pattern, language)
    ("usr/share/debian-reference", r".*\.ja\.html$", "ja"),
    ("usr/share/debian-reference", r".*\.zh-cn\.html$", "zh_CN"),
    ("usr/share/debian-reference", r".*\.zh-tw\.html$", "zh_TW"),
    ("usr/share/doc/maint-guide-ja", r".*\.html$", "ja"),
    ("usr/share/doc/maint-guide-zh-cn", r".*\.html$", "zh_CN"),
    ("usr/share/doc/maint-guide-zh-tw", r".*\.html$", "zh_TW"),
    ("usr/share/doc/maint-guide-ru", r".*\.html$", "ru"),
    ("usr/share/doc/maint-guide-vi", r".*\.html$", "vi"),
]
FORTUNE_LANGS = ["ru", "de", "es", "pl", "cs"]


def mostly_letters(line):
    """Prose, not the line noise some fortunes quote."""
    shown = [c for c in line if not c.isspace()]
    return sum(c.isalpha() for c in shown) >= 0.7 * len(shown)


def docs_lines(rng, n):
    """Lines of Debian's documentation in CJK, Russian and Vietnamese
    (debian-reference-{ja,zh-cn,zh-tw}, maint-guide-{ja,zh-cn,zh-tw,ru,vi};
    HTML, tags stripped) and of fortunes-{ru,de,es,pl,cs}, the same number
    from each source; filtered as catalogue_lines does, fortunes to prose."""
    sources = [(os.path.join(REALTEXT_ROOT, d), re.compile(pat), lang, True)
               for d, pat, lang in DOCS]
    sources += [(os.path.join(REALTEXT_ROOT, "usr/share/games/fortunes", lang), None, lang, False)
                for lang in FORTUNE_LANGS]
    per = n // len(sources)
    out = []
    for folder, pattern, lang, is_html in sources:
        if not REALTEXT_ROOT or not os.path.isdir(folder):
            raise SystemExit(f"missing {folder}: see docs_lines in tools/cases/negative.py")
        pool = set()
        for dirpath, _, names in sorted(os.walk(folder)):
            for name in sorted(names):
                path = os.path.join(dirpath, name)
                if os.path.islink(path) or name.endswith((".dat", ".u8", ".gz", ".png", ".pdf")):
                    continue
                if pattern is not None and not pattern.match(name):
                    continue
                with open(path, "rb") as f:
                    raw = f.read()
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    continue
                if is_html:
                    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", "", text)
                    text = html.unescape(re.sub(r"(?s)<[^>]*>", "\n", text))
                for line in text.split("\n"):
                    line = " ".join(line.split())
                    if realtext_line_ok(line, lang) and (is_html or mostly_letters(line)):
                        pool.add(line)
        pool = sorted(pool - set(out))
        out += rng.sample(pool, min(per, len(pool)))
    return out


def discussion_lines(rng, n):
    """Sentences that quote mojibake to explain it: clean text that must stay."""
    words = ["café", "naïve", "über", "€", "’", "“", "—", "中文", "我是", "日本語",
             "こんにちは", "привет", "한국어", "文字化け", "乱码", "Ελληνικά", "señor",
             "Zürich", "garçon", "façade"]
    encs = [("windows-1252", "cp1252"), ("Latin-1", "latin-1"), ("GBK", "gbk"),
            ("Shift_JIS", "cp932"), ("windows-1251", "cp1251"), ("Mac Roman", "mac_roman")]
    templates = [
        "When UTF-8 text is decoded as {enc}, “{o}” turns into “{m}”.",
        "If you see \"{m}\" where \"{o}\" should be, the page was read as {enc}.",
        "Typical mojibake: {m} instead of {o} ({enc} instead of UTF-8).",
        "把 UTF-8 编码的“{o}”按 {enc} 解码，就会得到乱码“{m}”。",
        "「{o}」を {enc} として読むと「{m}」という文字化けになります。",
        "Wird UTF-8 als {enc} gelesen, erscheint „{m}“ statt „{o}“.",
        "Если UTF-8 прочитать как {enc}, вместо «{o}» получится «{m}».",
        "Le texte « {o} » lu en {enc} devient « {m} » : c’est du mojibake.",
    ]
    pairs = []
    for o in words:
        for name, codec in encs:
            try:
                m = o.encode("utf-8").decode(codec)
            except UnicodeDecodeError:
                continue
            if m == o or any(unicodedata.category(c) in ("Cc", "Co", "Cn") for c in m):
                continue
            pairs.append((o, m, name))
    out = list(DISCUSSION)
    gen = []
    for o, m, name in pairs:
        for t in templates:
            gen.append(t.format(o=o, m=m, enc=name))
    rng.shuffle(gen)
    return out + gen[: max(0, n - len(out))]


# name, target lines
TARGETS = {
    "zh_Hans": 2000, "zh_Hant": 2000, "ja": 2000, "ko": 1500, "ru": 1500, "uk": 800,
    "el": 1000, "ar": 1000, "he": 1000, "th": 1000, "hi": 1000, "vi": 1200,
    "fr": 700, "de": 700, "pl": 700, "cs": 700, "es": 700, "it": 700,
    "en_emoji": 1000, "latin1_symbols": 1000, "mojibake_discussion": 400,
    "cjk_hard": 600,
    "cjk_ascii_punct": 2000,
    "en_cjk_mentions": 600,
    "help_pages": 2850,
    "ui_strings": 3040,
    "catalogues": 2280,
    "debian_docs": 1950,
}

# Informal CJK text types ASCII punctuation where fullwidth belongs: 你好?世界.
ASCII_PUNCT = str.maketrans({"，": ",", "？": "?", "！": "!", "：": ":", "；": ";", "（": "(",
                             "）": ")"})


READING = re.compile(r"[\u3400-\u9fff]\([a-z]+[1-5]?\)")


def ascii_punct_lines(rng, target):
    """CJK lines with their fullwidth punctuation typed as ASCII: half of
    them questions or exclamations (Debian's zh and ja text, fortunes-zh),
    the rest from the zh_Hans, zh_Hant and ja files (built first, same
    seeds)."""
    asking = list(fortunes_zh())
    for lang in ("zh_CN", "zh_TW", "ja"):
        held, train = debian_pools(lang)
        asking += list(held) + list(train)
    asking = [x.translate(ASCII_PUNCT) for x in asking if "？" in x or "！" in x]
    # A reading typed after a character (蘧(qu2)) is what the reading fixer
    # takes out on purpose: such lines are no clean text for this file.
    asking = [x for x in asking if not READING.search(x)]
    out = pick(rng, [asking], target // 2)
    for name in ("zh_Hans", "zh_Hant", "ja"):
        lines = built(name)
        typed = [x.translate(ASCII_PUNCT) for x in lines if x.translate(ASCII_PUNCT) != x]
        out += pick(rng, [[x for x in typed if x not in out]], (target - len(out)) // 3 + 1)
    return out[:target]


def build(name, rng):
    man_lang = {"zh_Hans": "zh_CN", "zh_Hant": "zh_TW"}.get(name, name)
    target = TARGETS[name]
    if name in ("zh_Hans", "zh_Hant", "ja", "ru", "uk", "el", "vi", "fr", "de", "pl",
                "cs", "es", "it", "ko"):
        held, train = debian_pools(man_lang)
        extra = iso_names(man_lang)
        msgs = debian_text.messages_prose(man_lang, "all")
        pools = [held, train, msgs]
        if name == "zh_Hans":
            pools = [held, fortunes_zh(), train]
        # About a tenth are short names (countries, languages, currencies).
        names = pick(random.Random(name + "/names"), [extra], target // 10)
        return names + pick(rng, pools, target - len(names))
    if name in ("ar", "he", "th", "hi"):
        dic = {"ar": ("ar", "ARABIC"), "he": ("he_IL", "HEBREW"), "th": ("th_TH", "THAI"),
               "hi": ("hi_IN", "DEVANAGARI")}[name]
        words = hunspell_words(*dic)
        names = pick(random.Random(name + "/names"), [iso_names(name)], target // 4)
        made = thai_lines(rng, words, target * 2) if name == "th" else word_lines(rng, words, target * 2)
        return names + pick(rng, [made], target - len(names))
    if name == "en_emoji":
        return pick(rng, [emoji_lines(rng, target * 2)], target)
    if name == "latin1_symbols":
        return pick(rng, [latin1_lines(rng, target * 2)], target)
    if name == "cjk_hard":
        own = pick(rng, [HALFWIDTH_JA + MIXED_CJK], target)
        return own + pick(rng, [rare_chinese_lines(rng, target * 2)], target - len(own))
    if name == "cjk_ascii_punct":
        return ascii_punct_lines(rng, target)
    if name == "en_cjk_mentions":
        return cjk_mention_lines(rng, target)
    if name == "help_pages":
        return help_lines(rng, target)
    if name == "ui_strings":
        return ui_lines(rng, target)
    if name == "catalogues":
        return catalogue_lines(rng, target)
    if name == "debian_docs":
        return docs_lines(rng, target)
    if name == "mojibake_discussion":
        # Kept even though they quote mojibake: that is the point of the file.
        lines = discussion_lines(rng, target)
        return [x for x in dict.fromkeys(lines) if clean(x)]
    raise ValueError(name)


@functools.cache
def built(name):
    """The lines of one file, built once (cjk_ascii_punct reads the zh and
    ja files again)."""
    return build(name, random.Random("negative/" + name))


def write_negative(out_dir, names=None):
    """Writes every file of TARGETS, or only `names` (the others stay)."""
    os.makedirs(out_dir, exist_ok=True)
    if names is None:
        for old in glob.glob(os.path.join(out_dir, "*.txt")):
            os.remove(old)
    result = []
    for name in names or TARGETS:
        lines = built(name)
        with open(os.path.join(out_dir, name + ".txt"), "w", encoding="utf-8",
                  newline="\n") as f:
            for line in lines:
                f.write(line + "\n")
        result.append((name, len(lines)))
    return result


if __name__ == "__main__":
    # python3 tools/cases/negative.py catalogues debian_docs: those files only.
    import sys
    here = os.path.dirname(os.path.abspath(__file__))
    for name, n in write_negative(os.path.join(here, "..", "..", "tests", "data", "negative"),
                                  sys.argv[1:] or None):
        print("negative/%-24s %6d" % (name, n))
