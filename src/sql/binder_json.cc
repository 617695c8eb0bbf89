// JSON entry points of the binder (sql/binder.h), for DDL and tests: transform, then bind the
// tree.
#include "sql/binder.h"
#include "sql/transformer.h"

namespace laminar::sql {

using json = nlohmann::json;

namespace {

// No node at all (a missing field): refused as the JSON binder always did, before the transformer
// (which calls it a malformed tree) sees it.
bool IsEmptyNode(const json& node) { return !node.is_object() || node.empty(); }

Status EmptyExpression() { return Unimplemented("unsupported expression: empty expression"); }

}  // namespace

Result<ExprPtr> BindExpr(const json& node, const Scope& scope) {
  if (IsEmptyNode(node)) return EmptyExpression();
  ASSIGN_OR_RETURN(ast::ExprPtr tree, TransformExpr(node));
  return BindExpr(*tree, scope);
}

Result<ExprPtr> BindPredicate(const json& node, const Scope& scope) {
  if (IsEmptyNode(node)) return EmptyExpression();
  ASSIGN_OR_RETURN(ast::ExprPtr tree, TransformExpr(node));
  return BindPredicate(*tree, scope);
}

Result<Value> ConstValue(const json& node) {
  if (IsEmptyNode(node)) return InvalidArgument("expected a constant, got empty expression");
  ASSIGN_OR_RETURN(ast::ExprPtr tree, TransformExpr(node));
  return ConstValue(*tree);
}

std::string ColumnRefName(const json& node) {
  if (!node.is_object() || !node.contains("ColumnRef")) return "";  // not worth transforming
  auto tree = TransformExpr(node);
  return tree.ok() ? ColumnRefName(**tree) : "";
}

}  // namespace laminar::sql
