// A test helper of sql/ (func_test.cc, date_test.cc, ...): binds an expression's SQL text over a scope
// the way queries do (parse → transform → bind) and evaluates it over one row.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "sql/binder.h"
#include "sql/expr.h"
#include "sql/parser.h"
#include "sql/transformer.h"

namespace laminar::sql {

// The syntax tree of an expression's SQL text (parse and transform errors as they come).
inline Result<ast::ExprPtr> ExprTree(const std::string& expr) {
  ASSIGN_OR_RETURN(auto stmts, Parse("SELECT " + expr + " FROM t"));
  return TransformExpr(stmts[0].node["SelectStmt"]["targetList"][0]["ResTarget"]["val"]);
}

class ExprTester {
 public:
  ExprTester(Scope scope, std::vector<Value> row) : scope_(std::move(scope)), row_(std::move(row)) {}

  Result<ExprPtr> Bind(const std::string& expr) const {
    ASSIGN_OR_RETURN(ast::ExprPtr tree, ExprTree(expr));
    return BindExpr(*tree, scope_);
  }

  // The value as psql prints it ((expr)::text), "NULL", "ERROR: <bind error>" or "RUNTIME ERROR:
  // <message>".
  std::string Ev(const std::string& expr) const {
    auto e = Bind(expr);
    if (!e.ok()) return "ERROR: " + e.status().message();
    ClearEvalError();
    std::vector<Value> row = row_;
    Value v = Eval(**e, row.data());
    if (HasEvalError()) {
      EXPECT_TRUE(v.is_null()) << expr;
      return "RUNTIME ERROR: " + TakeEvalError().message();
    }
    if (v.is_null()) return "NULL";
    EXPECT_EQ((*e)->type, v.type()) << expr << ": the value's type is not the expression's";
    return PgText(v, (*e)->type);
  }

  // The error of an expression that fails, when bound (constants fold then) or on the row.
  Status Error(const std::string& expr) const {
    auto e = Bind(expr);
    if (!e.ok()) return e.status();
    ClearEvalError();
    std::vector<Value> row = row_;
    Eval(**e, row.data());
    return TakeEvalError();
  }

  Type TypeOf(const std::string& expr) const {
    auto e = Bind(expr);
    EXPECT_TRUE(e.ok()) << expr << ": " << e.status().ToString();
    return e.ok() ? (*e)->type : Type::kText;
  }

 private:
  Scope scope_;
  std::vector<Value> row_;
};

}  // namespace laminar::sql
