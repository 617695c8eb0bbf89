// Physical operators: the executor's plan nodes, passing column chunks (columnar/vector.h).
//
// Execution model: push-based produce/consume. Each operator implements Produce(ctx, out): it
// pushes every chunk of its output into `out` (a Sink) and returns. A streaming operator (filter,
// projection, the probe side of a hash join, limit) wraps `out` in a sink of its own and asks its
// child to produce into it; a pipeline breaker (hash aggregate, the build side of a join, sort,
// window, set operations) asks its child to produce into a sink that keeps the rows, then pushes
// its own output. A source (a table scan, VALUES) pushes chunks it reads. Produce does not call
// out.Finish(): whoever called Produce decides when the stream is over.
//
// A chunk handed to Sink::Push is valid only during that call (its text may point into a scan's
// batch); an operator that keeps rows copies them (Chunk::AppendRow). Setting *stop in Push asks
// the producer to stop early (LIMIT reached, EXISTS answered): producers stop as soon as they see
// it and return OK.
//
// Limits and cancellation: ExecContext::Check() (time limit, cancel flag) is called by producers
// at least once per chunk; memory an operator keeps is charged with ExecContext::Charge().
// Errors are Status values; a runtime error of an expression (sql::TakeEvalError) ends the query.
//
// EXPLAIN ANALYZE: every operator counts the rows and chunks it pushed and its time in
// OperatorStats; Describe() gives one line of the plan tree.
//
// Thread safety: a physical plan is run by one thread; operators are not shared across queries.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "columnar/vector.h"
#include "common/status.h"
#include "common/types.h"

namespace laminar::execution {

using columnar::Chunk;
using columnar::Vector;

struct ExecLimits {
  int64_t deadline_micros = 0;  // MonotonicMicros() after which Check fails; 0: none
  int64_t timeout_micros = 0;   // the limit the deadline came from (for the message)
  size_t max_memory_bytes = 512ull << 20;
  const std::atomic<bool>* cancel = nullptr;
};

// Per-query execution state shared by the operators of one plan.
class ExecContext {
 public:
  explicit ExecContext(ExecLimits limits) : limits_(limits) {}
  // DeadlineExceeded past the time limit, Cancelled when the cancel flag is set.
  Status Check() const;
  // Charges `bytes` of memory kept by an operator; ResourceExhausted past the limit (naming the
  // limit and `what`). Release gives it back.
  Status Charge(size_t bytes, const char* what);
  void Release(size_t bytes) { used_ = bytes > used_ ? 0 : used_ - bytes; }
  size_t memory_used() const { return used_; }
  size_t memory_peak() const { return peak_; }

 private:
  ExecLimits limits_;
  size_t used_ = 0, peak_ = 0;
};

class Sink {
 public:
  virtual ~Sink() = default;
  // Consumes one chunk (valid only during the call). Set *stop to ask for no more input.
  virtual Status Push(Chunk& chunk, bool* stop) = 0;
};

// What EXPLAIN ANALYZE shows per operator.
struct OperatorStats {
  uint64_t rows = 0;     // rows pushed to the parent
  uint64_t chunks = 0;   // chunks pushed to the parent
  int64_t micros = 0;    // time inside Produce, children included
  // Source-specific lines ("files 3 of 48 (45 pruned)", "batch version 4, horizon 120000").
  std::vector<std::string> details;
};

class PhysicalOperator {
 public:
  virtual ~PhysicalOperator() = default;
  // Pushes every output chunk into `out`.
  virtual Status Produce(ExecContext& ctx, Sink& out) = 0;
  // One line for EXPLAIN: the operator and its arguments, e.g. "HashAggregate keys: k".
  virtual std::string Describe() const = 0;

  const std::vector<Type>& types() const { return types_; }
  const std::vector<std::unique_ptr<PhysicalOperator>>& children() const { return children_; }
  OperatorStats& stats() { return stats_; }
  const OperatorStats& stats() const { return stats_; }

 protected:
  // For operators that make any number of output rows of each input row, one row at a time
  // (Apply, ProjectSet): runs the only child and calls `expand` with each of its rows (which it may
  // extend in place) and `emit`, which takes one output row. Output goes to `out` in chunks of at
  // most kChunkRows, the context checked between them; counted and timed in the stats. Stops when
  // `out` says stop.
  using EmitRow = std::function<Status(std::vector<Value>&& row)>;
  using ExpandRow = std::function<Status(std::vector<Value>& row, const EmitRow& emit)>;
  Status ProduceRowByRow(ExecContext& ctx, Sink& out, const ExpandRow& expand);

  std::vector<Type> types_;  // output column types
  std::vector<std::unique_ptr<PhysicalOperator>> children_;
  OperatorStats stats_;
};

using PhysicalOperatorPtr = std::unique_ptr<PhysicalOperator>;

// A sink that counts what passes into `out` for the operator's stats.
class CountingSink : public Sink {
 public:
  CountingSink(OperatorStats& stats, Sink& out) : stats_(stats), out_(out) {}
  Status Push(Chunk& chunk, bool* stop) override {
    stats_.rows += chunk.rows;
    stats_.chunks++;
    return out_.Push(chunk, stop);
  }

 private:
  OperatorStats& stats_;
  Sink& out_;
};

// Collects every pushed row (copying), for tests and for operators that materialise a child.
class CollectSink : public Sink {
 public:
  explicit CollectSink(std::vector<Type> types) : chunk_(types) {}
  Status Push(Chunk& chunk, bool* stop) override {
    for (size_t r = 0; r < chunk.rows; r++) chunk_.AppendRow(chunk, r);
    return Status::OK();
  }
  Chunk& chunk() { return chunk_; }

 private:
  Chunk chunk_;
};

}  // namespace laminar::execution
