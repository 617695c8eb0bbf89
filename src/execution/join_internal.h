// Internals shared by HashJoin and NestedLoopJoin (join.h): gathering rows into output columns,
// memory charged for the life of one Produce, and JoinRunner, which turns candidate pairs into
// output rows for every join type. Not for use outside hash_join.cc / nested_loop_join.cc.
#pragma once

#include <cstdint>
#include <vector>

#include "columnar/vector.h"
#include "common/status.h"
#include "execution/join.h"
#include "execution/materialize.h"
#include "execution/operator.h"

namespace laminar::execution::join_internal {

inline constexpr uint32_t kNoRow = UINT32_MAX;

// Appends to *out one vector per entry of `types`: row i is row sel[i] of `src`, or NULL when
// `src` is null or sel[i] == kNoRow. Text by reference (the vectors share `src`'s heaps).
void GatherColumns(const Chunk* src, const std::vector<Type>& types,
                   const std::vector<uint32_t>& sel, std::vector<Vector>* out);

// Output of a join from candidate pairs (probe row, build row). The hash join offers pairs
// whose keys are equal (AddMatch) and, for MARK, pairs whose keys compare as unknown (AddMaybe);
// the nested loop offers every pair. JoinRunner evaluates the residual over batches of pairs,
// keeps the match flags, pushes matched pairs (INNER/LEFT/RIGHT/FULL) and, per probe chunk
// (FinishProbe) and at the end (FinishBuild), the rows that depend on the flags.
class JoinRunner {
 public:
  JoinRunner(JoinType type, JoinSide build, const ChunkPredicate* residual,
             std::vector<Type> left_types, std::vector<Type> right_types, ExecContext& ctx,
             Sink& out);

  // The materialised build side, before any probe. Returns the bytes of flags it allocated.
  size_t SetBuild(const Chunk* build);
  // True when the output is empty whatever the probe side holds, given an empty build side.
  bool EmptyBuildGivesEmptyOutput() const;

  void StartProbe(const Chunk* probe);
  // A candidate pair whose keys are equal; a match if the residual holds.
  Status AddMatch(uint32_t probe_row, uint32_t build_row);
  // MARK only: a pair whose keys compare unknown (NULLs); makes the left row's mark NULL unless
  // it is true, if the residual holds.
  Status AddMaybe(uint32_t probe_row, uint32_t build_row);
  // Evaluates the pending pairs (their flags are final afterwards).
  Status Flush();
  // Flushes, then pushes the probe chunk's rows that depend on its flags.
  Status FinishProbe();
  // After the last probe chunk: pushes the build rows that depend on the build flags.
  Status FinishBuild();
  // LEFT only: a left row with a second match is an error (a correlated scalar subquery decorrelated
  // into this join returned more than one row for it), SQLSTATE 21000.
  void set_single_match(bool on) { single_match_ = on && type_ == JoinType::kLeft; }
  // Calls ExecContext::Check every 4096 calls, for loops that may not produce pairs.
  Status Tick() { return ++ticks_ % 4096 == 0 ? ctx_.Check() : Status::OK(); }

  // Flags are set at once by AddMatch/AddMaybe when there is no residual; otherwise by Flush.
  bool immediate() const { return immediate_; }
  bool stopped() const { return stopped_; }
  bool probe_is_left() const { return probe_is_left_; }
  bool probe_matched(uint32_t p) const { return probe_matched_[p] != 0; }
  bool probe_maybe(uint32_t p) const { return probe_maybe_[p] != 0; }
  bool build_matched(uint32_t b) const { return build_matched_[b] != 0; }
  bool build_maybe(uint32_t b) const { return build_maybe_[b] != 0; }
  void set_build_maybe(uint32_t b) { build_maybe_[b] = 1; }

 private:
  // Combined rows (left columns then right columns) of pairs i = 0..n.
  Chunk Combine(const std::vector<uint32_t>& probe_rows,
                const std::vector<uint32_t>& build_rows) const;
  Status Evaluate(const Chunk& combined, std::vector<uint32_t>* sel) const;
  Status FlushMatches();
  Status FlushMaybes();
  Status Push(Chunk& chunk);
  // Pushes rows of one side (`of_probe`: of the probe chunk, else of the build side), in slices
  // of kChunkRows: for outer joins with the other side NULL; for semi-like joins the left
  // columns (and the mark, from the given flags).
  Status EmitUnmatched(bool of_probe, const std::vector<uint32_t>& rows);
  Status EmitLeftRows(bool of_probe, const std::vector<uint32_t>& rows,
                      const std::vector<uint8_t>& matched, const std::vector<uint8_t>& maybe);
  // The rows of one side selected by the join type from its flags (unmatched for outer and ANTI,
  // matched for SEMI, all for MARK), then emitted.
  Status EmitSide(bool of_probe, size_t rows, const std::vector<uint8_t>& matched,
                  const std::vector<uint8_t>& maybe);

  JoinType type_;
  bool probe_is_left_;
  const ChunkPredicate* residual_;
  std::vector<Type> left_types_, right_types_;
  ExecContext& ctx_;
  Sink& out_;
  bool emit_pairs_, semi_like_, preserve_probe_, preserve_build_, track_build_, immediate_;

  const Chunk* build_ = nullptr;
  const Chunk* probe_ = nullptr;
  std::vector<uint8_t> probe_matched_, probe_maybe_, build_matched_, build_maybe_;
  std::vector<uint32_t> match_probe_, match_build_, maybe_probe_, maybe_build_;
  bool stopped_ = false;
  bool single_match_ = false;
  uint64_t ticks_ = 0;
  // single_match_: fails when the left row of the pair already has a match.
  Status CheckSingle(uint32_t p, uint32_t b) const;
};

}  // namespace laminar::execution::join_internal
