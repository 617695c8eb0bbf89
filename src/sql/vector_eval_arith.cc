// Value kernels: arithmetic (bigint, double precision, timestamptz ± interval), negation, casts
// between numbers, booleans and text, date_trunc and extract. Semantics are sql::Eval's (expr.cc):
// bigint overflow is NULL and "bigint out of range"; division or modulo by zero is NULL without
// an error; float8 results check overflow and underflow as PostgreSQL does.
#include <charconv>
#include <cmath>

#include "common/time_util.h"
#include "sql/vector_eval_internal.h"

namespace laminar::sql::vec {

using sql::ArithOp;
using sql::Expr;
using sql::ExprKind;

namespace {

template <typename T>
struct VecGet {
  const T* p;
  T operator()(uint32_t i) const { return p[i]; }
};
template <typename T>
struct ConstGet {
  T v;
  T operator()(uint32_t) const { return v; }
};
struct ValidVec {
  const uint8_t* p;
  bool operator()(uint32_t i) const { return p[i] != 0; }
};
struct ValidAll {
  bool operator()(uint32_t) const { return true; }
};

bool IsIntLike(Type t) { return t == Type::kInt64 || t == Type::kTimestamp || t == Type::kBool; }

Type OperandType(const Operand& op) {
  return op.constant ? (op.constant->is_null() ? op.type : op.constant->type()) : op.vec->type();
}

// Turns a constant operand into a vector over the rows `sel` (for constant-only expressions,
// which the binder folds, so rarely).
void Materialize(Operand* op, const Sel& sel, size_t rows) {
  if (!op->constant) return;
  const Value& v = *op->constant;
  Type t = v.is_null() ? op->type : v.type();
  InitOut(&op->tmp, t, rows);
  ForEach(sel, [&](uint32_t i) { op->tmp.Set(i, v); });
  op->vec = &op->tmp;
  op->constant = nullptr;
}

// Calls f(get_a, get_b, valid_a, valid_b) with getters for the operands' shapes. At most one
// operand is constant.
template <typename T, typename F>
void WithShapes(const Operand& a, const T* xa, T ca, const Operand& b, const T* xb, T cb, F&& f) {
  if (a.is_const()) f(ConstGet<T>{ca}, VecGet<T>{xb}, ValidAll{}, ValidVec{b.vec->validity()});
  else if (b.is_const()) f(VecGet<T>{xa}, ConstGet<T>{cb}, ValidVec{a.vec->validity()}, ValidAll{});
  else f(VecGet<T>{xa}, VecGet<T>{xb}, ValidVec{a.vec->validity()}, ValidVec{b.vec->validity()});
}

// ----- bigint

enum Outcome { kOk, kNull, kError };

template <ArithOp kOp>
inline Outcome IntOp(int64_t x, int64_t y, int64_t* r) {
  switch (kOp) {
    case ArithOp::kAdd: return __builtin_add_overflow(x, y, r) ? kError : kOk;
    case ArithOp::kSub: return __builtin_sub_overflow(x, y, r) ? kError : kOk;
    case ArithOp::kMul: return __builtin_mul_overflow(x, y, r) ? kError : kOk;
    case ArithOp::kDiv:
      if (y == 0) return kNull;
      if (x == INT64_MIN && y == -1) return kError;
      *r = x / y;
      return kOk;
    case ArithOp::kMod:
      if (y == 0) return kNull;
      *r = y == -1 ? 0 : x % y;
      return kOk;
  }
  return kNull;
}

template <ArithOp kOp, typename GA, typename GB, typename VA, typename VB>
void IntLoop(const Sel& sel, GA ga, GB gb, VA va, VB vb, Vector* out, const char* error) {
  uint8_t* ok = out->mutable_validity().data();
  int64_t* v = out->mutable_ints().data();
  bool err = false;
  ForEach(sel, [&](uint32_t i) {
    if (!(va(i) && vb(i))) return;
    Outcome o = IntOp<kOp>(ga(i), gb(i), &v[i]);
    ok[i] = o == kOk;
    if (o != kOk) v[i] = 0;  // a NULL row's slot is 0
    err |= o == kError;
  });
  if (err) RecordError(ErrorCode::kNumericValueOutOfRange, error);
}

// timestamptz ± interval: only + and -.
template <ArithOp kOp, typename GA, typename GB, typename VA, typename VB>
void TimestampLoop(const Sel& sel, GA ga, GB gb, VA va, VB vb, Vector* out) {
  if constexpr (kOp == ArithOp::kSub) IntLoop<ArithOp::kSub>(sel, ga, gb, va, vb, out, "timestamp out of range");
  else IntLoop<ArithOp::kAdd>(sel, ga, gb, va, vb, out, "timestamp out of range");
}

// ----- double precision

enum DoubleOutcome { kDOk, kDNull, kDOverflow, kDUnderflow };

template <ArithOp kOp>
inline DoubleOutcome DoubleOp(double x, double y, double* r) {
  bool finite_in = std::isfinite(x) && std::isfinite(y);
  switch (kOp) {
    case ArithOp::kAdd:
      *r = x + y;
      return std::isinf(*r) && finite_in ? kDOverflow : kDOk;
    case ArithOp::kSub:
      *r = x - y;
      return std::isinf(*r) && finite_in ? kDOverflow : kDOk;
    case ArithOp::kMul:
      *r = x * y;
      if (std::isinf(*r) && finite_in) return kDOverflow;
      return *r == 0 && x != 0 && y != 0 ? kDUnderflow : kDOk;
    case ArithOp::kDiv:
      if (y == 0) return kDNull;
      *r = x / y;
      if (std::isinf(*r) && std::isfinite(x)) return kDOverflow;
      return *r == 0 && x != 0 && !std::isinf(y) ? kDUnderflow : kDOk;
    case ArithOp::kMod:
      if (y == 0) return kDNull;
      *r = std::fmod(x, y);
      return kDOk;
  }
  return kDNull;
}

template <ArithOp kOp, typename GA, typename GB, typename VA, typename VB>
void DoubleLoop(const Sel& sel, GA ga, GB gb, VA va, VB vb, Vector* out) {
  uint8_t* ok = out->mutable_validity().data();
  double* v = out->mutable_doubles().data();
  DoubleOutcome first_error = kDOk;
  ForEach(sel, [&](uint32_t i) {
    if (!(va(i) && vb(i))) return;
    DoubleOutcome o = DoubleOp<kOp>(ga(i), gb(i), &v[i]);
    ok[i] = o == kDOk;
    if (o != kDOk) v[i] = 0;  // a NULL row's slot is 0
    if (o >= kDOverflow && first_error == kDOk) first_error = o;
  });
  if (first_error == kDOverflow) RecordError(ErrorCode::kNumericValueOutOfRange, "value out of range: overflow");
  if (first_error == kDUnderflow) RecordError(ErrorCode::kNumericValueOutOfRange, "value out of range: underflow");
}

}  // namespace

void EvalArith(const Expr& e, const Chunk& in, const Sel& sel, Vector* out) {
  const Expr& eb = *e.children[1];
  Operand a, b;
  EvalOperand(*e.children[0], in, sel, &a);
  InitOut(out, e.type, in.rows);
  if (a.const_null()) return;  // b is not evaluated
  std::vector<uint32_t> buf;
  Sel bsel = sel;  // sql::Eval evaluates b only where a is not NULL
  if (!a.is_const() && eb.kind != ExprKind::kColumn && eb.kind != ExprKind::kLiteral)
    bsel = ValidRows(sel, *a.vec, &buf);
  EvalOperand(eb, in, bsel, &b);
  if (b.const_null()) return;
  if (a.is_const() && b.is_const()) Materialize(&a, sel, in.rows);
  Type ta = OperandType(a), tb = OperandType(b);
  ArithOp op = e.arith;
  if ((e.type == Type::kInt64 || e.type == Type::kTimestamp) && IsIntLike(ta) && IsIntLike(tb)) {
    const int64_t* xa = a.is_const() ? nullptr : a.vec->ints();
    const int64_t* xb = b.is_const() ? nullptr : b.vec->ints();
    int64_t ca = a.is_const() ? a.constant->as_int() : 0, cb = b.is_const() ? b.constant->as_int() : 0;
    bool ts = e.type == Type::kTimestamp;
    WithShapes<int64_t>(a, xa, ca, b, xb, cb, [&](auto ga, auto gb, auto va, auto vb) {
      if (ts) {
        if (op == ArithOp::kSub) return TimestampLoop<ArithOp::kSub>(sel, ga, gb, va, vb, out);
        return TimestampLoop<ArithOp::kAdd>(sel, ga, gb, va, vb, out);
      }
      const char* err = "bigint out of range";
      switch (op) {
        case ArithOp::kAdd: return IntLoop<ArithOp::kAdd>(sel, ga, gb, va, vb, out, err);
        case ArithOp::kSub: return IntLoop<ArithOp::kSub>(sel, ga, gb, va, vb, out, err);
        case ArithOp::kMul: return IntLoop<ArithOp::kMul>(sel, ga, gb, va, vb, out, err);
        case ArithOp::kDiv: return IntLoop<ArithOp::kDiv>(sel, ga, gb, va, vb, out, err);
        case ArithOp::kMod: return IntLoop<ArithOp::kMod>(sel, ga, gb, va, vb, out, err);
      }
    });
    return;
  }
  bool numeric = (ta == Type::kInt64 || ta == Type::kDouble) && (tb == Type::kInt64 || tb == Type::kDouble);
  if (e.type == Type::kDouble && numeric) {
    std::vector<double> bufa, bufb;
    const double* xa = a.is_const() ? nullptr : AsDoubles(a, sel, in.rows, &bufa);
    const double* xb = b.is_const() ? nullptr : AsDoubles(b, sel, in.rows, &bufb);
    double ca = a.is_const() ? a.constant->numeric() : 0, cb = b.is_const() ? b.constant->numeric() : 0;
    WithShapes<double>(a, xa, ca, b, xb, cb, [&](auto ga, auto gb, auto va, auto vb) {
      switch (op) {
        case ArithOp::kAdd: return DoubleLoop<ArithOp::kAdd>(sel, ga, gb, va, vb, out);
        case ArithOp::kSub: return DoubleLoop<ArithOp::kSub>(sel, ga, gb, va, vb, out);
        case ArithOp::kMul: return DoubleLoop<ArithOp::kMul>(sel, ga, gb, va, vb, out);
        case ArithOp::kDiv: return DoubleLoop<ArithOp::kDiv>(sel, ga, gb, va, vb, out);
        case ArithOp::kMod: return DoubleLoop<ArithOp::kMod>(sel, ga, gb, va, vb, out);
      }
    });
    return;
  }
  EvalRows(e, in, sel, out);  // a type mix the binder does not produce
}

void EvalNegate(const Expr& e, const Chunk& in, const Sel& sel, Vector* out) {
  Operand a;
  EvalOperand(*e.children[0], in, sel, &a);
  InitOut(out, e.type, in.rows);
  if (a.const_null()) return;
  Materialize(&a, sel, in.rows);
  uint8_t* ok = out->mutable_validity().data();
  const uint8_t* va = a.vec->validity();
  if (e.type == Type::kInt64 && IsIntLike(a.vec->type())) {
    int64_t* v = out->mutable_ints().data();
    const int64_t* x = a.vec->ints();
    bool err = false;
    ForEach(sel, [&](uint32_t i) {
      if (!va[i]) return;
      bool over = x[i] == INT64_MIN;
      err |= over;
      ok[i] = !over;
      v[i] = over ? 0 : -x[i];
    });
    if (err) RecordError(ErrorCode::kNumericValueOutOfRange, "bigint out of range");
    return;
  }
  if (e.type == Type::kDouble && a.vec->type() != Type::kText) {
    std::vector<double> buf;
    const double* x = AsDoubles(a, sel, in.rows, &buf);
    double* v = out->mutable_doubles().data();
    ForEach(sel, [&](uint32_t i) {
      ok[i] = va[i];
      v[i] = va[i] ? -x[i] : 0.0;
    });
    return;
  }
  EvalRows(e, in, sel, out);
}

// ---------------------------------------------------------------------------------------------
// Casts. From text (parsing, with PostgreSQL's error messages) goes to the row-by-row fallback.

bool CastHasKernel(const Expr& e) {
  Type from = e.children[0]->type, to = e.type;
  if (from == to) return true;
  if (from == Type::kText) return false;
  if (to == Type::kText) return true;
  return (from == Type::kInt64 && (to == Type::kDouble || to == Type::kBool)) ||
         (from == Type::kDouble && to == Type::kInt64) || (from == Type::kBool && to == Type::kInt64);
}

void EvalCast(const Expr& e, const Chunk& in, const Sel& sel, Vector* out) {
  const Expr& arg = *e.children[0];
  Type from = arg.type, to = e.type;
  if (from == to) return EvalNode(arg, in, sel, out);
  Operand a;
  EvalOperand(arg, in, sel, &a);
  Materialize(&a, sel, in.rows);
  if (a.vec->type() != from) return EvalRows(e, in, sel, out);
  InitOut(out, to, in.rows);
  const uint8_t* va = a.vec->validity();
  uint8_t* ok = out->mutable_validity().data();
  if (to == Type::kText) {
    char buf[32];
    ForEach(sel, [&](uint32_t i) {
      if (!va[i]) return;
      switch (from) {
        case Type::kInt64: {
          auto r = std::to_chars(buf, buf + sizeof buf, a.vec->i64(i));
          out->SetText(i, std::string_view(buf, r.ptr - buf));
          break;
        }
        case Type::kBool: out->SetTextRef(i, a.vec->boolean(i) ? "true" : "false"); break;
        case Type::kDouble: out->SetText(i, sql::FormatFloat8(a.vec->f64(i))); break;
        case Type::kTimestamp: out->SetText(i, sql::FormatTimestamptz(a.vec->i64(i))); break;
        case Type::kDate: out->SetText(i, FormatDate(a.vec->i64(i))); break;
        case Type::kText: break;
      }
    });
    return;
  }
  if (from == Type::kDouble) {  // → bigint: round half to even, range-checked
    const double* x = a.vec->doubles();
    int64_t* v = out->mutable_ints().data();
    bool err = false;
    ForEach(sel, [&](uint32_t i) {
      if (!va[i]) return;
      double r = std::rint(x[i]);
      bool in_range = r >= -9223372036854775808.0 && r < 9223372036854775808.0;
      err |= !in_range;
      ok[i] = in_range;
      v[i] = in_range ? static_cast<int64_t>(r) : 0;
    });
    if (err) RecordError(ErrorCode::kNumericValueOutOfRange, "bigint out of range");
    return;
  }
  const int64_t* x = a.vec->ints();
  if (to == Type::kDouble) {
    double* v = out->mutable_doubles().data();
    ForEach(sel, [&](uint32_t i) {
      ok[i] = va[i];
      v[i] = static_cast<double>(x[i]);
    });
    return;
  }
  int64_t* v = out->mutable_ints().data();  // bigint → boolean, boolean → bigint
  ForEach(sel, [&](uint32_t i) {
    ok[i] = va[i];
    v[i] = x[i] != 0;
  });
}

// ---------------------------------------------------------------------------------------------
// date_trunc and extract (UTC).

void EvalDateTrunc(const Expr& e, const Chunk& in, const Sel& sel, Vector* out) {
  Operand a;
  EvalOperand(*e.children[0], in, sel, &a);
  Materialize(&a, sel, in.rows);
  InitOut(out, Type::kTimestamp, in.rows);
  const uint8_t* va = a.vec->validity();
  const int64_t* x = a.vec->ints();
  uint8_t* ok = out->mutable_validity().data();
  int64_t* v = out->mutable_ints().data();
  TimeUnit unit = e.unit;
  ForEach(sel, [&](uint32_t i) {
    if (!va[i]) return;
    ok[i] = 1;
    v[i] = DateTrunc(unit, x[i]);
  });
}

namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

int64_t IsoWeeksInYear(int64_t y) {
  int64_t dec28 = DaysFromCivil(y, 12, 28);  // always in the year's last ISO week
  int64_t dow = FloorMod(dec28 + 4, 7);
  int64_t isodow = dow == 0 ? 7 : dow;
  int64_t doy = dec28 - DaysFromCivil(y, 1, 1) + 1;
  return FloorDiv(doy - isodow + 10, 7);
}

void IsoWeek(int64_t days, int64_t y, int64_t* week, int64_t* iso_year) {
  int64_t dow = FloorMod(days + 4, 7);
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

// extract(f FROM us), as sql::Eval computes it.
double ExtractField(sql::DatePart f, int64_t us) {
  using sql::DatePart;
  int64_t days = FloorDiv(us, kMicrosPerDay);
  int64_t tod = us - days * kMicrosPerDay;
  int64_t sec_us = tod % kMicrosPerMinute;
  switch (f) {
    case DatePart::kHour: return static_cast<double>(tod / kMicrosPerHour);
    case DatePart::kMinute: return static_cast<double>((tod / kMicrosPerMinute) % 60);
    case DatePart::kSecond: return static_cast<double>(sec_us) / 1e6;
    case DatePart::kMilliseconds: return static_cast<double>(sec_us) / 1e3;
    case DatePart::kMicroseconds: return static_cast<double>(sec_us);
    case DatePart::kEpoch: return static_cast<double>(us) / 1e6;
    case DatePart::kTimezone:
    case DatePart::kTimezoneHour:
    case DatePart::kTimezoneMinute: return 0;
    case DatePart::kDow:
    case DatePart::kIsoDow: {
      int64_t dow = FloorMod(days + 4, 7);
      if (f == DatePart::kIsoDow && dow == 0) dow = 7;
      return static_cast<double>(dow);
    }
    default: break;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);  // y: astronomical (0 = 1 BC)
  switch (f) {
    case DatePart::kYear: return static_cast<double>(y > 0 ? y : y - 1);
    case DatePart::kQuarter: return static_cast<double>((m - 1) / 3 + 1);
    case DatePart::kMonth: return m;
    case DatePart::kDay: return d;
    case DatePart::kDoy: return static_cast<double>(days - DaysFromCivil(y, 1, 1) + 1);
    case DatePart::kWeek:
    case DatePart::kIsoYear: {
      int64_t week, iso_year;
      IsoWeek(days, y, &week, &iso_year);
      if (f == DatePart::kWeek) return static_cast<double>(week);
      return static_cast<double>(iso_year > 0 ? iso_year : iso_year - 1);
    }
    case DatePart::kDecade: return static_cast<double>(y >= 0 ? y / 10 : -((8 - (y - 1)) / 10));
    case DatePart::kCentury: return static_cast<double>(y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100));
    case DatePart::kMillennium:
      return static_cast<double>(y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000));
    default: break;
  }
  return 0;
}

}  // namespace

void EvalExtract(const Expr& e, const Chunk& in, const Sel& sel, Vector* out) {
  Operand a;
  EvalOperand(*e.children[0], in, sel, &a);
  Materialize(&a, sel, in.rows);
  InitOut(out, Type::kDouble, in.rows);
  const uint8_t* va = a.vec->validity();
  const int64_t* x = a.vec->ints();
  uint8_t* ok = out->mutable_validity().data();
  double* v = out->mutable_doubles().data();
  sql::DatePart f = e.field;
  if (f == sql::DatePart::kHour) {  // the common bucket: no calendar needed
    ForEach(sel, [&](uint32_t i) {
      if (!va[i]) return;
      ok[i] = 1;
      v[i] = static_cast<double>(FloorMod(x[i], kMicrosPerDay) / kMicrosPerHour);
    });
    return;
  }
  ForEach(sel, [&](uint32_t i) {
    if (!va[i]) return;
    ok[i] = 1;
    v[i] = ExtractField(f, x[i]);
  });
}

}  // namespace laminar::sql::vec
