// ProjectSet: set-returning functions in a select list (execution/project_set.h).
#include "execution/project_set.h"

#include <algorithm>

#include "sql/array.h"

namespace laminar::execution {

ProjectSet::ProjectSet(PhysicalOperatorPtr input, std::vector<SetFunctionCall> calls) : calls_(std::move(calls)) {
  types_ = input->types();
  for (const auto& c : calls_) types_.push_back(SetFunctionType(c.func));
  children_.push_back(std::move(input));
}

Type SetFunctionType(SetFunction f) {
  return f == SetFunction::kUnnest || f == SetFunction::kExpandArray ? Type::kText : Type::kInt64;
}

const char* SetFunctionName(SetFunction f) {
  switch (f) {
    case SetFunction::kUnnest: return "unnest";
    case SetFunction::kGenerateSubscripts: return "generate_subscripts";
    case SetFunction::kGenerateSeries: return "generate_series";
    case SetFunction::kExpandArray: return "_pg_expandarray";
  }
  return "?";
}

std::string ProjectSet::Describe() const {
  std::string out = "ProjectSet";
  for (size_t i = 0; i < calls_.size(); i++) {
    out += (i ? ", " : " ") + std::string(SetFunctionName(calls_[i].func)) + "(...)";
  }
  return out;
}

namespace {

// The values of one call for one row.
Result<std::vector<Value>> Values(const SetFunctionCall& c, const Value* row) {
  std::vector<Value> args;
  for (const auto& a : c.args) args.push_back(sql::Eval(*a, row));
  RETURN_IF_ERROR(sql::TakeEvalError());
  std::vector<Value> out;
  for (const Value& a : args)
    if (a.is_null()) return out;
  switch (c.func) {
    case SetFunction::kUnnest: {
      ASSIGN_OR_RETURN(sql::ArrayElems elems, sql::ParseArray(args[0].as_text()));
      for (auto& e : elems) out.push_back(e ? Value::Text(std::move(*e)) : Value::Null());
      return out;
    }
    case SetFunction::kExpandArray: {
      ASSIGN_OR_RETURN(sql::ArrayElems elems, sql::ParseArray(args[0].as_text()));
      for (size_t i = 0; i < elems.size(); i++)
        out.push_back(Value::Text(sql::FormatRecord({std::move(elems[i]), std::to_string(i + 1)})));
      return out;
    }
    case SetFunction::kGenerateSubscripts: {
      ASSIGN_OR_RETURN(sql::ArrayElems elems, sql::ParseArray(args[0].as_text()));
      if (args[1].as_int() != 1) return out;
      for (size_t i = 0; i < elems.size(); i++) out.push_back(Value::Int(static_cast<int64_t>(i) + 1));
      return out;
    }
    case SetFunction::kGenerateSeries: {
      int64_t start = args[0].as_int(), stop = args[1].as_int(), step = args.size() > 2 ? args[2].as_int() : 1;
      if (step == 0) return InvalidArgument(ErrorCode::kInvalidParameterValue, "step size cannot equal zero");
      for (int64_t v = start; step > 0 ? v <= stop : v >= stop; v += step) {
        out.push_back(Value::Int(v));
        if (out.size() > 10'000'000)
          return ResourceExhausted("generate_series in a select list gave more than 10,000,000 rows for one row");
        if ((step > 0 && v > INT64_MAX - step) || (step < 0 && v < INT64_MIN - step)) break;
      }
      return out;
    }
  }
  return out;
}

}  // namespace

Status ProjectSet::Produce(ExecContext& ctx, Sink& out) {
  return ProduceRowByRow(ctx, out, [this](std::vector<Value>& row, const EmitRow& emit) -> Status {
    sql::ClearEvalError();  // what Values takes is this row's
    std::vector<std::vector<Value>> lists;
    size_t n = 0;
    for (const auto& c : calls_) {
      ASSIGN_OR_RETURN(std::vector<Value> vs, Values(c, row.data()));
      n = std::max(n, vs.size());
      lists.push_back(std::move(vs));
    }
    for (size_t i = 0; i < n; i++) {
      std::vector<Value> o = row;
      for (const auto& l : lists) o.push_back(i < l.size() ? l[i] : Value::Null());
      RETURN_IF_ERROR(emit(std::move(o)));
    }
    return Status::OK();
  });
}

}  // namespace laminar::execution
