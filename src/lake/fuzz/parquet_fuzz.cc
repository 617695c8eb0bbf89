// Fuzz target for the Parquet reader: opens the input as a Parquet file, reads every row group with
// the file's own schema, and runs InspectParquet and CatParquet. Errors are expected and ignored;
// crashes, sanitizer reports and runaway allocations are the findings.
//
// Built two ways (src/lake/CMakeLists.txt): with fuzz_driver.cc as a standalone mutation fuzzer
// (ctest parquet_fuzz_smoke), or with clang's -fsanitize=fuzzer (scripts/fuzz.sh).
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "lake/parquet_inspect.h"
#include "lake/parquet_reader.h"
#include "lake/parquet_test_encoder.h"
#include "lake/parquet_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace laminar::lake;
  const std::string buf(reinterpret_cast<const char*>(data), size);
  // Tighter limits than the defaults keep one input's memory small.
  ReaderOptions options;
  options.max_page_bytes = 16 << 20;
  options.max_row_group_rows = 1 << 20;
  bool all_ok = false;
  auto reader = ParquetReader::OpenBuffer("fuzz.parquet", buf, options);
  if (reader.ok()) {
    all_ok = true;
    for (int g = 0; g < (*reader)->num_row_groups(); g++) {
      auto batch = (*reader)->ReadRowGroup(g, (*reader)->schema());
      if (!batch.ok()) all_ok = false;
    }
  }
  (void)InspectParquet("fuzz.parquet", buf, false);
  (void)InspectParquet("fuzz.parquet", buf, true);
  if (all_ok) {
    // CatParquet reads with the default limits: only after the bounded read went through.
    std::ostringstream out;
    CatParquet("fuzz.parquet", buf, out, -1).IgnoreError();
  }
  return 0;
}

// Writes seed files into `dir` (for the standalone driver and for libFuzzer's corpus): files of
// ParquetWriter and hand-built files of every encoding, page version and codec the reader knows.
extern "C" int LaminarFuzzMakeSeeds(const char* dir) {
  using namespace laminar;
  using namespace laminar::lake;
  namespace fs = std::filesystem;
  int written = 0;
  auto put = [&](const std::string& name, const std::string& bytes) {
    std::ofstream out(fs::path(dir) / name, std::ios::binary | std::ios::trunc);
    out << bytes;
    written++;
  };
  ingest::StreamSchema s;
  s.columns = {{"ts", Type::kTimestamp, true}, {"id", Type::kInt64, false},
               {"x", Type::kDouble, false},    {"name", Type::kText, false},
               {"flag", Type::kBool, false}};
  for (int variant = 0; variant < 3; variant++) {
    const std::string path = (fs::path(dir) / ("laminar" + std::to_string(variant) + ".parquet")).string();
    WriterOptions o;
    if (variant == 1) o.page_bytes = 128;
    if (variant == 2) o.dictionary_max_bytes = 64;
    auto w = ParquetWriter::Open(path, s, o);
    if (!w.ok()) continue;
    ingest::RowBatch b(s);
    for (int i = 0; i < 40; i++) {
      b.AppendRow({Value::Timestamp(1700000000000000 + i), i % 5 ? Value::Int(i * 1000 - 7) : Value::Null(),
                   i % 3 ? Value::Double(i / 3.0) : Value::Null(),
                   i % 4 ? Value::Text(variant == 2 ? "v" + std::to_string(i) : "ab") : Value::Null(),
                   i % 6 ? Value::Bool(i % 2) : Value::Null()});
    }
    if ((*w)->Write(b).ok() && (*w)->Finish().ok()) written++;
  }
  for (const auto& [name, bytes] : testenc::SeedFiles()) put(name, bytes);
  return written;
}
