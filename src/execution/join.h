// Join operators: HashJoin (equality keys, optional residual condition) and NestedLoopJoin (no
// equality keys: CROSS JOIN, ON a.x < b.y).
//
// Inputs are two child operators; keys are COLUMN INDEXES of their chunks (the planner projects
// key expressions below the join). A residual (non-equality) condition is a ChunkPredicate over
// a chunk of combined candidate rows — the left input's columns, then the right input's — that
// selects the rows where the condition is true (false and NULL reject, as in WHERE).
//
// Output columns:
//   INNER, CROSS, LEFT, RIGHT, FULL   left columns, then right columns. A left row without a
//                                     match (LEFT, FULL) gets NULL right columns; a right row
//                                     without a match (RIGHT, FULL) gets NULL left columns.
//   SEMI, ANTI                        left columns only: each left row that has at least one
//                                     match (SEMI) / no match (ANTI), once. EXISTS / NOT EXISTS.
//   MARK, MARK_EXISTS                 left columns, then one boolean column (the "mark"), for
//                                     every left row (decorrelated IN / EXISTS inside
//                                     expressions).
// A "match" of a left row l is a right row r whose keys equal l's (below) and for which the
// residual, if any, is true.
//
// Key equality is SQL's `=`: a NULL key never equals anything (an ANTI join keeps such a row,
// a SEMI join drops it); bigint vs double keys compare numerically as double (PostgreSQL casts
// int8 to float8) — a key pair whose column types are bigint and double, or whose
// `keys_as_double` flag is set, compares as double; text compares bytewise; doubles compare with
// -0.0 = 0.0 and NaN = NaN (PostgreSQL's float8 equality). Key column types must otherwise be
// equal (boolean, bigint, timestamptz, double, text), else Produce returns Internal.
//
// MARK (SQL `l.keys IN (SELECT r.keys ... WHERE residual)`): let S(l) be the right rows for
// which the residual is true (all right rows without a residual). The mark of l is
//   true   if some r in S(l) has every key equal to l's (a match);
//   NULL   otherwise, if some r in S(l) is "unknown" against l: no key pair is definitely
//          unequal (both non-NULL and different) and at least one key on either side is NULL —
//          for a single key: l's key is NULL and S(l) is not empty, or l's key is not NULL and
//          some r in S(l) has a NULL key;
//   false  otherwise (in particular when S(l) is empty, even if l's key is NULL).
// This is exactly the three-valued result of `(l1, .., ln) IN (...)` row comparison, so
// `NOT mark` is NOT IN's result. Cost: a NULL-keyed row on either side is compared against
// every row of the other side's candidate set (all rows when the NULL is on the probe side),
// which is linear per such row; with a single key and no residual it is O(1).
// MARK_EXISTS (EXISTS inside an expression): true if l has a match, else false; never NULL.
//
// Build side: HashJoin builds a hash table on either input (the planner picks the smaller) and
// streams the other through it; the output rows (as a multiset) are the same either way, only
// their order differs. Rows of the preserved side without a match are emitted after the probe
// when that side is the build side. NestedLoopJoin always materialises the right input.
//
// Limits: the build side (rows, hash table, match flags) is charged with ExecContext::Charge and
// released when Produce returns; ExecContext::Check() runs per probe chunk and again every
// kChunkRows candidate pairs, so a key with many matches cannot run past a deadline. Output
// chunks have at most kChunkRows rows.
//
// Thread safety: as every PhysicalOperator, one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "columnar/vector.h"
#include "common/status.h"
#include "execution/operator.h"

namespace laminar::execution {

enum class JoinType : uint8_t {
  kInner,
  kLeft,
  kRight,
  kFull,
  kSemi,
  kAnti,
  kMark,        // SQL IN: true / false / NULL (see above)
  kMarkExists,  // EXISTS: true / false
  kCross,       // NestedLoopJoin only: INNER without a condition
};

enum class JoinSide : uint8_t { kLeft, kRight };

// "INNER", "LEFT", "RIGHT", "FULL", "SEMI", "ANTI", "MARK", "MARK EXISTS", "CROSS".
const char* JoinTypeName(JoinType type);

// Selects (into *sel, ascending row numbers, replaced) the rows of `rows` where the residual
// condition is true. `rows` holds the left input's columns then the right input's.
using ChunkPredicate =
    std::function<Status(const columnar::Chunk& rows, std::vector<uint32_t>* sel)>;

class HashJoin : public PhysicalOperator {
 public:
  // `left_keys[i]` (a column of `left`) is compared with `right_keys[i]` (a column of `right`);
  // `keys_as_double[i]` (empty: all false) compares the pair as double. REQUIRES: type is not
  // kCross; at least one key pair (checked by Produce).
  HashJoin(PhysicalOperatorPtr left, PhysicalOperatorPtr right, std::vector<uint32_t> left_keys,
           std::vector<uint32_t> right_keys, JoinType type, ChunkPredicate residual = nullptr,
           JoinSide build = JoinSide::kRight, std::vector<bool> keys_as_double = {});

  // How EXPLAIN shows the residual ("residual: a.x < b.y"); without it, "residual".
  void set_residual_text(std::string text) { residual_text_ = std::move(text); }
  // LEFT only: a left row with more than one match is an error, SQLSTATE 21000 (a correlated
  // scalar subquery that returned several rows for one row of the enclosing query).
  void set_single_match(bool on) { single_match_ = on; }

  Status Produce(ExecContext& ctx, Sink& out) override;
  // "HashJoin LEFT keys: [0]=[1] build: right", then " as double: [k..]" (key pair positions)
  // and " residual: ..." when present.
  std::string Describe() const override;

  JoinType type() const { return type_; }
  JoinSide build_side() const { return build_; }

 private:
  Status Run(ExecContext& ctx, Sink& out);

  std::vector<uint32_t> left_keys_, right_keys_;
  JoinType type_;
  ChunkPredicate residual_;
  JoinSide build_;
  std::vector<bool> as_double_;
  std::string residual_text_;
  bool single_match_ = false;
};

class NestedLoopJoin : public PhysicalOperator {
 public:
  // Every pair of rows is a candidate; `residual` (none: every pair matches) selects the matches.
  // Types: INNER, CROSS, LEFT, RIGHT, FULL, SEMI, ANTI, MARK_EXISTS (MARK needs keys: Internal).
  NestedLoopJoin(PhysicalOperatorPtr left, PhysicalOperatorPtr right, JoinType type,
                 ChunkPredicate residual = nullptr);

  void set_residual_text(std::string text) { residual_text_ = std::move(text); }
  // LEFT only: a left row with more than one match is an error, SQLSTATE 21000 (a correlated
  // scalar subquery that returned several rows for one row of the enclosing query).
  void set_single_match(bool on) { single_match_ = on; }

  Status Produce(ExecContext& ctx, Sink& out) override;
  // "NestedLoopJoin INNER residual: ..." / "NestedLoopJoin CROSS".
  std::string Describe() const override;

 private:
  Status Run(ExecContext& ctx, Sink& out);

  JoinType type_;
  ChunkPredicate residual_;
  std::string residual_text_;
  bool single_match_ = false;
};

}  // namespace laminar::execution
