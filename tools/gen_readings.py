#!/usr/bin/env python3
"""Builds data/normalize/readings.bin: the readings of Han characters that the
normalize stage accepts as inserted annotations (網(wǎng), 網(ㄨㄤˇ), 漢字(かんじ)).

Source: Unihan_Readings.txt from Debian's unicode-data package
(/usr/share/unicode/Unihan_Readings.txt.bz2), fields kMandarin, kHanyuPinyin,
kXHC1983, kTGHZ2013 (Mandarin, tone-marked pinyin) and kJapaneseOn,
kJapaneseKun (Japanese, Hepburn romaji). Unicode licence (see SOURCES.md).

Layout (little endian):
  magic "MJRD", u32 version = 1
  u32 nsyl, then nsyl records: u8 len, pinyin (ASCII, ü written as 'v');
                               u8 len, zhuyin (UTF-8, without tone)
  u32 nchar, then nchar records sorted by code point: u32 cp, u32 offset
  u32 blob size, blob: per character at its offset
      u8 n_pinyin, n_pinyin x u16 (syllable id << 3 | tone 1-5)
      u8 n_kana,   n_kana x (u8 len, len bytes of kana: code point - 0x3040)
"""

import bz2
import struct
import sys
import unicodedata

UNIHAN = "/usr/share/unicode/Unihan_Readings.txt.bz2"
MANDARIN_FIELDS = ("kMandarin", "kHanyuPinyin", "kXHC1983", "kTGHZ2013")
JAPANESE_FIELDS = ("kJapaneseOn", "kJapaneseKun")

TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030C": 3, "\u0300": 4}


def split_tone(syl):
    """'wǎng' -> ('wang', 3); 'lüè' -> ('lve', 4); no mark -> tone 5."""
    tone = 5
    out = []
    for ch in unicodedata.normalize("NFD", syl):
        if ch in TONE_MARKS:
            tone = TONE_MARKS[ch]
        elif ch == "\u0308":  # diaeresis of ü
            out[-1] = "v"
        elif ch == "\u0302":  # ê: too rare to be worth a syllable
            return None
        else:
            out.append(ch)
    return "".join(out).lower(), tone


# Pinyin to zhuyin: initials and finals, with the spelling rules of pinyin
# undone (y/w, ju/qu/xu = ü, iu/ui/un, zhi/chi/shi/ri/zi/ci/si).
INITIALS = [("zh", "ㄓ"), ("ch", "ㄔ"), ("sh", "ㄕ"), ("b", "ㄅ"), ("p", "ㄆ"), ("m", "ㄇ"),
            ("f", "ㄈ"), ("d", "ㄉ"), ("t", "ㄊ"), ("n", "ㄋ"), ("l", "ㄌ"), ("g", "ㄍ"),
            ("k", "ㄎ"), ("h", "ㄏ"), ("j", "ㄐ"), ("q", "ㄑ"), ("x", "ㄒ"), ("r", "ㄖ"),
            ("z", "ㄗ"), ("c", "ㄘ"), ("s", "ㄙ")]
FINALS = {
    "a": "ㄚ", "o": "ㄛ", "e": "ㄜ", "ê": "ㄝ", "ai": "ㄞ", "ei": "ㄟ", "ao": "ㄠ", "ou": "ㄡ",
    "an": "ㄢ", "en": "ㄣ", "ang": "ㄤ", "eng": "ㄥ", "ong": "ㄨㄥ", "er": "ㄦ",
    "i": "ㄧ", "ia": "ㄧㄚ", "ie": "ㄧㄝ", "iao": "ㄧㄠ", "iu": "ㄧㄡ", "iou": "ㄧㄡ",
    "ian": "ㄧㄢ", "in": "ㄧㄣ", "iang": "ㄧㄤ", "ing": "ㄧㄥ", "iong": "ㄩㄥ", "io": "ㄧㄛ",
    "u": "ㄨ", "ua": "ㄨㄚ", "uo": "ㄨㄛ", "uai": "ㄨㄞ", "ui": "ㄨㄟ", "uei": "ㄨㄟ",
    "uan": "ㄨㄢ", "un": "ㄨㄣ", "uen": "ㄨㄣ", "uang": "ㄨㄤ", "ueng": "ㄨㄥ",
    "uong": "ㄨㄥ", "v": "ㄩ", "ve": "ㄩㄝ", "van": "ㄩㄢ", "vn": "ㄩㄣ",
}


def zhuyin(base):
    s = base
    if s in ("m", "n", "ng", "hm", "hng", "ng", "ê"):
        return {"m": "ㄇ", "n": "ㄋ", "ng": "ㄫ", "hm": "ㄏㄇ", "hng": "ㄏㄫ"}.get(s, "ㄝ")
    if s == "er":
        return "ㄦ"
    initial = ""
    for lat, zh in INITIALS:
        if s.startswith(lat):
            initial, s = zh, s[len(lat):]
            break
    else:
        # y and w spell medials when no initial stands before them.
        if s.startswith("yu"):
            s = "v" + s[2:]
        elif s.startswith("yi"):
            s = "i" + s[2:]
        elif s.startswith("y"):
            s = "i" + s[1:]
        elif s.startswith("wu"):
            s = "u" + s[2:]
        elif s.startswith("w"):
            s = "u" + s[1:]
    if initial in ("ㄐ", "ㄑ", "ㄒ") and s.startswith("u"):
        s = "v" + s[1:]
    if initial in ("ㄓ", "ㄔ", "ㄕ", "ㄖ", "ㄗ", "ㄘ", "ㄙ") and s == "i":
        return initial
    if s == "":
        return None
    final = FINALS.get(s)
    if final is None:
        return None
    return initial + final


ROMAJI = {}
for row, kana in [
    ("a i u e o", "あいうえお"), ("ka ki ku ke ko", "かきくけこ"), ("ga gi gu ge go", "がぎぐげご"),
    ("sa shi su se so", "さしすせそ"), ("za ji zu ze zo", "ざじずぜぞ"),
    ("ta chi tsu te to", "たちつてと"), ("da di du de do", "だぢづでど"),
    ("na ni nu ne no", "なにぬねの"), ("ha hi fu he ho", "はひふへほ"),
    ("ba bi bu be bo", "ばびぶべぼ"), ("pa pi pu pe po", "ぱぴぷぺぽ"),
    ("ma mi mu me mo", "まみむめも"), ("ya yu yo", "やゆよ"), ("ra ri ru re ro", "らりるれろ"),
    ("wa wi we wo", "わゐゑを"), ("si ti tu hu zi", "しちつふじ")]:
    for r, k in zip(row.split(), kana):
        ROMAJI[r] = k
for cons, i_kana in [("k", "き"), ("g", "ぎ"), ("sh", "し"), ("j", "じ"), ("ch", "ち"),
                     ("n", "に"), ("h", "ひ"), ("b", "び"), ("p", "ぴ"), ("m", "み"), ("r", "り")]:
    for v, small in zip("auo", "ゃゅょ"):
        ROMAJI[cons + ("" if cons in ("sh", "j", "ch") else "y") + v] = i_kana + small
ROMAJI["sh" + "e"] = "しぇ"
ROMAJI["je"] = "じぇ"
ROMAJI["che"] = "ちぇ"
ROMAJI["fi"] = "ふぃ"
for v, small in zip("auo", "ゃゅょ"):  # a few entries spell shy-, chy-
    ROMAJI["shy" + v] = "し" + small
    ROMAJI["chy" + v] = "ち" + small


def romaji_to_kana(word):
    w = word.lower()
    out = []
    i = 0
    while i < len(w):
        if w[i] == "n" and (i + 1 == len(w) or w[i + 1] not in "aiueoy"):
            out.append("ん")
            i += 1
            continue
        if i + 1 < len(w) and w[i] == w[i + 1] and w[i] not in "aiueon":
            out.append("っ")
            i += 1
            continue
        if w[i:i + 3] == "tch":
            out.append("っ")
            i += 1
            continue
        for n in (4, 3, 2, 1):
            if w[i:i + n] in ROMAJI:
                out.append(ROMAJI[w[i:i + n]])
                i += n
                break
        else:
            return None
    return "".join(out)


def main(out_path):
    pinyin = {}
    kana = {}
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as f:
        for line in f:
            if not line.startswith("U+"):
                continue
            code, field, value = line.rstrip("\n").split("\t")
            cp = int(code[2:], 16)
            if field in MANDARIN_FIELDS:
                for item in value.split():
                    syls = item.split(":")[-1]
                    for syl in syls.split(","):
                        pinyin.setdefault(cp, [])
                        st = split_tone(syl)
                        if st is not None and st not in pinyin[cp]:
                            pinyin[cp].append(st)
            elif field in JAPANESE_FIELDS:
                for item in value.split():
                    k = romaji_to_kana(item)
                    if k is None:
                        print("skipped romaji", code, item, file=sys.stderr)
                        continue
                    kana.setdefault(cp, [])
                    if k not in kana[cp]:
                        kana[cp].append(k)
    bases = sorted({b for v in pinyin.values() for b, _ in v})
    syl_id = {}
    syl_records = []
    for b in bases:
        z = zhuyin(b)
        if z is None:
            print("no zhuyin for", b, file=sys.stderr)
            z = ""
        syl_id[b] = len(syl_records)
        syl_records.append((b, z))
    cps = sorted(set(pinyin) | set(kana))
    blob = bytearray()
    index = []
    for cp in cps:
        index.append((cp, len(blob)))
        ps = pinyin.get(cp, [])[:255]
        blob.append(len(ps))
        for b, t in ps:
            blob += struct.pack("<H", syl_id[b] << 3 | t)
        ks = [k for k in kana.get(cp, []) if len(k) < 64][:255]
        blob.append(len(ks))
        for k in ks:
            enc = bytes(ord(c) - 0x3040 for c in k)
            blob.append(len(enc))
            blob += enc
    out = bytearray(b"MJRD")
    out += struct.pack("<I", 1)
    out += struct.pack("<I", len(syl_records))
    for b, z in syl_records:
        bb = b.encode("ascii")
        zb = z.encode("utf-8")
        out.append(len(bb))
        out += bb
        out.append(len(zb))
        out += zb
    out += struct.pack("<I", len(index))
    for cp, off in index:
        out += struct.pack("<II", cp, off)
    out += struct.pack("<I", len(blob))
    out += blob
    with open(out_path, "wb") as f:
        f.write(out)
    print(f"{len(syl_records)} syllables, {len(cps)} characters, {len(out)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data/normalize/readings.bin")
