// Byte sources: sequential readers of a file, standard input, a string, or a gzip/zstd
// decompressor over any of them. Used by the CSV reader (ingest/csv.h) for `laminar ingest` and
// for `COPY table FROM 'file.csv'` (engine/dimension.cc). Moved here from app/import.cc so the
// engine can read files as `laminar ingest` does.
//
// Compression is detected from the first bytes (DetectCompression), never from the file name.
// Decompressors stream (bounded memory); corrupt or truncated compressed data gives
// InvalidArgument from Read(). The zstd window is capped at 128 MiB so a hostile frame cannot
// claim more memory.
//
// Thread safety: a ByteSource belongs to one thread; the free functions are thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>
#include <string_view>

#include "common/status.h"

namespace laminar::ingest {

// A sequential source of bytes (a file, stdin, a decompressor over either).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `cap` bytes into buf. Returns the number read; 0 only at the end of the input.
  virtual Result<size_t> Read(char* buf, size_t cap) = 0;
};

// A ByteSource over a string held in memory (tests, already-read prefixes).
class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string data, size_t max_chunk = SIZE_MAX)
      : data_(std::move(data)), max_chunk_(max_chunk) {}
  Result<size_t> Read(char* buf, size_t cap) override;

 private:
  std::string data_;
  size_t pos_ = 0;
  size_t max_chunk_;  // returns at most this many bytes per call (tests split the input)
};

// Reads a sequence of pieces in order, without copying them first (what a client sent in many
// messages). Does not own them: they must outlive the source.
class PiecesSource : public ByteSource {
 public:
  explicit PiecesSource(const std::vector<std::string>* pieces) : pieces_(pieces) {}
  Result<size_t> Read(char* buf, size_t cap) override;

 private:
  const std::vector<std::string>* pieces_;
  size_t piece_ = 0, pos_ = 0;
};

// Replays `prefix` (bytes already read, e.g. to detect the format), then reads from `rest`.
class PrefixedSource : public ByteSource {
 public:
  PrefixedSource(std::string prefix, std::unique_ptr<ByteSource> rest)
      : prefix_(std::move(prefix)), rest_(std::move(rest)) {}
  Result<size_t> Read(char* buf, size_t cap) override;

 private:
  std::string prefix_;
  size_t pos_ = 0;
  std::unique_ptr<ByteSource> rest_;
};

enum class Compression { kNone, kGzip, kZstd };

const char* CompressionName(Compression c);
// From the first bytes of a file: gzip (1f 8b) or zstd (28 b5 2f fd) magic, else kNone.
Compression DetectCompression(std::string_view head);

// Opens a file ("-" is standard input) as a ByteSource. NotFound / IOError.
Result<std::unique_ptr<ByteSource>> OpenFileSource(const std::string& path);
// A streaming decompressor over `source` (zlib inflate for gzip, concatenated members included;
// ZSTD_decompressStream for zstd, several frames included). Corrupt or truncated data gives
// InvalidArgument from Read(). kNone returns `source` itself.
std::unique_ptr<ByteSource> NewDecompressor(std::unique_ptr<ByteSource> source, Compression c);

// Reads up to n bytes (fewer only at the end of the input).
Result<std::string> ReadUpTo(ByteSource* src, size_t n);

}  // namespace laminar::ingest
