// The transformer's session statements (sql/ast_session.h): what pgwire's session reads of SET,
// SHOW, transaction blocks, DISCARD and cursors, from the parse tree.
#include <gtest/gtest.h>

#include "sql/parser.h"
#include "sql/transformer.h"

namespace laminar::sql {
namespace {

ast::SessionStmt Session(std::string_view text) {
  auto parsed = Parse(text);
  EXPECT_TRUE(parsed.ok() && parsed->size() == 1) << text;
  auto r = TransformSessionStmt(parsed->front());
  EXPECT_TRUE(r.ok() && r->has_value()) << text << ": " << (r.ok() ? "not a session statement" : r.status().ToString());
  return r.ok() && *r ? std::move(**r) : ast::SessionStmt(ast::CloseStmt{});
}

TEST(TransformSessionTest, SetValuesAsWritten) {
  auto s = std::get<ast::SetStmt>(Session("SET search_path = \"$user\", public"));
  EXPECT_EQ(s.kind, ast::SetStmt::Kind::kValue);
  EXPECT_EQ(s.name, "search_path");
  EXPECT_EQ(s.values, (std::vector<std::string>{"$user", "public"}));
  s = std::get<ast::SetStmt>(Session("SET LOCAL extra_float_digits TO -3"));
  EXPECT_TRUE(s.local);
  EXPECT_EQ(s.values, std::vector<std::string>{"-3"});
  s = std::get<ast::SetStmt>(Session("SET x.y = 0"));
  EXPECT_EQ(s.values, std::vector<std::string>{"0"});  // libpg_query drops a zero: sql::Parse restores it
  s = std::get<ast::SetStmt>(Session("SET TIME ZONE 'Europe/Berlin'"));
  EXPECT_EQ(s.name, "timezone");
  EXPECT_EQ(s.values, std::vector<std::string>{"Europe/Berlin"});
  s = std::get<ast::SetStmt>(Session("SET TIME ZONE INTERVAL '+02:00' HOUR TO MINUTE"));
  EXPECT_EQ(s.values, std::vector<std::string>{"+02:00"});
  EXPECT_EQ(std::get<ast::SetStmt>(Session("SET TIME ZONE LOCAL")).kind, ast::SetStmt::Kind::kDefault);
  EXPECT_EQ(std::get<ast::SetStmt>(Session("SET a TO DEFAULT")).kind, ast::SetStmt::Kind::kDefault);
  EXPECT_EQ(std::get<ast::SetStmt>(Session("RESET a")).kind, ast::SetStmt::Kind::kReset);
  EXPECT_EQ(std::get<ast::SetStmt>(Session("RESET ALL")).kind, ast::SetStmt::Kind::kResetAll);
  s = std::get<ast::SetStmt>(Session("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE"));
  EXPECT_EQ(s.kind, ast::SetStmt::Kind::kSessionCharacteristics);
  ASSERT_EQ(s.options.size(), 1u);
  EXPECT_EQ(s.options[0].name, "transaction_isolation");
  EXPECT_EQ(s.options[0].value, "serializable");
  auto parsed = Parse("SET a FROM CURRENT");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(TransformSessionStmt(parsed->front()).status().code(), StatusCode::kUnimplemented);
}

TEST(TransformSessionTest, ShowTransactionsDiscard) {
  EXPECT_EQ(std::get<ast::ShowStmt>(Session("SHOW TIME ZONE")).name, "timezone");
  EXPECT_EQ(std::get<ast::ShowStmt>(Session("SHOW transaction isolation level")).name, "transaction_isolation");
  auto t = std::get<ast::TransactionStmt>(Session("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
  EXPECT_EQ(t.kind, ast::TransactionStmt::Kind::kBegin);
  ASSERT_EQ(t.options.size(), 2u);
  EXPECT_EQ(t.options[0].value, "repeatable read");
  EXPECT_EQ(t.options[1].name, "transaction_read_only");
  EXPECT_EQ(std::get<ast::TransactionStmt>(Session("END")).kind, ast::TransactionStmt::Kind::kCommit);
  EXPECT_EQ(std::get<ast::TransactionStmt>(Session("ABORT")).kind, ast::TransactionStmt::Kind::kRollback);
  EXPECT_TRUE(std::get<ast::TransactionStmt>(Session("COMMIT AND CHAIN")).chain);
  EXPECT_EQ(std::get<ast::TransactionStmt>(Session("ROLLBACK TO SAVEPOINT a")).words, "ROLLBACK TO SAVEPOINT");
  EXPECT_EQ(std::get<ast::DiscardStmt>(Session("DISCARD PLANS")).target, ast::DiscardStmt::Target::kPlans);
}

TEST(TransformSessionTest, Cursors) {
  auto d = std::get<ast::DeclareCursorStmt>(Session("DECLARE c BINARY CURSOR WITH HOLD FOR SELECT 1 AS for_x"));
  EXPECT_EQ(d.name, "c");
  EXPECT_TRUE(d.binary && d.hold && !d.scroll);
  ASSERT_TRUE(d.query);
  EXPECT_EQ(d.query->targets.at(0).alias, "for_x");
  auto f = std::get<ast::FetchStmt>(Session("FETCH 5 FROM c"));
  EXPECT_EQ(f.count, 5);
  EXPECT_FALSE(f.move);
  f = std::get<ast::FetchStmt>(Session("MOVE ALL IN c"));
  EXPECT_TRUE(f.move);
  EXPECT_EQ(f.count, INT64_MAX);
  EXPECT_EQ(std::get<ast::FetchStmt>(Session("FETCH c")).count, 1);
  EXPECT_EQ(std::get<ast::FetchStmt>(Session("FETCH 0 c")).count, 0);
  EXPECT_EQ(std::get<ast::FetchStmt>(Session("FETCH BACKWARD 2 c")).direction, ast::FetchStmt::Direction::kBackward);
  EXPECT_EQ(std::get<ast::CloseStmt>(Session("CLOSE c")).name, std::optional<std::string>("c"));
  EXPECT_FALSE(std::get<ast::CloseStmt>(Session("CLOSE ALL")).name);
  auto parsed = Parse("SELECT 1");
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(*TransformSessionStmt(parsed->front()));
}

}  // namespace
}  // namespace laminar::sql
