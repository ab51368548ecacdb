#!/usr/bin/env bash
# Regenerates the Debian-derived part of bench/data/*.txt (see README.md):
# renders manual pages shipped by Debian 12 packages to plain text and keeps
# prose lines. Run from bench/data/; needs man-db and the packages named.
set -euo pipefail
render() {  # page.gz -> plain text lines, leading blanks removed
  MANWIDTH=100000 LANG=C.UTF-8 man -l -E UTF-8 "$1" 2>/dev/null | col -bx | sed 's/^ *//; s/  */ /g'
}
# prose: at least $2 characters and mostly letters of script $1 (a \p{} class)
prose() {
  perl -CSD -ne "chomp; next if length() < $2; my \$n = () = /$1/g;
    print \"\$_\\n\" if \$n * 3 > length() && !\$seen{\$_}++"
}
# whole lines up to $1 bytes; reads all its input so no writer sees SIGPIPE
take() { perl -ne "\$n += length; print if \$n <= $1"; }

m=/usr/share/man
{ cat own/en.txt; render $m/man1/bash.1.gz | prose '[A-Za-z ]' 60 | take 8000; } > en.txt
{ cat own/zh-hans.txt; render $m/zh_CN/man1/bash.1.gz | prose '\p{Han}' 20 | take 8000; } > zh-hans.txt
{ cat own/zh-hant.txt; render $m/zh_TW/man1/bash.1.gz | prose '\p{Han}' 20 | take 8000; } > zh-hant.txt
{ cat own/ja.txt; render $m/ja/man1/bash.1.gz | prose '[\p{Han}\p{Hiragana}\p{Katakana}]' 20 | take 8000; } > ja.txt
{ cat own/ko.txt; for p in $m/ko/man1/*.gz $m/ko/man8/*.gz; do render "$p"; done |
    prose '\p{Hangul}' 20 | take 8000; } > ko.txt
{ cat own/ru.txt; for p in ls iconv locale localedef ldd; do render "$m/ru/man1/$p.1.gz"; done |
    prose '\p{Cyrillic}' 40 | take 8000; } > ru.txt
