#include "execution/limit.h"

#include <algorithm>
#include <numeric>

#include "common/time_util.h"

namespace laminar::execution {

namespace {

class LimitSink : public Sink {
 public:
  LimitSink(std::optional<uint64_t> limit, uint64_t offset, Sink& out)
      : remaining_(limit), skip_(offset), out_(out) {}

  Status Push(Chunk& chunk, bool* stop) override {
    if (done_) {
      *stop = true;
      return Status::OK();
    }
    size_t begin = static_cast<size_t>(std::min<uint64_t>(skip_, chunk.rows));
    skip_ -= begin;
    size_t n = chunk.rows - begin;
    if (remaining_) n = static_cast<size_t>(std::min<uint64_t>(n, *remaining_));
    if (n > 0) {
      bool out_stop = false;
      if (begin == 0 && n == chunk.rows) {
        RETURN_IF_ERROR(out_.Push(chunk, &out_stop));
      } else {
        std::vector<uint32_t> sel(n);
        std::iota(sel.begin(), sel.end(), static_cast<uint32_t>(begin));
        Chunk part = Chunk::Select(chunk, sel);
        RETURN_IF_ERROR(out_.Push(part, &out_stop));
      }
      if (remaining_) *remaining_ -= n;
      done_ |= out_stop;
    }
    if (remaining_ && *remaining_ == 0) done_ = true;
    if (done_) *stop = true;
    return Status::OK();
  }

 private:
  std::optional<uint64_t> remaining_;
  uint64_t skip_;
  Sink& out_;
  bool done_ = false;
};

}  // namespace

Limit::Limit(PhysicalOperatorPtr child, std::optional<uint64_t> limit, uint64_t offset)
    : limit_(limit), offset_(offset) {
  types_ = child->types();
  children_.push_back(std::move(child));
}

std::string Limit::Describe() const {
  std::string s = limit_ ? fmt::format("Limit {}", *limit_) : std::string("Limit ALL");
  if (offset_ != 0) s += fmt::format(" offset: {}", offset_);
  return s;
}

Status Limit::Produce(ExecContext& ctx, Sink& out) {
  if (limit_ && *limit_ == 0) return Status::OK();
  int64_t start = MonotonicMicros();
  CountingSink counted(stats_, out);
  LimitSink sink(limit_, offset_, counted);
  Status st = children_[0]->Produce(ctx, sink);
  stats_.micros += MonotonicMicros() - start;
  return st;
}

}  // namespace laminar::execution
