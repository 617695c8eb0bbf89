// DeadLetter: where rejected events are kept, with the reason (DESIGN.md "Bad input").
//
// Files: <dir>/<stream>/<UTC date YYYY-MM-DD>.ndjson, one JSON object per rejected record:
//   {"ts":"<received, ISO-8601>","stream":"...","index":N,"field":"...","reason":"...",
//    "raw":"<the record's text>"}
// and "origin" after "stream" when the caller names where a record came from ("kafka topic t
// partition 3 offset 1234").
// Writes are appended and fsynced before Write returns, so a rejection reported to a client is
// on disk.
// Thread safety: Write is thread-safe (one mutex).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "ingest/event_parser.h"

namespace laminar::ingest {

class DeadLetter {
 public:
  explicit DeadLetter(std::string dir) : dir_(std::move(dir)) {}
  // `origins`: empty, or one per error (an empty one is left out).
  Status Write(const std::string& stream, const std::vector<RecordError>& errors,
               const std::vector<std::string>& origins = {});
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::mutex mu_;
};

}  // namespace laminar::ingest
