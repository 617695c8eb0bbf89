// Apply: a correlated scalar subquery run per input row (execution/apply.h).
#include "execution/apply.h"

#include "common/time_util.h"

namespace laminar::execution {

Apply::Apply(PhysicalOperatorPtr input, std::vector<uint32_t> params, PlanFn plan, Type result, std::string text)
    : params_(std::move(params)), plan_(std::move(plan)), text_(std::move(text)) {
  types_ = input->types();
  types_.push_back(result);
  children_.push_back(std::move(input));
}

namespace {

// A key that tells parameter combinations apart (type, NULL-ness and value of each).
std::string KeyOf(const std::vector<Value>& params) {
  std::string key;
  for (const Value& v : params) {
    if (v.is_null()) {
      key += "N;";
      continue;
    }
    std::string text = v.ToString();
    key += std::to_string(static_cast<int>(v.type())) + ":" + std::to_string(text.size()) + ":" + text + ";";
  }
  return key;
}

}  // namespace

Result<Value> Apply::Answer(ExecContext& ctx, const std::vector<Value>& params) {
  std::string key = KeyOf(params);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  ASSIGN_OR_RETURN(PhysicalOperatorPtr op, plan_(params));
  CollectSink rows(op->types());
  RETURN_IF_ERROR(op->Produce(ctx, rows));
  Chunk& c = rows.chunk();
  if (c.rows > 1)
    return InvalidArgument(ErrorCode::kCardinalityViolation, "more than one row returned by a subquery used as an expression");
  Value v = c.rows == 1 ? c.GetRow(0)[0] : Value::Null();
  if (cache_.size() >= kMaxCached) cache_.clear();
  cache_.emplace(std::move(key), v);
  return v;
}

Status Apply::Produce(ExecContext& ctx, Sink& out) {
  class RowSink : public Sink {
   public:
    RowSink(Apply& a, ExecContext& ctx, Sink& out) : a_(a), ctx_(ctx), out_(out) {}
    Status Push(Chunk& chunk, bool* stop) override {
      Chunk result(a_.types_);
      std::vector<Value> params(a_.params_.size());
      for (size_t r = 0; r < chunk.rows; r++) {
        std::vector<Value> row = chunk.GetRow(r);
        for (size_t i = 0; i < a_.params_.size(); i++) params[i] = row[a_.params_[i]];
        ASSIGN_OR_RETURN(Value v, a_.Answer(ctx_, params));
        row.push_back(std::move(v));
        result.AppendValues(row);
      }
      return out_.Push(result, stop);
    }

   private:
    Apply& a_;
    ExecContext& ctx_;
    Sink& out_;
  };
  int64_t start = MonotonicMicros();
  CountingSink counted(stats(), out);
  RowSink sink(*this, ctx, counted);
  Status st = children_[0]->Produce(ctx, sink);
  stats().micros += MonotonicMicros() - start;
  return st;
}

}  // namespace laminar::execution
