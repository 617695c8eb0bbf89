// The time functions: to_timestamp, date_bin, to_char (sql/to_char.h) of timestamps and numbers,
// and extract / date_part (ExprKind::kExtract) with the ISO week arithmetic they share. date_trunc
// is common/time_util.h's DateTrunc.
#include <cmath>

#include "common/time_util.h"
#include "sql/func_internal.h"
#include "sql/time_zone.h"
#include "sql/to_char.h"

namespace laminar::sql::internal {
namespace {

// date_bin(stride, ts, origin): the start of the stride-wide bin, counted from origin, that holds
// ts (PostgreSQL's timestamptz_bin; the stride has no months, as the binder checked).
Value DateBin(int64_t stride, int64_t ts, int64_t origin) {
  if (stride <= 0) return EvalError(ErrorCode::kDatetimeFieldOverflow, "stride must be greater than zero");
  int64_t diff, r;
  if (__builtin_sub_overflow(ts, origin, &diff)) return EvalError(ErrorCode::kDatetimeFieldOverflow, "interval out of range");
  if (__builtin_add_overflow(origin, diff - FloorMod(diff, stride), &r))
    return EvalError(ErrorCode::kDatetimeFieldOverflow, "timestamp out of range");
  return Value::Timestamp(r);
}

// ts AT TIME ZONE zone (the binder checked that the zone exists).
Value AtTimeZone(int64_t ts, const std::string& zone, bool from_local) {
  auto r = from_local ? LocalToInstant(ts, zone) : InstantToLocal(ts, zone);
  if (!r) return EvalError(ErrorCode::kInvalidParameterValue, "time zone \"{}\" not recognized", zone);
  return Value::Timestamp(*r);
}

Value ToChar(const Expr& e, const Value& v, const std::string& fmt) {
  switch (e.children[0]->type) {
    case Type::kTimestamp: {
      auto s = ToCharTimestamp(v.as_int(), fmt);
      return s ? Value::Text(std::move(*s)) : Value::Null();
    }
    case Type::kInt64:
    case Type::kDouble: {
      auto s = e.children[0]->type == Type::kInt64 ? ToCharInt(v.as_int(), fmt) : ToCharDouble(v.as_double(), fmt);
      if (!s.ok()) return EvalError(s.status().error_code(), "{}", s.status().message());
      return Value::Text(std::move(*s));
    }
    default: return Value::Null();  // the binder allows no other type
  }
}

}  // namespace

// ISO-8601 week number and year of a civil date.
void IsoWeek(int64_t days, int64_t y, int64_t* week, int64_t* iso_year) {
  int64_t dow = FloorMod(days + 4, 7);  // 0 = Sunday (1970-01-01 was a Thursday)
  int64_t isodow = dow == 0 ? 7 : dow;
  int64_t doy = days - DaysFromCivil(y, 1, 1) + 1;
  int64_t w = FloorDiv(doy - isodow + 10, 7);
  if (w < 1) {
    *iso_year = y - 1;
    *week = IsoWeeksInYear(y - 1);
  } else if (w > IsoWeeksInYear(y)) {
    *iso_year = y + 1;
    *week = 1;
  } else {
    *iso_year = y;
    *week = w;
  }
}

int64_t IsoWeeksInYear(int64_t y) {
  int64_t dec28 = DaysFromCivil(y, 12, 28);  // always in the year's last ISO week
  int64_t dow = FloorMod(dec28 + 4, 7);
  int64_t isodow = dow == 0 ? 7 : dow;
  int64_t doy = dec28 - DaysFromCivil(y, 1, 1) + 1;
  return FloorDiv(doy - isodow + 10, 7);
}

Value Extract(DatePart f, int64_t us) {
  int64_t days = FloorDiv(us, kMicrosPerDay);
  int64_t tod = us - days * kMicrosPerDay;
  int64_t sec_us = tod % kMicrosPerMinute;  // microseconds within the minute
  switch (f) {
    case DatePart::kHour: return Value::Double(static_cast<double>(tod / kMicrosPerHour));
    case DatePart::kMinute: return Value::Double(static_cast<double>((tod / kMicrosPerMinute) % 60));
    case DatePart::kSecond: return Value::Double(static_cast<double>(sec_us) / 1e6);
    case DatePart::kMilliseconds: return Value::Double(static_cast<double>(sec_us) / 1e3);
    case DatePart::kMicroseconds: return Value::Double(static_cast<double>(sec_us));
    case DatePart::kEpoch: return Value::Double(static_cast<double>(us) / 1e6);
    case DatePart::kTimezone:
    case DatePart::kTimezoneHour:
    case DatePart::kTimezoneMinute: return Value::Double(0);
    case DatePart::kDow:
    case DatePart::kIsoDow: {
      int64_t dow = FloorMod(days + 4, 7);
      if (f == DatePart::kIsoDow && dow == 0) dow = 7;
      return Value::Double(static_cast<double>(dow));
    }
    default: break;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);  // y: astronomical (0 = 1 BC)
  switch (f) {
    case DatePart::kYear: return Value::Double(static_cast<double>(y > 0 ? y : y - 1));
    case DatePart::kQuarter: return Value::Double(static_cast<double>((m - 1) / 3 + 1));
    case DatePart::kMonth: return Value::Double(m);
    case DatePart::kDay: return Value::Double(d);
    case DatePart::kDoy: return Value::Double(static_cast<double>(days - DaysFromCivil(y, 1, 1) + 1));
    case DatePart::kWeek:
    case DatePart::kIsoYear: {
      int64_t week, iso_year;
      IsoWeek(days, y, &week, &iso_year);
      if (f == DatePart::kWeek) return Value::Double(static_cast<double>(week));
      return Value::Double(static_cast<double>(iso_year > 0 ? iso_year : iso_year - 1));
    }
    case DatePart::kDecade:
      return Value::Double(static_cast<double>(y >= 0 ? y / 10 : -((8 - (y - 1)) / 10)));
    case DatePart::kCentury:
      return Value::Double(static_cast<double>(y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100)));
    case DatePart::kMillennium:
      return Value::Double(static_cast<double>(y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000)));
    default: break;
  }
  return Value::Null();
}


Value EvalTimeFunc(const Expr& e, const Value* const* args, size_t n) {
  switch (e.func) {
    case Func::kToTimestamp: {
      double x = args[0]->numeric();
      if (std::isnan(x)) return EvalError(ErrorCode::kDatetimeFieldOverflow, "timestamp cannot be NaN");
      // PostgreSQL's range: 4714-11-24 BC to 294276 AD.
      if (!(x >= -210866803200.0 && x < 9224318016000.0))
        return EvalError(ErrorCode::kDatetimeFieldOverflow, "timestamp out of range: \"{:g}\"", x);
      return Value::Timestamp(static_cast<int64_t>(std::rint(x * 1e6)));
    }
    case Func::kDateBin: return DateBin(args[0]->as_int(), args[1]->as_int(), args[2]->as_int());
    case Func::kToChar: return ToChar(e, *args[0], args[1]->as_text());
    case Func::kAtTimeZone: return AtTimeZone(args[0]->as_int(), args[1]->as_text(), e.children[0]->shape.local_time);
    default: break;
  }
  (void)n;
  return Value::Null();
}

}  // namespace laminar::sql::internal
