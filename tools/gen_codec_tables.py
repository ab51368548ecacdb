#!/usr/bin/env python3
"""Writes src/codec/python_tables.hpp: where CPython's codecs decode a byte
sequence differently from the ICU converter mojifix builds its tables from.

decode_mode::python imitates CPython's bytes.decode(codec, "replace"). Its
tables start from the ICU converter (codec_tables.cpp) with three generic
rules, applied at run time:
  * bytes 0x00-0x7F are ASCII;
  * in double-byte encodings, single bytes >= 0x80 that ICU maps to a C1
    control or to private use are invalid;
  * in double-byte encodings other than gb18030, pairs that ICU maps to
    private use are invalid.
This tool compares that base with CPython for every single byte, every pair
after a lead byte and every EUC-JP 0x8F triple, and writes the differences
as runs. It also spot-checks gb18030 four-byte forms (no overrides needed).

Sources: CPython's codecs (this interpreter, e.g. 3.11 from Debian's
python3.11, PSF licence; the mapping facts come from the Unicode mapping
files and national standards they implement) and ICU 72 (Debian libicu72,
Unicode licence) through ctypes. Run from the repository root:

    python3 tools/gen_codec_tables.py
"""

import ctypes
import ctypes.util
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


def compare(icu, enc, icu_name, codec, double):
    """Yields (bytes, value) overrides; value is a tuple of code points,
    LEAD or None (invalid)."""
    cnv = icu.converter(icu_name)
    base_single, py_single = {}, {}
    for b in range(0x80, 0x100):
        v = icu.decode(cnv, bytes([b]))
        if double and v not in (None, LEAD) and len(v) == 1 and (
                0x80 <= v[0] <= 0x9F or 0xE000 <= v[0] <= 0xF8FF):
            v = None
        base_single[b] = v
        py_single[b] = python_decode(codec, bytes([b]))
    base_pairs, py_pairs = {}, {}
    if double:
        for lead in range(0x80, 0x100):
            for trail in range(0x100):
                seq = bytes([lead, trail])
                if base_single[lead] == LEAD:
                    v = icu.decode(cnv, seq)
                    if v == LEAD or (enc != "gb18030" and is_pua(v)):
                        v = None
                    base_pairs[seq] = v
                if py_single[lead] is None:
                    py_pairs[seq] = python_decode(codec, seq)
        if enc == "euc_jp":
            for a in range(0xA1, 0xFF):
                for b in range(0xA1, 0xFF):
                    seq = bytes([0x8F, a, b])
                    v = icu.decode(cnv, seq)
                    base_pairs[seq] = None if v == LEAD else v
                    py_pairs[seq] = python_decode(codec, seq)
    # A byte CPython reads as a lead has at least one valid sequence after it.
    for seq, v in py_pairs.items():
        if v is not None:
            py_single[seq[0]] = LEAD
    out = []
    for b in range(0x80, 0x100):
        if py_single[b] != base_single[b]:
            out.append((bytes([b]), py_single[b]))
    for seq in sorted(py_pairs):
        if py_single[seq[0]] != LEAD:
            continue
        base = base_pairs.get(seq) if base_single[seq[0]] == LEAD else None
        if py_pairs[seq] != base:
            out.append((seq, py_pairs[seq]))
    if enc == "gb18030":
        bad = 0
        for idx in list(range(0, 39420, 3)) + list(range(189000, 189000 + 0x100000, 97)):
            seq = bytes([0x81 + idx // 12600, 0x30 + idx // 1260 % 10,
                         0x81 + idx // 10 % 126, 0x30 + idx % 10])
            if icu.decode(cnv, seq) != python_decode(codec, seq):
                bad += 1
        print("gb18030 four-byte sample: %d differences" % bad, file=sys.stderr)
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


def main():
    icu = Icu()
    lines = []
    summary = []
    for enc, icu_name, codec, double in ENCODINGS:
        entries = compare(icu, enc, icu_name, codec, double)
        rs = runs(entries)
        summary.append("//   %-12s %5d sequences in %4d runs" % (enc, len(entries), len(rs)))
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
            value = int.from_bytes(seq, "big")
            lines.append("    {encoding::%s, %d, %d, 0x%X, %s, %s}," % (
                enc, len(seq), count, value, cp, cp2))
    with open("src/codec/python_tables.hpp", "w", encoding="utf-8") as f:
        f.write("""#pragma once
// Generated by tools/gen_codec_tables.py; do not edit. Where CPython %s's
// codecs decode single bytes, pairs and EUC-JP triples differently from the
// ICU-based tables (after the generic rules described in the tool), for
// decode_mode::python. Facts from CPython's codec tables (PSF licence) and
// ICU 72 (Unicode licence).
//
%s

#include <cstdint>

#include "codec/codec.hpp"
#include "codec/codec_tables.hpp"

namespace mojifix::detail::codec {

// count sequences starting at `bytes` (big-endian, `len` bytes), the last
// byte increasing; `cp` increases along the run unless it is kNone
// (invalid) or kLead (a lead byte); `cp2` is a second code point or 0.
struct python_override {
  encoding enc;
  std::uint8_t len;
  std::uint16_t count;
  std::uint32_t bytes;
  char32_t cp;
  char32_t cp2;
};

inline constexpr python_override kPythonOverrides[] = {
%s
};

}  // namespace mojifix::detail::codec
""" % ("%d.%d" % sys.version_info[:2], "\n".join(summary), "\n".join(lines)))
    print("\n".join(summary), file=sys.stderr)


if __name__ == "__main__":
    main()
