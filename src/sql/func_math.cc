// The mathematical functions of sql::Func: abs, round/trunc/floor/ceil, mod, sqrt, power, ln, log,
// exp, sign, trigonometric and hyperbolic functions, radians/degrees, cbrt, log(b, x),
// width_bucket, gcd and lcm. Domain checks and messages are PostgreSQL 15's (float.c, numeric.c,
// int8.c).
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "sql/func_internal.h"

namespace laminar::sql::internal {
namespace {

// PostgreSQL's constant, so that radians() and degrees() round as there.
constexpr double kRadiansPerDegree = 0.0174532925199432957692;

Value OutOfRange() { return EvalError(ErrorCode::kNumericValueOutOfRange, "input is out of range"); }
Value Overflow() { return EvalError(ErrorCode::kNumericValueOutOfRange, "value out of range: overflow"); }
Value Underflow() { return EvalError(ErrorCode::kNumericValueOutOfRange, "value out of range: underflow"); }

// sin, cos, tan, cot: NaN gives NaN; an infinite argument (or one the C library reports through
// errno) is out of range.
Value Trig(Func f, double x) {
  if (std::isnan(x)) return Value::Double(x);
  errno = 0;
  double r = f == Func::kSin ? std::sin(x) : f == Func::kCos ? std::cos(x) : std::tan(x);
  if (errno != 0 || std::isinf(x)) return OutOfRange();
  if (f == Func::kCot) return Value::Double(1.0 / r);  // cot(0) is Infinity, as in PostgreSQL
  if (std::isinf(r) && f != Func::kTan) return Overflow();  // tan(pi/2) may be infinite
  return Value::Double(r);
}

Value InverseTrig(Func f, double x) {
  if (std::isnan(x)) return Value::Double(x);
  if (f != Func::kAtan && (x < -1.0 || x > 1.0)) return OutOfRange();
  double r = f == Func::kAsin ? std::asin(x) : f == Func::kAcos ? std::acos(x) : std::atan(x);
  if (std::isinf(r)) return Overflow();
  return Value::Double(r);
}

Value Hyperbolic(Func f, double x) {
  switch (f) {
    case Func::kSinh: return Value::Double(std::sinh(x));  // ±Infinity past the range, no error
    case Func::kCosh: {
      double r = std::cosh(x);
      if (r == 0.0) return Underflow();
      return Value::Double(r);
    }
    case Func::kTanh: return Value::Double(std::tanh(x));
    case Func::kAsinh: return Value::Double(std::asinh(x));
    case Func::kAcosh:
      if (x < 1.0) return OutOfRange();  // NaN passes: acosh(NaN) is NaN
      return Value::Double(std::acosh(x));
    case Func::kAtanh:
      if (x < -1.0 || x > 1.0) return OutOfRange();
      if (x == -1.0) return Value::Double(-std::numeric_limits<double>::infinity());
      if (x == 1.0) return Value::Double(std::numeric_limits<double>::infinity());
      return Value::Double(std::atanh(x));
    default: return Value::Null();
  }
}

// log(b, x). PostgreSQL computes it in numeric (about 16 significant digits); the quotient of the
// natural logarithms in extended precision, rounded once to a double, gives the double closest to
// that in practice (log(10, 1000) is 3, not 2.9999999999999996).
Value LogBase(double b, double x) {
  if (std::isnan(b) || std::isnan(x)) return Value::Double(std::numeric_limits<double>::quiet_NaN());
  for (double v : {b, x}) {
    if (v < 0) return EvalError(ErrorCode::kInvalidArgumentForLog, "cannot take logarithm of a negative number");
    if (v == 0) return EvalError(ErrorCode::kInvalidArgumentForLog, "cannot take logarithm of zero");
  }
  if (std::isinf(b)) return Value::Double(std::isinf(x) ? std::numeric_limits<double>::quiet_NaN() : 0.0);
  if (std::isinf(x)) return Value::Double(x);
  long double lb = std::log(static_cast<long double>(b));
  if (lb == 0) return Value::Null();  // base 1: PostgreSQL's division by zero (NULL here, as x / 0)
  return Value::Double(static_cast<double>(std::log(static_cast<long double>(x)) / lb));
}

// width_bucket(x, lo, hi, count): PostgreSQL 15's float8 version, count * (x - lo) / (hi - lo) + 1
// truncated to an integer (in that order of rounding).
Value WidthBucket(double x, double lo, double hi, int64_t count) {
  auto bad = [](const char* what) { return EvalError(ErrorCode::kInvalidArgumentForWidthBucket, "{}", what); };
  if (count <= 0) return bad("count must be greater than zero");
  if (count > std::numeric_limits<int32_t>::max())
    return EvalError(ErrorCode::kNumericValueOutOfRange, "integer out of range");  // count is an integer there
  if (std::isnan(x) || std::isnan(lo) || std::isnan(hi)) return bad("operand, lower bound, and upper bound cannot be NaN");
  if (std::isinf(lo) || std::isinf(hi)) return bad("lower and upper bounds must be finite");
  if (lo == hi) return bad("lower bound cannot equal upper bound");
  bool ascending = lo < hi;
  if (ascending ? x < lo : x > lo) return Value::Int(0);
  if (ascending ? x >= hi : x <= hi) {
    if (count == std::numeric_limits<int32_t>::max()) return EvalError(ErrorCode::kNumericValueOutOfRange, "integer out of range");
    return Value::Int(count + 1);
  }
  double r = static_cast<double>(count) * (ascending ? x - lo : lo - x) / (ascending ? hi - lo : lo - hi) + 1;
  // A quotient past the integers (the range's width overflowed) converts as the x86 instruction
  // PostgreSQL's (int) cast compiles to does: to INT_MIN.
  if (!(r >= -2147483648.0 && r < 2147483648.0)) return Value::Int(std::numeric_limits<int32_t>::min());
  return Value::Int(static_cast<int32_t>(r));
}

// gcd of |a| and |b|, which may be 2^63 (then bigint out of range).
bool Gcd(int64_t a, int64_t b, uint64_t* out) {
  uint64_t x = a < 0 ? 0 - static_cast<uint64_t>(a) : static_cast<uint64_t>(a);
  uint64_t y = b < 0 ? 0 - static_cast<uint64_t>(b) : static_cast<uint64_t>(b);
  while (y != 0) {
    uint64_t t = x % y;
    x = y;
    y = t;
  }
  *out = x;
  return x <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
}

Value BigintOutOfRange() { return EvalError(ErrorCode::kNumericValueOutOfRange, "bigint out of range"); }

// round/trunc(x, n) as PostgreSQL computes them for x::numeric: x is first read as a decimal of
// 15 significant digits (float8 → numeric), then rounded (half away from zero) or truncated at
// n decimal places (n < 0: left of the point).
double DecimalRound(double x, int64_t n, bool truncate) {
  if (!std::isfinite(x) || x == 0) return x;
  if (n > 400) n = 400;
  if (n < -400) n = -400;
  char buf[40];
  auto printed = std::to_chars(buf, buf + sizeof buf - 1, x, std::chars_format::scientific, 14);
  *printed.ptr = '\0';  // "-d.dddddddddddddde±XX"
  bool neg = buf[0] == '-';
  const char* p = buf + (neg ? 1 : 0);
  int digits[16];
  int nd = 0;
  const char* q = p;
  for (; *q && *q != 'e'; q++)
    if (*q >= '0' && *q <= '9') digits[nd++] = *q - '0';
  int exp = std::atoi(q + 1);  // value = d0.d1d2... × 10^exp
  // Digit k weighs 10^(exp-k); keep the digits weighing at least 10^-n.
  int64_t keep = static_cast<int64_t>(exp) + n + 1;
  if (keep > nd) keep = nd;
  bool up = false;
  if (keep < 0) return 0.0;
  if (!truncate && keep < nd) up = digits[keep] >= 5;
  int kept[17];
  for (int64_t i = 0; i < keep; i++) kept[i + 1] = digits[i];
  kept[0] = 0;
  if (up) {
    int64_t i = keep;
    while (true) {
      if (++kept[i] < 10) break;
      kept[i] = 0;
      i--;
    }
  }
  // kept[0..keep] × 10^(exp+1-keep... ): kept[i] weighs 10^(exp - i + 1).
  char out[48];
  int len = 0;
  if (neg) out[len++] = '-';
  bool any = false;
  for (int64_t i = 0; i <= keep; i++) {
    if (!any && kept[i] == 0) continue;
    any = true;
    out[len++] = static_cast<char>('0' + kept[i]);
  }
  if (!any) return 0.0;
  // The last emitted digit is kept[keep], which weighs 10^(exp - keep + 1).
  out[len++] = 'e';
  len = static_cast<int>(std::to_chars(out + len, out + sizeof out, exp - keep + 1).ptr - out);
  double r = 0;
  std::from_chars(out, out + len, r);
  return r;
}

Value Power(double x, double y) {
  if (std::isnan(x)) return Value::Double(y == 0 ? 1.0 : x);
  if (std::isnan(y)) return Value::Double(x == 1 ? 1.0 : y);
  if (x == 0 && y < 0)
    return EvalError(ErrorCode::kInvalidArgumentForPower, "zero raised to a negative power is undefined");
  if (x < 0 && std::floor(y) != y && std::isfinite(y))
    return EvalError(ErrorCode::kInvalidArgumentForPower,
                     "a negative number raised to a non-integer power yields a complex result");
  double r = std::pow(x, y);
  if (std::isinf(r) && std::isfinite(x) && std::isfinite(y))
    return EvalError(ErrorCode::kNumericValueOutOfRange, "value out of range: overflow");
  if (r == 0 && x != 0 && std::isfinite(x) && std::isfinite(y))
    return EvalError(ErrorCode::kNumericValueOutOfRange, "value out of range: underflow");
  return Value::Double(r);
}

}  // namespace

Value EvalMathFunc(const Expr& e, const Value* const* args, size_t n) {
  auto d = [&](size_t i) { return args[i]->numeric(); };
  const Value& a = *args[0];
  switch (e.func) {
    case Func::kAbs:
      if (e.type == Type::kInt64) {
        if (a.as_int() == INT64_MIN) return BigintOutOfRange();
        return Value::Int(a.as_int() < 0 ? -a.as_int() : a.as_int());
      }
      return Value::Double(std::fabs(a.as_double()));
    case Func::kRound:
    case Func::kTrunc:
      if (n > 1) return Value::Double(DecimalRound(a.numeric(), args[1]->as_int(), e.func == Func::kTrunc));
      if (e.type == Type::kInt64) return a;
      return Value::Double(e.func == Func::kRound ? std::round(a.as_double()) : std::trunc(a.as_double()));
    case Func::kFloor:
      if (e.type == Type::kInt64) return a;
      return Value::Double(std::floor(a.as_double()));
    case Func::kCeil:
      if (e.type == Type::kInt64) return a;
      return Value::Double(std::ceil(a.as_double()));
    case Func::kMod:  // x % 0 is NULL (docs/sql.md); x % -1 is 0, also for the smallest bigint
      if (e.type == Type::kInt64) {
        int64_t y = args[1]->as_int();
        if (y == 0) return Value::Null();
        return Value::Int(y == -1 ? 0 : a.as_int() % y);
      }
      if (d(1) == 0) return Value::Null();
      return Value::Double(std::fmod(d(0), d(1)));
    case Func::kSqrt: {
      double x = a.numeric();
      if (x < 0) return EvalError(ErrorCode::kInvalidArgumentForPower, "cannot take square root of a negative number");
      return Value::Double(std::sqrt(x));
    }
    case Func::kPower: return Power(d(0), d(1));
    case Func::kLn:
    case Func::kLog10: {
      double x = a.numeric();
      if (x == 0) return EvalError(ErrorCode::kInvalidArgumentForLog, "cannot take logarithm of zero");
      if (x < 0) return EvalError(ErrorCode::kInvalidArgumentForLog, "cannot take logarithm of a negative number");
      return Value::Double(e.func == Func::kLn ? std::log(x) : std::log10(x));
    }
    case Func::kExp: {
      double x = a.numeric(), r = std::exp(x);
      if (std::isinf(r) && !std::isinf(x))
        return EvalError(ErrorCode::kNumericValueOutOfRange, "value out of range: overflow");
      if (r == 0 && !std::isinf(x))
        return EvalError(ErrorCode::kNumericValueOutOfRange, "value out of range: underflow");
      return Value::Double(r);
    }
    case Func::kSign: {
      double x = a.numeric();
      return Value::Double(x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0));
    }
    case Func::kSin:
    case Func::kCos:
    case Func::kTan:
    case Func::kCot: return Trig(e.func, d(0));
    case Func::kAsin:
    case Func::kAcos:
    case Func::kAtan: return InverseTrig(e.func, d(0));
    case Func::kAtan2: {
      double y = d(0), x = d(1);
      if (std::isnan(y) || std::isnan(x)) return Value::Double(std::numeric_limits<double>::quiet_NaN());
      double r = std::atan2(y, x);
      if (std::isinf(r)) return Overflow();
      return Value::Double(r);
    }
    case Func::kSinh:
    case Func::kCosh:
    case Func::kTanh:
    case Func::kAsinh:
    case Func::kAcosh:
    case Func::kAtanh: return Hyperbolic(e.func, d(0));
    case Func::kRadians: {
      double x = d(0), r = x * kRadiansPerDegree;
      if (std::isinf(r) && !std::isinf(x)) return Overflow();
      if (r == 0.0 && x != 0.0) return Underflow();
      return Value::Double(r);
    }
    case Func::kDegrees: {
      double x = d(0), r = x / kRadiansPerDegree;
      if (std::isinf(r) && !std::isinf(x)) return Overflow();
      if (r == 0.0 && x != 0.0) return Underflow();
      return Value::Double(r);
    }
    case Func::kCbrt: {
      double x = d(0), r = std::cbrt(x);
      if (std::isinf(r) && !std::isinf(x)) return Overflow();
      if (r == 0.0 && x != 0.0) return Underflow();
      return Value::Double(r);
    }
    case Func::kLogBase: return LogBase(d(0), d(1));
    case Func::kWidthBucket: return WidthBucket(d(0), d(1), d(2), args[3]->as_int());
    case Func::kGcd: {
      uint64_t g;
      if (!Gcd(args[0]->as_int(), args[1]->as_int(), &g)) return BigintOutOfRange();
      return Value::Int(static_cast<int64_t>(g));
    }
    case Func::kLcm: {
      int64_t a = args[0]->as_int(), b = args[1]->as_int();
      if (a == 0 || b == 0) return Value::Int(0);
      uint64_t g;
      if (!Gcd(a, b, &g)) return BigintOutOfRange();
      int64_t r;
      if (__builtin_mul_overflow(a / static_cast<int64_t>(g), b, &r) || r == std::numeric_limits<int64_t>::min())
        return BigintOutOfRange();
      return Value::Int(r < 0 ? -r : r);
    }
    default: break;
  }
  return Value::Null();
}

}  // namespace laminar::sql::internal
