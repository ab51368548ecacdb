#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/text/ and fuzz/corpus/codec/.

Text seeds: clean text in several languages and the mojibake kinds of
shared/reference/mojibake-catalogue.md, made here with Python's codecs.
Codec seeds: byte 0 = encoding index (order of detail::encoding in
src/codec/codec.hpp), byte 1 = decode mode (strict, whatwg, python, naive,
sloppy), then sample bytes in that encoding, valid and broken.
Run from anywhere: python3 fuzz/make_corpus.py (standard library only).
"""
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))


def sloppy1252(b: bytes) -> str:
    """windows-1252 with undefined bytes kept as C1 controls (WHATWG)."""
    return "".join(bytes([x]).decode("cp1252") if x not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
                   else chr(x) for x in b)


def wrong(text: str, enc: str, errors: str = "replace") -> str:
    """UTF-8 text read as enc."""
    return text.encode("utf-8").decode(enc, errors=errors)


CLEAN = {
    "clean_en": "The Mona Lisa doesn’t have eyebrows. Café, naïve, résumé — “quoted”.\n",
    "clean_zh_hans": "今天下午的会议改到三点，请大家提前十分钟到会议室。\n这个工具只修复它能解释的错误。\n",
    "clean_zh_hant": "這個工具只修復它能解釋的錯誤，乾淨的文字原樣傳回。\n",
    "clean_ja": "明日の会議は午後三時からに変更になりました。ｶﾀｶﾅ　全角スペース\n",
    "clean_ko": "이 도구는 설명할 수 있는 오류만 고치고, 깨끗한 글은 그대로 돌려줍니다.\n",
    "clean_ru": "Съешь же ещё этих мягких французских булок, да выпей чаю.\n",
    "clean_el": "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.\n",
    "clean_mixed": "Price: 5 € — 中文 English 日本語 한국어 Ελληνικά 😀 e\u0301 ＡＢＣ\n",
    "clean_entities": "Fish &amp; chips &eacute; &#25105; &lt;b&gt;\n",
    "clean_latin_lookalike": "Ã is a letter in Portuguese; the ratio 3:2 is fine. ÎÒ\n",
}

MOJIBAKE = {
    "a1_utf8_as_gbk": wrong("我是中国人，这是测试。", "gb18030"),
    "a1b_utf8_as_gbk_odd": wrong("我是中国人", "gbk"),
    "a3_utf8_as_sjis": wrong("こんにちは、世界", "shift_jis"),
    "a3b_zh_as_cp932": wrong("我是", "cp932"),
    "a4_utf8_as_cp949": wrong("안녕하세요", "cp949"),
    "a5_utf8_as_cp1252": sloppy1252("我是中国人".encode()),
    "a5_en_as_cp1252": "The Mona Lisa doesn" + sloppy1252("’".encode()) + "t have eyebrows.",
    "a5b_utf8_as_latin1": "中文".encode().decode("latin-1"),
    "a5_ru_as_cp1252": sloppy1252("Привет, мир".encode()),
    "b1_gbk_as_cp1252": sloppy1252("我是中国人".encode("gbk")),
    "b2_big5_as_cp1252": sloppy1252("我是中文".encode("big5")),
    "b3_sjis_as_cp1252": sloppy1252("こんにちは".encode("shift_jis")),
    "b4_eucjp_as_cp1252": sloppy1252("こんにちは".encode("euc_jp")),
    "b5_euckr_as_latin1": "안녕하세요".encode("euc_kr").decode("latin-1"),
    "c1_gbk_as_utf8": "我是中国人".encode("gbk").decode("utf-8", errors="replace"),
    "d1_kun_jin_kao": "锟斤拷锟斤拷",
    "d2_msvc_fill": "烫烫烫烫烫屯屯屯",
    "e1_big5_as_gbk": "我是中文".encode("big5").decode("gbk", errors="replace"),
    "e2b_gbk_as_big5": "中文".encode("gbk").decode("big5", errors="replace"),
    "f1_double_cp1252": sloppy1252(sloppy1252("我".encode()).encode()),
    "f2_double_gbk": wrong(wrong("我是", "gb18030"), "gb18030"),
    "f4_gbk_latin1_gbk": "我是".encode("gbk").decode("latin-1").encode().decode("gbk", "replace"),
    "g3_swallowed_comma": wrong("中文，测试", "gbk"),
    "h1_bom_as_gbk": wrong("\ufeff<html>", "gbk"),
    "h2_ascii_as_utf16": "Bush hid the facts".encode("ascii").decode("utf-16-le"),
    "j1_ncr_of_mojibake": "".join(f"&#{ord(c)};" for c in sloppy1252("é".encode())),
    "j3_double_escaped": "&amp;#25105;&amp;#26159;",
    "mixed_line": "标题：" + wrong("北京欢迎你", "gb18030") + " | clean tail 正常文本\n",
    "mixed_lines": "clean line\n" + sloppy1252("Ça va très bien".encode()) + "\n正常\n"
                   + wrong("文字化け", "shift_jis") + "\n",
}

RAW = {  # bytes that are not (all) UTF-8
    "raw_invalid_utf8": b"abc \xff\xfe \xc3 \xe4\xb8 \xed\xa0\x80 \xf4\x90\x80\x80 \xc0\xaf end",
    "raw_gbk_bytes": "我是中国人".encode("gbk"),
    "raw_nul_bytes": b"nul\x00inside\x00\x00text \xe6\x88\x91\x00",
    "raw_empty": b"",
    "raw_crlf": "line one\r\n".encode() + sloppy1252("línea dos".encode()).encode() + b"\r\n",
    "raw_long_line": (wrong("我是中国人", "gb18030") * 300).encode(),
}

# detail::encoding order, with the Python codec that writes samples for it.
ENCODINGS = [
    ("utf-8", "utf-8"), ("cesu-8", None), ("utf-16le", "utf-16-le"), ("utf-16be", "utf-16-be"),
    ("gb18030", "gb18030"), ("gbk", "gbk"), ("gb2312", "gb2312"), ("big5", "big5"),
    ("big5-hkscs", "big5hkscs"), ("cp950", "cp950"), ("shift_jis", "shift_jis"),
    ("cp932", "cp932"), ("euc-jp", "euc_jp"), ("euc-kr", "euc_kr"), ("cp949", "cp949"),
    ("windows-1250", "cp1250"), ("windows-1251", "cp1251"), ("windows-1252", "cp1252"),
    ("windows-1253", "cp1253"), ("windows-1254", "cp1254"), ("windows-1255", "cp1255"),
    ("windows-1256", "cp1256"), ("windows-1257", "cp1257"), ("windows-1258", "cp1258"),
    ("iso-8859-1", "latin-1"), ("iso-8859-2", "iso8859_2"), ("iso-8859-5", "iso8859_5"),
    ("iso-8859-7", "iso8859_7"), ("iso-8859-15", "iso8859_15"), ("koi8-r", "koi8_r"),
    ("mac-roman", "mac_roman"), ("cp437", "cp437"), ("cp850", "cp850"), ("cp866", "cp866"),
]
SAMPLES = ["我是中国人。", "這是中文。", "こんにちは、ｶﾀｶﾅ。", "안녕하세요.", "Привет, мир!",
           "Ελληνικά", "Żółć, češka, Ärger", "café € “q”", "עברית", "العربية", "Tiếng Việt"]


def cesu8(text: str) -> bytes:
    out = bytearray()
    for ch in text:
        if ord(ch) > 0xFFFF:
            u = ch.encode("utf-16-be")
            for i in (0, 2):
                unit = chr(int.from_bytes(u[i:i + 2], "big"))
                out += unit.encode("utf-8", "surrogatepass")
        else:
            out += ch.encode("utf-8")
    return bytes(out)


def sample_bytes(codec: str | None) -> bytes:
    if codec is None:
        return cesu8("CESU: 😀 我")
    parts = []
    for s in SAMPLES:
        try:
            parts.append(s.encode(codec))
        except UnicodeEncodeError:
            pass
    return b" ".join(parts[:3]) or b"ascii only"


def main() -> None:
    text_dir = os.path.join(HERE, "corpus", "text")
    codec_dir = os.path.join(HERE, "corpus", "codec")
    for d in (text_dir, codec_dir):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    for name, text in {**CLEAN, **MOJIBAKE}.items():
        with open(os.path.join(text_dir, name + ".txt"), "wb") as f:
            f.write(text.encode("utf-8", "surrogatepass"))
    for name, data in RAW.items():
        with open(os.path.join(text_dir, name + ".bin"), "wb") as f:
            f.write(data)

    for index, (name, codec) in enumerate(ENCODINGS):
        data = sample_bytes(codec)
        # Valid sample in a mode that cycles with the index, and a broken
        # sample (cut mid-character, stray high bytes) in another mode.
        with open(os.path.join(codec_dir, f"{index:02d}_{name}_valid.bin"), "wb") as f:
            f.write(bytes([index, index % 5]) + data)
        broken = data[:-1] + b"\x80\xff\x81\x40\xa1" + data[:1]
        with open(os.path.join(codec_dir, f"{index:02d}_{name}_broken.bin"), "wb") as f:
            f.write(bytes([index, (index + 2) % 5]) + broken)
    extra = {
        "utf16le_lone_surrogate": bytes([2, 1]) + b"\x00\xd8a\x00\x00\xdc",
        "utf16be_odd_length": bytes([3, 2]) + "ok".encode("utf-16-be") + b"\x00",
        "utf8_overlong_surrogate": bytes([0, 3]) + b"\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80",
        "gb18030_four_byte": bytes([4, 0]) + "€😀\u00e9".encode("gb18030"),
        "gbk_pua_pair": bytes([5, 1]) + b"\xa1\x40\xfe\xa0\xaa\xa1",
        "sjis_5c_trail": bytes([10, 2]) + "表示ソ".encode("shift_jis"),
        "big5_hkscs_pair": bytes([8, 1]) + b"\x88\x62\x88\x64\x88\xa3",
        "windows1252_undefined_sloppy": bytes([17, 4]) + bytes(range(0x80, 0xA0)),
        "koi8r_all_high_sloppy": bytes([29, 4]) + bytes(range(0x80, 0x100)),
        "naive_gbk_lost_pair": bytes([5, 3]) + b"\xce\xd2\xff\x41\xca\xc7",
        "name_lookup": bytes([17, 0]) + b"X-MAC-ROMAN",
    }
    for name, data in extra.items():
        with open(os.path.join(codec_dir, name + ".bin"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
