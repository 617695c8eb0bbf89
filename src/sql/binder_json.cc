// Transitional JSON entry points of the binder (sql/binder.h): transform, then bind the tree.
// Removed with the serving and catalog paths that still walk libpg_query's JSON.
#include "sql/binder.h"
#include "sql/transformer.h"

namespace laminar::sql {

using json = nlohmann::json;

namespace {

// No node at all (a missing field): refused as the JSON binder always did, before the transformer
// (which calls it a malformed tree) sees it.
bool IsEmptyNode(const json& node) { return !node.is_object() || node.empty(); }

Status EmptyExpression() { return Unimplemented("unsupported expression: empty expression"); }

// The JSON hook as a BindHook: offered the node each expression was transformed from
// (ast::Expr::json_source); an expression without one binds normally.
BindHook Adapt(const JsonBindHook& hook) {
  return [&hook](const ast::Expr& e) -> Result<ExprPtr> {
    if (!e.json_source) return ExprPtr();
    return hook(*static_cast<const json*>(e.json_source));
  };
}

}  // namespace

Result<ExprPtr> BindExpr(const json& node, const Scope& scope, const JsonBindHook* hook) {
  if (IsEmptyNode(node)) return EmptyExpression();
  ASSIGN_OR_RETURN(ast::ExprPtr tree, TransformExpr(node));
  if (!hook || !*hook) return BindExpr(*tree, scope);
  BindHook adapter = Adapt(*hook);
  return BindExpr(*tree, scope, &adapter);
}

Result<ExprPtr> BindPredicate(const json& node, const Scope& scope, const JsonBindHook* hook) {
  if (IsEmptyNode(node)) return EmptyExpression();
  ASSIGN_OR_RETURN(ast::ExprPtr tree, TransformExpr(node));
  if (!hook || !*hook) return BindPredicate(*tree, scope);
  BindHook adapter = Adapt(*hook);
  return BindPredicate(*tree, scope, &adapter);
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
