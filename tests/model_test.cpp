// Tests of the Scorer: clean text in many languages must be cheap and the
// mojibake made from it expensive, by a clear margin.
//
// Mojibake strings below were made with Python codecs from the clean text
// (e.g. s.encode('utf-8').decode('cp1252')); the CJK examples follow
// shared/reference/mojibake-catalogue.md. ftfy's cases are read from
// shared/corpora/ftfy-cases (Apache-2.0, rspeer/python-ftfy tests/test-cases).

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "model/scorer.hpp"
#include "model/trigrams.hpp"
#include "test_data.hpp"

namespace {

using mojifix::detail::char_class;
using mojifix::detail::scorer;

// Minimal UTF-8 decoder for test literals (invalid bytes become U+FFFD).
std::u32string u32(std::string_view s) {
  std::u32string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t n = b < 0x80 ? 0 : b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 9;
    if (n == 9 || i + n >= s.size() + (n == 0)) {
      out += U'\uFFFD';
      ++i;
      continue;
    }
    char32_t cp = n == 0 ? b : (b & (0x3F >> n));
    for (std::size_t k = 1; k <= n; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out += cp;
    i += n + 1;
  }
  return out;
}

float cost(std::string_view s) { return scorer::get().cost(u32(s)); }
float per_char(std::string_view s) {
  const auto u = u32(s);
  return u.empty() ? 0.0f : scorer::get().cost(u) / static_cast<float>(u.size());
}

// Declared first so that, run alone or in order, it times the first use.
TEST(Model, StartupIsPointerSetup) {
  const auto t0 = std::chrono::steady_clock::now();
  const scorer& s = scorer::get();
  const auto t1 = std::chrono::steady_clock::now();
  const double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  std::printf("first scorer::get(): %.3f ms\n", ms);
  EXPECT_LT(ms, 5.0);
  // A model that failed its checks would score everything 0.
  EXPECT_GT(s.cost(0, U'a'), 0.0f);
}

struct pair_case {
  const char* clean;
  const char* mojibake;
  const char* how;
};

// Each pair: the mojibake must cost at least kMarginPerChar bits more per
// changed character of the clean text.
constexpr float kMarginPerChar = 6.0f;

// Characters of `clean` outside the common prefix and suffix with `bad`.
std::size_t changed(const std::u32string& clean, const std::u32string& bad) {
  std::size_t p = 0;
  while (p < clean.size() && p < bad.size() && clean[p] == bad[p]) ++p;
  std::size_t q = 0;
  while (q + p < clean.size() && q + p < bad.size() &&
         clean[clean.size() - 1 - q] == bad[bad.size() - 1 - q])
    ++q;
  return std::max<std::size_t>(1, clean.size() - p - q);
}

const pair_case kPairs[] = {
    {"我是中国人", "鎴戞槸涓浗浜", "utf-8 read as gbk"},
    {"こんにちは", "縺薙ｓ縺ｫ縺｡縺ｯ", "utf-8 read as shift_jis"},
    {"안녕하세요", "¾È³çÇÏ¼¼¿ä", "euc-kr read as cp1252"},
    {"我是", "æˆ‘æ˜¯", "utf-8 read as cp1252"},
    {"我是", "ÎÒÊÇ", "gbk read as cp1252"},
    {"我是", "§Ú¬O", "big5 read as cp1252"},
    {"我是", "謌第弍", "utf-8 read as cp932"},
    {"我是", "鎴戞槸", "utf-8 read as gbk"},
    {"我", "Ã¦Ë†â€˜", "utf-8 read as cp1252 twice"},
    {"我是", "脦脪脢脟", "gbk, latin-1, utf-8, read as gbk"},
    {"中文", "ä¸\xc2\xad\xc3\xa6\xc2\x96\xc2\x87", "utf-8 read as latin-1"},
    {"中文", "笢恅", "gbk read as big5"},
    {"我是中国", "扂岆笢弊", "gbk read as big5"},
    {"こんにちは", "¤³¤ó¤Ë¤Á¤Ï", "euc-jp read as cp1252"},
    {"café", "cafÃ©", "utf-8 read as cp1252"},
    {"doesn’t", "doesnâ€™t", "utf-8 read as cp1252"},
    {"Čeština", "ÄŒeÅ¡tina", "utf-8 read as cp1252"},
    {"дороге", "РґРѕСЂРѕРіРµ", "utf-8 read as cp1251"},
    {"Ελληνικά", "Î•Î»Î»Î·Î½Î¹ÎºÎ¬", "utf-8 read as cp1252"},
    {"我是中文", "и琌いゅ", "big5 read as gbk"},
    {"網絡發生醫院", "呼蹈祇ネ洛皘", "big5 read as gbk"},
    {"안녕하세요", "救崇窍技夸", "euc-kr read as gbk"},
    {"파일을 찾을 수 없으면", "颇老阑 茫阑 荐 绝栏搁", "euc-kr read as gbk"},
    {"如果没有指定文件", "흔벎청唐寧땍匡숭", "gbk read as cp949"},
    {"如果没有指定文件", "濡傛灉娌℃湁鎸囧畾鏂囦欢", "utf-8 read as gbk"},
    {"ファイルが見つからない", "繝輔ぃ繧､繝ｫ縺瑚ｦ九▽縺九ｉ縺ｪ縺", "utf-8 read as shift_jis"},
    {"파일을 찾을 수", "íŒŒì\xc2\x9d¼ì\xc2\x9d„ ì°¾ì\xc2\x9d„ ìˆ˜", "utf-8 read as cp1252"},
    {"Größe", "GrÃ¶ÃŸe", "utf-8 read as cp1252"},
    {"Zażółć gęślą jaźń", "ZaÅ¼Ã³Å‚Ä‡ gÄ™Å›lÄ… jaÅºÅ„", "utf-8 read as cp1252"},
    {"Tiếng Việt", "Tiáº¿ng Viá»‡t", "utf-8 read as cp1252"},
    {"не найден", "Ð½Ðµ Ð½Ð°Ð¹Ð´ÐµÐ½", "utf-8 read as cp1252"},
    {"Програма", "РџСЂРѕРіСЂР°РјР°", "utf-8 read as cp1251"},
    {"γλώσσα", "Î³Î»ÏŽÏƒÏƒÎ±", "utf-8 read as cp1252"},
    {"configuração não", "configuraÃ§Ã£o nÃ£o", "utf-8 read as cp1252"},
    {"voilà le", "voilÃ\xc2\xa0le", "utf-8 read as cp1252"},
    {"Dosya bulunamadı", "Dosya bulunamadÄ±", "utf-8 read as cp1252"},
    {"בהודעה", "×‘×”×•×“×˘×”", "utf-8 read as cp1250"},
    {"رسالة", "Ø±Ø³Ø§Ù„Ø©", "utf-8 read as cp1252"},
    {"สวัสดี", "à¸ªà¸§à¸±à¸ªà¸”à¸µ", "utf-8 read as cp1252"},
    {"नमस्ते", "à¤¨à¤®à¤¸à¥\xc2\x8dà¤¤à¥‡", "utf-8 read as cp1252"},
    {"😀", "ðŸ˜€", "utf-8 read as cp1252"},
    {"Bush hid the facts", "畂桳栠摩琠敨映捡獴", "ascii read as utf-16le"},
    {"我是", "ᅢ⽦", "utf-16 byte-swapped"},
    {"我是中国人", "鎴戞槸涓\ue15e浗浜", "utf-8 read as gb18030 (user-defined row)"},
    {"系统", "ϵͳ", "gbk read as utf-8"},
    {"表示", "表\\示", "shift_jis 0x5C escaped"},
    {"中文，测试", "涓\ufffd鏂囷紝娴嬭瘯", "utf-8 read as gbk, odd byte"},
    {"<html>", "锘\ufffd<html>", "utf-8 BOM read as gbk"},
    // Compatibility forms are scored as what they stand for; what a wrong
    // repair would make of them must stay dearer.
    {"①②③④⑤", "啤脾疲皮匹", "big5 bytes read as gb18030"},
    {"ⅠⅡⅢⅣⅤ", "ｉｊｋｌｍ", "gbk bytes read as big5"},
};

TEST(Model, CleanBeatsMojibakeByMargin) {
  const scorer& s = scorer::get();
  int failures = 0;
  for (const auto& p : kPairs) {
    const auto clean = u32(p.clean);
    const auto bad = u32(p.mojibake);
    const float c = s.cost(clean);
    const float m = s.cost(bad);
    const float need = kMarginPerChar * static_cast<float>(changed(clean, bad));
    std::printf("%-28s clean %6.1f  mojibake %6.1f  margin %6.1f (need %5.1f)  %s\n", p.clean, c, m,
                m - c, need, p.how);
    EXPECT_GE(m - c, need) << p.clean << " vs " << p.mojibake << " (" << p.how << ")";
    failures += m - c < need;
  }
  std::printf("pairs below margin: %d of %zu\n", failures, std::size(kPairs));
}

TEST(Model, ContextIsIncluded) {
  const scorer& s = scorer::get();
  const auto t = u32("中国");
  const float inner = s.cost(t, U'是', U'人');
  EXPECT_FLOAT_EQ(inner, s.cost(U'是', U'中') + s.cost(U'中', U'国') + s.cost(U'国', U'人'));
  EXPECT_FLOAT_EQ(s.cost(t), s.cost(0, U'中') + s.cost(U'中', U'国'));
  EXPECT_EQ(s.cost(std::u32string_view{}), 0.0f);
}

struct sentence {
  const char* lang;
  const char* clean;
  const char* mojibake;  // utf-8 read as cp1252 (WHATWG: undefined bytes kept as C1)
};

const sentence kSentences[] = {
    {"fr", "Le système d'exploitation gère la mémoire et les périphériques; il est très fiable.",
     "Le systÃ¨me d'exploitation gÃ¨re la mÃ©moire et les pÃ©riphÃ©riques; il est trÃ¨s fiable."},
    {"de", "Die Größe der Datei überschreitet das zulässige Maß für Übertragungen.",
     "Die GrÃ¶ÃŸe der Datei Ã¼berschreitet das zulÃ¤ssige MaÃŸ fÃ¼r Ãœbertragungen."},
    {"pl", "Zażółć gęślą jaźń, a potem sprawdź, czy plik został poprawnie zapisany.",
     "ZaÅ¼Ã³Å‚Ä‡ gÄ™Å›lÄ… jaÅºÅ„, a potem sprawdÅº, czy plik zostaÅ‚ poprawnie zapisany."},
    {"cs", "Příliš žluťoučký kůň úpěl ďábelské ódy a soubor byl uložen.",
     "PÅ™Ã­liÅ¡ Å¾luÅ¥ouÄ\xc2\x8dkÃ½ kÅ¯Åˆ ÃºpÄ›l Ä\xc2\x8fÃ¡belskÃ© Ã³dy a soubor byl uloÅ¾en."},
    {"vi", "Tiếng Việt là ngôn ngữ chính thức của Việt Nam và được nhiều người sử dụng.",
     "Tiáº¿ng Viá»‡t lÃ  ngÃ´n ngá»¯ chÃ­nh thá»©c cá»§a Viá»‡t Nam vÃ  Ä‘Æ°á»£c nhiá»\xc2\x81u "
     "ngÆ°á»\xc2\x9di sá»­ dá»¥ng."},
    {"el", "Η γλώσσα είναι ένα σύστημα επικοινωνίας που χρησιμοποιεί ήχους και σύμβολα.",
     "Î— Î³Î»ÏŽÏƒÏƒÎ± ÎµÎ¯Î½Î±Î¹ Î­Î½Î± ÏƒÏ\xc2\x8dÏƒÏ„Î·Î¼Î± ÎµÏ€Î¹ÎºÎ¿Î¹Î½Ï‰Î½Î¯Î±Ï‚ Ï€Î¿Ï… "
     "Ï‡Ï\xc2\x81Î·ÏƒÎ¹Î¼Î¿Ï€Î¿Î¹ÎµÎ¯ Î®Ï‡Î¿Ï…Ï‚ ÎºÎ±Î¹ ÏƒÏ\xc2\x8dÎ¼Î²Î¿Î»Î±."},
    {"ru", "Файл не найден, проверьте правильность пути и повторите попытку ещё раз.",
     "Р¤Р°Р№Р» РЅРµ РЅР°Р№РґРµРЅ, РїСЂРѕРІРµСЂСЊС‚Рµ РїСЂР°РІРёР»СЊРЅРѕСЃС‚СЊ РїСѓС‚Рё Рё "
     "РїРѕРІС‚РѕСЂРёС‚Рµ РїРѕРїС‹С‚РєСѓ РµС‰С‘ СЂР°Р·."},
    {"uk", "Програма не може відкрити файл, тому що він використовується іншим процесом.",
     "РџСЂРѕРіСЂР°РјР° РЅРµ РјРѕР¶Рµ РІС–РґРєСЂРёС‚Рё С„Р°Р№Р», С‚РѕРјСѓ С‰Рѕ РІС–РЅ "
     "РІРёРєРѕСЂРёСЃС‚РѕРІСѓС”С‚СЊСЃСЏ С–РЅС€РёРј РїСЂРѕС†РµСЃРѕРј."},
    {"es", "La configuración del núcleo está en el archivo de arranque del sistema.",
     "La configuraciÃ³n del nÃºcleo estÃ¡ en el archivo de arranque del sistema."},
    {"it", "La città è più bella quando non c'è nessuno per le strade.",
     "La cittÃ\xc2\xa0 Ã¨ piÃ¹ bella quando non c'Ã¨ nessuno per le strade."},
    {"pt", "A configuração não pôde ser concluída porque o serviço está indisponível.",
     "A configuraÃ§Ã£o nÃ£o pÃ´de ser concluÃ­da porque o serviÃ§o estÃ¡ indisponÃ­vel."},
    {"tr", "Dosya bulunamadı; lütfen yolu kontrol edip işlemi yeniden deneyin.",
     "Dosya bulunamadÄ±; lÃ¼tfen yolu kontrol edip iÅŸlemi yeniden deneyin."},
    {"zh_CN", "如果没有指定文件，则从标准输入读取数据并写到标准输出。",
     "濡傛灉娌℃湁鎸囧畾鏂囦欢锛屽垯浠庢爣鍑嗚緭鍏ヨ\xef\xbf\xbd诲彇鏁版嵁骞跺啓鍒版爣鍑嗚緭鍑恒"},
    {"zh_TW", "如果沒有指定檔案，則從標準輸入讀取資料並寫到標準輸出。",
     "å¦‚æžœæ²’æœ‰æŒ‡å®šæª”æ¡ˆï¼Œå‰‡å¾žæ¨™æº–è¼¸å…¥è®€å\xc2\x8f–è³‡æ–™ä¸¦å¯«åˆ°æ¨™æº–è¼¸å‡ºã€‚"},
    {"ja", "ファイルが見つからない場合は、エラーメッセージを表示して終了します。",
     "繝輔ぃ繧､繝ｫ縺瑚ｦ九▽縺九ｉ縺ｪ縺\xef\xbf\xbd蝣ｴ蜷医\xef\xbf\xbdｯ縲√お繝ｩ繝ｼ繝｡繝\xef\xbf\xbd"
     "繧ｻ繝ｼ繧ｸ繧定｡ｨ遉ｺ縺励※邨ゆｺ\xef\xbf\xbd縺励∪縺吶"},
    {"ko", "파일을 찾을 수 없으면 오류 메시지를 표시하고 종료합니다.",
     "íŒŒì\xc2\x9d¼ì\xc2\x9d„ ì°¾ì\xc2\x9d„ ìˆ˜ ì—†ìœ¼ë©´ ì˜¤ë¥˜ ë©”ì‹œì§€ë¥¼ í‘œì‹œí•˜ê³  "
     "ì¢…ë£Œí•©ë‹ˆë‹¤."},
    {"en", "The quick brown fox jumps over the lazy dog, then reads the manual page.", nullptr},
};

// Clean sentences must average below this many bits per character.
constexpr float kCleanBitsPerChar = 8.0f;

TEST(Model, CleanSentencesAreCheapMojibakeIsNot) {
  std::printf("%-6s %10s %10s\n", "lang", "clean b/c", "moji b/c");
  for (const auto& s : kSentences) {
    const float c = per_char(s.clean);
    const float m = s.mojibake ? per_char(s.mojibake) : 0.0f;
    std::printf("%-6s %10.2f %10.2f\n", s.lang, c, m);
    EXPECT_LT(c, kCleanBitsPerChar) << s.lang;
    if (s.mojibake) {
      // Compare whole strings: each damaged (non-ASCII) character adds bits.
      const auto clean = u32(s.clean);
      const auto damaged =
          std::count_if(clean.begin(), clean.end(), [](char32_t c) { return c >= 0x80; });
      EXPECT_GT(cost(s.mojibake), cost(s.clean) + kMarginPerChar * static_cast<float>(damaged))
          << s.lang;
    }
  }
}

TEST(Model, CompatibilityFormsCostLittleMoreThanTheirUsualForm) {
  // Halfwidth katakana (bank statements, old systems) costs a few bits per
  // word more than fullwidth, not the price of mojibake debris.
  EXPECT_LT(cost("ｺﾝﾆﾁﾊ") - cost("コンニチハ"), 16.0f);
  EXPECT_LT(cost("ﾊﾟｽﾜｰﾄﾞを入力してください") - cost("パスワードを入力してください"), 30.0f);
  EXPECT_LT(per_char("①②③④⑤"), 6.0f);
  EXPECT_EQ(scorer::get().classify(U'ｺ'), char_class::halfwidth_kana);
}

TEST(Model, TraditionalChineseIsCheap) {
  EXPECT_LT(per_char("網絡發生醫院"), 12.0f);
  EXPECT_LT(per_char("如果沒有指定檔案，則從標準輸入讀取資料並寫到標準輸出。"), 9.0f);
}

TEST(Model, FoldingCaseDigitsSpaces) {
  const scorer& s = scorer::get();
  // Digits fold to one symbol, whitespace to one space.
  EXPECT_FLOAT_EQ(cost("in 2024"), cost("in 1999"));
  EXPECT_FLOAT_EQ(cost("a\tb"), cost("a b"));
  // Upper case follows the lower-case bigram, plus a small case cost.
  EXPECT_LT(cost("CAFÉ") - cost("café"), 8.0f);
  EXPECT_FLOAT_EQ(s.cost(U'x', U'É') - s.cost(U'x', U'é'), s.cost(U'x', U'Ж') - s.cost(U'x', U'ж'));
}

struct class_case {
  char32_t cp;
  char_class cls;
};

TEST(Model, Classify) {
  const scorer& s = scorer::get();
  const class_case cases[] = {
      {U'a', char_class::ascii_letter},
      {U'Z', char_class::ascii_letter},
      {U'7', char_class::ascii_digit},
      {U' ', char_class::ascii_space},
      {U'\n', char_class::ascii_space},
      {U'!', char_class::ascii_punct},
      {0x01, char_class::ascii_control},
      {0x7F, char_class::ascii_control},
      {U'é', char_class::latin_letter},
      {U'Ž', char_class::latin_letter},
      {U'ơ', char_class::latin_letter},
      {U'œ', char_class::latin_letter},
      {U'ƒ', char_class::latin_letter},
      {U'Ÿ', char_class::latin_letter},
      {0xA0, char_class::latin1_symbol},
      {U'©', char_class::latin1_symbol},
      {U'×', char_class::latin1_symbol},
      {U'€', char_class::latin1_symbol},
      {U'’', char_class::latin1_symbol},
      {U'™', char_class::latin1_symbol},
      {U'‰', char_class::latin1_symbol},
      {U'ˆ', char_class::latin1_symbol},
      {0x81, char_class::c1_control},
      {0x9D, char_class::c1_control},
      {U'λ', char_class::greek},
      {U'Ж', char_class::cyrillic},
      {U'ա', char_class::armenian},
      {U'ש', char_class::hebrew},
      {U'ب', char_class::arabic},
      {U'न', char_class::indic},
      {U'ส', char_class::thai},
      {U'ა', char_class::other_letter},
      {0x0301, char_class::combining_mark},
      {U'가', char_class::hangul_ksx1001},
      {U'안', char_class::hangul_ksx1001},
      {U'똠', char_class::hangul_other},
      {U'갂', char_class::hangul_other},
      {U'ㄱ', char_class::hangul_jamo},
      {0x1100, char_class::hangul_jamo},
      {U'こ', char_class::kana},
      {U'ア', char_class::kana},
      {U'ｱ', char_class::halfwidth_kana},
      {U'｡', char_class::halfwidth_kana},
      {U'的', char_class::han_common},
      {U'是', char_class::han_common},
      {U'國', char_class::han_common},
      {U'醫', char_class::han_common},
      {0x2A6D6, char_class::han_rare},
      {U'。', char_class::cjk_symbol},
      {U'「', char_class::cjk_symbol},
      {U'Ａ', char_class::fullwidth_ascii},
      {U'１', char_class::fullwidth_ascii},
      {U'─', char_class::box_drawing},
      {U'█', char_class::box_drawing},
      {U'∑', char_class::symbol},
      {U'→', char_class::symbol},
      {0x1F600, char_class::emoji},
      {0x1F44D, char_class::emoji},
      {0xE000, char_class::private_use},
      {0xF8FF, char_class::private_use},
      {0x0378, char_class::unassigned},
      {0x10FFFD, char_class::private_use},
      {0xD800, char_class::surrogate},
      {0xFDD0, char_class::noncharacter},
      {0xFFFF, char_class::noncharacter},
      {0x1FFFE, char_class::noncharacter},
      {0xFFFD, char_class::replacement},
      {0x110000, char_class::unassigned},
  };
  for (const auto& c : cases)
    EXPECT_EQ(static_cast<int>(s.classify(c.cp)), static_cast<int>(c.cls))
        << std::hex << "U+" << static_cast<std::uint32_t>(c.cp);
  // KS X 1001 holds exactly 2,350 syllables.
  int ksx = 0;
  for (char32_t c = 0xAC00; c <= 0xD7A3; ++c) ksx += s.classify(c) == char_class::hangul_ksx1001;
  EXPECT_EQ(ksx, 2350);
  int common = 0;
  for (char32_t c = 0x4E00; c <= 0x9FFF; ++c) common += s.classify(c) == char_class::han_common;
  std::printf("han_common in U+4E00-U+9FFF: %d\n", common);
  EXPECT_GT(common, 3000);
  EXPECT_LT(common, 7000);
  // Mojibake debris: each of these must be dearer than a common letter.
  const float letter = s.cost(0, U'e');
  for (char32_t c :
       {char32_t{0x81}, char32_t{0xE000}, char32_t{0x0378}, char32_t{0xFFFD}, char32_t{0xFDD0}})
    EXPECT_GT(s.cost(U'a', c), letter + 10.0f) << std::hex << static_cast<std::uint32_t>(c);
}

// ---------------------------------------------------------------- ftfy cases
// A tiny reader for the flat JSON arrays of string fields in ftfy-cases.
std::vector<std::string> list_dir(const std::string& dir, const std::string& ext) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0)
      out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// ftfy's cases as string members per case, read with the tests' JSON reader.
std::vector<std::map<std::string, std::string>> read_cases(const std::string& path) {
  std::vector<std::map<std::string, std::string>> out;
  const auto text = mojifix::test::read_file(path);
  if (!text) return out;
  mojifix::test::json_reader reader(*text);
  const auto doc = reader.parse();
  if (!doc || doc->type != mojifix::test::json_value::kind::array) return out;
  for (const auto& c : doc->array) {
    auto& fields = out.emplace_back();
    for (const auto& [key, value] : c.object)
      if (value.type == mojifix::test::json_value::kind::string) fields[key] = value.string;
  }
  return out;
}

// Cases whose "fixed" text is not cheaper than the original under this model,
// with the reason. Counted, not hidden: the test fails if the list goes stale.
const std::set<std::string> kKnownFtfyMisses = {};

TEST(Model, FtfyFixedIsCheaperThanOriginal) {
  const std::string dir = std::string(MOJIFIX_SHARED_DIR) + "/corpora/ftfy-cases/";
  int total = 0, better = 0, known = 0;
  double clean_bits = 0, clean_chars = 0, moji_bits = 0, moji_chars = 0;
  for (const char* name : {"in-the-wild.json", "synthetic.json", "language-names.json"}) {
    const auto cases = read_cases(dir + name);
    ASSERT_FALSE(cases.empty()) << dir + name;
    for (const auto& c : cases) {
      const auto orig = c.find("original");
      const auto fixed = c.find("fixed");
      if (orig == c.end() || fixed == c.end() || orig->second == fixed->second) continue;
      if (c.count("expect") && c.at("expect") != "pass") continue;
      const auto o = u32(orig->second);
      const auto f = u32(fixed->second);
      const float co = scorer::get().cost(o);
      const float cf = scorer::get().cost(f);
      ++total;
      moji_bits += co;
      moji_chars += static_cast<double>(o.size());
      clean_bits += cf;
      clean_chars += static_cast<double>(f.size());
      const std::string label = c.count("label") ? c.at("label") : orig->second;
      if (cf < co) {
        ++better;
        EXPECT_EQ(kKnownFtfyMisses.count(label), 0u) << "now passes, remove from list: " << label;
      } else if (kKnownFtfyMisses.count(label)) {
        ++known;
      } else {
        ADD_FAILURE() << label << ": fixed " << cf << " >= original " << co << "\n  "
                      << orig->second << "\n  " << fixed->second;
      }
    }
  }
  std::printf(
      "ftfy cases: fixed cheaper in %d of %d (known misses %d); bits/char fixed %.2f, "
      "original %.2f\n",
      better, total, known, clean_bits / clean_chars, moji_bits / moji_chars);
  EXPECT_GT(total, 80);
}

TEST(Model, FtfyNegativeCasesAreNotDear) {
  // Text ftfy must leave alone: it should read as ordinary text.
  const auto cases =
      read_cases(std::string(MOJIFIX_SHARED_DIR) + "/corpora/ftfy-cases/negative.json");
  ASSERT_FALSE(cases.empty());
  double bits = 0, chars = 0;
  for (const auto& c : cases) {
    const auto u = u32(c.at("original"));
    bits += scorer::get().cost(u);
    chars += static_cast<double>(u.size());
  }
  std::printf("ftfy negative cases: %.2f bits/char over %.0f chars\n", bits / chars, chars);
  EXPECT_LT(bits / chars, 9.0);
}

// ---------------------------------------------------------------- held-out cases
// tests/data/cases/*.tsv: lines of held-out Debian text (never used to train
// the model, see data/model/SOURCES.md) and the mojibake a known chain of
// wrong decodings made of them. The whole clean line must be the cheaper.

std::string unescape_tsv(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char e = s[++i];
      out += e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> list_dir(const std::string& dir, const std::string& ext);

TEST(Model, HeldOutCleanLinesBeatTheirMojibake) {
  const std::string dir = std::string(MOJIFIX_TEST_DATA) + "/cases";
  const auto files = list_dir(dir, ".tsv");
  ASSERT_FALSE(files.empty()) << dir;
  struct tally {
    double clean_bits = 0, clean_chars = 0, bad_bits = 0, bad_chars = 0;
  };
  std::map<std::string, tally> by_lang;
  int total = 0, wrong = 0;
  for (const auto& f : files) {
    std::ifstream in(dir + "/" + f);
    std::string line;
    int chain_wrong = 0;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      const auto t1 = line.find('\t');
      const auto t2 = line.find('\t', t1 + 1);
      if (t1 == std::string::npos || t2 == std::string::npos) continue;
      const std::string lang = line.substr(0, t1);
      const auto clean = u32(unescape_tsv(std::string_view(line).substr(t1 + 1, t2 - t1 - 1)));
      const auto bad = u32(unescape_tsv(std::string_view(line).substr(t2 + 1)));
      const float c = scorer::get().cost(clean), b = scorer::get().cost(bad);
      tally& t = by_lang[lang];
      t.clean_bits += c;
      t.clean_chars += static_cast<double>(clean.size());
      t.bad_bits += b;
      t.bad_chars += static_cast<double>(bad.size());
      ++total;
      if (b <= c) {
        ++wrong;
        if (++chain_wrong <= 3) ADD_FAILURE() << f << ": damaged line not dearer: " << line;
      }
    }
  }
  std::printf("held-out cases: %d lines, damaged line not dearer in %d\n", total, wrong);
  std::printf("%-6s %12s %12s\n", "lang", "clean b/c", "damaged b/c");
  for (const auto& [lang, t] : by_lang)
    std::printf("%-6s %12.2f %12.2f\n", lang.c_str(), t.clean_bits / t.clean_chars,
                t.bad_bits / t.bad_chars);
  EXPECT_GT(total, 10000);
  EXPECT_EQ(wrong, 0);
}

TEST(Model, HeldOutNegativeTextIsCheap) {
  // tests/data/negative: clean lines in many languages, emoji, Latin-1
  // symbols, and prose that quotes mojibake.
  const std::string dir = std::string(MOJIFIX_TEST_DATA) + "/negative";
  const auto files = list_dir(dir, ".txt");
  ASSERT_FALSE(files.empty()) << dir;
  for (const auto& f : files) {
    std::ifstream in(dir + "/" + f);
    std::string line;
    double bits = 0, chars = 0;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      const auto u = u32(line);
      bits += scorer::get().cost(u);
      chars += static_cast<double>(u.size());
    }
    std::printf("%-24s %6.2f bits/char\n", f.c_str(), bits / chars);
    // cjk_hard.txt holds rare Han characters on purpose (what UTF-8 read as
    // GBK looks like) and halfwidth katakana, cjk_ascii_punct.txt ASCII
    // punctuation between CJK, which the training text seldom has: printed,
    // not held to the bound.
    if (f != "cjk_hard.txt" && f != "cjk_ascii_punct.txt") {
      EXPECT_LT(bits / chars, kCleanBitsPerChar) << f;
    }
  }
}

// ---------------------------------------------------------------- speed
TEST(Model, StringCostMatchesPairSum) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::uint32_t> pick(0, 0x10FFFF);
  const scorer& s = scorer::get();
  for (int n = 0; n < 200; ++n) {
    std::u32string t;
    for (int k = 0; k < 12; ++k) {
      char32_t c = pick(rng);
      if (k % 3 == 0) c = U"我是中国人abcé Жλ안녕"[pick(rng) % 13];
      if (k == 7) c = static_cast<char32_t>(rng());  // beyond Unicode too
      t += c;
    }
    const char32_t before = n % 2 ? U'x' : 0, after = n % 3 ? U'y' : 0;
    float sum = 0;
    char32_t prev = before;
    for (char32_t c : t) {
      sum += s.cost(prev, c);
      prev = c;
    }
    if (after) sum += s.cost(prev, after);
    EXPECT_FLOAT_EQ(s.cost(t, before, after), sum);
  }
}

double ns_per_char(const std::u32string& text) {
  const scorer& s = scorer::get();
  const int reps = 20000;
  float sink = 0;
  // Process CPU time: the machine may be shared with other work.
  const std::clock_t t0 = std::clock();
  for (int r = 0; r < reps; ++r) sink += s.cost(text, static_cast<char32_t>(r & 1));
  const std::clock_t t1 = std::clock();
  EXPECT_GT(sink, 0.0f);
  return 1e9 * static_cast<double>(t1 - t0) / CLOCKS_PER_SEC /
         (static_cast<double>(reps) * static_cast<double>(text.size()));
}

TEST(Model, Speed) {
  const auto latin =
      u32("Le système d'exploitation gère la mémoire et les périphériques; the quick brown fox "
          "jumps over the lazy dog. Файл не найден, проверьте правильность пути.");
  const auto cjk =
      u32("如果没有指定文件，则从标准输入读取数据并写到标准输出。ファイルが見つからない場合は、"
          "エラーメッセージを表示して終了します。파일을 찾을 수 없으면 오류 메시지를 표시하고 "
          "종료합니다.");
  const auto junk = u32("鎴戞槸涓浗浜 cafÃ© ÄŒeÅ¡tina РґРѕСЂРѕРіРµ ¾È³çÇÏ¼¼¿ä 縺薙ｓ縺ｫ縺｡縺ｯ");
  const double a = ns_per_char(latin), b = ns_per_char(cjk), c = ns_per_char(junk);
  std::printf("cost(): %.2f ns/char Latin+Cyrillic, %.2f ns/char CJK, %.2f ns/char mojibake\n", a,
              b, c);
  // Loose bound: the machine may be shared; a few ns is the expectation.
  EXPECT_LT(std::max({a, b, c}), 200.0);
}

}  // namespace

// The trigram table of lossy recovery: it loads, it knows what two
// characters of context tell and one does not, and where it knows nothing it
// is the Scorer's bigram.
TEST(Trigrams, LoadedAndInformative) {
  using mojifix::detail::scorer;
  using mojifix::detail::trigram_model;
  const trigram_model& t = trigram_model::get();
  ASSERT_TRUE(t.ok());
  // 中国人 against the other characters 人's first two UTF-8 bytes make.
  for (char32_t rival : {U'亚', U'交', U'京', U'事'})
    EXPECT_LT(t.cost(U'中', U'国', U'人') + 3, t.cost(U'中', U'国', rival))
        << static_cast<unsigned>(rival);
  // 处理 after 数据 (数据处理), where the bigram alone knows little of 据.
  EXPECT_LT(t.cost(U'数', U'据', U'处'), scorer::get().cost(U'据', U'处'));
  // An unseen context falls back to the bigram.
  EXPECT_FLOAT_EQ(t.cost(U'\u0915', U'\u0916', U'a'), scorer::get().cost(U'\u0916', U'a'));
  // Folding as the table was built: digits and capitals.
  EXPECT_FLOAT_EQ(t.cost(U'第', U'1', U'章'), t.cost(U'第', U'7', U'章'));
}
