#include "sql/to_char.h"

#include <fmt/format.h>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include "common/time_util.h"
#include "sql/func_internal.h"

namespace laminar::sql {
namespace {

// ---------------------------------------------------------------------------------------------
// Templates: a list of keywords (with their FM/TH decorations) and literal text. PostgreSQL finds
// a keyword by trying, at each position, the keywords that begin with that character in the
// table's order (longer and upper-case forms first): "HH24" before "HH", "DDD" before "DD".

struct Keyword {
  const char* name;
  int item;     // what it prints: a DchItem or a NumItem
  char style;   // names and markers: 'U' upper case, 'C' capitalised, 'L' lower case; FFn: n
};

struct Node {
  const Keyword* key = nullptr;  // null: literal text
  std::string text;              // literal text
  bool fm = false;               // FM prefix: no padding
  bool tm = false;               // TM prefix: localized names (the C locale's), not padded
  int th = 0;                    // TH (1) / th (2) suffix: an ordinal
};

const Keyword* FindKeyword(const Keyword* table, size_t size, std::string_view s) {
  for (size_t k = 0; k < size; k++) {
    std::string_view name = table[k].name;
    if (name[0] == s[0] && s.substr(0, name.size()) == name) return &table[k];
  }
  return nullptr;
}

// Splits a template into nodes. `dch`: the timestamp version, which knows FM/TM prefixes and
// TH/th/SP suffixes (the number version has FM and TH as keywords).
std::vector<Node> ParseTemplate(std::string_view f, const Keyword* table, size_t size, bool dch) {
  std::vector<Node> nodes;
  size_t i = 0;
  auto literal = [&](size_t at, size_t len) {
    if (nodes.empty() || nodes.back().key) nodes.emplace_back();
    nodes.back().text.append(f.substr(at, len));
  };
  while (i < f.size()) {
    bool fm = false, tm = false;
    if (dch) {
      std::string_view two = f.substr(i, 2);
      if (two == "FM" || two == "fm" || two == "TM" || two == "tm") {
        fm = two == "FM" || two == "fm";
        tm = !fm;
        i += 2;
        if (i >= f.size()) break;
      }
    }
    if (const Keyword* k = FindKeyword(table, size, f.substr(i))) {
      Node n;
      n.key = k;
      n.fm = fm;
      n.tm = tm;
      i += std::string_view(k->name).size();
      if (dch && i < f.size()) {
        std::string_view two = f.substr(i, 2);
        if (two == "TH" || two == "th" || two == "SP") {
          n.th = two == "TH" ? 1 : two == "th" ? 2 : 0;
          i += 2;
        }
      }
      nodes.push_back(std::move(n));
      continue;
    }
    if (f[i] == '"') {  // quoted text: \ quotes the next character
      for (i++; i < f.size();) {
        if (f[i] == '"') {
          i++;
          break;
        }
        if (f[i] == '\\' && i + 1 < f.size()) i++;
        size_t len = internal::NextChar(f, i) - i;
        literal(i, len);
        i += len;
      }
      continue;
    }
    if (f[i] == '\\' && i + 1 < f.size() && f[i + 1] == '"') i++;  // \" outside quotes
    size_t len = internal::NextChar(f, i) - i;
    literal(i, len);
    i += len;
  }
  return nodes;
}

// "st", "nd", "rd", "th" (upper case: 1) for the number whose digits end `num`.
const char* Ordinal(std::string_view num, int th) {
  static const char* kUpper[] = {"ST", "ND", "RD", "TH"};
  static const char* kLower[] = {"st", "nd", "rd", "th"};
  char last = num.empty() ? '0' : num.back();
  int k = 3;
  if (!(num.size() > 1 && num[num.size() - 2] == '1')) k = last == '1' ? 0 : last == '2' ? 1 : last == '3' ? 2 : 3;
  return th == 1 ? kUpper[k] : kLower[k];
}

std::string Styled(std::string_view s, char style) {
  std::string out(s);
  for (size_t i = 0; i < out.size(); i++) {
    char& c = out[i];
    if (style == 'U' && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (style == 'L' && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Timestamps.

enum DchItem {
  kEra, kEraDots, kMeridiem, kMeridiemDots, kCentury, kDayName, kDayAbbr, kDayOfYear, kDayOfMonth,
  kDayOfWeek, kFraction, kFx, kHour24, kHour12, kIsoDayOfYear, kIsoDayOfWeek, kIsoWeek, kIsoYear4,
  kIsoYear3, kIsoYear2, kIsoYear1, kJulian, kMinute, kMonthNumber, kMonthName, kMonthAbbr,
  kMillis, kOffset, kQuarter, kRomanMonth, kSecondsOfDay, kSecond, kTzHour, kTzMinute, kTzName,
  kMicros, kWeekOfYear, kWeekOfMonth, kYearComma, kYear4, kYear3, kYear2, kYear1,
};

// PostgreSQL's table (formatting.c, DCH_keywords), in its order.
constexpr Keyword kDchKeywords[] = {
    {"A.D.", kEraDots, 'U'}, {"A.M.", kMeridiemDots, 'U'}, {"AD", kEra, 'U'}, {"AM", kMeridiem, 'U'},
    {"B.C.", kEraDots, 'U'}, {"BC", kEra, 'U'}, {"CC", kCentury, 0}, {"DAY", kDayName, 'U'},
    {"DDD", kDayOfYear, 0}, {"DD", kDayOfMonth, 0}, {"DY", kDayAbbr, 'U'}, {"Day", kDayName, 'C'},
    {"Dy", kDayAbbr, 'C'}, {"D", kDayOfWeek, 0}, {"FF1", kFraction, 1}, {"FF2", kFraction, 2},
    {"FF3", kFraction, 3}, {"FF4", kFraction, 4}, {"FF5", kFraction, 5}, {"FF6", kFraction, 6},
    {"FX", kFx, 0}, {"HH24", kHour24, 0}, {"HH12", kHour12, 0}, {"HH", kHour12, 0},
    {"IDDD", kIsoDayOfYear, 0}, {"ID", kIsoDayOfWeek, 0}, {"IW", kIsoWeek, 0}, {"IYYY", kIsoYear4, 0},
    {"IYY", kIsoYear3, 0}, {"IY", kIsoYear2, 0}, {"I", kIsoYear1, 0}, {"J", kJulian, 0},
    {"MI", kMinute, 0}, {"MM", kMonthNumber, 0}, {"MONTH", kMonthName, 'U'}, {"MON", kMonthAbbr, 'U'},
    {"MS", kMillis, 0}, {"Month", kMonthName, 'C'}, {"Mon", kMonthAbbr, 'C'}, {"OF", kOffset, 0},
    {"P.M.", kMeridiemDots, 'U'}, {"PM", kMeridiem, 'U'}, {"Q", kQuarter, 0}, {"RM", kRomanMonth, 'U'},
    {"SSSSS", kSecondsOfDay, 0}, {"SSSS", kSecondsOfDay, 0}, {"SS", kSecond, 0}, {"TZH", kTzHour, 0},
    {"TZM", kTzMinute, 0}, {"TZ", kTzName, 'U'}, {"US", kMicros, 0}, {"WW", kWeekOfYear, 0},
    {"W", kWeekOfMonth, 0}, {"Y,YYY", kYearComma, 0}, {"YYYY", kYear4, 0}, {"YYY", kYear3, 0},
    {"YY", kYear2, 0}, {"Y", kYear1, 0}, {"a.d.", kEraDots, 'L'}, {"a.m.", kMeridiemDots, 'L'},
    {"ad", kEra, 'L'}, {"am", kMeridiem, 'L'}, {"b.c.", kEraDots, 'L'}, {"bc", kEra, 'L'},
    {"cc", kCentury, 0}, {"day", kDayName, 'L'}, {"ddd", kDayOfYear, 0}, {"dd", kDayOfMonth, 0},
    {"dy", kDayAbbr, 'L'}, {"d", kDayOfWeek, 0}, {"ff1", kFraction, 1}, {"ff2", kFraction, 2},
    {"ff3", kFraction, 3}, {"ff4", kFraction, 4}, {"ff5", kFraction, 5}, {"ff6", kFraction, 6},
    {"fx", kFx, 0}, {"hh24", kHour24, 0}, {"hh12", kHour12, 0}, {"hh", kHour12, 0},
    {"iddd", kIsoDayOfYear, 0}, {"id", kIsoDayOfWeek, 0}, {"iw", kIsoWeek, 0}, {"iyyy", kIsoYear4, 0},
    {"iyy", kIsoYear3, 0}, {"iy", kIsoYear2, 0}, {"i", kIsoYear1, 0}, {"j", kJulian, 0},
    {"mi", kMinute, 0}, {"mm", kMonthNumber, 0}, {"month", kMonthName, 'L'}, {"mon", kMonthAbbr, 'L'},
    {"ms", kMillis, 0}, {"of", kOffset, 0}, {"p.m.", kMeridiemDots, 'L'}, {"pm", kMeridiem, 'L'},
    {"q", kQuarter, 0}, {"rm", kRomanMonth, 'L'}, {"sssss", kSecondsOfDay, 0}, {"ssss", kSecondsOfDay, 0},
    {"ss", kSecond, 0}, {"tzh", kTzHour, 0}, {"tzm", kTzMinute, 0}, {"tz", kTzName, 'L'},
    {"us", kMicros, 0}, {"ww", kWeekOfYear, 0}, {"w", kWeekOfMonth, 0}, {"y,yyy", kYearComma, 0},
    {"yyyy", kYear4, 0}, {"yyy", kYear3, 0}, {"yy", kYear2, 0}, {"y", kYear1, 0},
};

const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                               "July",    "August",   "September", "October", "November", "December"};
const char* const kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
const char* const kRomanMonths[] = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"};

// The broken-down time of a timestamptz in UTC.
struct Tm {
  int64_t year;  // astronomical: 0 is 1 BC
  int64_t month, mday, hour, minute, second, micros, wday /* 0 = Sunday */, yday, days /* since 1970 */;
  int64_t iso_week, iso_year;
};

Tm BreakDown(int64_t us) {
  Tm t{};
  t.days = internal::FloorDiv(us, kMicrosPerDay);
  int64_t tod = us - t.days * kMicrosPerDay;
  unsigned m, d;
  CivilFromDays(t.days, &t.year, &m, &d);
  t.month = m;
  t.mday = d;
  t.hour = tod / kMicrosPerHour;
  t.minute = tod / kMicrosPerMinute % 60;
  t.second = tod / kMicrosPerSecond % 60;
  t.micros = tod % kMicrosPerSecond;
  t.wday = internal::FloorMod(t.days + 4, 7);
  t.yday = t.days - DaysFromCivil(t.year, 1, 1) + 1;
  internal::IsoWeek(t.days, t.year, &t.iso_week, &t.iso_year);
  return t;
}

// PostgreSQL's years in to_char count 1 BC as 1 (its ADJUST_YEAR).
int64_t AdYear(int64_t y) { return y <= 0 ? 1 - y : y; }

void FormatDch(const Node& n, const Tm& t, std::string* out) {
  const Keyword& k = *n.key;
  // Numbers: zero-padded to `width` unless FM, then the ordinal suffix.
  auto num = [&](int64_t v, int width) {
    std::string s = n.fm || width == 0 ? fmt::format("{}", v) : fmt::format("{:0{}}", v, width);
    if (n.th) s += Ordinal(s, n.th);
    *out += s;
  };
  // Fixed-width numbers (FM does not apply).
  auto fixed = [&](int64_t v, int width) {
    std::string s = fmt::format("{:0{}}", v, width);
    if (n.th) s += Ordinal(s, n.th);
    *out += s;
  };
  auto name = [&](std::string_view s, int pad) {
    std::string styled = Styled(s, k.style);
    *out += styled;
    if (!n.fm && static_cast<int>(styled.size()) < pad) out->append(static_cast<size_t>(pad) - styled.size(), ' ');
  };
  bool bc = t.year <= 0, pm = t.hour >= 12;
  switch (static_cast<DchItem>(k.item)) {
    case kEra: *out += Styled(bc ? "BC" : "AD", k.style); break;
    case kEraDots: *out += Styled(bc ? "B.C." : "A.D.", k.style); break;
    case kMeridiem: *out += Styled(pm ? "PM" : "AM", k.style); break;
    case kMeridiemDots: *out += Styled(pm ? "P.M." : "A.M.", k.style); break;
    case kCentury: {
      int64_t c = t.year > 0 ? (t.year - 1) / 100 + 1 : t.year / 100 - 1;
      num(c, c >= -99 && c <= 99 ? (c >= 0 ? 2 : 3) : 0);
      break;
    }
    case kDayName: name(kDays[t.wday], n.tm ? 0 : 9); break;
    case kDayAbbr: name(std::string_view(kDays[t.wday]).substr(0, 3), 0); break;
    case kDayOfYear: num(t.yday, 3); break;
    case kDayOfMonth: num(t.mday, 2); break;
    case kDayOfWeek: num(t.wday + 1, 0); break;
    case kFraction: {
      int64_t v = t.micros;
      for (int i = k.style; i < 6; i++) v /= 10;
      fixed(v, k.style);
      break;
    }
    case kFx: break;
    case kHour24: num(t.hour, 2); break;
    case kHour12: num(t.hour % 12 == 0 ? 12 : t.hour % 12, 2); break;
    case kIsoDayOfYear: num((t.iso_week - 1) * 7 + (t.wday == 0 ? 7 : t.wday), 3); break;
    case kIsoDayOfWeek: num(t.wday == 0 ? 7 : t.wday, 0); break;
    case kIsoWeek: num(t.iso_week, 2); break;
    case kIsoYear4: num(AdYear(t.iso_year), 4); break;
    case kIsoYear3: num(AdYear(t.iso_year) % 1000, 3); break;
    case kIsoYear2: num(AdYear(t.iso_year) % 100, 2); break;
    case kIsoYear1: num(AdYear(t.iso_year) % 10, 1); break;
    case kJulian: num(t.days + 2440588, 0); break;
    case kMinute: num(t.minute, 2); break;
    case kMonthNumber: num(t.month, 2); break;
    case kMonthName: name(kMonths[t.month - 1], n.tm ? 0 : 9); break;
    case kMonthAbbr: name(std::string_view(kMonths[t.month - 1]).substr(0, 3), 0); break;
    case kMillis: fixed(t.micros / 1000, 3); break;
    case kOffset: *out += n.fm ? "+0" : "+00"; break;  // UTC
    case kQuarter: num((t.month - 1) / 3 + 1, 0); break;
    case kRomanMonth: name(kRomanMonths[t.month - 1], 4); break;
    case kSecondsOfDay: num(t.hour * 3600 + t.minute * 60 + t.second, 0); break;
    case kSecond: num(t.second, 2); break;
    case kTzHour: *out += "+00"; break;
    case kTzMinute: *out += "00"; break;
    case kTzName: *out += k.style == 'L' ? "utc" : "UTC"; break;
    case kMicros: fixed(t.micros, 6); break;
    case kWeekOfYear: num((t.yday - 1) / 7 + 1, 2); break;
    case kWeekOfMonth: num((t.mday - 1) / 7 + 1, 0); break;
    case kYearComma: {
      int64_t y = AdYear(t.year);
      std::string s = fmt::format("{},{:03}", y / 1000, y % 1000);
      if (n.th) s += Ordinal(s, n.th);
      *out += s;
      break;
    }
    case kYear4: num(AdYear(t.year), 4); break;
    case kYear3: num(AdYear(t.year) % 1000, 3); break;
    case kYear2: num(AdYear(t.year) % 100, 2); break;
    case kYear1: num(AdYear(t.year) % 10, 1); break;
  }
}

// ---------------------------------------------------------------------------------------------
// Numbers: PostgreSQL's NUM_processor, as a description of the template (NumDesc) and a writer
// that walks the template over the number's digits.

enum NumItem {
  kComma, kDec, kZero, kNine, kBlank, kC, kLocaleDec, kEeee, kFillMode, kGroup, kCurrency, kMinus, kPlus,
  kBracket, kRoman, kRomanLower, kSignAnywhere, kSpell, kSign, kThUpper, kThLower, kShift,
};

// PostgreSQL's table (formatting.c, NUM_keywords), in its order.
constexpr Keyword kNumKeywords[] = {
    {",", kComma, 0},      {".", kDec, 0},         {"0", kZero, 0},          {"9", kNine, 0},
    {"B", kBlank, 0},      {"C", kC, 0},           {"D", kLocaleDec, 0},     {"EEEE", kEeee, 0},
    {"FM", kFillMode, 0},  {"G", kGroup, 0},       {"L", kCurrency, 0},      {"MI", kMinus, 0},
    {"PL", kPlus, 0},      {"PR", kBracket, 0},    {"RN", kRoman, 0},        {"SG", kSignAnywhere, 0},
    {"SP", kSpell, 0},     {"S", kSign, 0},        {"TH", kThUpper, 0},      {"V", kShift, 0},
    {"b", kBlank, 0},      {"c", kC, 0},           {"d", kLocaleDec, 0},     {"eeee", kEeee, 0},
    {"fm", kFillMode, 0},  {"g", kGroup, 0},       {"l", kCurrency, 0},      {"mi", kMinus, 0},
    {"pl", kPlus, 0},      {"pr", kBracket, 0},    {"rn", kRomanLower, 0},   {"sg", kSignAnywhere, 0},
    {"sp", kSpell, 0},     {"s", kSign, 0},        {"th", kThLower, 0},      {"v", kShift, 0},
};

// What a number template asks for (PostgreSQL's NUMDesc).
struct NumDesc {
  int pre = 0, post = 0;   // digit positions before and after the decimal point
  bool decimal = false, zero = false, blank = false, fill = false, lsign = false, bracket = false;
  bool minus = false, plus = false, roman = false, multi = false, eeee = false;
  int lsign_pos = 0;       // S: -1 before the number, 1 after, 0 none
  int pre_lsign_num = 0;   // pre when S was seen
  int shift = 0;           // V: the power of ten
  int zero_start = 0, zero_end = 0;  // the positions of the first and last 0 (1-based)
};

Status Syntax(std::string_view message) { return InvalidArgument(ErrorCode::kSyntaxError, "{}", message); }

Status Describe(const std::vector<Node>& nodes, NumDesc* d) {
  for (const Node& n : nodes) {
    if (!n.key) continue;
    int item = n.key->item;
    if (d->eeee && item != kEeee) return Syntax("\"EEEE\" must be the last pattern used");
    switch (item) {
      case kNine:
        if (d->bracket) return Syntax("\"9\" must be ahead of \"PR\"");
        if (d->multi) d->shift++;
        else if (d->decimal) d->post++;
        else d->pre++;
        break;
      case kZero:
        if (d->bracket) return Syntax("\"0\" must be ahead of \"PR\"");
        if (!d->zero && !d->decimal) {
          d->zero = true;
          d->zero_start = d->pre + 1;
        }
        if (d->decimal) d->post++;
        else d->pre++;
        d->zero_end = d->pre + d->post;
        break;
      case kBlank:
        if (d->pre == 0 && d->post == 0 && !d->zero) d->blank = true;
        break;
      case kLocaleDec:
      case kDec:
        if (d->decimal) return Syntax("multiple decimal points");
        if (d->multi) return Syntax("cannot use \"V\" and decimal point together");
        d->decimal = true;
        break;
      case kFillMode: d->fill = true; break;
      case kSign:
        if (d->lsign) return Syntax("cannot use \"S\" twice");
        if (d->plus || d->minus || d->bracket) return Syntax("cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together");
        if (!d->decimal) {
          d->lsign_pos = -1;
          d->pre_lsign_num = d->pre;
          d->lsign = true;
        } else if (d->lsign_pos == 0) {
          d->lsign_pos = 1;
          d->lsign = true;
        }
        break;
      case kMinus:
        if (d->lsign) return Syntax("cannot use \"S\" and \"MI\" together");
        d->minus = true;
        break;
      case kPlus:
        if (d->lsign) return Syntax("cannot use \"S\" and \"PL\" together");
        d->plus = true;
        break;
      case kSignAnywhere:
        if (d->lsign) return Syntax("cannot use \"S\" and \"SG\" together");
        d->minus = d->plus = true;
        break;
      case kBracket:
        if (d->lsign || d->plus || d->minus) return Syntax("cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together");
        d->bracket = true;
        break;
      case kRoman:
      case kRomanLower: d->roman = true; break;
      case kShift:
        if (d->decimal) return Syntax("cannot use \"V\" and decimal point together");
        d->multi = true;
        break;
      case kEeee:
        if (d->eeee) return Syntax("cannot use \"EEEE\" twice");
        if (d->blank || d->fill || d->lsign || d->bracket || d->minus || d->plus || d->roman || d->multi)
          return Syntax("\"EEEE\" is incompatible with other formats");
        d->eeee = true;
        break;
      default: break;
    }
  }
  return Status::OK();
}

std::string Roman(int64_t v) {
  if (v < 1 || v > 3999) return std::string(15, '#');
  static const char* kOnes[] = {"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};
  static const char* kTens[] = {"", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"};
  static const char* kHundreds[] = {"", "C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM"};
  return std::string(static_cast<size_t>(v / 1000), 'M') + kHundreds[v / 100 % 10] + kTens[v / 10 % 10] + kOnes[v % 10];
}

// The digits of the number to print (sign apart), the blank positions before them, the sign.
struct NumText {
  std::string digits;  // "1234.50", "####.##", a roman numeral, or the whole EEEE text
  int pre_spaces = 0;
  char sign = '+';
};

// A number too wide for the template: '#' in every digit position.
std::string Overflowed(const NumDesc& d) {
  std::string s(static_cast<size_t>(d.pre + d.post + 1), '#');
  s[static_cast<size_t>(d.pre)] = '.';
  return s;
}

// Fills pre_spaces, or '#'s when the integer part is longer than the template's.
void FitInteger(NumText* t, NumDesc* d) {
  size_t dot = t->digits.find('.');
  int len = static_cast<int>(dot == std::string::npos ? t->digits.size() : dot);
  if (len < d->pre) t->pre_spaces = d->pre - len;
  else if (len > d->pre) t->digits = Overflowed(*d);
}

// Scientific notation as PostgreSQL's numeric prints it: `post` decimals, halves away from zero;
// the exponent is the unrounded number's (9995 with 2 decimals is "10.00e+03", as there).
std::string IntegerSci(int64_t v, int post) {
  uint64_t mag = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  std::string digits = std::to_string(mag);
  int exp = mag == 0 ? 0 : static_cast<int>(digits.size()) - 1;
  size_t keep = static_cast<size_t>(post) + 1;
  std::string lead = "";  // "1" when rounding carries out of the first digit
  if (digits.size() > keep) {
    bool up = digits[keep] >= '5';
    digits.resize(keep);
    for (size_t i = keep; up && i-- > 0;) {
      if (digits[i] == '9') {
        digits[i] = '0';
        if (i == 0) lead = "1";
      } else {
        digits[i]++;
        up = false;
      }
    }
  }
  digits.resize(keep, '0');
  std::string out = v < 0 ? "-" : " ";
  out += lead + digits[0];
  if (post > 0) out += "." + digits.substr(1);
  return out + fmt::format("e{}{:02}", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
}

// printf of one double as PostgreSQL's own snprintf writes it: the C library's digits, but
// "NaN" and "[-]Infinity" for the values without digits.
std::string Printf(const char* format, int precision, double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v < 0 ? "-Infinity" : (format[1] == '+' ? "+Infinity" : "Infinity");
  char buf[512];
  int n = std::snprintf(buf, sizeof buf, format, precision, v);
  if (n >= static_cast<int>(sizeof buf)) {
    std::string big(static_cast<size_t>(n) + 1, '\0');
    std::snprintf(big.data(), big.size(), format, precision, v);
    big.resize(static_cast<size_t>(n));
    return big;
  }
  return std::string(buf, static_cast<size_t>(n));
}

// Writes the template over the number (PostgreSQL's NUM_processor for to_char).
class NumWriter {
 public:
  NumWriter(NumDesc d, NumText t) : d_(d), number_(std::move(t.digits)), pre_spaces_(t.pre_spaces), sign_(t.sign) {}

  Result<std::string> Run(const std::vector<Node>& nodes);

 private:
  // True at the integer part's only digit "0" when decimals follow: it prints as a blank.
  bool PredecimalSpace() const { return !d_.zero && np_ == 0 && !number_.empty() && number_[0] == '0' && d_.post != 0; }
  bool LastRelevantIsDot() const { return last_relevant_ != std::string::npos && number_[last_relevant_] == '.'; }
  // The digit under the cursor; past the end PostgreSQL writes its string's terminating NUL,
  // which ends the output there.
  void Put(char c) {
    if (c == '\0') {
      if (cut_ == std::string::npos) cut_ = out_.size();
      return;
    }
    out_ += c;
  }
  void Digit(int item);

  NumDesc d_;
  std::string number_;
  int pre_spaces_;
  char sign_;
  std::string out_;
  size_t cut_ = std::string::npos;
  size_t np_ = 0;  // the next character of number_
  size_t last_relevant_ = std::string::npos;  // FM: the last decimal digit worth printing
  bool sign_wrote_ = false, num_in_ = false;
  int num_count_ = 0, num_curr_ = 0;
};

void NumWriter::Digit(int item) {
  if (d_.roman) return;
  num_in_ = false;
  if (!sign_wrote_ && (num_curr_ >= pre_spaces_ || (d_.zero && d_.zero_start == num_curr_)) &&
      (!PredecimalSpace() || LastRelevantIsDot())) {
    if (d_.lsign) {
      if (d_.lsign_pos < 0) {
        out_ += sign_ == '-' ? '-' : '+';
        sign_wrote_ = true;
      }
    } else if (d_.bracket) {
      out_ += sign_ == '+' ? ' ' : '<';
      sign_wrote_ = true;
    } else if (sign_ == '+') {
      if (!d_.fill) out_ += ' ';
      sign_wrote_ = true;
    } else if (sign_ == '-') {
      out_ += '-';
      sign_wrote_ = true;
    }
  }
  if (num_curr_ < pre_spaces_ && (d_.zero_start > num_curr_ || !d_.zero)) {
    if (!d_.fill) out_ += ' ';
  } else if (d_.zero && num_curr_ < pre_spaces_ && d_.zero_start <= num_curr_) {
    out_ += '0';
    num_in_ = true;
  } else {
    char c = np_ < number_.size() ? number_[np_] : '\0';
    if (c == '.') {
      out_ += '.';  // FM keeps the point too ("7.")
    } else if (last_relevant_ != std::string::npos && np_ > last_relevant_ && item != kZero) {
      // FM: a trailing zero after the last relevant decimal
    } else if (PredecimalSpace()) {
      if (!d_.fill) out_ += ' ';
      else if (LastRelevantIsDot()) out_ += '0';
    } else {
      Put(c);
      num_in_ = true;
    }
    if (np_ < number_.size()) np_++;
  }
  int end = num_count_ + (pre_spaces_ ? 1 : 0) + (d_.decimal ? 1 : 0);
  if (last_relevant_ != std::string::npos && last_relevant_ == np_) end = num_curr_;
  if (num_curr_ + 1 == end) {
    if (sign_wrote_ && d_.bracket) out_ += sign_ == '+' ? ' ' : '>';
    else if (d_.lsign && d_.lsign_pos > 0) out_ += sign_ == '-' ? '-' : '+';
  }
  num_curr_++;
}

Result<std::string> NumWriter::Run(const std::vector<Node>& nodes) {
  if (d_.zero_start) d_.zero_start--;
  if (d_.eeee) return std::move(number_);  // the whole output, as PostgreSQL's
  if (d_.roman) {
    bool fill = d_.fill;
    d_ = NumDesc{};
    d_.fill = fill;
    d_.roman = true;
    pre_spaces_ = 0;
    sign_ = 0;
  }
  if (d_.plus || d_.minus) {
    sign_wrote_ = !(d_.plus && !d_.minus);  // PL alone writes the sign through the digits too
  } else {
    if (sign_ != '-' && d_.fill) d_.bracket = false;
    sign_wrote_ = sign_ == '+' && d_.fill && !d_.lsign;
    if (d_.lsign_pos < 0 && d_.pre == d_.pre_lsign_num) d_.lsign_pos = 1;  // S after the digits
  }
  num_count_ = d_.post + d_.pre - 1;
  if (d_.fill && d_.decimal) {
    size_t dot = number_.find('.');
    if (dot != std::string::npos) {
      last_relevant_ = dot;
      for (size_t i = dot + 1; i < number_.size(); i++)
        if (number_[i] != '0') last_relevant_ = i;
      if (d_.zero_end > pre_spaces_) {  // keep the digits a 0 asks for
        size_t last_zero = std::min(number_.size() - 1, static_cast<size_t>(d_.zero_end - pre_spaces_));
        if (last_relevant_ < last_zero) last_relevant_ = last_zero;
      }
    }
  }
  if (!sign_wrote_ && pre_spaces_ == 0) num_count_++;
  for (const Node& n : nodes) {
    if (!n.key) {
      out_ += n.text;
      continue;
    }
    switch (n.key->item) {
      case kNine:
      case kZero:
      case kDec:
      case kLocaleDec: Digit(n.key->item); break;
      case kComma:
      case kGroup:
        if (num_in_) out_ += ',';
        else if (!d_.fill) out_ += ' ';
        break;
      case kCurrency: out_ += ' '; break;  // the C locale's currency symbol
      case kRoman:
      case kRomanLower: {
        std::string r = n.key->item == kRoman ? number_ : Styled(number_, 'L');
        if (!d_.fill && r.size() < 15) out_.append(15 - r.size(), ' ');
        out_ += r;
        break;
      }
      case kThUpper:
      case kThLower:
        if (d_.roman || number_.empty() || number_[0] == '#' || sign_ == '-' || d_.decimal) break;
        if (number_.back() < '0' || number_.back() > '9')  // no digit positions: "."
          return InvalidArgument(ErrorCode::kInvalidTextRepresentation, "\"{}\" is not a number", number_);
        out_ += Ordinal(number_, n.key->item == kThUpper ? 1 : 2);
        break;
      case kMinus:
        if (sign_ == '-') out_ += '-';
        else if (!d_.fill) out_ += ' ';
        break;
      case kPlus:
        if (sign_ == '+') out_ += '+';
        else if (!d_.fill) out_ += ' ';
        break;
      case kSignAnywhere:
        if (sign_) out_ += sign_;
        else Put('\0');
        break;
      default: break;  // S, PR (written with the digits), B, FM, V, SP, C
    }
  }
  if (cut_ != std::string::npos) out_.resize(cut_);
  return std::move(out_);
}

Result<std::vector<Node>> NumTemplate(std::string_view fmt, NumDesc* d) {
  std::vector<Node> nodes = ParseTemplate(fmt, kNumKeywords, std::size(kNumKeywords), /*dch=*/false);
  RETURN_IF_ERROR(Describe(nodes, d));
  return nodes;
}

}  // namespace

std::optional<std::string> ToCharTimestamp(int64_t micros, std::string_view fmt) {
  if (fmt.empty()) return std::nullopt;
  std::vector<Node> nodes = ParseTemplate(fmt, kDchKeywords, std::size(kDchKeywords), /*dch=*/true);
  Tm t = BreakDown(micros);
  std::string out;
  for (const Node& n : nodes) {
    if (n.key) FormatDch(n, t, &out);
    else out += n.text;
  }
  return out;
}

Result<std::string> ToCharInt(int64_t value, std::string_view fmt) {
  if (fmt.empty()) return std::string();
  NumDesc d;
  ASSIGN_OR_RETURN(std::vector<Node> nodes, NumTemplate(fmt, &d));
  NumText t;
  if (d.roman) {
    if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max())
      return InvalidArgument(ErrorCode::kNumericValueOutOfRange, "integer out of range");  // PostgreSQL 15's int8 → int4
    t.digits = Roman(value);
  } else if (d.eeee) {
    t.digits = IntegerSci(value, d.post);
  } else {
    if (d.multi) {
      double m = std::pow(10.0, d.shift);
      if (!(m < 9223372036854775808.0) || __builtin_mul_overflow(value, static_cast<int64_t>(m), &value))
        return InvalidArgument(ErrorCode::kNumericValueOutOfRange, "bigint out of range");
      d.pre += d.shift;
    }
    std::string digits = std::to_string(value);
    if (value < 0) {
      t.sign = '-';
      digits.erase(0, 1);
    }
    if (d.post) digits += "." + std::string(static_cast<size_t>(d.post), '0');
    t.digits = std::move(digits);
    FitInteger(&t, &d);
  }
  return NumWriter(d, std::move(t)).Run(nodes);
}

Result<std::string> ToCharDouble(double value, std::string_view fmt) {
  if (fmt.empty()) return std::string();
  NumDesc d;
  ASSIGN_OR_RETURN(std::vector<Node> nodes, NumTemplate(fmt, &d));
  NumText t;
  if (d.roman) {
    double r = std::rint(value);
    bool fits = !std::isnan(r) && r >= -2147483648.0 && r < 2147483648.0;
    t.digits = Roman(fits ? static_cast<int64_t>(r) : std::numeric_limits<int32_t>::max());
  } else if (d.eeee) {
    if (std::isnan(value) || std::isinf(value)) {
      t.digits.assign(static_cast<size_t>(d.pre + d.post + 6), '#');
      t.digits[0] = ' ';
      t.digits[static_cast<size_t>(d.pre) + 1] = '.';
    } else {
      t.digits = Printf("%+.*e", d.post, value);
      if (t.digits[0] == '+') t.digits[0] = ' ';
    }
  } else {
    double v = value;
    if (d.multi) {
      v = value * std::pow(10.0, d.shift);
      d.pre += d.shift;
    }
    // At most DBL_DIG (15) significant digits, as PostgreSQL prints them.
    int int_len = static_cast<int>(Printf("%.*f", 0, std::fabs(v)).size());
    if (int_len >= DBL_DIG) d.post = 0;
    else if (int_len + d.post > DBL_DIG) d.post = DBL_DIG - int_len;
    std::string digits = Printf("%.*f", d.post, v);
    if (!digits.empty() && digits[0] == '-') {
      t.sign = '-';
      digits.erase(0, 1);
    }
    t.digits = std::move(digits);
    FitInteger(&t, &d);
  }
  return NumWriter(d, std::move(t)).Run(nodes);
}

}  // namespace laminar::sql
