#include "sql/expr.h"

#include <fmt/format.h>

#include <cmath>

namespace laminar::sql {

ExprPtr MakeColumn(int index, std::string name, Type type) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kColumn;
  e->column = index;
  e->column_name = std::move(name);
  e->type = type;
  return e;
}

ExprPtr MakeLiteral(Value v, Type type) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kLiteral;
  e->literal = std::move(v);
  e->type = type;
  return e;
}

ExprPtr MakeCompare(CompareOp op, ExprPtr a, ExprPtr b) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCompare;
  e->op = op;
  e->type = Type::kBool;
  e->children = {std::move(a), std::move(b)};
  return e;
}

ExprPtr MakeDateTrunc(TimeUnit unit, ExprPtr arg) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kDateTrunc;
  e->unit = unit;
  e->type = Type::kTimestamp;
  e->children = {std::move(arg)};
  return e;
}

namespace {

const char* OpText(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kNe: return "<>";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
  }
  return "?";
}

const char* ArithText(ArithOp op) {
  switch (op) {
    case ArithOp::kAdd: return "+";
    case ArithOp::kSub: return "-";
    case ArithOp::kMul: return "*";
    case ArithOp::kDiv: return "/";
    case ArithOp::kMod: return "%";
  }
  return "?";
}

std::string LiteralText(const Value& v) {
  if (v.is_null()) return "NULL";
  if (v.type() == Type::kText || v.type() == Type::kTimestamp) {
    std::string s = v.ToString(), out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  }
  return v.ToString();
}

Value Bool3(int b) { return b < 0 ? Value::Null() : Value::Bool(b != 0); }
// -1 unknown, 0 false, 1 true
int Truth(const Value& v) { return v.is_null() ? -1 : (v.as_bool() ? 1 : 0); }

bool CompareHolds(CompareOp op, int c) {
  switch (op) {
    case CompareOp::kEq: return c == 0;
    case CompareOp::kNe: return c != 0;
    case CompareOp::kLt: return c < 0;
    case CompareOp::kLe: return c <= 0;
    case CompareOp::kGt: return c > 0;
    case CompareOp::kGe: return c >= 0;
  }
  return false;
}

Value Arith(ArithOp op, const Value& a, const Value& b, Type type) {
  if (a.is_null() || b.is_null()) return Value::Null();
  if (type == Type::kInt64) {
    int64_t x = a.as_int(), y = b.as_int(), r = 0;
    switch (op) {
      case ArithOp::kAdd: if (__builtin_add_overflow(x, y, &r)) return Value::Null(); break;
      case ArithOp::kSub: if (__builtin_sub_overflow(x, y, &r)) return Value::Null(); break;
      case ArithOp::kMul: if (__builtin_mul_overflow(x, y, &r)) return Value::Null(); break;
      case ArithOp::kDiv: if (y == 0 || (x == INT64_MIN && y == -1)) return Value::Null(); r = x / y; break;
      case ArithOp::kMod: if (y == 0 || y == -1) return y == -1 ? Value::Int(0) : Value::Null(); r = x % y; break;
    }
    return Value::Int(r);
  }
  double x = a.numeric(), y = b.numeric(), r = 0;
  switch (op) {
    case ArithOp::kAdd: r = x + y; break;
    case ArithOp::kSub: r = x - y; break;
    case ArithOp::kMul: r = x * y; break;
    case ArithOp::kDiv: if (y == 0) return Value::Null(); r = x / y; break;
    case ArithOp::kMod: if (y == 0) return Value::Null(); r = std::fmod(x, y); break;
  }
  return Value::Double(r);
}

}  // namespace

std::string Expr::ToString() const {
  switch (kind) {
    case ExprKind::kColumn: return column_name;
    case ExprKind::kLiteral: return LiteralText(literal);
    case ExprKind::kCompare:
      return fmt::format("({} {} {})", children[0]->ToString(), OpText(op), children[1]->ToString());
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      std::string out = "(";
      for (size_t i = 0; i < children.size(); i++) {
        if (i) out += kind == ExprKind::kAnd ? " AND " : " OR ";
        out += children[i]->ToString();
      }
      return out + ")";
    }
    case ExprKind::kNot: return "(NOT " + children[0]->ToString() + ")";
    case ExprKind::kIn: {
      std::string out = "(" + children[0]->ToString() + (negated ? " NOT IN (" : " IN (");
      for (size_t i = 1; i < children.size(); i++) out += (i > 1 ? ", " : "") + children[i]->ToString();
      return out + "))";
    }
    case ExprKind::kBetween:
      return fmt::format("({} {}BETWEEN {} AND {})", children[0]->ToString(), negated ? "NOT " : "",
                         children[1]->ToString(), children[2]->ToString());
    case ExprKind::kIsNull:
      return fmt::format("({} IS {}NULL)", children[0]->ToString(), negated ? "NOT " : "");
    case ExprKind::kDateTrunc:
      return fmt::format("date_trunc('{}', {})", TimeUnitName(unit), children[0]->ToString());
    case ExprKind::kArith:
      return fmt::format("({} {} {})", children[0]->ToString(), ArithText(arith), children[1]->ToString());
    case ExprKind::kNegate: return "(-" + children[0]->ToString() + ")";
  }
  return "?";
}

Value Eval(const Expr& e, const Value* row) {
  switch (e.kind) {
    case ExprKind::kColumn: return row[e.column];
    case ExprKind::kLiteral: return e.literal;
    case ExprKind::kCompare: {
      Value a = Eval(*e.children[0], row), b = Eval(*e.children[1], row);
      if (a.is_null() || b.is_null()) return Value::Null();
      return Value::Bool(CompareHolds(e.op, Value::Compare(a, b)));
    }
    case ExprKind::kAnd: {
      int r = 1;
      for (const auto& c : e.children) {
        int t = Truth(Eval(*c, row));
        if (t == 0) return Value::Bool(false);
        if (t < 0) r = -1;
      }
      return Bool3(r);
    }
    case ExprKind::kOr: {
      int r = 0;
      for (const auto& c : e.children) {
        int t = Truth(Eval(*c, row));
        if (t == 1) return Value::Bool(true);
        if (t < 0) r = -1;
      }
      return Bool3(r);
    }
    case ExprKind::kNot: {
      int t = Truth(Eval(*e.children[0], row));
      return Bool3(t < 0 ? -1 : !t);
    }
    case ExprKind::kIn: {
      Value a = Eval(*e.children[0], row);
      if (a.is_null()) return Value::Null();
      int r = 0;
      for (size_t i = 1; i < e.children.size(); i++) {
        Value b = Eval(*e.children[i], row);
        if (b.is_null()) { r = -1; continue; }
        if (Value::Compare(a, b) == 0) { r = 1; break; }
      }
      if (e.negated && r >= 0) r = !r;
      return Bool3(r);
    }
    case ExprKind::kBetween: {
      Value a = Eval(*e.children[0], row), lo = Eval(*e.children[1], row),
            hi = Eval(*e.children[2], row);
      if (a.is_null() || lo.is_null() || hi.is_null()) return Value::Null();
      bool in = Value::Compare(a, lo) >= 0 && Value::Compare(a, hi) <= 0;
      return Value::Bool(e.negated ? !in : in);
    }
    case ExprKind::kIsNull: {
      bool n = Eval(*e.children[0], row).is_null();
      return Value::Bool(e.negated ? !n : n);
    }
    case ExprKind::kDateTrunc: {
      Value a = Eval(*e.children[0], row);
      if (a.is_null()) return a;
      return Value::Timestamp(DateTrunc(e.unit, a.as_int()));
    }
    case ExprKind::kArith:
      return Arith(e.arith, Eval(*e.children[0], row), Eval(*e.children[1], row), e.type);
    case ExprKind::kNegate: {
      Value a = Eval(*e.children[0], row);
      if (a.is_null()) return a;
      if (e.type == Type::kInt64) return a.as_int() == INT64_MIN ? Value::Null() : Value::Int(-a.as_int());
      return Value::Double(-a.numeric());
    }
  }
  return Value::Null();
}

bool EvalPredicate(const Expr& e, const Value* row) { return Truth(Eval(e, row)) == 1; }

}  // namespace laminar::sql
