#include "execution/distinct.h"

#include <absl/container/flat_hash_set.h>

#include "common/time_util.h"
#include "execution/aggregate.h"

namespace laminar::execution {
namespace {

class DistinctSink : public Sink {
 public:
  DistinctSink(ExecContext& ctx, const std::vector<int>& columns, Sink& out)
      : ctx_(ctx), columns_(columns), out_(out) {}

  Status Push(Chunk& chunk, bool* stop) override {
    RETURN_IF_ERROR(ctx_.Check());
    sel_.clear();
    size_t added = 0;
    for (size_t r = 0; r < chunk.rows; r++) {
      key_.clear();
      for (int c : columns_) AppendGroupKey(chunk.columns[c], r, &key_);
      if (!seen_.insert(key_).second) continue;
      added += key_.size() * 2 + 32;
      sel_.push_back(static_cast<uint32_t>(r));
    }
    if (added) {
      charged_ += added;
      RETURN_IF_ERROR(ctx_.Charge(added, "DISTINCT"));
    }
    if (sel_.empty()) return Status::OK();
    if (sel_.size() == chunk.rows) return out_.Push(chunk, stop);
    Chunk selected = Chunk::Select(chunk, sel_);
    return out_.Push(selected, stop);
  }
  size_t charged() const { return charged_; }

 private:
  ExecContext& ctx_;
  const std::vector<int>& columns_;
  Sink& out_;
  absl::flat_hash_set<std::string> seen_;
  std::vector<uint32_t> sel_;
  std::string key_;
  size_t charged_ = 0;
};

}  // namespace

HashDistinct::HashDistinct(PhysicalOperatorPtr child, std::vector<int> columns) : columns_(std::move(columns)) {
  types_ = child->types();
  children_.push_back(std::move(child));
}

Status HashDistinct::Produce(ExecContext& ctx, Sink& out) {
  int64_t start = MonotonicMicros();
  CountingSink counting(stats_, out);
  DistinctSink sink(ctx, columns_, counting);
  Status st = children_[0]->Produce(ctx, sink);
  ctx.Release(sink.charged());
  stats_.micros += MonotonicMicros() - start;
  return st;
}

std::string HashDistinct::DescribeAs(const char* name) const {
  std::string s = std::string(name) + " on: ";
  for (size_t i = 0; i < columns_.size(); i++) s += (i ? ", #" : "#") + std::to_string(columns_[i]);
  return s;
}

std::string HashDistinct::Describe() const { return DescribeAs("HashDistinct"); }

}  // namespace laminar::execution
