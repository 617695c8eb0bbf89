// Boolean kernels producing selections: comparisons, IN lists, BETWEEN and LIKE. Values compare
// as sql::Eval compares them (Value::Compare): bigint with bigint exactly, bigint with double as
// doubles, NaN above every number and equal to itself, -0 equal to 0, text bytewise.
#include <absl/container/flat_hash_set.h>

#include <cstring>

#include "sql/vector_eval_internal.h"

namespace laminar::sql::vec {

using sql::CompareOp;
using sql::Expr;
using sql::ExprKind;

namespace {

// How two non-NULL operands compare: as int64 (bigint, timestamptz, boolean), as doubles (either
// is double precision), as text, or cell by cell (a mix sql::Eval still orders: text with others).
enum class Cls { kInt, kDouble, kText, kMixed };

Type OperandType(const Operand& op) {
  return op.constant ? (op.constant->is_null() ? op.type : op.constant->type()) : op.vec->type();
}

Cls Classify(std::initializer_list<Type> types) {
  bool text = false, other = false, dbl = false;
  for (Type t : types) {
    if (t == Type::kText) text = true;
    else other = true;
    if (t == Type::kDouble) dbl = true;
  }
  if (text) return other ? Cls::kMixed : Cls::kText;
  return dbl ? Cls::kDouble : Cls::kInt;
}

void AllRows(const Sel& sel, std::vector<uint32_t>* out) {
  out->clear();
  out->reserve(sel.n);
  ForEach(sel, [&](uint32_t i) { out->push_back(i); });
}

CompareOp Flip(CompareOp op) {
  switch (op) {
    case CompareOp::kLt: return CompareOp::kGt;
    case CompareOp::kLe: return CompareOp::kGe;
    case CompareOp::kGt: return CompareOp::kLt;
    case CompareOp::kGe: return CompareOp::kLe;
    default: return op;
  }
}

// Emits row i as true (`yes` and valid), NULL (!valid) or false, branch-free.
struct Emitter {
  uint32_t* t;
  uint32_t* n;
  size_t nt = 0, nn = 0;
  BoolRows* out;

  Emitter(const Sel& sel, BoolRows* o) : out(o) {
    o->t.resize(sel.n);
    o->n.resize(sel.n);
    t = o->t.data();
    n = o->n.data();
  }
  void Emit(uint32_t i, bool valid, bool yes) {
    t[nt] = i;
    nt += valid & yes;
    n[nn] = i;
    nn += !valid;
  }
  ~Emitter() {
    out->t.resize(nt);
    out->n.resize(nn);
  }
};

// a (a vector, validity va) op b (vb: null for a constant), by `cmp` over the getters' values.
template <CompareOp kOp, typename GA, typename GB, typename Cmp>
void CompareLoop(const Sel& sel, const uint8_t* va, const uint8_t* vb, GA ga, GB gb, Cmp cmp, BoolRows* out) {
  Emitter em(sel, out);
  if (vb) {
    ForEach(sel, [&](uint32_t i) { em.Emit(i, va[i] & vb[i], Holds(kOp, cmp(ga(i), gb(i)))); });
  } else {
    ForEach(sel, [&](uint32_t i) { em.Emit(i, va[i], Holds(kOp, cmp(ga(i), gb(i)))); });
  }
}

template <typename GA, typename GB, typename Cmp>
void CompareOpLoop(CompareOp op, const Sel& sel, const uint8_t* va, const uint8_t* vb, GA ga, GB gb, Cmp cmp,
                   BoolRows* out) {
  switch (op) {
    case CompareOp::kEq: return CompareLoop<CompareOp::kEq>(sel, va, vb, ga, gb, cmp, out);
    case CompareOp::kNe: return CompareLoop<CompareOp::kNe>(sel, va, vb, ga, gb, cmp, out);
    case CompareOp::kLt: return CompareLoop<CompareOp::kLt>(sel, va, vb, ga, gb, cmp, out);
    case CompareOp::kLe: return CompareLoop<CompareOp::kLe>(sel, va, vb, ga, gb, cmp, out);
    case CompareOp::kGt: return CompareLoop<CompareOp::kGt>(sel, va, vb, ga, gb, cmp, out);
    case CompareOp::kGe: return CompareLoop<CompareOp::kGe>(sel, va, vb, ga, gb, cmp, out);
  }
}

// Cell by cell, for constants on both sides and type mixes.
void CompareCellwise(CompareOp op, const Sel& sel, const Operand& a, const Operand& b, BoolRows* out) {
  Emitter em(sel, out);
  ForEach(sel, [&](uint32_t i) {
    bool valid = a.valid(i) && b.valid(i);
    em.Emit(i, valid, valid && Holds(op, CompareCells(a, i, b, i)));
  });
}

}  // namespace

void SelectCompare(const Expr& e, const Chunk& in, const Sel& sel, BoolRows* out) {
  const Expr& ea = *e.children[0];
  const Expr& eb = *e.children[1];
  out->t.clear();
  Operand a, b;
  EvalOperand(ea, in, sel, &a);
  if (a.const_null()) return AllRows(sel, &out->n);  // b is not evaluated
  // sql::Eval evaluates b only where a is not NULL.
  std::vector<uint32_t> buf;
  Sel bsel = sel;
  if (!a.is_const() && eb.kind != ExprKind::kColumn && eb.kind != ExprKind::kLiteral)
    bsel = ValidRows(sel, *a.vec, &buf);
  EvalOperand(eb, in, bsel, &b);
  if (b.const_null()) return AllRows(sel, &out->n);
  CompareOp op = e.op;
  Operand* pa = &a;
  Operand* pb = &b;
  if (a.is_const()) {
    if (b.is_const()) return CompareCellwise(op, sel, a, b, out);
    std::swap(pa, pb);
    op = Flip(op);
  }
  const Vector& va = *pa->vec;
  const uint8_t* vb = pb->is_const() ? nullptr : pb->vec->validity();
  Cls cls = Classify({OperandType(*pa), OperandType(*pb)});
  switch (cls) {
    case Cls::kInt: {
      const int64_t* x = va.ints();
      if (pb->is_const()) {
        int64_t y = pb->constant->as_int();
        return CompareOpLoop(op, sel, va.validity(), vb, [x](uint32_t i) { return x[i]; },
                             [y](uint32_t) { return y; }, CompareInts, out);
      }
      const int64_t* y = pb->vec->ints();
      return CompareOpLoop(op, sel, va.validity(), vb, [x](uint32_t i) { return x[i]; },
                           [y](uint32_t i) { return y[i]; }, CompareInts, out);
    }
    case Cls::kDouble: {
      std::vector<double> bufa, bufb;
      const double* x = AsDoubles(*pa, sel, in.rows, &bufa);
      if (pb->is_const()) {
        double y = pb->constant->numeric();
        return CompareOpLoop(op, sel, va.validity(), vb, [x](uint32_t i) { return x[i]; },
                             [y](uint32_t) { return y; }, CompareDoubles, out);
      }
      const double* y = AsDoubles(*pb, sel, in.rows, &bufb);
      return CompareOpLoop(op, sel, va.validity(), vb, [x](uint32_t i) { return x[i]; },
                           [y](uint32_t i) { return y[i]; }, CompareDoubles, out);
    }
    case Cls::kText: {
      const std::string_view* x = va.strings();
      if (pb->is_const()) {
        std::string_view y = pb->constant->as_text();
        return CompareOpLoop(op, sel, va.validity(), vb, [x](uint32_t i) { return x[i]; },
                             [y](uint32_t) { return y; }, CompareTexts, out);
      }
      const std::string_view* y = pb->vec->strings();
      return CompareOpLoop(op, sel, va.validity(), vb, [x](uint32_t i) { return x[i]; },
                           [y](uint32_t i) { return y[i]; }, CompareTexts, out);
    }
    case Cls::kMixed: return CompareCellwise(op, sel, *pa, *pb, out);
  }
}

// ---------------------------------------------------------------------------------------------
// IN (literal list).

bool InHasKernel(const Expr& e) {
  for (size_t i = 1; i < e.children.size(); i++)
    if (e.children[i]->kind != ExprKind::kLiteral) return false;
  return true;
}

namespace {

// Lists up to this long are scanned; longer ones go into a hash set.
constexpr size_t kInLinearMax = 12;

// A double's identity under Value::Compare: -0 is 0 and every NaN is one NaN.
uint64_t DoubleKey(double d) {
  if (d != d) return 0x7ff8000000000000ull;
  if (d == 0) d = 0;
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return bits;
}

// a [NOT] IN (items): `found(i)` tells whether row i's value is in the list.
template <typename Found>
void InLoop(const Sel& sel, const uint8_t* va, bool has_null, bool negated, Found found, BoolRows* out) {
  Emitter em(sel, out);
  ForEach(sel, [&](uint32_t i) {
    bool f = va[i] && found(i);
    // Found: true (NOT IN: false). Not found: NULL if the list has a NULL, else false (NOT: true).
    bool valid = va[i] && (f || !has_null);
    em.Emit(i, valid, f != negated);
  });
}

}  // namespace

void SelectIn(const Expr& e, const Chunk& in, const Sel& sel, BoolRows* out) {
  out->t.clear();
  Operand a;
  EvalOperand(*e.children[0], in, sel, &a);
  if (a.const_null()) return AllRows(sel, &out->n);
  std::vector<const Value*> items;
  bool has_null = false;
  // Each item compares with `a` by the pair's types (as Value::Compare): one class for all, or
  // cell by cell.
  Type ta = OperandType(a);
  Cls cls = Classify({ta});
  for (size_t i = 1; i < e.children.size(); i++) {
    const Value& v = e.children[i]->literal;
    if (v.is_null()) {
      has_null = true;
      continue;
    }
    Cls c = Classify({ta, v.type()});
    if (items.empty()) cls = c;
    else if (c != cls) cls = Cls::kMixed;
    items.push_back(&v);
  }
  if (a.is_const() || cls == Cls::kMixed) {
    Emitter em(sel, out);
    ForEach(sel, [&](uint32_t i) {
      bool valid = a.valid(i), f = false;
      for (size_t k = 0; valid && !f && k < items.size(); k++) {
        Operand item;
        item.constant = items[k];
        f = CompareCells(a, i, item, 0) == 0;
      }
      em.Emit(i, valid && (f || !has_null), f != e.negated);
    });
    return;
  }
  const uint8_t* va = a.vec->validity();
  bool linear = items.size() <= kInLinearMax;
  switch (cls) {
    case Cls::kInt: {
      const int64_t* x = a.vec->ints();
      std::vector<int64_t> vals;
      for (const Value* v : items) vals.push_back(v->as_int());
      if (linear) {
        return InLoop(sel, va, has_null, e.negated, [&](uint32_t i) {
          for (int64_t v : vals)
            if (x[i] == v) return true;
          return false;
        }, out);
      }
      absl::flat_hash_set<int64_t> set(vals.begin(), vals.end());
      return InLoop(sel, va, has_null, e.negated, [&](uint32_t i) { return set.contains(x[i]); }, out);
    }
    case Cls::kDouble: {
      std::vector<double> buf;
      const double* x = AsDoubles(a, sel, in.rows, &buf);
      std::vector<double> vals;
      for (const Value* v : items) vals.push_back(v->numeric());
      if (linear) {
        return InLoop(sel, va, has_null, e.negated, [&](uint32_t i) {
          for (double v : vals)
            if (CompareDoubles(x[i], v) == 0) return true;
          return false;
        }, out);
      }
      absl::flat_hash_set<uint64_t> set;
      for (double v : vals) set.insert(DoubleKey(v));
      return InLoop(sel, va, has_null, e.negated, [&](uint32_t i) { return set.contains(DoubleKey(x[i])); },
                    out);
    }
    case Cls::kText: {
      const std::string_view* x = a.vec->strings();
      std::vector<std::string_view> vals;
      for (const Value* v : items) vals.push_back(v->as_text());
      if (linear) {
        return InLoop(sel, va, has_null, e.negated, [&](uint32_t i) {
          for (std::string_view v : vals)
            if (x[i] == v) return true;
          return false;
        }, out);
      }
      absl::flat_hash_set<std::string_view> set(vals.begin(), vals.end());
      return InLoop(sel, va, has_null, e.negated, [&](uint32_t i) { return set.contains(x[i]); }, out);
    }
    case Cls::kMixed: break;
  }
}

// ---------------------------------------------------------------------------------------------
// BETWEEN: sql::Eval evaluates the three operands on every row.

namespace {

template <typename G, typename T, typename Cmp>
void BetweenLoop(const Sel& sel, const uint8_t* va, G get, T lo, T hi, Cmp cmp, bool negated, BoolRows* out) {
  Emitter em(sel, out);
  ForEach(sel, [&](uint32_t i) {
    auto x = get(i);
    bool inside = cmp(x, lo) >= 0 && cmp(x, hi) <= 0;
    em.Emit(i, va[i], inside != negated);
  });
}

}  // namespace

void SelectBetween(const Expr& e, const Chunk& in, const Sel& sel, BoolRows* out) {
  out->t.clear();
  Operand a, lo, hi;
  EvalOperand(*e.children[0], in, sel, &a);
  EvalOperand(*e.children[1], in, sel, &lo);
  EvalOperand(*e.children[2], in, sel, &hi);
  if (a.const_null() || lo.const_null() || hi.const_null()) return AllRows(sel, &out->n);
  // Each bound compares with `a` by the pair's types (as Value::Compare).
  Cls cls = Classify({OperandType(a), OperandType(lo)});
  if (Classify({OperandType(a), OperandType(hi)}) != cls) cls = Cls::kMixed;
  if (!a.is_const() && lo.is_const() && hi.is_const() && cls != Cls::kMixed) {
    const uint8_t* va = a.vec->validity();
    switch (cls) {
      case Cls::kInt: {
        const int64_t* x = a.vec->ints();
        return BetweenLoop(sel, va, [x](uint32_t i) { return x[i]; }, lo.constant->as_int(),
                           hi.constant->as_int(), CompareInts, e.negated, out);
      }
      case Cls::kDouble: {
        std::vector<double> buf;
        const double* x = AsDoubles(a, sel, in.rows, &buf);
        return BetweenLoop(sel, va, [x](uint32_t i) { return x[i]; }, lo.constant->numeric(),
                           hi.constant->numeric(), CompareDoubles, e.negated, out);
      }
      case Cls::kText: {
        const std::string_view* x = a.vec->strings();
        return BetweenLoop(sel, va, [x](uint32_t i) { return x[i]; }, std::string_view(lo.constant->as_text()),
                           std::string_view(hi.constant->as_text()), CompareTexts, e.negated, out);
      }
      case Cls::kMixed: break;
    }
  }
  Emitter em(sel, out);
  ForEach(sel, [&](uint32_t i) {
    bool valid = a.valid(i) && lo.valid(i) && hi.valid(i);
    bool inside = valid && CompareCells(a, i, lo, i) >= 0 && CompareCells(a, i, hi, i) <= 0;
    em.Emit(i, valid, inside != e.negated);
  });
}

// ---------------------------------------------------------------------------------------------
// LIKE / ILIKE.

bool LikeHasKernel(const Expr& e) {
  return e.like_shape != sql::LikeShape::kGeneral || e.children[1]->kind == ExprKind::kLiteral;
}

namespace {

inline char Fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline bool EqualsAt(std::string_view s, size_t at, std::string_view p, bool fold) {
  if (p.empty()) return true;  // (memcmp must not see the null data of an empty view)
  if (!fold) return std::memcmp(s.data() + at, p.data(), p.size()) == 0;
  for (size_t i = 0; i < p.size(); i++)
    if (Fold(s[at + i]) != Fold(p[i])) return false;
  return true;
}

template <typename Match>
void LikeLoop(const Sel& sel, const Vector& s, bool negated, Match match, BoolRows* out) {
  const uint8_t* ok = s.validity();
  const std::string_view* x = s.strings();
  Emitter em(sel, out);
  ForEach(sel, [&](uint32_t i) { em.Emit(i, ok[i], ok[i] && match(x[i]) != negated); });
}

}  // namespace

void SelectLike(const Expr& e, const Chunk& in, const Sel& sel, BoolRows* out) {
  out->t.clear();
  Operand s;
  EvalOperand(*e.children[0], in, sel, &s);
  if (s.const_null()) return AllRows(sel, &out->n);
  Vector broadcast;
  if (s.is_const()) {  // a constant text (not folded): match it once per row, simply
    InitOut(&broadcast, Type::kText, in.rows);
    ForEach(sel, [&](uint32_t i) { broadcast.SetTextRef(i, s.constant->as_text()); });
    s.vec = &broadcast;
    s.constant = nullptr;
  }
  std::string_view lit = e.like_text;
  bool fold = e.ilike;
  switch (e.like_shape) {
    case sql::LikeShape::kAny: return LikeLoop(sel, *s.vec, e.negated, [](std::string_view) { return true; }, out);
    case sql::LikeShape::kExact:
      return LikeLoop(sel, *s.vec, e.negated, [&](std::string_view x) {
        return x.size() == lit.size() && EqualsAt(x, 0, lit, fold);
      }, out);
    case sql::LikeShape::kPrefix:
      return LikeLoop(sel, *s.vec, e.negated, [&](std::string_view x) {
        return x.size() >= lit.size() && EqualsAt(x, 0, lit, fold);
      }, out);
    case sql::LikeShape::kSuffix:
      return LikeLoop(sel, *s.vec, e.negated, [&](std::string_view x) {
        return x.size() >= lit.size() && EqualsAt(x, x.size() - lit.size(), lit, fold);
      }, out);
    case sql::LikeShape::kContains:
      return LikeLoop(sel, *s.vec, e.negated, [&](std::string_view x) {
        return x.find(lit) != std::string_view::npos;
      }, out);
    case sql::LikeShape::kGeneral: break;
  }
  const Value& p = e.children[1]->literal;
  if (p.is_null()) return AllRows(sel, &out->n);
  std::string_view pattern = p.as_text();
  const uint8_t* ok = s.vec->validity();
  const std::string_view* x = s.vec->strings();
  Emitter em(sel, out);
  ForEach(sel, [&](uint32_t i) {
    bool valid = ok[i] != 0, m = false;
    if (valid) {
      bool bad = false;
      m = sql::LikeMatch(x[i], pattern, e.escape, e.ilike, &bad);
      if (bad) {
        RecordError(ErrorCode::kInvalidEscapeSequence, "LIKE pattern must not end with escape character");
        valid = false;
      }
    }
    em.Emit(i, valid, m != e.negated);
  });
}

}  // namespace laminar::sql::vec
