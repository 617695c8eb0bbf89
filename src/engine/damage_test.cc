// The damage catalogue, on a real Engine: a data directory with a stream (lake files, manifests,
// log segments, its state file), two materialized views (batch versions) and a dimension table
// is built once; then every file in it, in turn, is deleted, emptied, cut in half, cut by its
// last byte, and has a byte flipped in its middle and at its end. After each damage the directory
// is opened and queried. Allowed: the open is refused, or a query fails, with a message that
// names the damaged file (or its stream, view or table); or every answer is exact — the stream's
// events, each view equal to the stream and `verify` clean, the table's rows. Never a wrong
// answer or an event silently gone — except a cut at the end of the newest log segment, which is
// what a crash in the middle of a write leaves (a torn tail): recovery cuts it and logs the file,
// the offset and the bytes (here checked in the log). The figures are printed as a "damage:" line.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <sstream>

#include <filesystem>
#include <fstream>

#include "common/file_util.h"
#include "engine/engine.h"
#include "sql/parser.h"

namespace laminar::engine {
namespace {

namespace stdfs = std::filesystem;

constexpr int kEvents = 60;

class DamageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/laminar_damage_test_XXXXXX";
    ASSERT_NE(nullptr, mkdtemp(tmpl));
    root_ = tmpl;
    pristine_ = JoinPath(root_, "pristine");
    options_.batch_interval_ms = 0;
    options_.seal_check_interval_ms = 3'600'000;
    options_.log.segment_max_bytes = 1500;  // several segments
    options_.data_dir = pristine_;
    auto e = Engine::Open(options_);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    ASSERT_TRUE((*e)->ExecuteSql("CREATE TABLE ev (ts timestamptz NOT NULL, k text NOT NULL, n bigint NOT NULL)").ok());
    ASSERT_TRUE((*e)->ExecuteSql("CREATE MATERIALIZED VIEW by_k AS SELECT k, count(*) AS c, sum(n) AS s FROM ev GROUP BY k").ok());
    ASSERT_TRUE((*e)->ExecuteSql("CREATE MATERIALIZED VIEW by_day AS SELECT date_trunc('day', ts) AS d, count(*) AS c FROM ev GROUP BY 1").ok());
    ASSERT_TRUE((*e)->ExecuteSql("CREATE TABLE dim (k text NOT NULL, label text) WITH (kind = 'dimension')").ok());
    auto copy = sql::Parse("COPY dim FROM STDIN (FORMAT csv)");
    ASSERT_TRUE(copy.ok());
    ASSERT_TRUE((*e)->CopyFromClient(copy->at(0), {"k0,zero\nk1,one\nk2,two\n"}).ok());
    for (int part = 0; part < 3; part++) {  // two parts in the lake (and views), one in the log only
      std::string body;
      for (int n = part * kEvents / 3 + 1; n <= (part + 1) * kEvents / 3; n++)
        body += fmt::format("{{\"ts\":\"2024-05-0{}T10:00:00Z\",\"k\":\"k{}\",\"n\":{}}}\n", 1 + n % 4, n % 5, n);
      for (size_t at = 0; at < body.size();) {  // a record per event: several log segments
        size_t end = body.find('\n', at) + 1;
        ASSERT_TRUE((*e)->Ingest("ev", "application/x-ndjson", "", body.substr(at, end - at)).ok());
        at = end;
      }
      if (part < 2) ASSERT_TRUE((*e)->RunBatch({}).ok());
    }
  }
  void TearDown() override { stdfs::remove_all(root_); }

  // Every regular file of the pristine directory, relative to it.
  std::vector<std::string> Files() const {
    std::vector<std::string> out;
    for (const auto& f : stdfs::recursive_directory_iterator(pristine_))
      if (f.is_regular_file()) out.push_back(stdfs::relative(f.path(), pristine_).string());
    std::sort(out.begin(), out.end());
    return out;
  }

  // Names the message may use for the damaged file `rel`: its file name and its directories'
  // names below the data directory (the stream, view or table).
  static bool Names(const std::string& message, const std::string& rel) {
    for (const auto& part : stdfs::path(rel)) {
      std::string p = part.string();
      if (p == "log" || p == "lake" || p == "views" || p == "tables" || p == "_manifest") continue;
      if (message.find(p) != std::string::npos) return true;
    }
    return false;
  }

  std::string root_, pristine_;
  EngineOptions options_;
};

enum class Damage { kDelete, kEmpty, kHalf, kLastByte, kFlipMiddle, kFlipEnd };
const char* Name(Damage d) {
  switch (d) {
    case Damage::kDelete: return "deleted";
    case Damage::kEmpty: return "emptied";
    case Damage::kHalf: return "cut in half";
    case Damage::kLastByte: return "cut by its last byte";
    case Damage::kFlipMiddle: return "a byte flipped in the middle";
    case Damage::kFlipEnd: return "its last byte flipped";
  }
  return "";
}

// Applies `d` to `path`; false when it does not apply (flipping a byte of an empty file).
bool Apply(Damage d, const std::string& path) {
  std::string data = *ReadFile(path);
  switch (d) {
    case Damage::kDelete: stdfs::remove(path); return true;
    case Damage::kEmpty: data.clear(); break;
    case Damage::kHalf: data.resize(data.size() / 2); break;
    case Damage::kLastByte:
      if (data.empty()) return false;
      data.pop_back();
      break;
    case Damage::kFlipMiddle:
    case Damage::kFlipEnd:
      if (data.empty()) return false;
      data[d == Damage::kFlipEnd ? data.size() - 1 : data.size() / 2] ^= 0x5a;
      break;
  }
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(data.data(), static_cast<std::streamsize>(data.size()));
  return true;
}

TEST_F(DamageTest, EveryFileDamagedEveryWayIsRefusedNamedOrHarmless) {
  const std::vector<std::string> files = Files();
  ASSERT_GT(files.size(), 15u);
  int cases = 0, refused = 0, failed_queries = 0, harmless = 0, torn_tails = 0;
  for (const std::string& rel : files) {
    if (stdfs::path(rel).filename() == "LOCK") continue;  // an empty lock file: nothing to damage
    for (Damage d : {Damage::kDelete, Damage::kEmpty, Damage::kHalf, Damage::kLastByte, Damage::kFlipMiddle,
                     Damage::kFlipEnd}) {
      const std::string dir = JoinPath(root_, "case");
      stdfs::remove_all(dir);
      stdfs::copy(pristine_, dir, stdfs::copy_options::recursive);
      if (!Apply(d, JoinPath(dir, rel))) continue;
      cases++;
      SCOPED_TRACE(rel + ": " + Name(d));
      EngineOptions o = options_;
      o.data_dir = dir;
      std::ostringstream log;
      auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log);
      spdlog::default_logger()->sinks().push_back(sink);
      auto e = Engine::Open(o);
      spdlog::default_logger()->sinks().pop_back();
      const bool torn_tail = log.str().find("torn tail") != std::string::npos && Names(log.str(), rel);
      if (!e.ok()) {
        refused++;
        EXPECT_TRUE(Names(e.status().message(), rel)) << "the refusal does not name the file: " << e.status().ToString();
        continue;
      }
      bool failed = false, wrong = false;
      auto check = [&](const std::string& sql, const std::string& expected) {
        auto q = (*e)->Query(sql);
        if (!q.ok()) {
          failed = true;
          EXPECT_TRUE(Names(q.status().message(), rel)) << sql << ": the error does not name the file: " << q.status().ToString();
          return;
        }
        std::string got;
        for (const auto& row : q->rows)
          for (const auto& v : row) got += v.ToString() + ",";
        if (got != expected) wrong = true;
        if (!torn_tail) EXPECT_EQ(expected, got) << sql << ": a wrong answer";
      };
      check("SELECT count(*), count(DISTINCT n), sum(n) FROM ev", fmt::format("{},{},{},", kEvents, kEvents, kEvents * (kEvents + 1) / 2));
      check("SELECT sum(c), sum(s) FROM by_k", fmt::format("{},{},", kEvents, kEvents * (kEvents + 1) / 2));
      check("SELECT sum(c) FROM by_day", fmt::format("{},", kEvents));
      check("SELECT count(*), min(label) FROM dim", "3,one,");
      auto v = (*e)->Verify("");
      if (v.ok()) {
        for (const VerifyReport& r : *v) EXPECT_TRUE(r.diffs.empty()) << "verify: view " << r.view << " differs";
      } else {
        failed = true;
        EXPECT_TRUE(Names(v.status().message(), rel)) << "verify: " << v.status().ToString();
      }
      if (wrong) {
        torn_tails++;
        continue;
      }
      failed ? failed_queries++ : harmless++;
    }
  }
  std::printf("damage: %zu files, %d damaged copies: %d refused at open, %d answered an error naming the file, "
              "%d harmless (every answer exact), %d torn tails cut and logged\n",
              files.size(), cases, refused, failed_queries, harmless, torn_tails);
}

}  // namespace
}  // namespace laminar::engine
