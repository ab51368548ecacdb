#!/usr/bin/env python3
"""Writes the sample garbled article dump in examples/.

    python3 tools/gen_example_dump.py [examples-dir]

Outputs (all UTF-8, "\n" line ends):
  articles.txt          plain text: title and body lines of each article,
                        a blank line between articles; some articles damaged
  articles.fixed.txt    the same with every damaged line restored (the
                        original sentences): what `mojifix` should print
  articles.jsonl        one record per article: {"id","title","url","text"}
                        (body lines joined with "\\n"), damaged the same way,
                        plus one record where only the title is damaged
  articles.fixed.jsonl  the records with the "text" field restored (the
                        default --field text); titles stay as they are

The damage is made with Python's own codecs (the standard library), by
encoding the sentence in one encoding and decoding the bytes with another,
exactly as a misconfigured program does. Every damaged line is checked to be
lossless: undoing the same codecs gives the sentence back, otherwise the
script stops. The sentences are written for this sample (news-like, made
up); nothing is taken from elsewhere. Deterministic: no randomness.
"""

import json
import os
import sys


def utf8_as(codec):
    def damage(s):
        return s.encode("utf-8").decode(codec)

    def undo(m):
        return m.encode(codec).decode("utf-8")

    return damage, undo


def legacy_as_latin1(codec):
    def damage(s):
        return s.encode(codec).decode("latin-1")

    def undo(m):
        return m.encode("latin-1").decode(codec)

    return damage, undo


def twice(pair):
    damage, undo = pair
    return (lambda s: damage(damage(s))), (lambda m: undo(undo(m)))


# name -> (what the README calls it, (damage, undo))
KINDS = {
    "clean": ("clean", (lambda s: s, lambda m: m)),
    "utf8-as-cp1252": ("UTF-8 read as windows-1252", utf8_as("cp1252")),
    "utf8-as-cp1251": ("UTF-8 read as windows-1251", utf8_as("cp1251")),
    # Browsers and the WHATWG Encoding Standard decode "gbk" with the gb18030
    # decoder, which also maps GBK's user-defined rows (to private use).
    "utf8-as-gbk": ("UTF-8 read as GBK (gb18030 decoder)", utf8_as("gb18030")),
    "utf8-as-shift_jis": ("UTF-8 read as Shift_JIS", utf8_as("shift_jis")),
    "utf8-as-cp949": ("UTF-8 read as CP949 (EUC-KR)", utf8_as("cp949")),
    "gbk-as-latin1": ("GBK read as latin-1", legacy_as_latin1("gbk")),
    "utf8-as-cp1252-x2": ("UTF-8 read as windows-1252, twice", twice(utf8_as("cp1252"))),
}

# Each article: language, kind of damage for the title and for the body,
# title, url, body lines.
ARTICLES = [
    dict(lang="en", title_kind="clean", body_kind="clean",
         title="City council approves new cycling lanes",
         url="https://news.example.org/en/2025/03/cycling-lanes",
         body=["The council voted 9 to 2 on Tuesday to build 14 km of protected lanes.",
               "Work on the first section begins in May and should end before winter."]),
    dict(lang="fr", title_kind="utf8-as-cp1252", body_kind="utf8-as-cp1252",
         title="Le musée régional rouvre ses portes après deux ans de travaux",
         url="https://news.example.org/fr/2025/03/musee-regional",
         body=["Les visiteurs pourront découvrir dès samedi une aile entièrement rénovée.",
               "« Nous avons voulu un lieu ouvert à tous », a déclaré la directrice."]),
    dict(lang="zh", title_kind="clean", body_kind="clean",
         title="本市今年将新建十二所学校",
         url="https://news.example.org/zh/2025/03/new-schools",
         body=["教育局表示，新学校将在九月开学，可提供约八千个学位。",
               "部分学校将配备新的图书馆和体育馆。"]),
    dict(lang="zh", title_kind="utf8-as-gbk", body_kind="utf8-as-gbk",
         title="市政府今天宣布新的地铁线路将于明年开通！",
         url="https://news.example.org/zh/2025/03/metro-line",
         body=["本市今年共新建学校十二所",
               "图书馆周末延长开放时间！",
               "气象台发布暴雨预警！"]),
    dict(lang="ja", title_kind="clean", body_kind="clean",
         title="新しい図書館が駅前に完成",
         url="https://news.example.org/ja/2025/03/library",
         body=["市によると、開館は来月一日の予定です。",
               "蔵書は約二十万冊で、夜九時まで利用できます。"]),
    dict(lang="ja", title_kind="utf8-as-shift_jis", body_kind="utf8-as-shift_jis",
         title="政府が経済対策を発表へ",
         url="https://news.example.org/ja/2025/03/economy",
         body=["東京で新しい美術館が開館へ",
               "新年度予算案が成立へ",
               "来週から新制度"]),
    dict(lang="ko", title_kind="clean", body_kind="clean",
         title="서울시, 한강 공원에 새 산책로 조성",
         url="https://news.example.org/ko/2025/03/han-river",
         body=["서울시는 올해 말까지 한강 공원에 산책로 5킬로미터를 새로 만든다고 밝혔다.",
               "시민들은 주말마다 공원을 찾는다."]),
    dict(lang="ko", title_kind="utf8-as-cp949", body_kind="utf8-as-cp949",
         title="주말 축제 개막, 공연 계획 발표",
         url="https://news.example.org/ko/2025/03/festival",
         body=["최근 경제 계획 발표.",
               "기업 금리 결과 발표."]),
    dict(lang="zh", title_kind="gbk-as-latin1", body_kind="gbk-as-latin1",
         title="研究人员在山区发现一种新的兰花",
         url="https://news.example.org/zh/2025/03/orchid",
         body=["这种兰花只生长在海拔两千米以上的森林里。",
               "专家表示，保护当地环境非常重要。"]),
    dict(lang="ru", title_kind="clean", body_kind="utf8-as-cp1251",
         title="В Новосибирске открылся новый мост через Обь",
         url="https://news.example.org/ru/2025/03/bridge",
         body=["Мост длиной полтора километра соединил два района города.",
               "По нему уже проехали первые автобусы."]),
    dict(lang="zh", title_kind="utf8-as-cp1252-x2", body_kind="clean",
         title="国家队在决赛中获胜",
         url="https://news.example.org/zh/2025/03/final",
         body=["比赛结束后，球迷们在广场上庆祝。"]),
    dict(lang="fr", title_kind="utf8-as-cp1252-x2", body_kind="utf8-as-cp1252-x2",
         title="L’équipe nationale gagne la finale",
         url="https://news.example.org/fr/2025/03/finale",
         body=["Le président a salué « une victoire historique ».",
               "Des milliers de supporters ont fêté la victoire à Marseille."]),
    dict(lang="en", title_kind="utf8-as-cp1252", body_kind="utf8-as-cp1252",
         title="Coach: ‘We played as one team’ in the final",
         url="https://news.example.org/en/2025/03/coach",
         body=["‘It’s the best day of my career,’ the coach told reporters.",
               "The city’s mayor promised a parade on Sunday."]),
    dict(lang="de", title_kind="clean", body_kind="utf8-as-cp1252",
         title="Neue Straßenbahnlinie fährt ab Montag",
         url="https://news.example.org/de/2025/03/tram",
         body=["Die Züge fahren tagsüber alle zehn Minuten.",
               "Für Fahrgäste mit Monatskarte ändert sich nichts."]),
    dict(lang="es", title_kind="clean", body_kind="clean",
         title="La biblioteca municipal amplía su horario",
         url="https://news.example.org/es/2025/03/biblioteca",
         body=["Desde abril abrirá también los domingos por la mañana."]),
]

# A JSON Lines record where only the title was damaged; the text is clean.
TITLE_ONLY = dict(lang="fr", title_kind="utf8-as-cp1252", body_kind="clean",
                  title="Élections régionales : les résultats définitifs publiés",
                  url="https://news.example.org/fr/2025/03/elections",
                  body=["La participation a atteint 61 % selon le ministère."])


def damage(kind, text):
    _, (make, undo) = KINDS[kind]
    try:
        garbled = make(text)
    except UnicodeError as e:
        sys.exit(f"cannot damage ({kind}): {text!r}: {e}")
    if undo(garbled) != text:
        sys.exit(f"not lossless ({kind}): {text!r}")
    if kind != "clean" and garbled == text:
        sys.exit(f"damage changed nothing ({kind}): {text!r}")
    if "\n" in garbled or "\r" in garbled:
        sys.exit(f"damage made a line break ({kind}): {text!r}")
    return garbled


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "examples")
    plain, fixed = [], []
    for a in ARTICLES:
        plain.append(damage(a["title_kind"], a["title"]))
        fixed.append(a["title"])
        for line in a["body"]:
            plain.append(damage(a["body_kind"], line))
            fixed.append(line)
        plain.append("")
        fixed.append("")
    plain.pop()
    fixed.pop()

    records, fixed_records = [], []
    for i, a in enumerate(ARTICLES + [TITLE_ONLY], start=1):
        title = damage(a["title_kind"], a["title"])
        text = "\n".join(damage(a["body_kind"], line) for line in a["body"])
        records.append({"id": i, "title": title, "url": a["url"], "text": text})
        fixed_records.append({"id": i, "title": title, "url": a["url"],
                              "text": "\n".join(a["body"])})

    def write(name, lines):
        with open(os.path.join(out_dir, name), "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines) + "\n")

    write("articles.txt", plain)
    write("articles.fixed.txt", fixed)
    # ensure_ascii=False escapes only what JSON requires, as mojifix does.
    dump = lambda r: json.dumps(r, ensure_ascii=False)
    write("articles.jsonl", [dump(r) for r in records])
    write("articles.fixed.jsonl", [dump(r) for r in fixed_records])
    damaged = sum(1 for p, f in zip(plain, fixed) if p != f)
    print(f"articles.txt: {len(plain)} lines, {damaged} damaged; "
          f"articles.jsonl: {len(records)} records")


if __name__ == "__main__":
    main()
