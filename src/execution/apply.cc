// Apply: a subquery run per input row (execution/apply.h).
#include "execution/apply.h"

namespace laminar::execution {

Apply::Apply(PhysicalOperatorPtr input, std::vector<uint32_t> params, PlanFn plan, std::vector<Type> result, ApplyMode mode,
             std::string text)
    : params_(std::move(params)), plan_(std::move(plan)), width_(result.size()), mode_(mode), text_(std::move(text)) {
  types_ = input->types();
  types_.insert(types_.end(), result.begin(), result.end());
  children_.push_back(std::move(input));
}

std::string Apply::Describe() const {
  const char* how = mode_ == ApplyMode::kScalar ? "" : mode_ == ApplyMode::kLateral ? "LATERAL " : "LEFT LATERAL ";
  return std::string("Apply ") + how + "(per input row) " + text_;
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

Result<std::shared_ptr<const Apply::Rows>> Apply::Answer(ExecContext& ctx, const std::vector<Value>& params) {
  std::string key = KeyOf(params);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  ASSIGN_OR_RETURN(PhysicalOperatorPtr op, plan_(params));
  CollectSink collected(op->types());
  RETURN_IF_ERROR(op->Produce(ctx, collected));
  Chunk& c = collected.chunk();
  if (mode_ == ApplyMode::kScalar && c.rows > 1)
    return InvalidArgument(ErrorCode::kCardinalityViolation, "more than one row returned by a subquery used as an expression");
  auto rows = std::make_shared<Rows>();
  for (size_t r = 0; r < c.rows; r++) rows->push_back(c.GetRow(r));
  if (cached_rows_ + rows->size() > kMaxCachedRows) {
    cache_.clear();
    cached_rows_ = 0;
  }
  cached_rows_ += rows->size() + 1;
  cache_.emplace(std::move(key), rows);
  return std::shared_ptr<const Rows>(rows);
}

Status Apply::Produce(ExecContext& ctx, Sink& out) {
  std::vector<Value> params(params_.size());
  return ProduceRowByRow(ctx, out, [&](std::vector<Value>& row, const EmitRow& emit) -> Status {
    for (size_t i = 0; i < params_.size(); i++) params[i] = row[params_[i]];
    ASSIGN_OR_RETURN(std::shared_ptr<const Rows> answer, Answer(ctx, params));
    if (mode_ == ApplyMode::kScalar || (answer->empty() && mode_ == ApplyMode::kLeftLateral)) {
      // The scalar answer (NULL for no row), or the unmatched row of a LEFT JOIN LATERAL.
      for (size_t i = 0; i < width_; i++) row.push_back(answer->empty() ? Value::Null() : (*answer)[0][i]);
      return emit(std::move(row));
    }
    for (const auto& sub : *answer) {
      std::vector<Value> o = row;
      o.insert(o.end(), sub.begin(), sub.end());
      RETURN_IF_ERROR(emit(std::move(o)));
    }
    return Status::OK();
  });
}

}  // namespace laminar::execution
