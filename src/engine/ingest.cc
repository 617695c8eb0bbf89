// Engine: the ingest path (contract 1) — HTTP bodies (Ingest), with Idempotency-Keys
// (engine/idempotency.h), and AppendRows, the one way events enter a stream's log and views
// (also for INSERT and COPY: engine/insert.cc).
#include <algorithm>
#include <thread>

#include "common/file_util.h"
#include "common/time_util.h"
#include "engine/engine.h"
#include "ingest/event_record.h"
#include "objstore/s3_sigv4.h"

namespace laminar::engine {

Result<std::string> Engine::DecompressBody(std::string_view content_encoding, std::string_view body) const {
  if (content_encoding.empty() || content_encoding == "identity") {
    if (body.size() > options_.ingest.max_body_bytes)
      return ResourceExhausted("request body exceeds {} bytes", options_.ingest.max_body_bytes);
    return std::string(body);
  }
  return ingest::Decompress(content_encoding, body, options_.ingest.max_body_bytes);
}

Result<IngestResult> Engine::Ingest(const std::string& stream, std::string_view content_type,
                                    std::string_view content_encoding, std::string_view body,
                                    const std::string& idempotency_key, const std::string& origin) {
  int64_t start = MonotonicMicros();
  metrics_.ingest_requests++;
  auto rt = FindStream(stream);
  if (!rt) {
    if (catalog_->snapshot()->dimensions.count(stream))
      return NotFound(ErrorCode::kWrongObjectType,
                      "\"{}\" is a dimension table, not a stream: load it with COPY {} FROM '/path/file.csv' "
                      "WITH (FORMAT csv, HEADER true)", stream, stream);
    return NotFound(ErrorCode::kUndefinedTable, "stream \"{}\" does not exist", stream);
  }
  if (idempotency_key.empty()) return IngestParsed(*rt, content_type, content_encoding, body, {}, origin, start);
  if (idempotency_key.size() > 255 ||
      !std::all_of(idempotency_key.begin(), idempotency_key.end(), [](char c) { return c >= 0x20 && c < 0x7f; }))
    return InvalidArgument("Idempotency-Key must be 1 to 255 printable ASCII characters");
  // The request's identity: its content type, encoding and body (hashed where it lies, not copied).
  const std::string hash = objstore::s3::Sha256Hex(
      fmt::format("{}\n{}\n{}", content_type, content_encoding, objstore::s3::Sha256Hex(body)));
  const int64_t now = NowMicros();
  IngestAnswer first;
  switch (rt->keys->Begin(idempotency_key, hash, now, &first)) {
    case IdempotencyKeys::Claim::kDone: {
      IngestResult out;
      out.accepted = first.accepted;
      out.rejected = first.rejected;
      out.errors = std::move(first.errors);
      out.first_seq = first.first_seq;
      out.last_seq = first.last_seq;
      out.replayed = true;
      return out;
    }
    case IdempotencyKeys::Claim::kOtherRequest:
      return AlreadyExists(ErrorCode::kDuplicateObject,
                           "Idempotency-Key \"{}\" was used for another request to stream {} (a different body) in the "
                           "last {} s: use a new key for a new request",
                           idempotency_key, stream, options_.idempotency_window_micros / 1'000'000);
    case IdempotencyKeys::Claim::kNew: break;
  }
  if (!rt->keys_saved) {
    // The stream's first keyed request: a saved copy covering the log so far (no key in it), so
    // that opening the stream reads the log for keys only after it.
    std::unique_lock<std::shared_mutex> pause(rt->apply_mu);
    if (!rt->keys_saved) {
      Status st = rt->keys->Save(IdempotencyPath(stream), now, rt->log->last_seq());
      if (!st.ok()) {
        rt->keys->Abandon(idempotency_key);
        return st.WithContext("saving idempotency keys");
      }
      rt->keys_saved = true;
    }
  }
  Key key{idempotency_key, hash, now};
  Result<IngestResult> r = IngestParsed(*rt, content_type, content_encoding, body, &key, origin, start);
  if (!r.ok()) {
    rt->keys->Abandon(idempotency_key);
    return r;
  }
  if (r->accepted == 0) rt->keys->Finish(idempotency_key, AnswerOf(*r));  // nothing appended: kept in memory
  return r;
}

IngestAnswer Engine::AnswerOf(const IngestResult& r) {
  IngestAnswer a;
  a.accepted = r.accepted;
  a.rejected = r.rejected;
  a.first_seq = r.first_seq;
  a.last_seq = r.last_seq;
  for (const auto& e : r.errors) a.errors.push_back({e.index, e.field, e.reason, ""});
  return a;
}

Result<IngestResult> Engine::IngestParsed(StreamRuntime& stream_rt, std::string_view content_type,
                                          std::string_view content_encoding, std::string_view body, const Key* key,
                                          const std::string& dead_letter_origin, int64_t start) {
  StreamRuntime* rt = &stream_rt;
  const std::string& stream = rt->schema->name;
  std::string decompressed;
  std::string_view data = body;
  if (!content_encoding.empty() && content_encoding != "identity") {
    ASSIGN_OR_RETURN(decompressed, ingest::Decompress(content_encoding, body, options_.ingest.max_body_bytes));
    data = decompressed;
  } else if (body.size() > options_.ingest.max_body_bytes) {
    return ResourceExhausted("request body exceeds {} bytes", options_.ingest.max_body_bytes);
  }
  ASSIGN_OR_RETURN(ingest::BodyFormat format, ingest::DetectFormat(content_type, data));
  ASSIGN_OR_RETURN(ingest::ParseResult parsed, ingest::ParseEvents(*rt->schema, data, format, options_.ingest));
  IngestResult out;
  out.accepted = parsed.rows.num_rows();
  out.rejected = parsed.errors.size();
  if (!parsed.errors.empty())
    RETURN_IF_ERROR(deadletter_->Write(stream, parsed.errors,
                                       std::vector<std::string>(dead_letter_origin.empty() ? 0 : parsed.errors.size(),
                                                                dead_letter_origin)));
  out.errors = std::move(parsed.errors);
  if (out.accepted > 0) {
    // With an idempotency key, its answer rides in the record and is finished under apply_mu.
    std::string origin;
    std::function<void(const wal::AppendResult&)> appended;
    if (key) {
      origin = IdempotencyKeys::Origin(key->key, key->hash, key->at, AnswerOf(out));
      appended = [&](const wal::AppendResult& a) {
        IngestAnswer answer = AnswerOf(out);
        answer.first_seq = a.first_seq;
        answer.last_seq = a.last_seq;
        rt->keys->Finish(key->key, std::move(answer));
      };
    }
    ASSIGN_OR_RETURN(wal::AppendResult a, AppendRows(*rt, parsed.rows, origin, appended));
    out.first_seq = a.first_seq;
    out.last_seq = a.last_seq;
  }
  metrics_.events_accepted += out.accepted;
  metrics_.events_rejected += out.rejected;
  metrics_.ingest_micros_total += static_cast<uint64_t>(MonotonicMicros() - start);
  return out;
}

std::string Engine::IdempotencyPath(const std::string& stream) const {
  return JoinPath(JoinPath(options_.data_dir, "idempotency"), stream + ".json");
}

Result<wal::AppendResult> Engine::AppendRows(StreamRuntime& rt, const ingest::RowBatch& rows, std::string_view origin,
                                             const std::function<void(const wal::AppendResult&)>& on_appended) {
  std::string payload = ingest::EncodeRecord(rows, origin);
  std::shared_lock<std::shared_mutex> lock(rt.apply_mu);
  auto appended = rt.log->Append(payload, static_cast<uint32_t>(rows.num_rows()));
  if (!appended.ok())
    return appended.status().WithContext(
        fmt::format("stream {}: the events were not stored (none acknowledged)", rt.schema->name));
  const wal::AppendResult& a = *appended;
  // A large batch (a COPY, a big INSERT ... SELECT) updates its views side by side, one thread
  // each; the views are independent (a mutex each) and a batch is applied whole to each.
  constexpr size_t kParallelApplyRows = 32768;
  if (rows.num_rows() >= kParallelApplyRows && rt.views.size() > 1) {
    std::vector<std::thread> others;
    auto it = rt.views.begin();
    for (++it; it != rt.views.end(); ++it)
      others.emplace_back([&a, &rows, sv = it->second] { sv->Apply(a.segment_id, a.last_seq, rows); });
    rt.views.begin()->second->Apply(a.segment_id, a.last_seq, rows);
    for (auto& t : others) t.join();
  } else {
    for (auto& [name, sv] : rt.views) sv->Apply(a.segment_id, a.last_seq, rows);
  }
  if (on_appended) on_appended(a);
  return a;
}

Status Engine::RestoreOrigins(StreamRuntime& rt) {
  rt.keys = std::make_unique<IdempotencyKeys>(options_.idempotency_window_micros, options_.idempotency_max_keys);
  rt.positions = std::make_unique<sources::SourcePositions>();
  const int64_t now = NowMicros();
  // Each saved copy, then the origins of the records after the sequence number it covers; no
  // copy: the stream never had a keyed append (a record of a subscription).
  auto loaded = [](Result<uint64_t> covered, std::atomic<bool>* saved) -> Result<std::optional<uint64_t>> {
    if (covered.ok()) {
      *saved = true;
      return std::optional<uint64_t>(*covered);
    }
    if (covered.status().code() == StatusCode::kNotFound) return std::optional<uint64_t>();
    return covered.status();
  };
  ASSIGN_OR_RETURN(std::optional<uint64_t> keys_covered,
                   loaded(rt.keys->Load(IdempotencyPath(rt.schema->name), now), &rt.keys_saved));
  ASSIGN_OR_RETURN(std::optional<uint64_t> positions_covered,
                   loaded(rt.positions->Load(PositionsPath(rt.schema->name)), &rt.positions_saved));
  if (!keys_covered && !positions_covered) return Status::OK();
  uint64_t from = std::min(keys_covered.value_or(UINT64_MAX), positions_covered.value_or(UINT64_MAX)) + 1;
  return rt.log->Replay(from, [&](const wal::Record& r) -> Status {
    ASSIGN_OR_RETURN(std::string_view origin, ingest::RecordOrigin(r.payload));
    if (origin.empty()) return Status::OK();
    if (keys_covered && r.first_seq > *keys_covered) rt.keys->Restore(origin, r.first_seq, r.first_seq + r.count - 1, now);
    if (positions_covered && r.first_seq > *positions_covered) rt.positions->Restore(origin);
    return Status::OK();
  });
}

}  // namespace laminar::engine
