// Repair of lossless mojibake, one case per row of the mojibake catalogue
// (shared/reference/mojibake-catalogue.md) that every byte survives.

#include <gtest/gtest.h>

#include <string>

#include "mojifix/mojifix.hpp"
#include "repair/candidates.hpp"
#include "repair/layers.hpp"

namespace {

struct catalogue_case {
  const char* id;
  const char* damaged;
  const char* original;
};

// id, damaged text, original text (catalogue rows A1-F4).
const catalogue_case kCatalogue[] = {
    {"A1 utf-8 read as gbk", "鎴戞槸涓\uE15F枃", "我是中文"},
    {"A1 utf-8 read as gbk, two words", "浣犲ソ涓栫晫 鎴戞槸涓\uE15F枃", "你好世界 我是中文"},
    {"A3 utf-8 read as shift_jis", "縺薙ｓ縺ｫ縺｡縺ｯ", "こんにちは"},
    {"A3b utf-8 chinese read as cp932", "謌第弍", "我是"},
    {"A5 utf-8 read as windows-1252", "æˆ‘æ˜¯", "我是"},
    {"A5b utf-8 read as latin-1", "ä¸\xc2\xadæ\xc2\x96\xc2\x87", "中文"},
    {"B1 gbk read as windows-1252", "ÎÒÊÇ", "我是"},
    {"B2 big5 read as windows-1252", "§Ú¬O", "我是"},
    {"B3 shift_jis read as windows-1252", "\xc2\x82±\xc2\x82ñ\xc2\x82É\xc2\x82¿\xc2\x82Í",
     "こんにちは"},
    {"B4 euc-jp read as windows-1252", "¤³¤ó¤Ë¤Á¤Ï", "こんにちは"},
    {"B5 euc-kr read as windows-1252", "¾È³çÇÏ¼¼¿ä", "안녕하세요"},
    {"E1 big5 read as gbk", "и琌いゅ", "我是中文"},
    {"E2b gbk read as big5", "笢恅", "中文"},
    {"F1 utf-8 read as windows-1252 twice", "Ã¦Ë†â€˜", "我"},
    {"F4 gbk read as latin-1, then utf-8 read as gbk", "脦脪脢脟", "我是"},
    {"ftfy: doesn't", "The Mona Lisa doesnâ€™t have eyebrows.",
     "The Mona Lisa doesn’t have eyebrows."},
    {"partial: one field", "title: æˆ‘æ˜¯ä¸­å›½äºº | author: Zoë Müller",
     "title: 我是中国人 | author: Zoë Müller"},
};

TEST(Repair, CatalogueLosslessRows) {
  int restored = 0;
  for (const catalogue_case& c : kCatalogue) {
    mojifix::fix_result r = mojifix::fix_and_explain(c.damaged);
    EXPECT_EQ(r.text, c.original) << c.id;
    if (r.text == c.original) ++restored;
  }
  std::printf("catalogue lossless rows restored: %d/%zu\n", restored, std::size(kCatalogue));
}

TEST(Repair, CleanTextUnchanged) {
  const char* clean[] = {
      "我是中国人。今天天气很好，我们去公园散步吧！",
      "網絡發生醫院，共生理論對後疫情時代的影響。",
      "こんにちは、世界。今日はいい天気ですね。",
      "안녕하세요, 세계. 오늘은 날씨가 좋네요.",
      "Größe, Straße, café, naïve, Zoë, señor, ½ × 3 = 1.5 €",
      "Привет, мир! Съешь же ещё этих мягких французских булок.",
      "Ελληνικά: Η γρήγορη καφέ αλεπού.",
      "An article about mojibake: “Ã©” is what “é” becomes, and 锟斤拷 is a famous sign.",
  };
  for (const char* t : clean) EXPECT_EQ(mojifix::fix_text(t), t);
}

TEST(Repair, PlanNamesTheChainAndSpan) {
  const std::string text = "ok: æˆ‘æ˜¯";
  mojifix::fix_result r = mojifix::fix_and_explain(text);
  ASSERT_EQ(r.steps.size(), 1u);
  EXPECT_EQ(r.steps[0].begin, 4u);
  EXPECT_EQ(r.steps[0].end, text.size());
  EXPECT_EQ(r.steps[0].chain, "encode windows-1252 \u2192 decode utf-8");
  EXPECT_EQ(r.steps[0].after, "我是");
  EXPECT_GT(r.steps[0].cost_before, r.steps[0].cost_after);
}

// A line that one layer explains as a whole is read at once; the Plan still
// shows one step per damaged run, with its costs, as the span search would.
TEST(Repair, WholeLineReadingPlansEachRun) {
  const std::string text =
      "\u00E6\u02C6\u2018\u00E6\u02DC\u00AF\u00E4\u00B8\u00AD\u00E5\u203A\u00BD\u00E4\u00BA"
      "\u00BA hello \u00E4\u00BD\u00A0\u00E5\u00A5\u00BD\u00E4\u00B8\u2013\u00E7\u2022\u0152";
  mojifix::fix_result r = mojifix::fix_and_explain(text);
  EXPECT_EQ(r.text, "\u6211\u662F\u4E2D\u56FD\u4EBA hello \u4F60\u597D\u4E16\u754C");
  EXPECT_EQ(mojifix::fix_text(text), r.text);
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_EQ(r.steps[0].begin, 0u);
  EXPECT_EQ(r.steps[0].after, "\u6211\u662F\u4E2D\u56FD\u4EBA");
  EXPECT_EQ(r.steps[1].after, "\u4F60\u597D\u4E16\u754C");
  EXPECT_EQ(r.steps[1].end, text.size());
  for (const auto& st : r.steps) {
    EXPECT_EQ(st.chain, "encode windows-1252 \u2192 decode utf-8");
    EXPECT_GT(st.cost_before, st.cost_after);
  }
}

TEST(Repair, InvalidBytesKept) {
  const std::string text = "caf\xe9 æˆ‘æ˜¯ \xff";
  mojifix::fix_result r = mojifix::fix_and_explain(text);
  EXPECT_EQ(r.error, mojifix::error::invalid_utf8);
  EXPECT_EQ(r.text, "caf\xe9 我是 \xff");
}

// Repair runs before the script stage: the Chinese that repair restores is
// what gets converted, and the Plan shows both.
TEST(Repair, RepairedTextIsConvertedToTheAskedScript) {
  mojifix::options opt;
  opt.script = mojifix::script::traditional;
  const mojifix::fix_result r = mojifix::fix_and_explain("æˆ‘æ˜¯ä¸­å›½äºº", opt);
  EXPECT_EQ(r.error, mojifix::error::ok);
  EXPECT_EQ(r.text, "我是中國人");
  ASSERT_FALSE(r.steps.empty());
  EXPECT_NE(r.steps.front().chain.find("utf-8"), std::string::npos) << r.steps.front().chain;
  opt.script = mojifix::script::keep;
  EXPECT_EQ(mojifix::fix_text("æˆ‘æ˜¯ä¸­å›½äºº", opt), "我是中国人");
}

TEST(Repair, CandidatesSplitAtCharactersThatComeBackAsThemselves) {
  using namespace mojifix::detail;
  const layer* cp1252_utf8 = &known_layers()[0];
  std::vector<candidate> found;
  find_candidates(*cp1252_utf8, U"a Ã© b Ã¨ c", found);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].begin, 2u);
  EXPECT_EQ(found[0].end, 4u);
  EXPECT_EQ(found[0].replacement, U"é");
  EXPECT_EQ(found[1].replacement, U"è");
}

}  // namespace

// Spaced-out Chinese (as some man page translations are written) is text: a
// lone character between spaces whose bytes happen to read as UTF-8 under
// some code page (離 is EUC-JP CE A5, UTF-8 for Υ) stays, even when its
// neighbour (分) could be read that way too. Letters glued to Latin words
// are damage (kter챕 큄patně is které špatně).
TEST(Repair, SpacedOutChineseStays) {
  const std::string clean = "聯 結 、 分 離 . 以 及 查 詢 loop device 目 前 的 狀 況";
  EXPECT_EQ(mojifix::fix_text(clean), clean);
  EXPECT_EQ(mojifix::fix_text("Nebyla kter챕 큄patně zpráva"), "Nebyla které špatně zpráva");
  // A lone character before a Latin word in a line of Chinese (从 is
  // EUC-JP D0 BA, UTF-8 for к) is Chinese.
  const std::string chinese = "从 Debian 邮件列表来的一些有趣引文，说不定可以帮助新使用者启蒙。";
  EXPECT_EQ(mojifix::fix_text(chinese), chinese);
}

// Chinese with ASCII punctuation: a few characters between commas that the
// Big5/GBK confusion would turn into others (渺邈 into 殆落), next to
// characters Big5 cannot hold (乡, 归), stand in clean text. Lines from
// classical poems, their full-width commas written as ASCII.
TEST(Repair, ShortBig5GbkSpanBetweenCleanChineseStays) {
  const char* clean[] = {
      "不忍登高临远,望故乡渺邈,归思难收。",
      "不忍登高临远,望故乡渺邈,归思难收。叹年来踪迹,何事苦淹留!",
      "浪萍难驻。叹白约丁宁竟何据?惨离怀,空恨岁晚归期阻。凝泪眼,杳杳神京路。",
      "今看两楹奠,当与梦时同。",
      "隋堤远,波急路尘轻。今古柳桥多送别,见人分袂亦愁生。何况自关情。",
      "子曰:“臧文仲居蔡,山节藻梲,何如其知也?”",
      // Neighbours the layer would only make worse (风 in 冷家风) count as
      // clean too, and spans of up to four characters are short.
      "木床石枕冷家风,拥衾时魂梦亦爽;",
      "飞湍瀑流争喧豗,砯崖转石万壑雷。",
      "燕台一去客心惊,笳鼓喧喧汉将营。",
      // A span whose one clean side leads to a few CJK characters the layer
      // leaves clean, all of them (the Shijing: 寤歎 is no 鬼价).
      "寤歎, 哀我憚人",
  };
  for (const char* t : clean) EXPECT_EQ(mojifix::fix_text(t), t);
  // Real damage of that layer still comes back (catalogue row E1, and GBK
  // read as Big5 between ASCII commas).
  EXPECT_EQ(mojifix::fix_text("и琌いゅ"), "我是中文");
  EXPECT_EQ(mojifix::fix_text("斕疑,岍賜"), "你好,世界");
  EXPECT_EQ(mojifix::fix_text("斕疑, 扂岆笢恅"), "你好, 我是中文");
}

// UTF-8 whose byte A0 (U+00A0 under windows-125x) became a space: "Ã " is à
// and "Å " is Š. Alone, the reading needs the margin (voilÃ le: a capital
// glued to a small letter before a space); in a line the same layer
// damaged elsewhere, the model need only prefer it. Capitals and clean
// Portuguese stay.
TEST(Repair, SpaceForLostNbspAfterLeadByte) {
  EXPECT_EQ(mojifix::fix_text("voilÃ le travail"), "voilà le travail");
  EXPECT_EQ(mojifix::fix_text("voilÃ  le travail"), "voilà le travail");
  EXPECT_EQ(mojifix::fix_text("Ã perturber la rÃ©flexion"), "à perturber la réflexion");
  EXPECT_EQ(mojifix::fix_text("Å veices baÅ†Ä·ieri"), "Šveices baņķieri");
  EXPECT_EQ(mojifix::fix_text("Å iaip ÄÆdomu, kaip ÄÆsivaizduoji."),
            "Šiaip įdomu, kaip įsivaizduoji.");
  const char* clean[] = {
      "IRMÃ DE SÃO PAULO", "SÃO PAULO E IRMÃ", "A IRMÃ do João",
      "SELKÄ EDELLÄ",      "Øen Å er fin",     "Å være eller ikke være",
  };
  for (const char* t : clean) EXPECT_EQ(mojifix::fix_text(t), t);
}

// UTF-8 read as a double-byte code page makes one CJK character of a letter
// and glues it to the letters of its word. A CJK character (or two) whose
// repair would leave one letter of an alphabet standing as a word of its
// own, in a script the line does not otherwise use, is text unless the same
// layer finds other damage in the line. Clean lines from the Chinese man
// pages and fortunes (fortunes-zh), and one built from the Shijing.
TEST(Repair, LoneLetterFromCjkNeedsDamageElsewhere) {
  const char* clean[] = {
      "    于 Ubuntu archive。",                                                // not в
      "    于 Wicd。",                                                          // not в
      "从 Debian 获取",                                                         // not к
      "\\& 从 文件",                                                            // not к ʸ
      ".B \"FROM \" 从...(年)",                                                 // not к ǯ
      "    │                   │         │   小   │     │                  │",  // not С
      ".SH 注",                                                                 // not ע
      ".SH 注 記 ",                                                             // not ע ӛ
      ".BR 写",                                                                 // not д
      "写:POLLOUT:T{",                                                          // not д
      "\\&    @days[3,4,5]        # 即 ($days[3],$days[4],$days[5])",           // not ¨
      "契契寤歎 (Shijing)",                                                     // not 廚U
      "契契寤歎,哀我憚人.",                                                     // not 廚U
      "Кухня: 廚U",  // not פU: a letter of another script is no part of the word
      "于于",        // not вв: one letter doubled is no word either
      "写写",        // not дд
      "了了",        // not λλ
  };
  for (const char* t : clean) EXPECT_EQ(mojifix::fix_text(t), t);
  // The same letters where the layer damaged the line elsewhere.
  EXPECT_EQ(mojifix::fix_text("袩邪泻械褌 泻 Debian"), "Пакет к Debian");
  EXPECT_EQ(mojifix::fix_text("胁 袦芯褋泻胁械 懈 袩械褌械褉斜褍褉谐械"), "в Москве и Петербурге");
  EXPECT_EQ(mojifix::fix_text("小 写薪褢屑 褉芯卸写械薪懈褟"), "С днём рождения");
  EXPECT_EQ(mojifix::fix_text("Caf茅 and 脿"), "Café and à");
  // A one-letter word of the line's own script stands on its own evidence
  // (French à), and a letter glued to a sign, an apostrophe or a dash is
  // part of a word (°C, doesn’t, zero—a; 掳C is a deeper layer).
  EXPECT_EQ(mojifix::fix_text("messages 脿 un serveur"), "messages à un serveur");
  EXPECT_EQ(mojifix::fix_text("Temperature: 21 鎺矯, humidity"), "Temperature: 21 °C, humidity");
  EXPECT_EQ(mojifix::fix_text("The Mona Lisa doesn鈥檛 have eyebrows."),
            "The Mona Lisa doesn’t have eyebrows.");
  EXPECT_EQ(mojifix::fix_text("zero鈥攁 case where"), "zero—a case where");
}

// Words of a Chinese word list (jieba's dictionary), one a line: a symbol
// beside the letter is no part of a word (笞辱 is no ⚐J, cp932), and a soft
// hyphen alone is no sign anyone typed (足 is no U+00AD, EUC-JP). A Latin-1
// sign alone in a Latin line still comes back (© read as cp949: 짤).
TEST(Repair, SymbolOrSoftHyphenFromCjkWordStays) {
  for (const char* t : {"笞辱", "足"}) EXPECT_EQ(mojifix::fix_text(t), t);
  EXPECT_EQ(mojifix::fix_text("Copyright 짤 2020"), "Copyright © 2020");
  EXPECT_EQ(mojifix::fix_text("needs 쩍 cup"), "needs ½ cup");
}

// A line that names an encoding is not text about mojibake for that alone:
// a short change inside a word, or in a line with many changes, is damage
// ("encoded in microseconds (Âµs)", invoqu├⌐ … l'UTF-8). A short example
// cited as a token with its plural ("Ã’s") and examples standing alone or
// quoted stay.
TEST(Repair, NamingAnEncodingIsNotDiscussion) {
  EXPECT_EQ(mojifix::fix_text("values are usually encoded in microseconds (Âµs) on the bus"),
            "values are usually encoded in microseconds (µs) on the bus");
  EXPECT_EQ(mojifix::fix_text("le terminal invoqu├⌐ est compatible avec l'UTF-8)."),
            "le terminal invoqué est compatible avec l'UTF-8).");
  EXPECT_EQ(mojifix::fix_text("F체r die Konsole bedeutet das, dass der Kernel UTF-8-Ausgaben von"),
            "Für die Konsole bedeutet das, dass der Kernel UTF-8-Ausgaben von");
  EXPECT_EQ(mojifix::fix_text("le PID indiqué (le jeu de caract猫res pass茅 脿 less (par d茅faut "
                              "芦 utf-8 禄, si)"),
            "le PID indiqué (le jeu de caractères passé à less (par défaut « utf-8 », si)");
  const char* clean[] = {
      "There are a lot of Ã’s in mojibake text",
      "In UTF-8 read as cp437, ä shows as ├ñ.",
      "The sequence “Ãƒ” almost always means the text was encoded twice.",
      "Wer „GrÃ¼ÃŸe“ liest, sieht UTF-8, das als Latin-1 dekodiert wurde.",
  };
  for (const char* t : clean) EXPECT_EQ(mojifix::fix_text(t), t);
}

// UTF-8 read as cp932 turns a whole word into halfwidth katakana; a span of
// them glued to halfwidth katakana the layer leaves alone is katakana text
// (ﾐｽ is no н in "ﾐｽﾞﾎｷﾞﾝｺｳ", whatever stands before it).
TEST(Repair, HalfwidthKanaAmongKanaStays) {
  for (const char* t : {"3,240円 ﾐｽﾞﾎｷﾞﾝｺｳ ｼﾝｼﾞｭｸｼﾃﾝ", "ﾐｽﾞﾎｷﾞﾝｺｳ ｼﾝｼﾞｭｸｼﾃﾝ"})
    EXPECT_EQ(mojifix::fix_text(t), t);
  EXPECT_EQ(mojifix::fix_text("ﾐｴﾐｰﾐｲﾐｰ ﾐｱﾐｰﾐｷﾐｰ"), "дава база");
}

// A Latin-1 sign from UTF-8 is the lead byte C2 and the sign's own byte. In
// code pages that keep the Latin-1 signs in their places the damage is
// what C2 shows followed by the very sign (Β© in windows-1253, Ā© in
// windows-1257, ¬© in Mac Roman), and the repair only drops the lead. In a
// line the same layer damaged elsewhere, a sign pair need only be preferred
// (ΒΌ is ¼ beside Β½).
TEST(Repair, LatinOneSignAfterLeadByte) {
  EXPECT_EQ(mojifix::fix_text("Copyright Β© 2007 Free Software Foundation, Inc."),
            "Copyright © 2007 Free Software Foundation, Inc.");
  EXPECT_EQ(mojifix::fix_text("Copyright Ā© 2020 Free Software Foundation, Inc."),
            "Copyright © 2020 Free Software Foundation, Inc.");
  EXPECT_EQ(mojifix::fix_text("Your order has shipped ¬© 2024 Example Inc."),
            "Your order has shipped © 2024 Example Inc.");
  EXPECT_EQ(mojifix::fix_text("The recipe needs Β½ cup of sugar and ΒΌ teaspoon of salt."),
            "The recipe needs ½ cup of sugar and ¼ teaspoon of salt.");
}

// Where two code pages explain the same spans, the one met more often goes
// first unless the other brings more than its prior: the prior counts once
// per line (MĂĽnchen is München in windows-1250, not Månchen in ISO 8859-2;
// ÂĽ is ¼, not ¥).
TEST(Repair, CommonCodePageWinsTies) {
  EXPECT_EQ(mojifix::fix_text("Der Zug fĂ¤hrt um 8:45 Uhr von MĂĽnchen ab."),
            "Der Zug fährt um 8:45 Uhr von München ab.");
  EXPECT_EQ(mojifix::fix_text("The recipe needs Â˝ cup of sugar and ÂĽ teaspoon of salt."),
            "The recipe needs ½ cup of sugar and ¼ teaspoon of salt.");
}

// Words hiding mojibake under HTML references are repaired one by one; a
// layer found under the other words of the line is tried again on the words
// it did not win, where one double-byte character alone is too little
// evidence (&ordm;&Aring; is 号 in GBK read as windows-1252) or another
// code page fits as well (&Icirc;&reg; is ή among Greek words).
TEST(Repair, EntityWordsShareTheLineLayer) {
  EXPECT_EQ(mojifix::fix_text("&Eacute;&Iuml;&ordm;&pound;&AElig;&Ouml;&para;&laquo; 100 "
                              "&ordm;&Aring;"),
            "上海浦东 100 号");
  EXPECT_EQ(
      mojifix::fix_text("&Icirc;&rsaquo;&Icirc;&not;&Icirc;&cedil;&Icirc;&iquest;&Iuml;&sbquo; "
                        "&Icirc;&reg; &Iuml;&permil;"),
      "Λάθος ή ω");
  // Clean references beside them are decoded, not repaired.
  EXPECT_EQ(mojifix::fix_text("&Atilde;&copy;t&Atilde;&copy; &eacute;t&eacute; &copy; 2024"),
            "été été © 2024");
}

// One double-byte character of legacy text read as windows-1252 is weak
// evidence alone, but among words that the same layer repairs it competes
// with the spans of other layers on equal terms: the line is damaged one
// way (»õ is 새, not ț of Mac Roman; Îª is 为, not the צ of UTF-8; Àº is 은).
TEST(Repair, WeakSpansOfTheDominantLayerGoFirst) {
  EXPECT_EQ(mojifix::fix_text("»õ ¹öÀüÀÌ ÀÖ½À´Ï´Ù. Áö±Ý ¾÷µ¥ÀÌÆ®ÇÏ½Ã°Ú½À´Ï±î?"),
            "새 버전이 있습니다. 지금 업데이트하시겠습니까?");
  EXPECT_EQ(mojifix::fix_text("ÎÄ¼þ ÀïÃæ Îª ÄãµÄ"), "文件 里面 为 你的");
  EXPECT_EQ(mojifix::fix_text("¾ó¸¶ ÈÄ testingÀº µ¿°áµË´Ï´Ù."), "얼마 후 testing은 동결됩니다.");
}

// In a line that the same layer damaged in two places or more, a short span
// the model prefers by less than the margin is damage like its neighbours:
// it need only win by the layer's prior (Vietnamese Nó, the Greek article ο,
// Chinese 不 alone before other repaired words).
TEST(Repair, ShortSpanAmongRepairsOfItsLayer) {
  EXPECT_EQ(mojifix::fix_text("sang Ä‘áº§u ra tiÃªu chuáº©n. NÃ³ thay tháº¿"),
            "sang đầu ra tiêu chuẩn. Nó thay thế");
  EXPECT_EQ(mojifix::fix_text("ОЈОµ О±П…П„О® П„О·ОЅ English ОєО±О№ Ої О±ПЃО№ОёОјПЊП‚ 42."),
            "Σε αυτή την English και ο αριθμός 42.");
  EXPECT_EQ(mojifix::fix_text("²» ×°ÔØ ³õÊ¼»¯ ÎÄ¼þ."), "不 装载 初始化 文件.");
  // Alone, the same spans need the margin.
  for (const char* t : {"NÃ³ thay", "και Ої"}) EXPECT_EQ(mojifix::fix_text(t), t);
}

// Czech writes endings in small letters after a word in capitals
// (SOUBORů): where the same layer repairs two other words of the line, the
// small ending is damage like them. Alone, or among capitals only
// (leetspeak), it stays.
TEST(Repair, SmallEndingAfterCapitalsAmongRepairs) {
  EXPECT_EQ(mojifix::fix_text("Kop√≠ruje standardn√≠ vstup a do v≈°ech SOUBOR≈Ø zadan√Ωch"),
            "Kopíruje standardní vstup a do všech SOUBORů zadaných");
  EXPECT_EQ(mojifix::fix_text("KopĂ­ruje standardnĂ­ vstup a do vĹˇech SOUBORĹŻ zadanĂ˝ch"),
            "Kopíruje standardní vstup a do všech SOUBORů zadaných");
  for (const char* t : {"SOUBOR≈Ø", "MÄ£ÄM ÌÑÌ Q £ÄGÌ GÄLÄW ÑÍCH SÖÄ£ ÑÝÄ"})
    EXPECT_EQ(mojifix::fix_text(t), t);
}

// UTF-8 read as cp437 shows the lead byte C2 as a box-drawing character: one
// glued to a sign of another kind, in a line without other box drawing, is
// no line art (┬⌐ is ©). Box drawing among box drawing stays.
TEST(Repair, LoneBoxDrawingBeforeSignIsLeadByte) {
  EXPECT_EQ(mojifix::fix_text("Copyright ┬⌐ 2023 Free Software Foundation, Inc."),
            "Copyright © 2023 Free Software Foundation, Inc.");
  for (const char* t : {"┌─┬⌐─┐ box", "│ ┬⌐ │"}) EXPECT_EQ(mojifix::fix_text(t), t);
}

// Spaced-out Chinese read as windows-1252 holds only one-character spans;
// three or more of one layer that each win by the margin are the evidence
// for one another. Two stay as they are.
TEST(Repair, SpacedOutWeakSpansOfOneLayer) {
  EXPECT_EQ(mojifix::fix_text("§R °£ ©Ò ¦³ login ·| °Ñ ¦Ò ªº ³¡ ¥÷ ¡C"),
            "刪 除 所 有 login 會 參 考 的 部 份 。");
  for (const char* t : {"°£ ©Ò login", "Ñ¡ ÷Ò"}) EXPECT_EQ(mojifix::fix_text(t), t);
}

// UTF-8 Cyrillic or Greek read as cp949 is made of a few rows of Han; the
// signs that go with it (« » from the lead byte C2) come out as Hangul of one
// more row, and the line is still looked at (짬-쨩 is «-»). A short span
// next to a long repair of its layer need only be preferred (管 is η after
// είναι).
TEST(Repair, CyrillicAndGreekReadAsCp949WithSigns) {
  EXPECT_EQ(mojifix::fix_text("戟逵 짬-쨩 逵閨棘"), "на «-» або");
  EXPECT_EQ(mojifix::fix_text("逵閨棘 짬4"), "або «4");
  EXPECT_EQ(mojifix::fix_text("琯官館慣菅 管"), "είναι η");
}

// Two CJK characters glued to the end of a Latin word are one accented
// letter read through two layers (UTF-8 read as GBK twice: stock鑼卻 is
// stockés); the fast path looks at them when a letter touches either side.
TEST(Repair, TwoCjkAfterLatinWord) {
  EXPECT_EQ(mojifix::fix_text("champs seront stock鑼卻 sous forme de tableau"),
            "champs seront stockés sous forme de tableau");
  EXPECT_EQ(mojifix::fix_text("El script se ejecuta despu鑼卻 de rotar"),
            "El script se ejecuta después de rotar");
}

// Text about mojibake quotes examples of a word or two. A repair that gives
// back a clause (eight characters or more) in a line that names an encoding
// is damage, whatever clean text stands beside it, unless it is set in
// quotation marks.
TEST(Repair, DamagedClauseBesideEncodingNameIsRepaired) {
  const std::string damaged =
      "ã‚’å\u008F‚ç…§ã\u0081—ã\u0081¦ã\u0081\u008Fã\u0081 ã\u0081•ã\u0081„ã€‚";
  EXPECT_EQ(
      mojifix::fix_text("name: 2C " + damaged + " | ファイル名: 10 進の整数でエンコードされた"),
      "name: 2C を参照してください。 | ファイル名: 10 進の整数でエンコードされた");
  const std::string quoted = "Mojibake example: “" + damaged + "” is what UTF-8 Japanese becomes.";
  EXPECT_EQ(mojifix::fix_text(quoted), quoted);
}

// Big5 read as GBK puts symbols of GBK's rows among the Han (box drawing,
// vertical and small forms of punctuation) and small kana where Japanese
// never writes them (after no kana); the fast path looks at such lines.
TEST(Repair, Big5ReadAsGbkSymbolsAmongHan) {
  EXPECT_EQ(mojifix::fix_text("や穿┮Τ"), "支援所有");
  EXPECT_EQ(mojifix::fix_text("磅︽代刚"), "執行測試");
  EXPECT_EQ(mojifix::fix_text("吏挂跑计 LC_ALL (ぃ恨"), "環境變數 LC_ALL (不管");
  for (const char* t : {"ちょっと待ってください。", "キャッシュを消す", "│ 小 │"})
    EXPECT_EQ(mojifix::fix_text(t), t);
}

// Clean text that quotes single Han characters of Big5 and GBK (a manual on
// encodings) stays: one Han read as another is no evidence, however many.
// Small っ follows Han in every verb and is no sign.
TEST(Repair, QuotedSingleHanStay) {
  const char* clean[] = {
      "碼的 \\*(L\"彖\\*(R\"; \\*(L\"諄\\*(R\" 的第二個位元組則與 \\*(L\"教\\*(R\" "
      "的第一個位元組結合成 "
      "\\*(L\"帢\\*(R\".",
      ".\\\"X boat action ... ??なんか専門用語っポイですな。わからないので",
  };
  for (const char* t : clean) EXPECT_EQ(mojifix::fix_text(t), t);
}

// A row of symbols typed with a keyboard's Option key: windows-1252 lacks
// ∞ and ≠, so the signs between them were never read through it (GBK would
// make Ф暘簴 of §¶•ªº–).
TEST(Repair, SignsGluedToSymbolsTheCodePageLacksStay) {
  const char* clean =
      "MsgBox SF_String.HashStr(\"\u0153\u2211\u00A1\u2122\u00A3\u00A2\u221E\u00A7"
      "\u00B6\u2022\u00AA\u00BA\u2013\u2260\u0153\u2211\", \"MD5\")";
  EXPECT_EQ(mojifix::fix_text(clean), clean);
  // A damaged word beside ordinary punctuation is still repaired.
  EXPECT_EQ(mojifix::fix_text("\u00C9\u00CF\u00BA\u00A3\u00CA\u00D0\u3002"),
            "\u4E0A\u6D77\u5E02\u3002");
}

// Clean lines of LibreOffice's help pages that were taken for mojibake:
// a Danish date format (ÅÅÅÅ is the year: one letter typed again and again
// is no text a code page made), and Russian function names in capitals
// (ГПР ends with Р, the UTF-8 lead byte D0 in windows-1251; the П before
// it is a lead byte too, so the space after is no lost A0), and Russian
// words that windows-1251 would make into letters of another script.
TEST(Repair, TypedPatternsAndCapitalsBeforeSpaceStay) {
  const char* clean[] = {
      "DD MMM \u00C5\u00C5\u00C5\u00C5",
      "Datoer \u00E6ndres til formatet \u00C5\u00C5\u00C5\u00C5-MM-DD hh:mm:ss.",
      "\u0422\u0430\u043A\u0436\u0435 \u043C\u043E\u0436\u043D\u043E \u0438\u0441\u043F\u043E"
      "\u043B\u044C\u0437\u043E\u0432\u0430\u0442\u044C \u0444\u0443\u043D\u043A\u0446\u0438"
      "\u0438: \u041F\u0420\u041E\u0421\u041C\u041E\u0422\u0420, \u0412\u041F\u0420 \u0438 "
      "\u0413\u041F\u0420.",
      // Её (her) is Ÿ in windows-1251, О» is λ: words of the line.
      "\u0411\u043E\u043B\u044C\u0448\u0438\u043D\u0441\u0442\u0432\u0443 \u043D\u0435 "
      "\u0442\u0440\u0435\u0431\u0443\u0435\u0442\u0441\u044F. \u0415\u0451 "
      "\u0441\u0438\u043D\u0442\u0430\u043A\u0441\u0438\u0441",
      "342\t226\tE2\t\u0E42\t\u0422\u0410\u0419\u0421\u041A\u0418\u0419 "
      "\u0421\u0418\u041C\u0412\u041E\u041B \u00AB\u0421\u0410\u0420\u0410 "
      "\u041E\u00BB",
  };
  for (const char* t : clean) EXPECT_EQ(mojifix::fix_text(t), t);
}

// Clean lines of GIMP's help pages taken for Big5 and GBK read as each
// other (a Chinese name beside its romanization, Japanese words of kanji and
// kana, a span among Japanese) and a Russian one-letter word taken for the
// lead byte of a no-break space.
TEST(Repair, CleanCjkAndRussianOfHelpPagesStay) {
  const char* clean[] = {
      "Cai Qian (\u8521\u828A)",
      "\u66C7\u3089\u305B",
      "\u6D6E\u304D\u5F6B\u308A",
      "\u30E2\u30A2\u30EC\u3082\u3057\u304F\u306F\u5E72\u6E09\u7E1E\u3068\u306F\u898F\u5247\u6B63"
      "\u3057\u3044\u683C\u5B50\u7E1E\u6A21\u69D8\u3084\u7E1E\u6A21\u69D8\u304C\u4ED6\u306E\u6574"
      "\u7136\u3068\u3057\u305F\u7E1E\u6A21\u69D8\u3068\u91CD\u306A\u308A\u5408\u3063\u305F\u3068"
      "\u304D\u306B\u5E72\u6E09\u3057\u3066\u3067\u304D\u308B\u4E88\u671F\u305B\u306C\u6587\u69D8"
      "\u306E\u3053\u3068\u3067\u3059\u3002",
      ": \u00AB\u0412 \u0435\u0432\u0440\u043E\u043F\u0435\u0439\u0441\u043A\u043E\u0439 "
      "\u0442\u0438\u043F\u043E\u0433\u0440\u0430\u0444\u0438\u043A\u0435\u00BB",
      // LibreOffice's Arabic: أ، (letter and comma) is á through windows-1256.
      "\u064A\u0631\u062A\u0651\u0628 \u0628\u062A\u0631\u062A\u064A\u0628 "
      "\u062A\u0635\u0627\u0639\u062F\u064A (\u0645\u062B\u0644\u0627\u060C 1\u060C "
      "\u200F2\u060C \u200F3 \u0623\u0648 \u0623\u060C \u0628\u060C \u062C).",
  };
  for (const char* t : clean) EXPECT_EQ(mojifix::fix_text(t), t);
}

// Clean strings of Firefox's language packs: a question mark after a Czech
// or Ukrainian word ending in letters that windows-1250/1251 make of a UTF-8
// lead and continuation byte (síť?, історії?) is no lost byte; a Ukrainian
// word starting with Ві (³ through windows-1251); an Arabic word ending in
// ط before a comma, after a letter that is a lead byte in windows-1256.
TEST(Repair, CleanUiStringsStay) {
  const char* clean[] = {
      "Probl\u00E9my s p\u0159ipojen\u00EDm p\u0159es s\u00ED\u0165? <a>Poradce p\u0159i "
      "pot\u00ED\u017E\u00EDch</a>",
      "\u0412\u0438 \u0441\u043F\u0440\u0430\u0432\u0434\u0456 \u0445\u043E\u0447\u0435\u0442"
      "\u0435 \u0432\u0438\u0434\u0430\u043B\u0438\u0442\u0438 \u0432\u0441\u0456 \u0437\u0430"
      "\u043F\u0438\u0441\u0438 \u0437 \u0456\u0441\u0442\u043E\u0440\u0456\u0457?",
      "\u0422\u043E\u043C\u0443 \u0432\u0456\u043D \u043D\u0435 \u0432\u0456\u0434\u043F\u043E"
      "\u0432\u0456\u0434\u0430\u0454. \u0412\u0456\u043D \u043C\u043E\u0436\u0435 \u0431"
      "\u0443\u0442\u0438 \u0437\u0430\u0439\u043D\u044F\u0442\u0438\u0439.",
      "\u0623\u062F\u0650\u0631 \u0645\u0644\u0641\u0627\u062A \u062A\u0639\u0631\u064A\u0641 "
      "\u0627\u0644\u0627\u0631\u062A\u0628\u0627\u0637\u060C \u0648\u0627\u0644\u0633\u062C"
      "\u0644.",
  };
  for (const char* t : clean) EXPECT_EQ(mojifix::fix_text(t), t);
}

// Persian of the Debian Administrator's Handbook: ی (U+06CC) is no
// windows-1256 letter, so the word around ع‌ (a letter and the joiner
// Persian writes) was never read through it; nor is رچم‌گ, letters alone
// inside a word, one character of other scripts.
TEST(Repair, PersianWithJoinersStays) {
  const char* clean[] = {
      "2.4.1. \u062A\u0648\u0632\u06CC\u0639\u200C\u0647\u0627\u06CC "
      "\u062A\u062C\u0627\u0631\u06CC "
      "\u0648 \u0645\u0628\u062A\u0646\u06CC \u0628\u0631 \u062C\u0627\u0645\u0639\u0647",
      "\u0628\u0631\u0627\u06CC \u067E\u0631\u0686\u0645\u200C\u06AF\u0630\u0627\u0631\u06CC "
      "\u0627\u0633\u062A\u0641\u0627\u062F\u0647 \u0645\u06CC\u200C\u0634\u0648\u062F",
  };
  for (const char* t : clean) EXPECT_EQ(mojifix::fix_text(t), t);
}

// Mojibake of valid UTF-8 never cuts a sequence: Ukrainian розмірів… (р і
// are F0 B3 in windows-1251, so в… with the space after it is no Ⅰ), and
// Hebrew נק׳ (ק is F7 in windows-1255, a byte no UTF-8 holds, so ׳ with
// the space after it is no נ).
TEST(Repair, NoSpanCutsASequenceBeforeIt) {
  const char* clean[] = {
      "\u041E\u0431\u0447\u0438\u0441\u043B\u0435\u043D\u043D\u044F \u0437\u0431\u0435\u0440"
      "\u0435\u0436\u0435\u043D\u0438\u0445 \u0440\u043E\u0437\u043C\u0456\u0440\u0456\u0432"
      "\u2026 (\u043D\u0430\u0437\u0432\u0430 \u0444\u0430\u0439\u043B\u0443)",
      "\u05E8\u05E9\u05D9\u05DE\u05D5\u05EA \u05DB\u05EA\u05D5\u05D1\u05D5\u05EA 150 \u05E0\u05E7"
      "\u05F3 \u05DC\u05D0\u05D9\u05E0\u05E5\u05F3 \u05E7\u05D0\u05E0\u05D3\u05D4 \u05D0\u05E4"
      "\u05E9\u05E8\u05D5\u05D9\u05D5\u05EA \u05E0\u05D5\u05E1\u05E4\u05D5\u05EA",
      // Nor does one end right before a continuation byte: Рі is D0 B3 in
      // windows-1251, and the і after it (B3) would be a stray.
      "\u041C\u0435\u0440\u0442\u0435\u043D\u0437-\u041A\u0430\u0443\u0446-\u0412\u0430"
      "\u043D\u0430 \u0420\u0456\u0456\u0437\u0430 (Mertens-Kautz-Van Reeth).",
  };
  for (const char* t : clean) EXPECT_EQ(mojifix::fix_text(t), t);
}

// A line that talks about encodings quotes its examples wherever it likes:
// the window repair looks at around “Ã©” need not hold the name of the
// encoding for the line to be talk about it.
TEST(Repair, WindowOfALineAboutEncodingsStays) {
  const std::string line =
      "\u0415\u0441\u043B\u0438 \u0444\u0430\u0439\u043B \u0432 UTF-8 \u043E\u0442\u043A"
      "\u0440\u044B\u0442 \u043A\u0430\u043A \u0434\u0440\u0443\u0433\u0430\u044F \u043A\u043E"
      "\u0434\u0438\u0440\u043E\u0432\u043A\u0430, \u0442\u043E \u0432\u043C\u0435\u0441\u0442"
      "\u043E \u0431\u0443\u043A\u0432 \u0441 \u0434\u0438\u0430\u043A\u0440\u0438\u0442\u0438"
      "\u043A\u043E\u0439 \u0432\u0438\u0434\u043D\u044B \u043F\u0430\u0440\u044B \u0437\u043D"
      "\u0430\u043A\u043E\u0432, \u043F\u043E\u0445\u043E\u0436\u0438\u0435 \u043D\u0430 "
      "\u201C\u00C3\u00A9\u201D \u0438\u043B\u0438 \u201C\u00C3\u00A8\u201D.";
  EXPECT_EQ(mojifix::fix_text(line), line);
}

// French typography puts a no-break space before '?': î, the space and the
// '?' look like a three-byte UTF-8 sequence (EE A0) whose last byte a
// decoder replaced, but every byte that could have been lost there makes a
// private-use code point, and windows-1256, which also shows EE A0 so, has
// no byte a decoder would replace. Clean Walloon stays.
TEST(Repair, NoBreakSpaceBeforeQuestionMarkStays) {
  const char* clean[] = {
      "Nou fitch\u00EE\u00A0?",
      "<h3>Rinonc\u00EE\u00A0?</h3><p>Estoz seur di voleur rinonc\u00EE\u00A0?</p>",
      // Nor are accented letters before no-break spaces GBK read as
      // windows-1252 (EE A0 E5 A0 would be 顮鍫).
      "Pa dr\u00EE\u00A0\u00E5\u00A0mitan",
  };
  for (const char* t : clean) EXPECT_EQ(mojifix::fix_text(t), t);
}
