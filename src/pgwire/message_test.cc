#include "pgwire/message.h"

#include <gtest/gtest.h>

#include <cstring>

#include "common/time_util.h"

namespace laminar::pgwire {
namespace {

std::string I16(int v) { return {char(v >> 8), char(v)}; }
std::string I32(uint32_t v) { return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)}; }
std::string Cstr(const std::string& s) { return s + '\0'; }
std::string Msg(char type, const std::string& body) { return std::string(1, type) + I32(uint32_t(body.size() + 4)) + body; }

Result<FrontendMessage> DecodeOne(const std::string& wire) {
  size_t consumed = 0;
  auto m = DecodeFrontendMessage(wire, kDefaultMaxMessageBytes, &consumed);
  if (!m.ok()) return m.status();
  if (!m->has_value()) return InvalidArgument("incomplete");
  EXPECT_EQ(consumed, wire.size());
  return std::move(**m);
}

TEST(StartupTest, SslGssCancelAndStartup) {
  auto ssl = DecodeStartupBody(I32(80877103));
  ASSERT_TRUE(ssl.ok());
  EXPECT_EQ(ssl->kind, StartupPacket::Kind::kSslRequest);
  auto gss = DecodeStartupBody(I32(80877104));
  ASSERT_TRUE(gss.ok());
  EXPECT_EQ(gss->kind, StartupPacket::Kind::kGssEncRequest);
  auto cancel = DecodeStartupBody(I32(80877102) + I32(42) + I32(7));
  ASSERT_TRUE(cancel.ok());
  EXPECT_EQ(cancel->kind, StartupPacket::Kind::kCancelRequest);
  EXPECT_EQ(cancel->process_id, 42);
  EXPECT_EQ(cancel->secret_key, 7);
  auto p = DecodeStartupBody(I32(196608) + Cstr("user") + Cstr("alice") + Cstr("database") + Cstr("laminar") + '\0');
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->kind, StartupPacket::Kind::kStartup);
  EXPECT_EQ(p->params["user"], "alice");
  EXPECT_EQ(p->params["database"], "laminar");
}

TEST(StartupTest, HostileInput) {
  uint8_t small[4] = {0, 0, 0, 4};
  EXPECT_EQ(DecodeStartupLength(small, 10000).status().code(), StatusCode::kInvalidArgument);
  uint8_t huge[4] = {0x7f, 0, 0, 0};
  auto h = DecodeStartupLength(huge, 10000);
  EXPECT_EQ(h.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(h.status().message().find("exceeds the limit"), std::string::npos);
  EXPECT_FALSE(DecodeStartupBody("").ok());                                          // truncated
  EXPECT_EQ(DecodeStartupBody(I32(0x00020000)).status().code(), StatusCode::kUnimplemented);  // 2.0
  EXPECT_FALSE(DecodeStartupBody(I32(196608) + "user").ok());                        // no NUL
  EXPECT_FALSE(DecodeStartupBody(I32(196608) + Cstr("user") + Cstr("a")).ok());      // no final NUL
  EXPECT_FALSE(DecodeStartupBody(I32(196608) + Cstr("database") + Cstr("d") + '\0').ok());  // no user
  EXPECT_FALSE(DecodeStartupBody(I32(80877103) + "x").ok());                         // trailing bytes
  EXPECT_FALSE(DecodeStartupBody(I32(80877102) + I32(1)).ok());                      // short cancel
}

TEST(FrontendTest, DecodesEveryType) {
  auto q = DecodeOne(Msg('Q', Cstr("SELECT 1")));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->sql, "SELECT 1");

  auto p = DecodeOne(Msg('P', Cstr("s") + Cstr("SELECT $1") + I16(1) + I32(20)));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->name, "s");
  EXPECT_EQ(p->param_types, std::vector<uint32_t>{20});

  auto b = DecodeOne(Msg('B', Cstr("portal") + Cstr("s") + I16(1) + I16(1) + I16(2) + I32(8) + std::string(7, '\0') +
                                  "\x05" + I32(uint32_t(-1)) + I16(1) + I16(1)));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->portal, "portal");
  EXPECT_EQ(b->name, "s");
  ASSERT_EQ(b->params.size(), 2u);
  EXPECT_EQ(b->params[0]->size(), 8u);
  EXPECT_FALSE(b->params[1].has_value());
  EXPECT_EQ(b->result_formats, std::vector<int16_t>{1});

  auto d = DecodeOne(Msg('D', "P" + Cstr("portal")));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->target, 'P');
  auto e = DecodeOne(Msg('E', Cstr("portal") + I32(5)));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->max_rows, 5);
  auto c = DecodeOne(Msg('C', "S" + Cstr("s")));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->target, 'S');
  for (char t : {'S', 'H', 'X'}) EXPECT_TRUE(DecodeOne(Msg(t, "")).ok()) << t;
}

TEST(FrontendTest, IncompleteIsNotAnError) {
  std::string wire = Msg('Q', Cstr("SELECT 1"));
  for (size_t n = 0; n < wire.size(); n++) {
    size_t consumed = 7;
    auto m = DecodeFrontendMessage(std::string_view(wire).substr(0, n), kDefaultMaxMessageBytes, &consumed);
    ASSERT_TRUE(m.ok()) << n;
    EXPECT_FALSE(m->has_value());
    EXPECT_EQ(consumed, 0u);
  }
}

TEST(FrontendTest, HostileInput) {
  auto err = [](const std::string& wire) {
    auto m = DecodeOne(wire);
    EXPECT_FALSE(m.ok());
    return m.ok() ? std::string() : m.status().message();
  };
  EXPECT_NE(err(Msg('Z', "")).find("invalid frontend message type"), std::string::npos);
  EXPECT_NE(err(Msg('Q', "SELECT 1")).find("not NUL-terminated"), std::string::npos);
  EXPECT_NE(err(Msg('Q', Cstr("x") + "junk")).find("trailing"), std::string::npos);
  EXPECT_NE(err("Q" + I32(2)).find("invalid length"), std::string::npos);
  // Oversize: refused from the length field alone.
  {
    size_t consumed = 0;
    auto m = DecodeFrontendMessage("Q" + I32(2u << 20), kDefaultMaxMessageBytes, &consumed);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.status().code(), StatusCode::kResourceExhausted);
  }
  // Lying counts and lengths.
  EXPECT_NE(err(Msg('P', Cstr("") + Cstr("q") + I16(1000) + I32(1))).find("exceeds"), std::string::npos);
  EXPECT_NE(err(Msg('P', Cstr("") + Cstr("q") + I16(-1))).find("negative"), std::string::npos);
  EXPECT_NE(err(Msg('B', Cstr("") + Cstr("") + I16(0) + I16(1) + I32(100) + "ab" + I16(0))).find("exceeds"),
            std::string::npos);
  EXPECT_NE(err(Msg('B', Cstr("") + Cstr("") + I16(0) + I16(1) + I32(uint32_t(-5)) + I16(0))).find("invalid parameter length"),
            std::string::npos);
  EXPECT_NE(err(Msg('B', Cstr("") + Cstr("") + I16(1) + I16(7) + I16(0) + I16(0))).find("format code 7"),
            std::string::npos);
  EXPECT_NE(err(Msg('B', Cstr("") + Cstr("") + I16(2) + I16(0) + I16(0) + I16(1) + I32(1) + "x" + I16(0)))
                .find("2 parameter formats for 1 parameters"),
            std::string::npos);
  EXPECT_NE(err(Msg('D', "Q" + Cstr("x"))).find("invalid target"), std::string::npos);
  EXPECT_NE(err(Msg('E', Cstr("p") + "\x01")).find("truncated"), std::string::npos);
  EXPECT_NE(err(Msg('S', "x")).find("trailing"), std::string::npos);
}

TEST(BackendTest, Framing) {
  std::string out;
  WriteReadyForQuery(&out, 'I');
  EXPECT_EQ(out, std::string("Z") + I32(5) + "I");
  out.clear();
  WriteCommandComplete(&out, "SELECT 3");
  EXPECT_EQ(out, "C" + I32(4 + 9) + Cstr("SELECT 3"));
  out.clear();
  WriteDataRow(&out, {std::string("ab"), std::nullopt});
  EXPECT_EQ(out, "D" + I32(4 + 2 + 4 + 2 + 4) + I16(2) + I32(2) + "ab" + I32(uint32_t(-1)));
  out.clear();
  WriteRowDescription(&out, {{"n", kOidInt8, 0}});
  EXPECT_EQ(out, "T" + I32(4 + 2 + 2 + 18) + I16(1) + Cstr("n") + I32(0) + I16(0) + I32(20) + I16(8) +
                     I32(uint32_t(-1)) + I16(0));
  out.clear();
  WriteErrorResponse(&out, "ERROR", "42601", "bad");
  EXPECT_EQ(out, "E" + I32(4 + 7 + 7 + 7 + 5 + 1) + "S" + Cstr("ERROR") + "V" + Cstr("ERROR") + "C" + Cstr("42601") +
                     "M" + Cstr("bad") + '\0');
  out.clear();
  WriteAuthenticationOk(&out);
  WriteParameterDescription(&out, {25});
  WriteEmptyQueryResponse(&out);
  EXPECT_EQ(out, "R" + I32(8) + I32(0) + "t" + I32(10) + I16(1) + I32(25) + "I" + I32(4));
}

TEST(ValueTest, TextAndBinary) {
  EXPECT_EQ(EncodeText(Value::Bool(true), Type::kBool), "t");
  EXPECT_EQ(EncodeText(Value::Bool(false), Type::kBool), "f");
  EXPECT_EQ(EncodeText(Value::Int(-12), Type::kInt64), "-12");
  EXPECT_EQ(EncodeText(Value::Double(0.1), Type::kDouble), "0.1");
  EXPECT_EQ(EncodeText(Value::Double(1.0 / 3), Type::kDouble), "0.3333333333333333");
  EXPECT_EQ(EncodeText(Value::Double(2), Type::kDouble), "2");
  // PostgreSQL's thresholds (float8out): fixed below 1e15 and from 1e-4, else exponent form.
  EXPECT_EQ(EncodeText(Value::Double(1e14), Type::kDouble), "100000000000000");
  EXPECT_EQ(EncodeText(Value::Double(1e15), Type::kDouble), "1e+15");
  EXPECT_EQ(EncodeText(Value::Double(1.5e-5), Type::kDouble), "1.5e-05");
  EXPECT_EQ(EncodeText(Value::Double(-0.0), Type::kDouble), "-0");
  // 2026-11-24 07:00:00.123456 UTC
  int64_t t = 1795503600LL * 1000000 + 123456;
  EXPECT_EQ(EncodeText(Value::Timestamp(t), Type::kTimestamp), "2026-11-24 07:00:00.123456+00");
  EXPECT_EQ(FormatTimestamptz(1795503600LL * 1000000 + 500000), "2026-11-24 07:00:00.5+00");
  EXPECT_EQ(FormatTimestamptz(-1), "1969-12-31 23:59:59.999999+00");
  EXPECT_EQ(EncodeBinary(Value::Int(5), Type::kInt64), std::string(7, '\0') + "\x05");
  EXPECT_EQ(EncodeBinary(Value::Bool(true), Type::kBool), "\x01");
  EXPECT_EQ(EncodeBinary(Value::Timestamp(946684800000000LL), Type::kTimestamp), std::string(8, '\0'));
  std::string d = EncodeBinary(Value::Double(1.5), Type::kDouble);
  EXPECT_EQ(d, std::string("\x3f\xf8") + std::string(6, '\0'));
  // date: text as psql prints it, binary an int4 of days since 2000-01-01, OID 1082.
  EXPECT_EQ(EncodeText(Value::Date(19730), Type::kDate), "2024-01-08");
  EXPECT_EQ(EncodeText(Value::Date(DaysFromCivil(-43, 3, 15)), Type::kDate), "0044-03-15 BC");
  EXPECT_EQ(EncodeBinary(Value::Date(10957), Type::kDate), std::string(4, '\0'));
  EXPECT_EQ(EncodeBinary(Value::Date(10956), Type::kDate), "\xff\xff\xff\xff");
  EXPECT_EQ(EncodeBinary(Value::Date(19730), Type::kDate), std::string("\x00\x00\x22\x45", 4));
  EXPECT_EQ(TypeOid(Type::kDate), 1082u);
}

// What a Bind parameter binds to: "type:value" ("?" for text of unknown type), or the error.
TEST(ParamTest, Values) {
  auto val = [](std::optional<std::string> v, int16_t f, uint32_t oid) {
    auto r = ParamToValue(v, f, oid);
    if (!r.ok()) return "ERR:" + std::string(SqlStateFor(r.status())) + ":" + r.status().message();
    std::string shown = r->value.is_null() ? "NULL" : EncodeText(r->value, r->type);
    return std::string(r->unknown ? "?" : TypeShortName(r->type)) + ":" + shown;
  };
  EXPECT_EQ(val(std::nullopt, 0, kOidInt8), "bigint:NULL");
  EXPECT_EQ(val(std::nullopt, 0, kOidUnspecified), "?:NULL");
  EXPECT_EQ(val("42", 0, kOidInt8), "bigint:42");
  EXPECT_EQ(val("-42", 0, kOidInt8), "bigint:-42");
  EXPECT_EQ(val("4x", 0, kOidInt8).substr(0, 10), "ERR:22P02:");
  EXPECT_EQ(val("70000", 0, kOidInt2).substr(0, 10), "ERR:22P02:");
  EXPECT_EQ(val("1.5", 0, kOidFloat8), "double:1.5");
  EXPECT_EQ(val("3", 0, kOidFloat8), "double:3");
  EXPECT_EQ(val("1; DROP TABLE x", 0, kOidFloat8).substr(0, 10), "ERR:22P02:");
  EXPECT_EQ(val("on", 0, kOidBool), "boolean:t");
  EXPECT_EQ(val("it's", 0, kOidText), "?:it's");
  EXPECT_EQ(val("it's", 0, kOidUnspecified), "?:it's");
  EXPECT_EQ(val("2024-01-08T10:00:00Z", 0, kOidTimestamptz), "timestamptz:2024-01-08 10:00:00+00");
  EXPECT_EQ(val(std::string(7, '\0') + "\x05", 1, kOidInt8), "bigint:5");
  EXPECT_EQ(val(std::string("\xff\xff\xff\xfe", 4), 1, kOidInt4), "bigint:-2");
  EXPECT_EQ(val(std::string("\x00\x07", 2), 1, kOidInt2), "bigint:7");
  EXPECT_EQ(val(std::string("\x3f\xf8") + std::string(6, '\0'), 1, kOidFloat8), "double:1.5");
  EXPECT_EQ(val("\x01", 1, kOidBool), "boolean:t");
  EXPECT_EQ(val("abc", 1, kOidText), "?:abc");
  EXPECT_EQ(val(std::string(8, '\0'), 1, kOidTimestamptz), "timestamptz:2000-01-01 00:00:00+00");
  EXPECT_EQ(val("abc", 1, kOidInt8).substr(0, 10), "ERR:22P03:");
  EXPECT_EQ(val("abc", 1, 1700).substr(0, 10), "ERR:0A000:");
  EXPECT_EQ(val("2024-01-08", 0, kOidDate), "date:2024-01-08");
  EXPECT_EQ(val("2024-02-30", 0, kOidDate).substr(0, 10), "ERR:22008:");
  EXPECT_EQ(val("soon", 0, kOidDate).substr(0, 10), "ERR:22007:");
  EXPECT_EQ(val(std::string("\x00\x00\x22\x45", 4), 1, kOidDate), "date:2024-01-08");
  EXPECT_EQ(val("abc", 1, kOidDate).substr(0, 10), "ERR:22P03:");
}

// The SQLSTATE of an error comes from its codes (common/sqlstate_test.cc has the whole table):
// pgwire's own errors carry theirs, and a message that reads like another error changes nothing.
TEST(SqlStateTest, FromCodesNotMessages) {
  auto state = [](const Status& st) { return std::string(SqlStateFor(st)); };
  EXPECT_EQ(state(ParamToValue("4x", 0, kOidInt8).status()), "22P02");
  EXPECT_EQ(state(ParamToValue("abc", 1, kOidInt4).status()), "22P03");
  EXPECT_EQ(state(ParamToValue(std::string("\x02"), 1, kOidBool).status()), "22P03");
  EXPECT_EQ(state(ParamToValue("abc", 1, 1700).status()), "0A000");
  EXPECT_EQ(state(ParamToValue(std::string("a\0b", 3), 0, kOidText).status()), "22021");
  EXPECT_EQ(state(ParamToValue(std::string("a\0b", 3), 1, kOidUnspecified).status()), "22021");
  // Context does not change the code (Bind prefixes "parameter $n: ").
  EXPECT_EQ(state(ParamToValue("abc", 1, kOidInt8).status().WithContext("parameter $1")), "22P03");
  // The message is never read: uncoded errors get their StatusCode's SQLSTATE.
  EXPECT_EQ(state(InvalidArgument("column \"zz\" does not exist in \"v\"")), "42601");
  EXPECT_EQ(state(InvalidArgument("cursor \"c\" does not exist")), "42601");
  EXPECT_EQ(state(NotFound("relation \"nope\" does not exist")), "42704");
  EXPECT_EQ(state(NotFound(ErrorCode::kUndefinedTable, "relation \"nope\" does not exist")), "42P01");
  EXPECT_EQ(state(InvalidArgument(ErrorCode::kUndefinedColumn, "no such thing")), "42703");
}

}  // namespace
}  // namespace laminar::pgwire
