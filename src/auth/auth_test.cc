#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "auth/audit.h"
#include "auth/guard.h"
#include "auth/rate_limit.h"
#include "auth/scopes.h"
#include "auth/tls.h"
#include "auth/tokens.h"
#include "common/base64.h"
#include "sql/parser.h"

namespace laminar::auth {
namespace {

Principal With(std::vector<std::string> scopes) {
  auto parsed = ParseScopes(scopes);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return Principal{"p", "token", *parsed, {}};
}

TEST(Scopes, ParseAndFormat) {
  for (const char* s : {"query", "admin", "ingest:pageviews", "ingest:*"}) {
    auto scope = ParseScope(s);
    ASSERT_TRUE(scope.ok()) << s;
    EXPECT_EQ(FormatScope(*scope), s);
  }
  for (const char* bad : {"", "ingest:", "read", "Query", "ingest"}) {
    auto scope = ParseScope(bad);
    ASSERT_FALSE(scope.ok()) << bad;
    EXPECT_NE(scope.status().message().find("scope"), std::string::npos);
  }
}

TEST(Scopes, Allows) {
  EXPECT_TRUE(Allows(With({"query"}), Access::Query()));
  EXPECT_FALSE(Allows(With({"query"}), Access::Ingest("pv")));
  EXPECT_FALSE(Allows(With({"query"}), Access::Admin()));
  EXPECT_TRUE(Allows(With({"ingest:pv"}), Access::Ingest("pv")));
  EXPECT_FALSE(Allows(With({"ingest:pv"}), Access::Ingest("other")));
  EXPECT_FALSE(Allows(With({"ingest:pv"}), Access::Query()));
  EXPECT_TRUE(Allows(With({"ingest:*"}), Access::Ingest("other")));
  EXPECT_TRUE(Allows(With({"admin"}), Access::Ingest("x")));
  EXPECT_TRUE(Allows(With({"admin"}), Access::Query()));
  EXPECT_TRUE(Allows(With({}), Access::Authenticated()));
  EXPECT_FALSE(Allows(With({}), Access::Query()));
  EXPECT_TRUE(Allows(Principal::Anonymous(), Access::Admin()));
  Status st = Authorize(With({"query"}), Access::Admin(), "DROP");
  EXPECT_EQ(st.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(st.error_code(), ErrorCode::kInsufficientPrivilege);
  EXPECT_NE(st.message().find("admin"), std::string::npos) << st.message();
}

std::vector<Access> AccessOf(const std::string& sql) {
  auto stmts = sql::Parse(sql);
  EXPECT_TRUE(stmts.ok()) << sql;
  auto a = StatementAccess(stmts->front());
  EXPECT_TRUE(a.ok()) << sql << ": " << a.status().ToString();
  return a.ok() ? *a : std::vector<Access>{};
}

std::string Names(const std::vector<Access>& a) {
  std::string out;
  for (const Access& x : a) out += (out.empty() ? "" : ",") + x.What();
  return out;
}

TEST(StatementAccess, EachKind) {
  EXPECT_EQ(Names(AccessOf("SELECT 1")), "the scope query");
  EXPECT_EQ(Names(AccessOf("EXPLAIN SELECT * FROM pv")), "the scope query");
  EXPECT_EQ(Names(AccessOf("INSERT INTO pv VALUES (1)")), "the scope ingest:pv");
  EXPECT_EQ(Names(AccessOf("INSERT INTO pv SELECT * FROM other")), "the scope ingest:pv,the scope query");
  EXPECT_EQ(Names(AccessOf("COPY pv FROM STDIN")), "the scope ingest:pv");
  EXPECT_EQ(Names(AccessOf("COPY pv TO STDOUT")), "the scope query");
  EXPECT_EQ(Names(AccessOf("COPY (SELECT 1) TO STDOUT")), "the scope query");
  EXPECT_EQ(Names(AccessOf("COPY pv FROM '/etc/passwd'")), "the scope admin");
  EXPECT_EQ(Names(AccessOf("COPY pv TO '/tmp/x'")), "the scope admin");
  EXPECT_EQ(Names(AccessOf("CREATE TABLE t (a bigint)")), "the scope admin");
  EXPECT_EQ(Names(AccessOf("DROP TABLE t")), "the scope admin");
  EXPECT_EQ(Names(AccessOf("CREATE ROLE r LOGIN PASSWORD 'x'")), "the scope admin");
  EXPECT_EQ(Names(AccessOf("UPDATE t SET a = 1")), "the scope admin");  // unknown to Laminar: closed
  EXPECT_EQ(Names(AccessOf("SET search_path = public")), "");
  EXPECT_EQ(Names(AccessOf("SHOW ALL")), "");
  EXPECT_EQ(Names(AccessOf("BEGIN")), "");
  EXPECT_EQ(Names(AccessOf("DECLARE c CURSOR WITH HOLD FOR SELECT 1")), "the scope query");
  EXPECT_EQ(Names(AccessOf("PREPARE p AS INSERT INTO t VALUES (1)")), "");  // checked when EXECUTEd
  EXPECT_EQ(Names(AccessOf("EXECUTE p")), "");
}

TEST(StatementAccess, AuthorizeStatement) {
  auto stmts = sql::Parse("INSERT INTO pv VALUES (1); DROP TABLE pv");
  ASSERT_TRUE(stmts.ok());
  EXPECT_TRUE(AuthorizeStatement(With({"ingest:pv"}), (*stmts)[0]).ok());
  EXPECT_FALSE(AuthorizeStatement(With({"ingest:other"}), (*stmts)[0]).ok());
  Status st = AuthorizeStatement(With({"ingest:pv", "query"}), (*stmts)[1]);
  EXPECT_EQ(st.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(st.message().find("DROP"), std::string::npos) << st.message();
  EXPECT_TRUE(AuthorizeStatement(With({"admin"}), (*stmts)[1]).ok());
}

TEST(Tokens, NewHashFind) {
  std::string a = NewToken(), b = NewToken();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 4u + 43u);
  EXPECT_EQ(a.substr(0, 4), "lmr_");
  std::string ha = FormatTokenHash(a);
  EXPECT_EQ(ha.size(), 7u + 64u);
  auto raw = ParseTokenHash(ha);
  ASSERT_TRUE(raw.ok());
  TokenStore store({TokenEntry{"a", *raw, {}, {}}, TokenEntry{"b", *ParseTokenHash(FormatTokenHash(b)), {}, {}}});
  ASSERT_NE(store.Find(a), nullptr);
  EXPECT_EQ(store.Find(a)->name, "a");
  EXPECT_EQ(store.Find(b)->name, "b");
  EXPECT_EQ(store.Find(a + "x"), nullptr);
  EXPECT_EQ(store.Find(""), nullptr);
  // The SHA-256 of "abc" (FIPS 180-2's example).
  EXPECT_EQ(FormatTokenHash("abc"), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_FALSE(ParseTokenHash(a).ok());
  EXPECT_NE(ParseTokenHash(a).status().message().find("not a token"), std::string::npos);
  EXPECT_FALSE(ParseTokenHash("sha256:xyz").ok());
  EXPECT_FALSE(ParseTokenHash("md5:" + std::string(64, 'a')).ok());
}

TEST(Guard, FromHttp) {
  std::string token = NewToken();
  AuthConfig c;
  c.enabled = true;
  c.tokens.push_back(TokenEntry{"loader", *ParseTokenHash(FormatTokenHash(token)), *ParseScopes({"ingest:pv"}), {}});
  std::string dir = testing::TempDir() + "/guard_test";
  std::filesystem::create_directories(dir);
  auto g = Guard::Make(c, dir + "/audit.log");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  auto p = (*g)->FromHttp("Bearer " + token, "");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->name, "loader");
  EXPECT_TRUE(Allows(*p, Access::Ingest("pv")));
  EXPECT_TRUE((*g)->FromHttp("bearer  " + token + " ", "").ok());
  EXPECT_TRUE((*g)->FromHttp("Basic " + Base64Encode("me:" + token), "").ok());
  EXPECT_TRUE((*g)->FromHttp("", token).ok());  // a Firehose access key
  for (const std::string& bad : {std::string(), "Bearer " + token + "x", std::string("Token ") + token, std::string("Bearer ")}) {
    auto r = (*g)->FromHttp(bad, "");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(r.status().message().find(token), std::string::npos);  // never echoes a secret
  }
  auto off = Guard::Open();
  auto anon = off->FromHttp("", "");
  ASSERT_TRUE(anon.ok());
  EXPECT_TRUE(anon->anonymous());
}

TEST(RateLimiter, RequestsAtLimit) {
  RateLimiter rl;
  Principal p = With({"query"});
  p.limits.requests_per_second = 1;
  p.limits.requests_burst = 3;
  auto t0 = RateLimiter::Clock::now();
  EXPECT_TRUE(rl.Admit(p, false, t0).admitted);  // limit - 2
  EXPECT_TRUE(rl.Admit(p, false, t0).admitted);  // limit - 1
  EXPECT_TRUE(rl.Admit(p, false, t0).admitted);  // limit
  auto refused = rl.Admit(p, false, t0);         // limit + 1
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  EXPECT_EQ(refused.limit, "requests_per_second = 1");
  EXPECT_FALSE(rl.Admit(p, false, t0 + std::chrono::milliseconds(900)).admitted);
  EXPECT_TRUE(rl.Admit(p, false, t0 + std::chrono::milliseconds(1950)).admitted);
  // Another principal has its own bucket; one without limits is never refused.
  Principal q = p;
  q.name = "q";
  EXPECT_TRUE(rl.Admit(q, false, t0).admitted);
  Principal free = With({"query"});
  for (int i = 0; i < 100; i++) EXPECT_TRUE(rl.Admit(free, false, t0).admitted);
}

TEST(RateLimiter, EventsSpentAfter) {
  RateLimiter rl;
  Principal p = With({"ingest:*"});
  p.limits.events_per_second = 10;
  p.limits.events_burst = 100;
  auto t0 = RateLimiter::Clock::now();
  EXPECT_TRUE(rl.Admit(p, true, t0).admitted);
  rl.Spend(p, 99, t0);                           // limit - 1 spent
  EXPECT_TRUE(rl.Admit(p, true, t0).admitted);   // one left
  rl.Spend(p, 1, t0);                            // limit
  auto refused = rl.Admit(p, true, t0);          // limit + 1
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  rl.Spend(p, 0, t0);
  EXPECT_TRUE(rl.Admit(p, true, t0 + std::chrono::milliseconds(100)).admitted);
  rl.Spend(p, 50, t0 + std::chrono::milliseconds(100));  // 49 below zero
  auto later = rl.Admit(p, true, t0 + std::chrono::milliseconds(100));
  EXPECT_FALSE(later.admitted);
  EXPECT_EQ(later.retry_after_seconds, 5);  // (1 + 49) / 10 per second
}

TEST(Audit, LinesWithoutSecrets) {
  std::string dir = testing::TempDir() + "/audit_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto log = AuditLog::Open(dir + "/audit.log");
  ASSERT_TRUE(log.ok());
  (*log)->Write(AuditEvent{"auth_failure", "", "", "http", "127.0.0.1:5", "GET /v1/views", "401 invalid token"});
  (*log)->Write(AuditEvent{"admin", "ops", "token", "http", "127.0.0.1:6", "POST /v1/batch/run", "200"});
  std::ifstream in(dir + "/audit.log");
  std::string l1, l2, l3;
  std::getline(in, l1);
  std::getline(in, l2);
  EXPECT_FALSE(std::getline(in, l3));
  EXPECT_NE(l1.find("\"event\":\"auth_failure\""), std::string::npos) << l1;
  EXPECT_NE(l2.find("\"who\":\"ops\""), std::string::npos) << l2;
  EXPECT_EQ(AuditLine(AuditEvent{"denied", "a", "token", "pg", "x", "DROP", "42501"}, 0),
            "{\"time\":\"1970-01-01T00:00:00Z\",\"event\":\"denied\",\"who\":\"a\",\"kind\":\"token\","
            "\"protocol\":\"pg\",\"from\":\"x\",\"what\":\"DROP\",\"outcome\":\"42501\"}");
}

}  // namespace
}  // namespace laminar::auth

namespace laminar::auth {
namespace {

TEST(Tls, LoadErrorsNameTheFile) {
  std::string dir = testing::TempDir() + "/tls_test";
  std::filesystem::create_directories(dir);
  auto missing = TlsContext::Load({dir + "/none.pem", dir + "/none.key", false});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kIOError);
  EXPECT_NE(missing.status().message().find("none.pem"), std::string::npos) << missing.status().message();
  std::ofstream(dir + "/junk.pem") << "not a certificate\n";
  std::ofstream(dir + "/junk.key") << "not a key\n";
  auto junk = TlsContext::Load({dir + "/junk.pem", dir + "/junk.key", false});
  ASSERT_FALSE(junk.ok());
  EXPECT_EQ(junk.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(junk.status().message().find("junk.pem"), std::string::npos) << junk.status().message();
}

}  // namespace
}  // namespace laminar::auth

#include "auth/scram.h"

namespace laminar::auth {
namespace {

TEST(Scram, VerifyPasswordForClearTextLogins) {
  ScramVerifier v = MakeVerifier("right-pw");
  EXPECT_TRUE(VerifyPassword(v, "right-pw"));
  EXPECT_FALSE(VerifyPassword(v, "wrong-pw"));
  EXPECT_FALSE(VerifyPassword(v, ""));
  ScramVerifier broken = v;
  broken.iterations = 0;
  EXPECT_FALSE(VerifyPassword(broken, "right-pw"));
}

}  // namespace
}  // namespace laminar::auth
