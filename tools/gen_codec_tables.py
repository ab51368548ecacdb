#!/usr/bin/env python3
"""Writes src/codec/override_tables.hpp: where CPython's codecs and the
WHATWG Encoding Standard's decoders read a byte sequence differently from
the ICU converter mojifix builds its tables from.

decode_mode::python imitates CPython's bytes.decode(codec, "replace") and
decode_mode::whatwg the WHATWG decoders. Both start from the ICU converter
(codec_tables.cpp) with generic rules applied at run time:
  * bytes 0x00-0x7F are ASCII;
  * in double-byte encodings, single bytes >= 0x80 that ICU maps to a C1
    control or to private use are invalid;
  * python only: in double-byte encodings other than gb18030, pairs that ICU
    maps to private use are invalid.
This tool compares that base with CPython and with the WHATWG decoders for
every single byte, every pair after a lead byte and every EUC-JP 0x8F
triple, and writes the differences as runs. It also spot-checks gb18030
four-byte forms (no overrides needed).

Sources: CPython's codecs (this interpreter, e.g. 3.11 from Debian's
python3.11, PSF licence; the mapping facts come from the Unicode mapping
files and national standards they implement); ICU 72 (Debian libicu72,
Unicode licence) through ctypes; the WHATWG Encoding Standard's indexes
(BSD-3-Clause) as shipped in lib/encoding-indexes.js of the npm package
text-encoding 0.7.0 (Unlicense / Apache-2.0; indexes of January 2017,
before GB18030-2022). Run from the repository root:

    npm pack text-encoding@0.7.0 && tar xzf text-encoding-0.7.0.tgz
    python3 tools/gen_codec_tables.py package/lib/encoding-indexes.js
"""

import ctypes
import ctypes.util
import json
import subprocess
import sys

ICU_VERSION = 72

# mojifix encoding enumerator, ICU converter (as in codec_tables.cpp),
# CPython codec, double-byte?
ENCODINGS = [
    ("gb18030", "gb18030", "gb18030", True),
    ("gbk", "gb18030", "gbk", True),
    ("gb2312", "ibm-1383_P110-1999", "gb2312", True),
    ("big5", "windows-950-2000", "big5", True),
    ("big5_hkscs", "ibm-1375_P100-2008", "big5hkscs", True),
    ("cp950", "windows-950-2000", "cp950", True),
    ("shift_jis", "ibm-943_P15A-2003", "shift_jis", True),
    ("cp932", "ibm-943_P15A-2003", "cp932", True),
    ("euc_jp", "euc-jp-2007", "euc_jp", True),
    ("euc_kr", "ibm-970_P110_P110-2006_U2", "euc_kr", True),
    ("cp949", "windows-949-2000", "cp949", True),
] + [("windows_%d" % n, "windows-%d" % n, "cp%d" % n, False) for n in range(1250, 1259)] + [
    ("iso_8859_1", "ISO-8859-1", "latin-1", False),
    ("iso_8859_2", "ISO-8859-2", "iso8859_2", False),
    ("iso_8859_5", "ISO-8859-5", "iso8859_5", False),
    ("iso_8859_7", "ISO-8859-7", "iso8859_7", False),
    ("iso_8859_15", "ISO-8859-15", "iso8859_15", False),
    ("koi8_r", "KOI8-R", "koi8_r", False),
    ("mac_roman", "macintosh", "mac_roman", False),
    ("cp437", "ibm-437", "cp437", False),
    ("cp850", "ibm-850", "cp850", False),
    ("cp866", "ibm-866", "cp866", False),
    ("iso_8859_3", "ISO-8859-3", "iso8859_3", False),
    ("iso_8859_4", "ISO-8859-4", "iso8859_4", False),
    ("iso_8859_10", "ISO-8859-10", "iso8859_10", False),
    ("iso_8859_13", "ISO-8859-13", "iso8859_13", False),
    ("iso_8859_14", "ISO-8859-14", "iso8859_14", False),
]

LEAD = "lead"


class Icu:
    def __init__(self):
        path = ctypes.util.find_library("icuuc") or "libicuuc.so.%d" % ICU_VERSION
        self.lib = ctypes.CDLL(path)
        v = "_%d" % ICU_VERSION
        self.open = getattr(self.lib, "ucnv_open" + v)
        self.open.restype = ctypes.c_void_p
        self.open.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
        self.reset = getattr(self.lib, "ucnv_reset" + v)
        self.reset.argtypes = [ctypes.c_void_p]
        self.set_cb = getattr(self.lib, "ucnv_setToUCallBack" + v)
        self.set_cb.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                                ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
        self.stop = ctypes.cast(getattr(self.lib, "UCNV_TO_U_CALLBACK_STOP" + v), ctypes.c_void_p)
        self.to_uchars = getattr(self.lib, "ucnv_toUChars" + v)
        self.to_uchars.restype = ctypes.c_int32
        self.to_uchars.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int32,
                                   ctypes.c_char_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_int)]
        self.buf = (ctypes.c_uint16 * 32)()

    def converter(self, name):
        err = ctypes.c_int(0)
        cnv = self.open(name.encode(), ctypes.byref(err))
        if err.value > 0 or not cnv:
            sys.exit("ICU cannot open %s" % name)
        self.set_cb(cnv, self.stop, None, None, None, ctypes.byref(err))
        return cnv

    def decode(self, cnv, data):
        """Code points, LEAD for a truncated sequence, None when invalid."""
        err = ctypes.c_int(0)
        self.reset(cnv)
        n = self.to_uchars(cnv, self.buf, 32, data, len(data), ctypes.byref(err))
        if err.value == 11:  # U_TRUNCATED_CHAR_FOUND
            return LEAD
        if err.value > 0:
            return None
        units = bytes(self.buf[i] >> s & 0xFF for i in range(n) for s in (0, 8))
        return tuple(ord(c) for c in units.decode("utf-16-le", "surrogatepass"))


def is_pua(cps):
    return cps is not None and cps != LEAD and len(cps) == 1 and 0xE000 <= cps[0] <= 0xF8FF


def python_decode(codec, data):
    try:
        return tuple(ord(c) for c in data.decode(codec))
    except UnicodeDecodeError:
        return None


# mojifix encoding -> WHATWG decoder, where the encoding is the one a
# browser decodes with (codec.hpp whatwg_decoder maps the other labels).
WHATWG = {
    "gb18030": "gb18030", "big5_hkscs": "big5", "cp932": "shift_jis", "euc_jp": "euc-jp",
    "cp949": "euc-kr", "iso_8859_2": "iso-8859-2", "iso_8859_5": "iso-8859-5",
    "iso_8859_7": "iso-8859-7", "iso_8859_15": "iso-8859-15", "koi8_r": "koi8-r",
    "mac_roman": "macintosh", "cp866": "ibm866", "iso_8859_3": "iso-8859-3",
    "iso_8859_4": "iso-8859-4", "iso_8859_10": "iso-8859-10", "iso_8859_13": "iso-8859-13",
    "iso_8859_14": "iso-8859-14",
}
WHATWG.update({"windows_%d" % n: "windows-%d" % n for n in range(1250, 1259)})


class Whatwg:
    """The WHATWG decoders, for one complete sequence at a time."""

    def __init__(self, path):
        src = open(path, encoding="utf-8").read()
        start = src.index("=", src.index('global["encoding-indexes"]')) + 1
        self.index, _ = json.JSONDecoder().raw_decode(src[start:].lstrip())

    def decode(self, name, seq):
        ix = self.index
        b0 = seq[0]
        if b0 < 0x80 and len(seq) == 1:
            return (b0,)
        if name in ix and len(ix[name]) == 128:  # single-byte
            c = ix[name][b0 - 0x80] if len(seq) == 1 else None
            return None if c is None else (c,)
        if len(seq) == 1:
            if name == "gb18030" and b0 == 0x80:
                return (0x20AC,)
            if name == "shift_jis" and b0 == 0x80:
                return (0x80,)
            if name == "shift_jis" and 0xA1 <= b0 <= 0xDF:
                return (0xFF61 + b0 - 0xA1,)
            return None
        b1 = seq[1]
        if name == "gb18030":
            if len(seq) == 2 and 0x81 <= b0 <= 0xFE and (0x40 <= b1 <= 0x7E or 0x80 <= b1 <= 0xFE):
                c = ix["gb18030"][(b0 - 0x81) * 190 + b1 - (0x40 if b1 < 0x7F else 0x41)]
                return None if c is None else (c,)
        elif name == "big5":
            if len(seq) == 2 and 0x81 <= b0 <= 0xFE and (0x40 <= b1 <= 0x7E or 0xA1 <= b1 <= 0xFE):
                pointer = (b0 - 0x81) * 157 + b1 - (0x40 if b1 < 0x7F else 0x62)
                two = {1133: (0xCA, 0x304), 1135: (0xCA, 0x30C), 1164: (0xEA, 0x304),
                       1166: (0xEA, 0x30C)}
                if pointer in two:
                    return two[pointer]
                c = ix["big5"][pointer] if pointer < len(ix["big5"]) else None
                return None if c is None else (c,)
        elif name == "shift_jis":
            if len(seq) == 2 and (0x81 <= b0 <= 0x9F or 0xE0 <= b0 <= 0xFC) and (
                    0x40 <= b1 <= 0x7E or 0x80 <= b1 <= 0xFC):
                pointer = (b0 - (0x81 if b0 < 0xA0 else 0xC1)) * 188 + b1 - (0x40 if b1 < 0x7F else 0x41)
                if 8836 <= pointer <= 10715:
                    return (0xE000 - 8836 + pointer,)
                c = ix["jis0208"][pointer] if pointer < len(ix["jis0208"]) else None
                return None if c is None else (c,)
        elif name == "euc-jp":
            if len(seq) == 2 and b0 == 0x8E and 0xA1 <= b1 <= 0xDF:
                return (0xFF61 + b1 - 0xA1,)
            if len(seq) == 2 and 0xA1 <= b0 <= 0xFE and 0xA1 <= b1 <= 0xFE:
                c = ix["jis0208"][(b0 - 0xA1) * 94 + b1 - 0xA1]
                return None if c is None else (c,)
            if len(seq) == 3 and b0 == 0x8F and 0xA1 <= b1 <= 0xFE and 0xA1 <= seq[2] <= 0xFE:
                c = ix["jis0212"][(b1 - 0xA1) * 94 + seq[2] - 0xA1]
                return None if c is None else (c,)
        elif name == "euc-kr":
            if len(seq) == 2 and 0x81 <= b0 <= 0xFE and 0x41 <= b1 <= 0xFE:
                c = ix["euc-kr"][(b0 - 0x81) * 190 + b1 - 0x41]
                return None if c is None else (c,)
        return None


def compare(icu, enc, icu_name, double, want, python_rules):
    """Yields (bytes, value) overrides that turn the run-time base into the
    decoder `want(bytes)`; value is a tuple of code points, LEAD or None."""
    cnv = icu.converter(icu_name)
    base_single, want_single = {}, {}
    for b in range(0x80, 0x100):
        v = icu.decode(cnv, bytes([b]))
        if double and v not in (None, LEAD) and len(v) == 1 and (
                0x80 <= v[0] <= 0x9F or 0xE000 <= v[0] <= 0xF8FF):
            v = None
        base_single[b] = v
        want_single[b] = want(bytes([b]))
    base_pairs, want_pairs = {}, {}
    if double:
        for lead in range(0x80, 0x100):
            for trail in range(0x100):
                seq = bytes([lead, trail])
                if base_single[lead] == LEAD:
                    v = icu.decode(cnv, seq)
                    if v == LEAD or (python_rules and enc != "gb18030" and is_pua(v)):
                        v = None
                    base_pairs[seq] = v
                if want_single[lead] is None:
                    want_pairs[seq] = want(seq)
        if enc == "euc_jp":
            for a in range(0xA1, 0xFF):
                for b in range(0xA1, 0xFF):
                    seq = bytes([0x8F, a, b])
                    v = icu.decode(cnv, seq)
                    base_pairs[seq] = None if v == LEAD else v
                    want_pairs[seq] = want(seq)
    # A byte read as a lead has at least one valid sequence after it.
    for seq, v in want_pairs.items():
        if v is not None:
            want_single[seq[0]] = LEAD
    out = []
    for b in range(0x80, 0x100):
        if want_single[b] != base_single[b]:
            out.append((bytes([b]), want_single[b]))
    for seq in sorted(want_pairs):
        if want_single[seq[0]] != LEAD:
            continue
        base = base_pairs.get(seq) if base_single[seq[0]] == LEAD else None
        if want_pairs[seq] != base:
            out.append((seq, want_pairs[seq]))
    if enc == "gb18030" and python_rules:
        bad = 0
        for idx in list(range(0, 39420, 3)) + list(range(189000, 189000 + 0x100000, 97)):
            seq = bytes([0x81 + idx // 12600, 0x30 + idx // 1260 % 10,
                         0x81 + idx // 10 % 126, 0x30 + idx % 10])
            if icu.decode(cnv, seq) != python_decode("gb18030", seq):
                bad += 1
        print("gb18030 four-byte sample, CPython vs ICU: %d differences" % bad, file=sys.stderr)
    return out


def runs(entries):
    """Groups consecutive overrides: same length and prefix, last byte +1,
    code point +1 (or all invalid / all lead)."""
    result = []
    for seq, v in entries:
        if result:
            s0, v0, count = result[-1]
            last = s0[:-1] + bytes([s0[-1] + count - 1])
            step_ok = (len(seq) == len(s0) and seq[:-1] == s0[:-1] and seq[-1] == last[-1] + 1)
            same = (v is None and v0 is None) or (v == LEAD and v0 == LEAD) or (
                v not in (None, LEAD) and v0 not in (None, LEAD) and len(v) == 1 and len(v0) == 1
                and v[0] == v0[0] + count)
            if step_ok and same:
                result[-1] = (s0, v0, count + 1)
                continue
        result.append((seq, v, 1))
    return result


def emit(entries, enc, lines):
    rs = runs(entries)
    for seq, v, count in rs:
        if v is None:
            cp, cp2 = "kNone", "0"
        elif v == LEAD:
            cp, cp2 = "kLead", "0"
        else:
            cp = "0x%04X" % v[0]
            cp2 = "0x%04X" % v[1] if len(v) > 1 else "0"
            if len(v) > 2:
                sys.exit("%s %s: more than two code points" % (enc, seq.hex()))
        lines.append("    {encoding::%s, %d, %d, 0x%X, %s, %s}," % (
            enc, len(seq), count, int.from_bytes(seq, "big"), cp, cp2))
    return len(rs)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    icu = Icu()
    whatwg = Whatwg(sys.argv[1])
    py_lines, ww_lines, summary, ww_encodings = [], [], [], []
    for enc, icu_name, codec, double in ENCODINGS:
        entries = compare(icu, enc, icu_name, double,
                          lambda seq, c=codec: python_decode(c, seq), True)
        n = emit(entries, enc, py_lines)
        line = "//   %-12s CPython %5d sequences in %4d runs" % (enc, len(entries), n)
        if enc in WHATWG:
            entries = compare(icu, enc, icu_name, double,
                              lambda seq, w=WHATWG[enc]: whatwg.decode(w, seq), False)
            n = emit(entries, enc, ww_lines)
            line += "; WHATWG %-10s %5d in %4d runs" % (WHATWG[enc], len(entries), n)
            ww_encodings.append("encoding::" + enc)
        summary.append(line)
    with open("src/codec/override_tables.hpp", "w", encoding="utf-8") as f:
        f.write("""#pragma once
// Generated by tools/gen_codec_tables.py; do not edit. Where CPython %s's
// codecs and the WHATWG Encoding Standard's decoders read single bytes,
// pairs and EUC-JP triples differently from the ICU-based tables (after the
// generic rules described in the tool), for decode_mode::python and
// decode_mode::whatwg. Facts from CPython's codec tables (PSF licence), the
// WHATWG indexes (BSD-3-Clause, January 2017) and ICU 72 (Unicode licence).
//
%s

#include <cstdint>

#include "codec/codec.hpp"
#include "codec/codec_tables.hpp"

namespace mojifix::detail::codec {

// count sequences starting at `bytes` (big-endian, `len` bytes), the last
// byte increasing; `cp` increases along the run unless it is kNone
// (invalid) or kLead (a lead byte); `cp2` is a second code point or 0.
struct table_override {
  encoding enc;
  std::uint8_t len;
  std::uint16_t count;
  std::uint32_t bytes;
  char32_t cp;
  char32_t cp2;
};

inline constexpr table_override kPythonOverrides[] = {
%s
};

// Encodings whose whatwg mode is exactly a WHATWG decoder (gbk shares
// gb18030's); the others keep their own table with WHATWG error handling.
inline constexpr encoding kWhatwgEncodings[] = {
%s};

inline constexpr table_override kWhatwgOverrides[] = {
%s
};

}  // namespace mojifix::detail::codec
""" % ("%d.%d" % sys.version_info[:2], "\n".join(summary), "\n".join(py_lines),
       "\n".join("    %s," % e for e in ww_encodings), "\n".join(ww_lines)))
    print("\n".join(summary), file=sys.stderr)
    # The repository's .clang-format, when clang-format is installed.
    try:
        subprocess.run(["clang-format", "-i", "src/codec/override_tables.hpp"], check=False)
    except OSError:
        pass


if __name__ == "__main__":
    main()
