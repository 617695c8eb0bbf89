// Fuzz target for the PostgreSQL message decoder (pgwire/message.h): the input is taken as a
// startup packet, then as a stream of typed frontend messages, then as a statement with $n
// parameters; nothing may crash or read out of bounds. LaminarFuzzMakeSeeds writes valid
// messages of every supported type for the standalone driver (src/lake/fuzz/fuzz_driver.cc).
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "common/fuzz_seeds.h"
#include "pgwire/message.h"

namespace {

using namespace laminar::pgwire;

std::string Msg(char type, const std::string& body) {
  std::string out(1, type);
  uint32_t len = uint32_t(body.size() + 4);
  out += char(len >> 24);
  out += char(len >> 16);
  out += char(len >> 8);
  out += char(len);
  return out + body;
}

std::string Cstr(const std::string& s) { return s + '\0'; }
std::string I16(int v) { return {char(v >> 8), char(v)}; }
std::string I32(uint32_t v) { return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)}; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (size >= 4) {
    auto len = DecodeStartupLength(data, 10'000);
    if (len.ok() && *len - 4 <= size - 4) (void)DecodeStartupBody(in.substr(4, *len - 4));
  }
  std::string_view rest = in;
  for (int i = 0; i < 1000 && !rest.empty(); i++) {
    size_t consumed = 0;
    auto m = DecodeFrontendMessage(rest, 1u << 16, &consumed);
    if (!m.ok() || !m->has_value()) break;
    const FrontendMessage& msg = **m;
    for (size_t p = 0; p < msg.params.size(); p++) {
      int16_t fmt = msg.param_formats.empty() ? 0 : msg.param_formats[p % msg.param_formats.size()];
      for (uint32_t oid : {kOidInt8, kOidInt4, kOidInt2, kOidFloat8, kOidBool, kOidText, kOidTimestamptz})
        (void)ParamToValue(msg.params[p], fmt, oid);
    }
    rest.remove_prefix(consumed);
  }
  return 0;
}

extern "C" int LaminarFuzzMakeSeeds(const char* dir) {
  std::vector<std::string> seeds = {
      I32(8) + I32(80877103),
      I32(16) + I32(80877102) + I32(7) + I32(9),
      [] {
        std::string b = I32(196608) + Cstr("user") + Cstr("u") + Cstr("database") + Cstr("d") + '\0';
        return I32(uint32_t(b.size() + 4)) + b;
      }(),
      Msg('Q', Cstr("SELECT 1; SELECT 'a$1' -- $2\n")),
      Msg('P', Cstr("s1") + Cstr("SELECT * FROM v WHERE x = $1 AND y = $2") + I16(2) + I32(20) + I32(25)) +
          Msg('B', Cstr("p1") + Cstr("s1") + I16(1) + I16(1) + I16(2) + I32(8) + std::string(7, '\0') + "\x05" +
                       I32(3) + "abc" + I16(1) + I16(0)) +
          Msg('D', "P" + Cstr("p1")) + Msg('E', Cstr("p1") + I32(10)) + Msg('C', "S" + Cstr("s1")) +
          Msg('H', "") + Msg('S', ""),
      Msg('B', Cstr("") + Cstr("") + I16(0) + I16(3) + I32(uint32_t(-1)) + I32(1) + "t" + I32(2) + "12" + I16(0)) +
          Msg('X', ""),
  };
  return laminar::WriteFuzzSeeds(dir, seeds);
}
