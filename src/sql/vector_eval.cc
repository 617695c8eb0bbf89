// Vectorized expression evaluation: entry points, dispatch, and the kernels of columns,
// literals, AND/OR/NOT, IS NULL, CASE and COALESCE, plus the row-by-row fallback. See
// expression_internal.h for how the kernel files fit together.
#include "sql/vector_eval.h"

#include <algorithm>

#include "sql/vector_eval_internal.h"

namespace laminar::sql {
namespace vec {

using sql::Expr;
using sql::ExprKind;

// ---------------------------------------------------------------------------------------------
// Helpers shared by the kernel files.

void InitOut(Vector* out, Type type, size_t rows) {
  *out = Vector(type);
  out->Resize(rows);
}

Sel ValidRows(const Sel& sel, const Vector& v, std::vector<uint32_t>* buf) {
  const uint8_t* ok = v.validity();
  bool all = true;
  ForEach(sel, [&](uint32_t i) { all &= ok[i] != 0; });
  if (all) return sel;
  buf->clear();
  buf->reserve(sel.n);
  ForEach(sel, [&](uint32_t i) {
    if (ok[i]) buf->push_back(i);
  });
  return Sel::Of(*buf);
}

void BoolRowsToVector(const Sel& sel, const BoolRows& r, size_t in_rows, Vector* out) {
  InitOut(out, Type::kBool, in_rows);
  uint8_t* ok = out->mutable_validity().data();
  int64_t* v = out->mutable_ints().data();
  ForEach(sel, [&](uint32_t i) { ok[i] = 1; });
  for (uint32_t i : r.t) v[i] = 1;
  for (uint32_t i : r.n) ok[i] = 0;
}

void RecordError(ErrorCode code, const char* message) {
  if (!sql::HasEvalError()) sql::RecordEvalError(code, message);
}

const double* AsDoubles(const Operand& op, const Sel& sel, size_t rows, std::vector<double>* buf) {
  if (op.vec->type() == Type::kDouble) return op.vec->doubles();
  buf->assign(rows, 0.0);
  const int64_t* x = op.vec->ints();
  double* d = buf->data();
  ForEach(sel, [&](uint32_t i) { d[i] = static_cast<double>(x[i]); });
  return d;
}

namespace {

// One non-NULL cell of an operand, typed as the Value sql::Eval would see.
struct Cell {
  Type type;
  int64_t i = 0;
  double d = 0;
  std::string_view s;
};

Cell CellAt(const Operand& op, uint32_t row) {
  if (op.constant) {
    const Value& v = *op.constant;
    Cell c{v.type()};
    if (c.type == Type::kDouble) c.d = v.as_double();
    else if (c.type == Type::kText) c.s = v.as_text();
    else c.i = v.as_int();
    return c;
  }
  Cell c{op.vec->type()};
  if (c.type == Type::kDouble) c.d = op.vec->f64(row);
  else if (c.type == Type::kText) c.s = op.vec->str(row);
  else c.i = op.vec->i64(row);
  return c;
}

}  // namespace

int CompareCells(const Operand& a, uint32_t i, const Operand& b, uint32_t j) {
  Cell x = CellAt(a, i), y = CellAt(b, j);
  if (x.type == Type::kText || y.type == Type::kText) {
    if (x.type != y.type) return x.type == Type::kText ? 1 : -1;
    return CompareTexts(x.s, y.s);
  }
  if (x.type == Type::kDouble || y.type == Type::kDouble) {
    double dx = x.type == Type::kDouble ? x.d : static_cast<double>(x.i);
    double dy = y.type == Type::kDouble ? y.d : static_cast<double>(y.i);
    return CompareDoubles(dx, dy);
  }
  return CompareInts(x.i, y.i);
}

void EvalOperand(const Expr& e, const Chunk& in, const Sel& sel, Operand* op) {
  op->type = e.type;
  op->constant = nullptr;
  if (e.kind == ExprKind::kColumn && in.columns[e.column].type() == e.type) {
    op->vec = &in.columns[e.column];
    return;
  }
  if (e.kind == ExprKind::kLiteral) {
    op->constant = &e.literal;
    op->vec = nullptr;
    return;
  }
  EvalNode(e, in, sel, &op->tmp);
  op->vec = &op->tmp;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Moving values between vectors.

// Sets the rows `rows` of *out (type out->type()) to the operand's values there. Text is
// forwarded by reference (out shares the source's heaps); constant text is copied once.
void Scatter(const Operand& src, const Sel& rows, Vector* out) {
  if (rows.n == 0) return;
  Type t = out->type();
  if (src.constant) {
    const Value& v = *src.constant;
    if (v.is_null()) {
      ForEach(rows, [&](uint32_t i) { out->SetNull(i); });
    } else if (t == Type::kText) {
      std::string_view s = out->heap().Add(v.as_text());
      ForEach(rows, [&](uint32_t i) { out->SetTextRef(i, s); });
    } else if (t == Type::kDouble) {
      double d = v.numeric();
      ForEach(rows, [&](uint32_t i) { out->SetDouble(i, d); });
    } else {
      int64_t x = v.as_int();
      ForEach(rows, [&](uint32_t i) { out->SetInt(i, x); });
    }
    return;
  }
  const Vector& v = *src.vec;
  uint8_t* ok = out->mutable_validity().data();
  const uint8_t* sok = v.validity();
  if (t == Type::kText) {
    std::string_view* d = out->mutable_strings().data();
    const std::string_view* s = v.strings();
    ForEach(rows, [&](uint32_t i) {
      ok[i] = sok[i];
      d[i] = s[i];
    });
    out->ShareHeap(v);
  } else if (t == Type::kDouble) {
    double* d = out->mutable_doubles().data();
    if (v.type() == Type::kDouble) {
      const double* s = v.doubles();
      ForEach(rows, [&](uint32_t i) {
        ok[i] = sok[i];
        d[i] = s[i];
      });
    } else {
      const int64_t* s = v.ints();
      ForEach(rows, [&](uint32_t i) {
        ok[i] = sok[i];
        d[i] = static_cast<double>(s[i]);
      });
    }
  } else {
    int64_t* d = out->mutable_ints().data();
    const int64_t* s = v.ints();
    ForEach(rows, [&](uint32_t i) {
      ok[i] = sok[i];
      d[i] = s[i];
    });
  }
}

// Rows of `sel` in neither `a` nor `b` (all ascending).
std::vector<uint32_t> Minus(const Sel& sel, const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  std::vector<uint32_t> out;
  out.reserve(sel.n - std::min(sel.n, a.size() + b.size()));
  size_t ia = 0, ib = 0;
  ForEach(sel, [&](uint32_t i) {
    while (ia < a.size() && a[ia] < i) ia++;
    while (ib < b.size() && b[ib] < i) ib++;
    if ((ia < a.size() && a[ia] == i) || (ib < b.size() && b[ib] == i)) return;
    out.push_back(i);
  });
  return out;
}

std::vector<uint32_t> Merge(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  std::vector<uint32_t> out(a.size() + b.size());
  std::merge(a.begin(), a.end(), b.begin(), b.end(), out.begin());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Columns and literals.

void EvalColumn(const Expr& e, const Chunk& in, const Sel& sel, Vector* out) {
  const Vector& col = in.columns[e.column];
  if (col.type() != e.type) {  // not expected from the binder: convert through Values
    InitOut(out, e.type, in.rows);
    ForEach(sel, [&](uint32_t i) { out->Set(i, col.Get(i)); });
    return;
  }
  if (sel.dense() && sel.n == col.size()) {
    *out = col;  // copies the arrays and shares the heaps
    return;
  }
  InitOut(out, e.type, in.rows);
  Operand op;
  op.vec = &col;
  op.type = e.type;
  Scatter(op, sel, out);
}

void EvalLiteral(const Expr& e, const Chunk& in, const Sel& sel, Vector* out) {
  InitOut(out, e.type, in.rows);
  Operand op;
  op.constant = &e.literal;
  op.type = e.type;
  Scatter(op, sel, out);
}

// ---------------------------------------------------------------------------------------------
// Boolean connectives. Each evaluates a child only on the rows sql::Eval evaluates it on.

void SelectAnd(const Expr& e, const Chunk& in, const Sel& sel, BoolRows* out) {
  // `active`: rows no child has made false yet; `nulls` marks rows a child made NULL.
  std::vector<uint32_t> active;
  std::vector<uint8_t> nulls;
  Sel cur = sel;
  for (const auto& c : e.children) {
    BoolRows r;
    SelectNode(*c, in, cur, &r);
    if (!r.n.empty()) {
      if (nulls.empty()) nulls.assign(in.rows, 0);
      for (uint32_t i : r.n) nulls[i] = 1;
      active = Merge(r.t, r.n);
    } else {
      active = std::move(r.t);
    }
    cur = Sel::Of(active);
    if (active.empty()) break;
  }
  out->t.clear();
  out->n.clear();
  if (nulls.empty()) {
    out->t = std::move(active);
    return;
  }
  for (uint32_t i : active) (nulls[i] ? out->n : out->t).push_back(i);
}

void SelectOr(const Expr& e, const Chunk& in, const Sel& sel, BoolRows* out) {
  // `active`: rows no child has made true yet.
  std::vector<uint32_t> active, trues;
  std::vector<uint8_t> nulls;
  Sel cur = sel;
  for (const auto& c : e.children) {
    BoolRows r;
    SelectNode(*c, in, cur, &r);
    if (!r.n.empty()) {
      if (nulls.empty()) nulls.assign(in.rows, 0);
      for (uint32_t i : r.n) nulls[i] = 1;
    }
    if (!r.t.empty()) {
      trues = trues.empty() ? r.t : Merge(trues, r.t);
      active = Minus(cur, r.t, {});
      cur = Sel::Of(active);
    }
    if (cur.n == 0) break;
  }
  out->t = std::move(trues);
  out->n.clear();
  if (!nulls.empty()) ForEach(cur, [&](uint32_t i) {
      if (nulls[i]) out->n.push_back(i);
    });
}

void SelectNot(const Expr& e, const Chunk& in, const Sel& sel, BoolRows* out) {
  BoolRows r;
  SelectNode(*e.children[0], in, sel, &r);
  out->t = Minus(sel, r.t, r.n);
  out->n = std::move(r.n);
}

void SelectIsNull(const Expr& e, const Chunk& in, const Sel& sel, BoolRows* out) {
  Operand op;
  EvalOperand(*e.children[0], in, sel, &op);
  out->t.clear();
  out->n.clear();
  if (op.is_const()) {
    if (op.const_null() != e.negated) ForEach(sel, [&](uint32_t i) { out->t.push_back(i); });
    return;
  }
  const uint8_t* ok = op.vec->validity();
  uint8_t want = e.negated ? 1 : 0;  // IS NULL: validity 0
  out->t.resize(sel.n);
  size_t k = 0;
  uint32_t* t = out->t.data();
  ForEach(sel, [&](uint32_t i) {
    t[k] = i;
    k += ok[i] == want;
  });
  out->t.resize(k);
}

// Splits a boolean operand into true and NULL rows.
void SplitBool(const Operand& op, const Sel& sel, BoolRows* out) {
  out->t.clear();
  out->n.clear();
  if (op.is_const()) {
    if (op.const_null()) ForEach(sel, [&](uint32_t i) { out->n.push_back(i); });
    else if (op.constant->as_bool()) ForEach(sel, [&](uint32_t i) { out->t.push_back(i); });
    return;
  }
  const uint8_t* ok = op.vec->validity();
  const int64_t* v = op.vec->ints();
  out->t.resize(sel.n);
  size_t k = 0;
  uint32_t* t = out->t.data();
  bool any_null = false;
  ForEach(sel, [&](uint32_t i) {
    t[k] = i;
    k += ok[i] && v[i] != 0;
    any_null |= !ok[i];
  });
  out->t.resize(k);
  if (any_null) ForEach(sel, [&](uint32_t i) {
      if (!ok[i]) out->n.push_back(i);
    });
}

// ---------------------------------------------------------------------------------------------
// CASE and COALESCE: each branch is evaluated only on the rows that take it.

void EvalCase(const Expr& e, const Chunk& in, const Sel& sel, Vector* out) {
  InitOut(out, e.type, in.rows);
  const auto& ch = e.children;
  size_t last = ch.size() - 1;
  std::vector<uint32_t> active, taken, rest;
  Sel cur = sel;
  auto branch = [&](const Expr& then, const Sel& rows) {
    if (rows.n == 0) return;
    Operand r;
    EvalOperand(then, in, rows, &r);
    Scatter(r, rows, out);
  };
  size_t i = 0;
  if (e.has_operand) {
    Operand op;
    EvalOperand(*ch[0], in, sel, &op);
    if (op.const_null()) return branch(*ch[last], sel);  // NULL matches no WHEN
    std::vector<uint32_t> nulls;  // rows whose operand is NULL: no WHEN is evaluated for them
    if (!op.is_const()) {
      ForEach(sel, [&](uint32_t r) { (op.vec->valid(r) ? active : nulls).push_back(r); });
      cur = Sel::Of(active);
    }
    for (i = 1; i < last && cur.n > 0; i += 2) {
      Operand w;
      EvalOperand(*ch[i], in, cur, &w);
      taken.clear();
      rest.clear();
      ForEach(cur, [&](uint32_t r) {
        bool m = w.valid(r) && CompareCells(op, r, w, r) == 0;
        (m ? taken : rest).push_back(r);
      });
      branch(*ch[i + 1], Sel::Of(taken));
      active.swap(rest);
      cur = Sel::Of(active);
    }
    if (nulls.empty()) return branch(*ch[last], cur);
    std::vector<uint32_t> unmatched;
    ForEach(cur, [&](uint32_t r) { unmatched.push_back(r); });
    std::vector<uint32_t> els = Merge(unmatched, nulls);
    return branch(*ch[last], Sel::Of(els));
  }
  for (i = 0; i < last && cur.n > 0; i += 2) {
    BoolRows w;
    SelectNode(*ch[i], in, cur, &w);
    branch(*ch[i + 1], Sel::Of(w.t));
    if (!w.t.empty()) {
      rest = Minus(cur, w.t, {});
      active.swap(rest);
      cur = Sel::Of(active);
    }
  }
  branch(*ch[last], cur);
}

void EvalCoalesce(const Expr& e, const Chunk& in, const Sel& sel, Vector* out) {
  InitOut(out, e.type, in.rows);
  std::vector<uint32_t> active, rest;
  Sel cur = sel;
  for (const auto& c : e.children) {
    if (cur.n == 0) break;
    Operand v;
    EvalOperand(*c, in, cur, &v);
    if (v.is_const()) {
      if (!v.const_null()) {
        Scatter(v, cur, out);
        break;
      }
      continue;
    }
    // Copy every row (NULLs stay NULL and go to the next child).
    Scatter(v, cur, out);
    rest.clear();
    const uint8_t* ok = v.vec->validity();
    ForEach(cur, [&](uint32_t r) {
      if (!ok[r]) rest.push_back(r);
    });
    active.swap(rest);
    cur = Sel::Of(active);
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The fallback and the dispatch.

void EvalRows(const Expr& e, const Chunk& in, const Sel& sel, Vector* out) {
  InitOut(out, e.type, in.rows);
  std::vector<int> cols;
  sql::VisitColumns(e, [&](int c) {
    if (std::find(cols.begin(), cols.end(), c) == cols.end()) cols.push_back(c);
  });
  int width = 0;
  for (int c : cols) width = std::max(width, c + 1);
  std::vector<Value> row(static_cast<size_t>(width));
  ForEach(sel, [&](uint32_t i) {
    for (int c : cols) row[c] = in.columns[c].Get(i);
    Value v = sql::Eval(e, row.data());
    if (!v.is_null()) out->Set(i, v);
  });
}

bool HasSelectKernel(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kCompare:
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kNot:
    case ExprKind::kIsNull:
    case ExprKind::kBetween: return true;
    case ExprKind::kIn: return InHasKernel(e);
    case ExprKind::kLike: return LikeHasKernel(e);
    default: return false;
  }
}

void SelectNode(const Expr& e, const Chunk& in, const Sel& sel, BoolRows* out) {
  switch (e.kind) {
    case ExprKind::kCompare: return SelectCompare(e, in, sel, out);
    case ExprKind::kAnd: return SelectAnd(e, in, sel, out);
    case ExprKind::kOr: return SelectOr(e, in, sel, out);
    case ExprKind::kNot: return SelectNot(e, in, sel, out);
    case ExprKind::kIsNull: return SelectIsNull(e, in, sel, out);
    case ExprKind::kBetween: return SelectBetween(e, in, sel, out);
    case ExprKind::kIn:
      if (InHasKernel(e)) return SelectIn(e, in, sel, out);
      break;
    case ExprKind::kLike:
      if (LikeHasKernel(e)) return SelectLike(e, in, sel, out);
      break;
    default: break;
  }
  Operand op;
  EvalOperand(e, in, sel, &op);
  SplitBool(op, sel, out);
}

void EvalNode(const Expr& e, const Chunk& in, const Sel& sel, Vector* out) {
  switch (e.kind) {
    case ExprKind::kColumn: return EvalColumn(e, in, sel, out);
    case ExprKind::kLiteral: return EvalLiteral(e, in, sel, out);
    case ExprKind::kCompare:
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kNot:
    case ExprKind::kIsNull:
    case ExprKind::kIn:
    case ExprKind::kBetween:
    case ExprKind::kLike:
      if (HasSelectKernel(e)) {
        BoolRows r;
        SelectNode(e, in, sel, &r);
        return BoolRowsToVector(sel, r, in.rows, out);
      }
      break;
    case ExprKind::kArith: return EvalArith(e, in, sel, out);
    case ExprKind::kNegate: return EvalNegate(e, in, sel, out);
    case ExprKind::kCast:
      if (CastHasKernel(e)) return EvalCast(e, in, sel, out);
      break;
    case ExprKind::kDateTrunc:
      if (e.children[0]->type == Type::kTimestamp) return EvalDateTrunc(e, in, sel, out);
      break;
    case ExprKind::kExtract:
      if (e.children[0]->type == Type::kTimestamp) return EvalExtract(e, in, sel, out);
      break;
    case ExprKind::kCase: return EvalCase(e, in, sel, out);
    case ExprKind::kCoalesce: return EvalCoalesce(e, in, sel, out);
    default: break;
  }
  EvalRows(e, in, sel, out);
}

}  // namespace vec

// ---------------------------------------------------------------------------------------------
// Entry points. A kernel evaluates more rows than sql::Eval only where sql::Eval's order is
// arbitrary to it (both operands of a comparison, say), so when a new runtime error shows the
// chunk is evaluated again row by row: the values are the same either way, and the error recorded
// is then exactly the first one sql::Eval meets.

void EvalVector(const sql::Expr& e, const columnar::Chunk& in, columnar::Vector* out) {
  bool had_error = sql::HasEvalError();
  vec::Sel all = vec::Sel::All(in.rows);
  vec::EvalNode(e, in, all, out);
  if (!had_error && sql::HasEvalError()) {
    sql::ClearEvalError();
    vec::EvalRows(e, in, all, out);
  }
}

void EvalSelect(const sql::Expr& e, const columnar::Chunk& in, std::vector<uint32_t>* sel) {
  bool had_error = sql::HasEvalError();
  vec::Sel all = vec::Sel::All(in.rows);
  vec::BoolRows r;
  vec::SelectNode(e, in, all, &r);
  if (!had_error && sql::HasEvalError()) {
    sql::ClearEvalError();
    columnar::Vector v;
    vec::EvalRows(e, in, all, &v);
    sel->clear();
    for (uint32_t i = 0; i < in.rows; i++)
      if (v.valid(i) && v.boolean(i)) sel->push_back(i);
    return;
  }
  *sel = std::move(r.t);
}

}  // namespace laminar::sql
