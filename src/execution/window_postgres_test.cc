// Window over a 16-row table, every function, frame mode, bound and exclusion, NULL ordering,
// ties and partitions, against PostgreSQL 15. The expected values were computed by psql
// (extra_float_digits = 1, TimeZone UTC) over the same table:
//   CREATE TABLE t AS SELECT id, p, k, v, timestamptz '2024-01-01 00:00:00+00' + k * interval
//     '37 minutes' AS ts, d, 2 AS two, 3 AS three, id % 3 AS off, v > 2 AS b, -1::float8 AS dflt,
//     '/' AS slash, 'none' AS none FROM (VALUES ...) x(id, p, k, v, d);
//   SELECT id, <function> OVER (<window>) FROM t ORDER BY id;
// Only results PostgreSQL determines are compared: functions whose value depends on the order
// of peers (row_number, lag, ROWS frames, first_value, ...) use ORDER BY k, id. PostgreSQL has no
// ORDER BY inside a window aggregate: its frame contents (array_agg(id ORDER BY id) here) came
// from sorting array_agg(id) OVER (...) in an outer query.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>

#include "execution/window.h"

namespace laminar::execution {
namespace {

using B = FrameBoundKind;
using K = WindowFunctionKind;

class TableSource : public PhysicalOperator {
 public:
  TableSource(std::vector<Type> types, std::vector<std::vector<Value>> rows, size_t chunk_rows)
      : rows_(std::move(rows)), chunk_rows_(chunk_rows) {
    types_ = std::move(types);
  }
  Status Produce(ExecContext& ctx, Sink& out) override {
    for (size_t i = 0; i < rows_.size(); i += chunk_rows_) {
      Chunk chunk(types_);
      for (size_t r = i; r < std::min(rows_.size(), i + chunk_rows_); r++) chunk.AppendValues(rows_[r]);
      bool stop = false;
      RETURN_IF_ERROR(out.Push(chunk, &stop));
    }
    return Status::OK();
  }
  std::string Describe() const override { return "TableSource"; }

 private:
  std::vector<std::vector<Value>> rows_;
  size_t chunk_rows_;
};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
const Value N;
Value I(int64_t i) { return Value::Int(i); }
Value D(double d) { return Value::Double(d); }
Value T(const char* s) { return Value::Text(s); }
Value Ts(int64_t micros) { return Value::Timestamp(micros); }

// Columns: 0 id, 1 p, 2 k, 3 v, 4 ts, 5 d, 6 two, 7 three, 8 off, 9 b, 10 dflt, 11 slash, 12 none.
const std::vector<Type> kTypes = {Type::kInt64, Type::kText,  Type::kInt64, Type::kDouble, Type::kTimestamp,
                                  Type::kDouble, Type::kInt64, Type::kInt64, Type::kInt64,  Type::kBool,
                                  Type::kDouble, Type::kText,  Type::kText};

std::vector<std::vector<Value>> Table() {
  std::vector<std::vector<Value>> rows = {
      {I(0), T("a"), I(1), D(1), Ts(1704069420000000), D(1)},
      {I(1), T("a"), I(1), D(2), Ts(1704069420000000), D(1.5)},
      {I(2), T("a"), I(2), N, Ts(1704071640000000), D(kNaN)},
      {I(3), T("a"), I(4), D(4), Ts(1704076080000000), D(-kInf)},
      {I(4), T("a"), N, D(5), N, N},
      {I(5), T("a"), I(7), D(6), Ts(1704082740000000), D(2.5)},
      {I(6), T("a"), I(7), D(7.5), Ts(1704082740000000), D(kInf)},
      {I(7), T("b"), I(3), D(10), Ts(1704073860000000), D(kNaN)},
      {I(8), T("b"), N, N, N, D(1)},
      {I(9), T("b"), N, D(3), N, N},
      {I(10), N, I(5), D(100), Ts(1704078300000000), D(0)},
      {I(11), N, I(6), D(200), Ts(1704080520000000), D(-0.0)},
      {I(12), T("a"), I(2), D(8), Ts(1704071640000000), D(2.5)},
      {I(13), T("b"), I(-2), D(-1), Ts(1704062760000000), D(3)},
      {I(14), T("a"), I(5), N, Ts(1704078300000000), D(4)},
      {I(15), T("a"), N, D(0.5), N, D(1)},
  };
  for (auto& r : rows) {
    int64_t id = r[0].as_int();
    Value b = r[3].is_null() ? N : Value::Bool(r[3].as_double() > 2);
    for (Value v : {I(2), I(3), I(id % 3), b, D(-1), T("/"), T("none")}) r.push_back(v);
  }
  return rows;
}

// A case names its function, window and frame in the generator's notation (below).
struct Case {
  const char* sql;
  const char* function;  // a key of Function()
  const char* window;    // a key of Windows()
  const char* frame;     // "" (the default) or "MODE START END [EXCLUDE]"
  std::vector<const char*> expected;  // by id
};

WindowOrder O(int column, bool descending = false, bool nulls_first = false) { return {column, descending, nulls_first}; }

struct WindowSpec {
  std::vector<int> partition;
  std::vector<WindowOrder> order;
};

const std::map<std::string, WindowSpec>& Windows() {
  static const std::map<std::string, WindowSpec> windows = {
      {"W1", {{1}, {O(2)}}},                           // PARTITION BY p ORDER BY k
      {"W1d", {{1}, {O(2, true, true)}}},              // ... ORDER BY k DESC
      {"W1f", {{1}, {O(2, false, true)}}},             // ... ORDER BY k NULLS FIRST
      {"W1dl", {{1}, {O(2, true, false)}}},            // ... ORDER BY k DESC NULLS LAST
      {"W2", {{1}, {O(2), O(0)}}},                     // ... ORDER BY k, id
      {"W2d", {{1}, {O(2, true, true), O(0)}}},        // ... ORDER BY k DESC, id
      {"Wd", {{1}, {O(5)}}},                           // ... ORDER BY d
      {"Wdd", {{1}, {O(5, true, true)}}},              // ... ORDER BY d DESC
      {"Wt", {{1}, {O(4)}}},                           // ... ORDER BY ts
      {"Wp", {{1}, {}}},                               // PARTITION BY p
      {"W0", {{}, {}}},                                // ()
      {"Wk", {{}, {O(2)}}},                            // ORDER BY k
  };
  return windows;
}

// "1P", "2.5F", "i3600000000P" (an interval in microseconds), "infF", "UP", "CR", "UF".
FrameBound ParseBound(const std::string& t) {
  if (t == "UP") return {B::kUnboundedPreceding, Value()};
  if (t == "UF") return {B::kUnboundedFollowing, Value()};
  if (t == "CR") return {B::kCurrentRow, Value()};
  B kind = t.back() == 'P' ? B::kPreceding : B::kFollowing;
  std::string n = t.substr(0, t.size() - 1);
  if (n == "inf") return {kind, D(kInf)};
  if (n[0] == 'i') return {kind, I(std::stoll(n.substr(1)))};
  if (n.find('.') != std::string::npos) return {kind, D(std::stod(n))};
  return {kind, I(std::stoll(n))};
}

WindowFrame ParseFrame(const std::string& text) {
  WindowFrame f;
  if (text.empty()) return f;
  std::istringstream in(text);
  std::string mode, start, end, exclude;
  in >> mode >> start >> end >> exclude;
  f.mode = mode == "ROWS" ? FrameMode::kRows : mode == "RANGE" ? FrameMode::kRange : FrameMode::kGroups;
  f.start = ParseBound(start);
  f.end = ParseBound(end);
  f.exclude = exclude == "xcr" ? FrameExclude::kCurrentRow
              : exclude == "xg" ? FrameExclude::kGroup
              : exclude == "xt" ? FrameExclude::kTies
                                : FrameExclude::kNoOthers;
  return f;
}

WindowFunction Fn(K kind, std::vector<int> inputs, WindowFrame frame = WindowFrame()) {
  WindowFunction f;
  f.kind = kind;
  f.inputs = std::move(inputs);
  f.frame = std::move(frame);
  return f;
}

WindowFunction Agg(const std::string& name, std::vector<Type> types, std::vector<int> inputs, WindowFrame frame,
                   std::vector<function::AggregateOrder> order = {}, int filter = -1) {
  WindowFunction f = Fn(K::kAggregate, std::move(inputs), std::move(frame));
  f.aggregate.arg_types = std::move(types);
  f.aggregate.order = std::move(order);
  Status st = function::ResolveAggregate(name, &f.aggregate);
  EXPECT_TRUE(st.ok()) << st.ToString();
  f.filter = filter;
  return f;
}

WindowFunction Function(const std::string& name, WindowFrame fr) {
  if (name == "ids") return Agg("array_agg", {Type::kInt64}, {0, 0}, fr, {{false, false}});  // array_agg(id ORDER BY id)
  if (name == "sumv") return Agg("sum", {Type::kDouble}, {3}, fr);
  if (name == "avgv") return Agg("avg", {Type::kDouble}, {3}, fr);
  if (name == "maxv") return Agg("max", {Type::kDouble}, {3}, fr);
  if (name == "cnt") return Agg("count", {}, {}, fr);
  if (name == "cntf") return Agg("count", {}, {}, fr, {}, 9);                       // count(*) FILTER (WHERE b)
  if (name == "strs") return Agg("string_agg", {Type::kText, Type::kText}, {1, 11}, fr);  // string_agg(p, '/')
  if (name == "first") return Fn(K::kFirstValue, {0}, fr);
  if (name == "last") return Fn(K::kLastValue, {0}, fr);
  if (name == "nth2") return Fn(K::kNthValue, {0, 6}, fr);     // nth_value(id, two)
  if (name == "nth3") return Fn(K::kNthValue, {3, 7}, fr);     // nth_value(v, three)
  if (name == "row_number") return Fn(K::kRowNumber, {});
  if (name == "rank") return Fn(K::kRank, {});
  if (name == "dense_rank") return Fn(K::kDenseRank, {});
  if (name == "percent_rank") return Fn(K::kPercentRank, {});
  if (name == "cume_dist") return Fn(K::kCumeDist, {});
  if (name == "ntile3") return Fn(K::kNtile, {7});
  if (name == "ntile2") return Fn(K::kNtile, {6});
  if (name == "lag") return Fn(K::kLag, {0});
  if (name == "lag2") return Fn(K::kLag, {3, 6, 10});     // lag(v, two, dflt)
  if (name == "leadoff") return Fn(K::kLead, {0, 8});     // lead(id, off)
  if (name == "lagoff") return Fn(K::kLag, {3, 8, 10});   // lag(v, off, dflt)
  if (name == "lead3") return Fn(K::kLead, {1, 7, 12});   // lead(p, three, none)
  ADD_FAILURE() << "unknown function " << name;
  return Fn(K::kRowNumber, {});
}

// The function's value per id, the input fed in `order` in chunks of `chunk_rows`.
std::vector<std::string> Compute(const Case& c, const std::vector<size_t>& order, size_t chunk_rows) {
  std::vector<std::vector<Value>> table = Table(), rows;
  for (size_t i : order) rows.push_back(table[i]);
  const WindowSpec& spec = Windows().at(c.window);
  Window w(std::make_unique<TableSource>(kTypes, rows, chunk_rows), spec.partition, spec.order,
           {Function(c.function, ParseFrame(c.frame))});
  ExecContext ctx({});
  CollectSink sink(w.types());
  Status st = w.Produce(ctx, sink);
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(ctx.memory_used(), 0u);
  std::vector<std::string> by_id(table.size(), "missing");
  const Chunk& out = sink.chunk();
  for (size_t r = 0; r < out.rows; r++) {
    Value v = out.columns.back().Get(r);
    by_id[out.columns[0].i64(r)] = v.is_null() ? "NULL" : v.ToString();
  }
  return by_id;
}

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
    {"row_number() OVER (PARTITION BY p ORDER BY k, id)", "row_number", "W2", "",
     {"1", "2", "3", "5", "9", "7", "8", "2", "3", "4", "1", "2", "4", "1", "6", "10"}},
    {"rank() OVER (PARTITION BY p ORDER BY k, id)", "rank", "W2", "",
     {"1", "2", "3", "5", "9", "7", "8", "2", "3", "4", "1", "2", "4", "1", "6", "10"}},
    {"dense_rank() OVER (PARTITION BY p ORDER BY k, id)", "dense_rank", "W2", "",
     {"1", "2", "3", "5", "9", "7", "8", "2", "3", "4", "1", "2", "4", "1", "6", "10"}},
    {"percent_rank() OVER (PARTITION BY p ORDER BY k, id)", "percent_rank", "W2", "",
     {"0", "0.1111111111111111", "0.2222222222222222", "0.4444444444444444", "0.8888888888888888", "0.6666666666666666", "0.7777777777777778", "0.3333333333333333", "0.6666666666666666", "1", "0", "1", "0.3333333333333333", "0", "0.5555555555555556", "1"}},
    {"cume_dist() OVER (PARTITION BY p ORDER BY k, id)", "cume_dist", "W2", "",
     {"0.1", "0.2", "0.3", "0.5", "0.9", "0.7", "0.8", "0.5", "0.75", "1", "0.5", "1", "0.4", "0.25", "0.6", "1"}},
    {"ntile(3) OVER (PARTITION BY p ORDER BY k, id)", "ntile3", "W2", "",
     {"1", "1", "1", "2", "3", "2", "3", "1", "2", "3", "1", "2", "1", "1", "2", "3"}},
    {"ntile(2) OVER (PARTITION BY p ORDER BY k, id)", "ntile2", "W2", "",
     {"1", "1", "1", "1", "2", "2", "2", "1", "2", "2", "1", "2", "1", "1", "2", "2"}},
    {"lag(id) OVER (PARTITION BY p ORDER BY k, id)", "lag", "W2", "",
     {"NULL", "0", "1", "12", "6", "14", "5", "13", "7", "8", "NULL", "10", "2", "NULL", "3", "4"}},
    {"lag(v, 2, -1::float8) OVER (PARTITION BY p ORDER BY k, id)", "lag2", "W2", "",
     {"-1", "-1", "1", "NULL", "6", "4", "NULL", "-1", "-1", "10", "-1", "-1", "2", "-1", "8", "7.5"}},
    {"lead(id, off::int) OVER (PARTITION BY p ORDER BY k, id)", "leadoff", "W2", "",
     {"0", "2", "3", "3", "15", "4", "6", "8", "NULL", "9", "11", "NULL", "12", "7", "6", "15"}},
    {"lag(v, off::int, dflt) OVER (PARTITION BY p ORDER BY k, id)", "lagoff", "W2", "",
     {"1", "1", "1", "4", "7.5", "4", "7.5", "-1", "-1", "3", "-1", "-1", "8", "-1", "8", "0.5"}},
    {"lead(p, 3, 'none') OVER (PARTITION BY p ORDER BY k, id)", "lead3", "W2", "",
     {"a", "a", "a", "a", "none", "a", "none", "none", "none", "none", "none", "none", "a", "b", "a", "none"}},
    {"rank() OVER (PARTITION BY p ORDER BY k)", "rank", "W1", "",
     {"1", "1", "3", "5", "9", "7", "7", "2", "3", "3", "1", "2", "3", "1", "6", "9"}},
    {"rank() OVER (PARTITION BY p ORDER BY k DESC)", "rank", "W1d", "",
     {"9", "9", "7", "6", "1", "3", "3", "3", "1", "1", "2", "1", "7", "4", "5", "1"}},
    {"rank() OVER (PARTITION BY p ORDER BY k NULLS FIRST)", "rank", "W1f", "",
     {"3", "3", "5", "7", "1", "9", "9", "4", "1", "1", "1", "2", "5", "3", "8", "1"}},
    {"rank() OVER (PARTITION BY p)", "rank", "Wp", "",
     {"1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1"}},
    {"rank() OVER ()", "rank", "W0", "",
     {"1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1"}},
    {"dense_rank() OVER (PARTITION BY p ORDER BY k)", "dense_rank", "W1", "",
     {"1", "1", "2", "3", "6", "5", "5", "2", "3", "3", "1", "2", "2", "1", "4", "6"}},
    {"dense_rank() OVER (PARTITION BY p ORDER BY k DESC)", "dense_rank", "W1d", "",
     {"6", "6", "5", "4", "1", "2", "2", "2", "1", "1", "2", "1", "5", "3", "3", "1"}},
    {"dense_rank() OVER (PARTITION BY p ORDER BY k NULLS FIRST)", "dense_rank", "W1f", "",
     {"2", "2", "3", "4", "1", "6", "6", "3", "1", "1", "1", "2", "3", "2", "5", "1"}},
    {"dense_rank() OVER (PARTITION BY p)", "dense_rank", "Wp", "",
     {"1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1"}},
    {"dense_rank() OVER ()", "dense_rank", "W0", "",
     {"1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1"}},
    {"percent_rank() OVER (PARTITION BY p ORDER BY k)", "percent_rank", "W1", "",
     {"0", "0", "0.2222222222222222", "0.4444444444444444", "0.8888888888888888", "0.6666666666666666", "0.6666666666666666", "0.3333333333333333", "0.6666666666666666", "0.6666666666666666", "0", "1", "0.2222222222222222", "0", "0.5555555555555556", "0.8888888888888888"}},
    {"percent_rank() OVER (PARTITION BY p ORDER BY k DESC)", "percent_rank", "W1d", "",
     {"0.8888888888888888", "0.8888888888888888", "0.6666666666666666", "0.5555555555555556", "0", "0.2222222222222222", "0.2222222222222222", "0.6666666666666666", "0", "0", "1", "0", "0.6666666666666666", "1", "0.4444444444444444", "0"}},
    {"percent_rank() OVER (PARTITION BY p ORDER BY k NULLS FIRST)", "percent_rank", "W1f", "",
     {"0.2222222222222222", "0.2222222222222222", "0.4444444444444444", "0.6666666666666666", "0", "0.8888888888888888", "0.8888888888888888", "1", "0", "0", "0", "1", "0.4444444444444444", "0.6666666666666666", "0.7777777777777778", "0"}},
    {"percent_rank() OVER (PARTITION BY p)", "percent_rank", "Wp", "",
     {"0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"}},
    {"percent_rank() OVER ()", "percent_rank", "W0", "",
     {"0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"}},
    {"cume_dist() OVER (PARTITION BY p ORDER BY k)", "cume_dist", "W1", "",
     {"0.2", "0.2", "0.4", "0.5", "1", "0.8", "0.8", "0.5", "1", "1", "0.5", "1", "0.4", "0.25", "0.6", "1"}},
    {"cume_dist() OVER (PARTITION BY p ORDER BY k DESC)", "cume_dist", "W1d", "",
     {"1", "1", "0.8", "0.6", "0.2", "0.4", "0.4", "0.75", "0.5", "0.5", "1", "0.5", "0.8", "1", "0.5", "0.2"}},
    {"cume_dist() OVER (PARTITION BY p ORDER BY k NULLS FIRST)", "cume_dist", "W1f", "",
     {"0.4", "0.4", "0.6", "0.7", "0.2", "1", "1", "1", "0.5", "0.5", "0.5", "1", "0.6", "0.75", "0.8", "0.2"}},
    {"cume_dist() OVER (PARTITION BY p)", "cume_dist", "Wp", "",
     {"1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1"}},
    {"cume_dist() OVER ()", "cume_dist", "W0", "",
     {"1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1"}},
    {"row_number() OVER (PARTITION BY p ORDER BY k DESC, id)", "row_number", "W2d", "",
     {"9", "10", "7", "6", "1", "3", "4", "3", "1", "2", "2", "1", "8", "4", "5", "2"}},
    {"ntile(3) OVER (PARTITION BY p ORDER BY k DESC, id)", "ntile3", "W2d", "",
     {"3", "3", "2", "2", "1", "1", "1", "2", "1", "1", "2", "1", "3", "3", "2", "1"}},
    {"lag(id) OVER (PARTITION BY p ORDER BY k DESC, id)", "lag", "W2d", "",
     {"12", "0", "3", "14", "NULL", "15", "5", "9", "NULL", "8", "11", "NULL", "2", "7", "6", "4"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "ids", "W2", "ROWS 1P 1F",
     {"{0,1}", "{0,1,2}", "{1,2,12}", "{3,12,14}", "{4,6,15}", "{5,6,14}", "{4,5,6}", "{7,8,13}", "{7,8,9}", "{8,9}", "{10,11}", "{10,11}", "{2,3,12}", "{7,13}", "{3,5,14}", "{4,15}"}},
    {"first_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "first", "W2", "ROWS 1P 1F",
     {"0", "0", "1", "12", "6", "14", "5", "13", "7", "8", "10", "10", "2", "13", "3", "4"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "last", "W2", "ROWS 1P 1F",
     {"1", "2", "12", "14", "15", "6", "4", "8", "9", "9", "11", "11", "3", "7", "5", "15"}},
    {"nth_value(id, 2) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "nth2", "W2", "ROWS 1P 1F",
     {"1", "1", "2", "3", "4", "5", "6", "7", "8", "9", "11", "11", "12", "7", "14", "15"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "ids", "W2", "ROWS UP CR",
     {"{0}", "{0,1}", "{0,1,2}", "{0,1,2,3,12}", "{0,1,2,3,4,5,6,12,14}", "{0,1,2,3,5,12,14}", "{0,1,2,3,5,6,12,14}", "{7,13}", "{7,8,13}", "{7,8,9,13}", "{10}", "{10,11}", "{0,1,2,12}", "{13}", "{0,1,2,3,12,14}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"first_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "first", "W2", "ROWS UP CR",
     {"0", "0", "0", "0", "0", "0", "0", "13", "13", "13", "10", "10", "0", "13", "0", "0"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "last", "W2", "ROWS UP CR",
     {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"}},
    {"nth_value(id, 2) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "nth2", "W2", "ROWS UP CR",
     {"NULL", "1", "1", "1", "1", "1", "1", "7", "7", "7", "NULL", "11", "1", "NULL", "1", "1"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)", "ids", "W2", "ROWS CR UF",
     {"{0,1,2,3,4,5,6,12,14,15}", "{1,2,3,4,5,6,12,14,15}", "{2,3,4,5,6,12,14,15}", "{3,4,5,6,14,15}", "{4,15}", "{4,5,6,15}", "{4,6,15}", "{7,8,9}", "{8,9}", "{9}", "{10,11}", "{11}", "{3,4,5,6,12,14,15}", "{7,8,9,13}", "{4,5,6,14,15}", "{15}"}},
    {"first_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)", "first", "W2", "ROWS CR UF",
     {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)", "last", "W2", "ROWS CR UF",
     {"15", "15", "15", "15", "15", "15", "15", "9", "9", "9", "11", "11", "15", "9", "15", "15"}},
    {"nth_value(id, 2) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)", "nth2", "W2", "ROWS CR UF",
     {"1", "2", "12", "14", "15", "6", "4", "8", "9", "NULL", "11", "NULL", "3", "7", "5", "NULL"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING)", "ids", "W2", "ROWS 2P 1P",
     {"NULL", "{0}", "{0,1}", "{2,12}", "{5,6}", "{3,14}", "{5,14}", "{13}", "{7,13}", "{7,8}", "NULL", "{10}", "{1,2}", "NULL", "{3,12}", "{4,6}"}},
    {"first_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING)", "first", "W2", "ROWS 2P 1P",
     {"NULL", "0", "0", "2", "5", "3", "14", "13", "13", "7", "NULL", "10", "1", "NULL", "12", "6"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING)", "last", "W2", "ROWS 2P 1P",
     {"NULL", "0", "1", "12", "6", "14", "5", "13", "7", "8", "NULL", "10", "2", "NULL", "3", "4"}},
    {"nth_value(id, 2) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING)", "nth2", "W2", "ROWS 2P 1P",
     {"NULL", "NULL", "1", "12", "6", "14", "5", "NULL", "7", "8", "NULL", "NULL", "2", "NULL", "3", "4"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING)", "ids", "W2", "ROWS 1F 3F",
     {"{1,2,12}", "{2,3,12}", "{3,12,14}", "{5,6,14}", "{15}", "{4,6,15}", "{4,15}", "{8,9}", "{9}", "NULL", "{11}", "NULL", "{3,5,14}", "{7,8,9}", "{4,5,6}", "NULL"}},
    {"first_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING)", "first", "W2", "ROWS 1F 3F",
     {"1", "2", "12", "14", "15", "6", "4", "8", "9", "NULL", "11", "NULL", "3", "7", "5", "NULL"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING)", "last", "W2", "ROWS 1F 3F",
     {"12", "3", "14", "6", "15", "15", "15", "9", "9", "NULL", "11", "NULL", "5", "9", "4", "NULL"}},
    {"nth_value(id, 2) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING)", "nth2", "W2", "ROWS 1F 3F",
     {"2", "12", "3", "5", "NULL", "4", "15", "9", "NULL", "NULL", "NULL", "NULL", "14", "8", "6", "NULL"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)", "ids", "W2", "ROWS UP 1P",
     {"NULL", "{0}", "{0,1}", "{0,1,2,12}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,12,14}", "{0,1,2,3,5,12,14}", "{13}", "{7,13}", "{7,8,13}", "NULL", "{10}", "{0,1,2}", "NULL", "{0,1,2,3,12}", "{0,1,2,3,4,5,6,12,14}"}},
    {"first_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)", "first", "W2", "ROWS UP 1P",
     {"NULL", "0", "0", "0", "0", "0", "0", "13", "13", "13", "NULL", "10", "0", "NULL", "0", "0"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)", "last", "W2", "ROWS UP 1P",
     {"NULL", "0", "1", "12", "6", "14", "5", "13", "7", "8", "NULL", "10", "2", "NULL", "3", "4"}},
    {"nth_value(id, 2) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)", "nth2", "W2", "ROWS UP 1P",
     {"NULL", "NULL", "1", "1", "1", "1", "1", "NULL", "7", "7", "NULL", "NULL", "1", "NULL", "1", "1"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)", "ids", "W2", "ROWS UP UF",
     {"{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"first_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)", "first", "W2", "ROWS UP UF",
     {"0", "0", "0", "0", "0", "0", "0", "13", "13", "13", "10", "10", "0", "13", "0", "0"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)", "last", "W2", "ROWS UP UF",
     {"15", "15", "15", "15", "15", "15", "15", "9", "9", "9", "11", "11", "15", "9", "15", "15"}},
    {"nth_value(id, 2) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)", "nth2", "W2", "ROWS UP UF",
     {"1", "1", "1", "1", "1", "1", "1", "7", "7", "7", "11", "11", "1", "7", "1", "1"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 0 PRECEDING AND 0 FOLLOWING)", "ids", "W2", "ROWS 0P 0F",
     {"{0}", "{1}", "{2}", "{3}", "{4}", "{5}", "{6}", "{7}", "{8}", "{9}", "{10}", "{11}", "{12}", "{13}", "{14}", "{15}"}},
    {"first_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 0 PRECEDING AND 0 FOLLOWING)", "first", "W2", "ROWS 0P 0F",
     {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 0 PRECEDING AND 0 FOLLOWING)", "last", "W2", "ROWS 0P 0F",
     {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"}},
    {"nth_value(id, 2) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 0 PRECEDING AND 0 FOLLOWING)", "nth2", "W2", "ROWS 0P 0F",
     {"NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING)", "ids", "W2", "ROWS 3P 2F",
     {"{0,1,2}", "{0,1,2,12}", "{0,1,2,3,12}", "{1,2,3,5,12,14}", "{4,5,6,14,15}", "{3,4,5,6,12,14}", "{3,4,5,6,14,15}", "{7,8,9,13}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,12,14}", "{7,8,13}", "{2,3,5,6,12,14}", "{4,5,6,15}"}},
    {"first_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING)", "first", "W2", "ROWS 3P 2F",
     {"0", "0", "0", "1", "14", "12", "3", "13", "13", "13", "10", "10", "0", "13", "2", "5"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING)", "last", "W2", "ROWS 3P 2F",
     {"2", "12", "3", "5", "15", "4", "15", "9", "9", "9", "11", "11", "14", "8", "6", "15"}},
    {"nth_value(id, 2) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING)", "nth2", "W2", "ROWS 3P 2F",
     {"1", "1", "1", "2", "5", "3", "14", "7", "7", "7", "11", "11", "1", "7", "12", "6"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING)", "ids", "W2", "ROWS UP 2F",
     {"{0,1,2}", "{0,1,2,12}", "{0,1,2,3,12}", "{0,1,2,3,5,12,14}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,12,14}", "{7,8,13}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"first_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING)", "first", "W2", "ROWS UP 2F",
     {"0", "0", "0", "0", "0", "0", "0", "13", "13", "13", "10", "10", "0", "13", "0", "0"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING)", "last", "W2", "ROWS UP 2F",
     {"2", "12", "3", "5", "15", "4", "15", "9", "9", "9", "11", "11", "14", "8", "6", "15"}},
    {"nth_value(id, 2) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING)", "nth2", "W2", "ROWS UP 2F",
     {"1", "1", "1", "1", "1", "1", "1", "7", "7", "7", "11", "11", "1", "7", "1", "1"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW)", "ids", "W2", "ROWS 1P 1F xcr",
     {"{1}", "{0,2}", "{1,12}", "{12,14}", "{6,15}", "{6,14}", "{4,5}", "{8,13}", "{7,9}", "{8}", "{11}", "{10}", "{2,3}", "{7}", "{3,5}", "{4}"}},
    {"first_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW)", "first", "W2", "ROWS 1P 1F xcr",
     {"1", "0", "1", "12", "6", "14", "5", "13", "7", "8", "11", "10", "2", "7", "3", "4"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW)", "last", "W2", "ROWS 1P 1F xcr",
     {"1", "2", "12", "14", "15", "6", "4", "8", "9", "8", "11", "10", "3", "7", "5", "4"}},
    {"nth_value(id, 2) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW)", "nth2", "W2", "ROWS 1P 1F xcr",
     {"NULL", "2", "12", "14", "15", "6", "4", "8", "9", "NULL", "NULL", "NULL", "3", "NULL", "5", "NULL"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)", "ids", "W2", "ROWS UP UF xcr",
     {"{1,2,3,4,5,6,12,14,15}", "{0,2,3,4,5,6,12,14,15}", "{0,1,3,4,5,6,12,14,15}", "{0,1,2,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14,15}", "{0,1,2,3,4,6,12,14,15}", "{0,1,2,3,4,5,12,14,15}", "{8,9,13}", "{7,9,13}", "{7,8,13}", "{11}", "{10}", "{0,1,2,3,4,5,6,14,15}", "{7,8,9}", "{0,1,2,3,4,5,6,12,15}", "{0,1,2,3,4,5,6,12,14}"}},
    {"first_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)", "first", "W2", "ROWS UP UF xcr",
     {"1", "0", "0", "0", "0", "0", "0", "13", "13", "13", "11", "10", "0", "7", "0", "0"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)", "last", "W2", "ROWS UP UF xcr",
     {"15", "15", "15", "15", "15", "15", "15", "9", "9", "8", "11", "10", "15", "9", "15", "4"}},
    {"nth_value(id, 2) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)", "nth2", "W2", "ROWS UP UF xcr",
     {"2", "2", "1", "1", "1", "1", "1", "8", "7", "7", "NULL", "NULL", "1", "8", "1", "1"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW EXCLUDE TIES)", "ids", "W2", "ROWS 2P CR xt",
     {"{0}", "{0,1}", "{0,1,2}", "{2,3,12}", "{4,5,6}", "{3,5,14}", "{5,6,14}", "{7,13}", "{7,8,13}", "{7,8,9}", "{10}", "{10,11}", "{1,2,12}", "{13}", "{3,12,14}", "{4,6,15}"}},
    {"first_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW EXCLUDE TIES)", "first", "W2", "ROWS 2P CR xt",
     {"0", "0", "0", "2", "5", "3", "14", "13", "13", "7", "10", "10", "1", "13", "12", "6"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW EXCLUDE TIES)", "last", "W2", "ROWS 2P CR xt",
     {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"}},
    {"nth_value(id, 2) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW EXCLUDE TIES)", "nth2", "W2", "ROWS 2P CR xt",
     {"NULL", "1", "1", "12", "6", "14", "5", "7", "7", "8", "NULL", "11", "2", "NULL", "3", "4"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1000 PRECEDING AND 1000 FOLLOWING)", "ids", "W2", "ROWS 1000P 1000F",
     {"{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"first_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1000 PRECEDING AND 1000 FOLLOWING)", "first", "W2", "ROWS 1000P 1000F",
     {"0", "0", "0", "0", "0", "0", "0", "13", "13", "13", "10", "10", "0", "13", "0", "0"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1000 PRECEDING AND 1000 FOLLOWING)", "last", "W2", "ROWS 1000P 1000F",
     {"15", "15", "15", "15", "15", "15", "15", "9", "9", "9", "11", "11", "15", "9", "15", "15"}},
    {"nth_value(id, 2) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1000 PRECEDING AND 1000 FOLLOWING)", "nth2", "W2", "ROWS 1000P 1000F",
     {"1", "1", "1", "1", "1", "1", "1", "7", "7", "7", "11", "11", "1", "7", "1", "1"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "sumv", "W2", "ROWS 1P 1F",
     {"3", "3", "10", "12", "13", "13.5", "18.5", "9", "13", "3", "300", "300", "12", "9", "10", "5.5"}},
    {"avg(v) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "avgv", "W2", "ROWS 1P 1F",
     {"1.5", "1.5", "5", "6", "4.333333333333333", "6.75", "6.166666666666667", "4.5", "6.5", "3", "150", "150", "6", "4.5", "5", "2.75"}},
    {"max(v) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "maxv", "W2", "ROWS 1P 1F",
     {"2", "2", "8", "8", "7.5", "7.5", "7.5", "10", "10", "3", "200", "200", "8", "10", "6", "5"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "cnt", "W2", "ROWS 1P 1F",
     {"2", "3", "3", "3", "3", "3", "3", "3", "3", "2", "2", "2", "3", "2", "3", "2"}},
    {"count(*) FILTER (WHERE b) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "cntf", "W2", "ROWS 1P 1F",
     {"0", "0", "1", "2", "2", "2", "3", "1", "2", "1", "2", "2", "2", "1", "2", "1"}},
    {"string_agg(p, '/') OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "strs", "W2", "ROWS 1P 1F",
     {"a/a", "a/a/a", "a/a/a", "a/a/a", "a/a/a", "a/a/a", "a/a/a", "b/b/b", "b/b/b", "b/b", "NULL", "NULL", "a/a/a", "b/b", "a/a/a", "a/a"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "sumv", "W2", "ROWS UP CR",
     {"1", "3", "3", "15", "33.5", "21", "28.5", "9", "9", "12", "100", "300", "11", "-1", "15", "34"}},
    {"avg(v) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "avgv", "W2", "ROWS UP CR",
     {"1", "1.5", "1.5", "3.75", "4.785714285714286", "4.2", "4.75", "4.5", "4.5", "4", "100", "150", "3.6666666666666665", "-1", "3.75", "4.25"}},
    {"max(v) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "maxv", "W2", "ROWS UP CR",
     {"1", "2", "2", "8", "8", "8", "8", "10", "10", "10", "100", "200", "8", "-1", "8", "8"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "cnt", "W2", "ROWS UP CR",
     {"1", "2", "3", "5", "9", "7", "8", "2", "3", "4", "1", "2", "4", "1", "6", "10"}},
    {"count(*) FILTER (WHERE b) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "cntf", "W2", "ROWS UP CR",
     {"0", "0", "0", "2", "5", "3", "4", "1", "1", "2", "1", "2", "1", "0", "2", "5"}},
    {"string_agg(p, '/') OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "strs", "W2", "ROWS UP CR",
     {"a", "a/a", "a/a/a", "a/a/a/a/a", "a/a/a/a/a/a/a/a/a", "a/a/a/a/a/a/a", "a/a/a/a/a/a/a/a", "b/b", "b/b/b", "b/b/b/b", "NULL", "NULL", "a/a/a/a", "b", "a/a/a/a/a/a", "a/a/a/a/a/a/a/a/a/a"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING)", "sumv", "W2", "ROWS 2P 1P",
     {"NULL", "1", "3", "8", "13.5", "4", "6", "-1", "9", "10", "NULL", "100", "2", "NULL", "12", "12.5"}},
    {"avg(v) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING)", "avgv", "W2", "ROWS 2P 1P",
     {"NULL", "1", "1.5", "8", "6.75", "4", "6", "-1", "4.5", "10", "NULL", "100", "2", "NULL", "6", "6.25"}},
    {"max(v) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING)", "maxv", "W2", "ROWS 2P 1P",
     {"NULL", "1", "2", "8", "7.5", "4", "6", "-1", "10", "10", "NULL", "100", "2", "NULL", "8", "7.5"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING)", "cnt", "W2", "ROWS 2P 1P",
     {"0", "1", "2", "2", "2", "2", "2", "1", "2", "2", "0", "1", "2", "0", "2", "2"}},
    {"count(*) FILTER (WHERE b) OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING)", "cntf", "W2", "ROWS 2P 1P",
     {"0", "0", "0", "1", "2", "1", "1", "0", "1", "1", "0", "1", "0", "0", "2", "2"}},
    {"string_agg(p, '/') OVER (PARTITION BY p ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING)", "strs", "W2", "ROWS 2P 1P",
     {"NULL", "a", "a/a", "a/a", "a/a", "a/a", "a/a", "b", "b/b", "b/b", "NULL", "NULL", "a/a", "NULL", "a/a", "a/a"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP)", "ids", "W1", "ROWS UP UF xg",
     {"{2,3,4,5,6,12,14,15}", "{2,3,4,5,6,12,14,15}", "{0,1,3,4,5,6,14,15}", "{0,1,2,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,4,12,14,15}", "{0,1,2,3,4,12,14,15}", "{8,9,13}", "{7,13}", "{7,13}", "{11}", "{10}", "{0,1,3,4,5,6,14,15}", "{7,8,9}", "{0,1,2,3,4,5,6,12,15}", "{0,1,2,3,5,6,12,14}"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP)", "cnt", "W1", "ROWS UP UF xg",
     {"8", "8", "8", "9", "8", "8", "8", "3", "2", "2", "1", "1", "8", "3", "9", "8"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP)", "sumv", "W1", "ROWS UP UF xg",
     {"31", "31", "26", "30", "28.5", "20.5", "20.5", "2", "9", "9", "200", "100", "26", "13", "34", "28.5"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES)", "ids", "W1", "ROWS UP UF xt",
     {"{0,2,3,4,5,6,12,14,15}", "{1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14}", "{0,1,2,3,4,5,12,14,15}", "{0,1,2,3,4,6,12,14,15}", "{7,8,9,13}", "{7,8,13}", "{7,9,13}", "{10,11}", "{10,11}", "{0,1,3,4,5,6,12,14,15}", "{7,8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14,15}"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES)", "cnt", "W1", "ROWS UP UF xt",
     {"9", "9", "9", "10", "9", "9", "9", "4", "3", "3", "2", "2", "9", "4", "10", "9"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES)", "sumv", "W1", "ROWS UP UF xt",
     {"32", "33", "26", "34", "33.5", "26.5", "28", "12", "9", "12", "300", "300", "34", "12", "34", "29"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "ids", "W1", "GROUPS 1P 1F",
     {"{0,1,2,12}", "{0,1,2,12}", "{0,1,2,3,12}", "{2,3,12,14}", "{4,5,6,15}", "{4,5,6,14,15}", "{4,5,6,14,15}", "{7,8,9,13}", "{7,8,9}", "{7,8,9}", "{10,11}", "{10,11}", "{0,1,2,3,12}", "{7,13}", "{3,5,6,14}", "{4,5,6,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "ids", "W1d", "GROUPS 1P 1F",
     {"{0,1,2,12}", "{0,1,2,12}", "{0,1,2,3,12}", "{2,3,12,14}", "{4,5,6,15}", "{4,5,6,14,15}", "{4,5,6,14,15}", "{7,8,9,13}", "{7,8,9}", "{7,8,9}", "{10,11}", "{10,11}", "{0,1,2,3,12}", "{7,13}", "{3,5,6,14}", "{4,5,6,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "sumv", "W1", "GROUPS 1P 1F",
     {"11", "11", "15", "12", "19", "19", "19", "12", "13", "13", "300", "300", "15", "9", "17.5", "19"}},
    {"nth_value(v, 3) OVER (PARTITION BY p ORDER BY k, id GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "nth3", "W2", "GROUPS 1P 1F",
     {"NULL", "NULL", "8", "NULL", "0.5", "7.5", "5", "NULL", "3", "NULL", "NULL", "NULL", "4", "NULL", "6", "NULL"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k DESC, id GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "last", "W2d", "GROUPS 1P 1F",
     {"1", "1", "12", "2", "15", "6", "14", "13", "9", "7", "10", "10", "0", "13", "3", "5"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN CURRENT ROW AND 2 FOLLOWING)", "ids", "W1", "GROUPS CR 2F",
     {"{0,1,2,3,12}", "{0,1,2,3,12}", "{2,3,12,14}", "{3,5,6,14}", "{4,15}", "{4,5,6,15}", "{4,5,6,15}", "{7,8,9}", "{8,9}", "{8,9}", "{10,11}", "{11}", "{2,3,12,14}", "{7,8,9,13}", "{4,5,6,14,15}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC GROUPS BETWEEN CURRENT ROW AND 2 FOLLOWING)", "ids", "W1d", "GROUPS CR 2F",
     {"{0,1}", "{0,1}", "{0,1,2,12}", "{0,1,2,3,12}", "{4,5,6,14,15}", "{3,5,6,14}", "{3,5,6,14}", "{7,13}", "{7,8,9,13}", "{7,8,9,13}", "{10}", "{10,11}", "{0,1,2,12}", "{13}", "{2,3,12,14}", "{4,5,6,14,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN CURRENT ROW AND 2 FOLLOWING)", "sumv", "W1", "GROUPS CR 2F",
     {"15", "15", "12", "17.5", "5.5", "19", "19", "13", "3", "3", "300", "200", "12", "12", "19", "5.5"}},
    {"nth_value(v, 3) OVER (PARTITION BY p ORDER BY k, id GROUPS BETWEEN CURRENT ROW AND 2 FOLLOWING)", "nth3", "W2", "GROUPS CR 2F",
     {"NULL", "8", "4", "6", "NULL", "5", "0.5", "3", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "7.5", "NULL"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k DESC, id GROUPS BETWEEN CURRENT ROW AND 2 FOLLOWING)", "last", "W2d", "GROUPS CR 2F",
     {"1", "1", "0", "12", "5", "14", "3", "13", "7", "13", "10", "10", "1", "13", "2", "6"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN 2 PRECEDING AND 1 PRECEDING)", "ids", "W1", "GROUPS 2P 1P",
     {"NULL", "NULL", "{0,1}", "{0,1,2,12}", "{5,6,14}", "{3,14}", "{3,14}", "{13}", "{7,13}", "{7,13}", "NULL", "{10}", "{0,1}", "NULL", "{2,3,12}", "{5,6,14}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC GROUPS BETWEEN 2 PRECEDING AND 1 PRECEDING)", "ids", "W1d", "GROUPS 2P 1P",
     {"{2,3,12}", "{2,3,12}", "{3,14}", "{5,6,14}", "NULL", "{4,15}", "{4,15}", "{8,9}", "NULL", "NULL", "{11}", "NULL", "{3,14}", "{7,8,9}", "{4,5,6,15}", "NULL"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN 2 PRECEDING AND 1 PRECEDING)", "sumv", "W1", "GROUPS 2P 1P",
     {"NULL", "NULL", "3", "11", "13.5", "4", "4", "-1", "9", "9", "NULL", "100", "3", "NULL", "12", "13.5"}},
    {"nth_value(v, 3) OVER (PARTITION BY p ORDER BY k, id GROUPS BETWEEN 2 PRECEDING AND 1 PRECEDING)", "nth3", "W2", "GROUPS 2P 1P",
     {"NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k DESC, id GROUPS BETWEEN 2 PRECEDING AND 1 PRECEDING)", "last", "W2d", "GROUPS 2P 1P",
     {"12", "0", "3", "14", "NULL", "15", "5", "9", "NULL", "8", "11", "NULL", "2", "7", "6", "4"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING)", "ids", "W1", "GROUPS UP 1F",
     {"{0,1,2,12}", "{0,1,2,12}", "{0,1,2,3,12}", "{0,1,2,3,12,14}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,12}", "{7,13}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING)", "ids", "W1d", "GROUPS UP 1F",
     {"{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{2,3,4,5,6,12,14,15}", "{4,5,6,15}", "{4,5,6,14,15}", "{4,5,6,14,15}", "{7,8,9,13}", "{7,8,9}", "{7,8,9}", "{10,11}", "{10,11}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{3,4,5,6,14,15}", "{4,5,6,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING)", "sumv", "W1", "GROUPS UP 1F",
     {"11", "11", "15", "15", "34", "34", "34", "12", "12", "12", "300", "300", "15", "9", "28.5", "34"}},
    {"nth_value(v, 3) OVER (PARTITION BY p ORDER BY k, id GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING)", "nth3", "W2", "GROUPS UP 1F",
     {"NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k DESC, id GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING)", "last", "W2d", "GROUPS UP 1F",
     {"1", "1", "12", "2", "15", "6", "14", "13", "9", "7", "10", "10", "0", "13", "3", "5"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)", "ids", "W1", "GROUPS 1F UF",
     {"{2,3,4,5,6,12,14,15}", "{2,3,4,5,6,12,14,15}", "{3,4,5,6,14,15}", "{4,5,6,14,15}", "NULL", "{4,15}", "{4,15}", "{8,9}", "NULL", "NULL", "{11}", "NULL", "{3,4,5,6,14,15}", "{7,8,9}", "{4,5,6,15}", "NULL"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC GROUPS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)", "ids", "W1d", "GROUPS 1F UF",
     {"NULL", "NULL", "{0,1}", "{0,1,2,12}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,12,14}", "{0,1,2,3,12,14}", "{13}", "{7,13}", "{7,13}", "NULL", "{10}", "{0,1}", "NULL", "{0,1,2,3,12}", "{0,1,2,3,5,6,12,14}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)", "sumv", "W1", "GROUPS 1F UF",
     {"31", "31", "23", "19", "NULL", "5.5", "5.5", "3", "NULL", "NULL", "200", "NULL", "23", "13", "19", "NULL"}},
    {"nth_value(v, 3) OVER (PARTITION BY p ORDER BY k, id GROUPS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)", "nth3", "W2", "GROUPS 1F UF",
     {"8", "4", "NULL", "7.5", "NULL", "0.5", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "6", "3", "5", "NULL"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k DESC, id GROUPS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)", "last", "W2d", "GROUPS 1F UF",
     {"1", "NULL", "1", "1", "1", "1", "1", "13", "13", "13", "NULL", "10", "1", "NULL", "1", "1"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES)", "ids", "W1", "GROUPS 1P 1F xt",
     {"{0,2,12}", "{1,2,12}", "{0,1,2,3}", "{2,3,12,14}", "{4,5,6}", "{4,5,14,15}", "{4,6,14,15}", "{7,8,9,13}", "{7,8}", "{7,9}", "{10,11}", "{10,11}", "{0,1,3,12}", "{7,13}", "{3,5,6,14}", "{5,6,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES)", "ids", "W1d", "GROUPS 1P 1F xt",
     {"{0,2,12}", "{1,2,12}", "{0,1,2,3}", "{2,3,12,14}", "{4,5,6}", "{4,5,14,15}", "{4,6,14,15}", "{7,8,9,13}", "{7,8}", "{7,9}", "{10,11}", "{10,11}", "{0,1,3,12}", "{7,13}", "{3,5,6,14}", "{5,6,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES)", "sumv", "W1", "GROUPS 1P 1F xt",
     {"9", "10", "7", "12", "18.5", "11.5", "13", "12", "10", "13", "300", "300", "15", "9", "17.5", "14"}},
    {"nth_value(v, 3) OVER (PARTITION BY p ORDER BY k, id GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES)", "nth3", "W2", "GROUPS 1P 1F xt",
     {"NULL", "NULL", "8", "NULL", "0.5", "7.5", "5", "NULL", "3", "NULL", "NULL", "NULL", "4", "NULL", "6", "NULL"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k DESC, id GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES)", "last", "W2d", "GROUPS 1P 1F xt",
     {"1", "1", "12", "2", "15", "6", "14", "13", "9", "7", "10", "10", "0", "13", "3", "5"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE GROUP)", "ids", "W1", "GROUPS 1P 1F xg",
     {"{2,12}", "{2,12}", "{0,1,3}", "{2,12,14}", "{5,6}", "{4,14,15}", "{4,14,15}", "{8,9,13}", "{7}", "{7}", "{11}", "{10}", "{0,1,3}", "{7}", "{3,5,6}", "{5,6}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE GROUP)", "ids", "W1d", "GROUPS 1P 1F xg",
     {"{2,12}", "{2,12}", "{0,1,3}", "{2,12,14}", "{5,6}", "{4,14,15}", "{4,14,15}", "{8,9,13}", "{7}", "{7}", "{11}", "{10}", "{0,1,3}", "{7}", "{3,5,6}", "{5,6}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE GROUP)", "sumv", "W1", "GROUPS 1P 1F xg",
     {"8", "8", "7", "8", "13.5", "5.5", "5.5", "2", "10", "10", "200", "100", "7", "10", "17.5", "13.5"}},
    {"nth_value(v, 3) OVER (PARTITION BY p ORDER BY k, id GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE GROUP)", "nth3", "W2", "GROUPS 1P 1F xg",
     {"NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k DESC, id GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE GROUP)", "last", "W2d", "GROUPS 1P 1F xg",
     {"1", "0", "12", "2", "15", "6", "14", "13", "9", "7", "11", "10", "0", "7", "3", "5"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW)", "ids", "W1", "GROUPS UP CR xcr",
     {"{1}", "{0}", "{0,1,12}", "{0,1,2,12}", "{0,1,2,3,5,6,12,14,15}", "{0,1,2,3,6,12,14}", "{0,1,2,3,5,12,14}", "{13}", "{7,9,13}", "{7,8,13}", "NULL", "{10}", "{0,1,2}", "NULL", "{0,1,2,3,12}", "{0,1,2,3,4,5,6,12,14}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC GROUPS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW)", "ids", "W1d", "GROUPS UP CR xcr",
     {"{1,2,3,4,5,6,12,14,15}", "{0,2,3,4,5,6,12,14,15}", "{3,4,5,6,12,14,15}", "{4,5,6,14,15}", "{15}", "{4,6,15}", "{4,5,15}", "{8,9}", "{9}", "{8}", "{11}", "NULL", "{2,3,4,5,6,14,15}", "{7,8,9}", "{4,5,6,15}", "{4}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW)", "sumv", "W1", "GROUPS UP CR xcr",
     {"2", "1", "11", "11", "29", "22.5", "21", "-1", "12", "9", "NULL", "100", "3", "NULL", "15", "33.5"}},
    {"nth_value(v, 3) OVER (PARTITION BY p ORDER BY k, id GROUPS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW)", "nth3", "W2", "GROUPS UP CR xcr",
     {"NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k DESC, id GROUPS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW)", "last", "W2d", "GROUPS UP CR xcr",
     {"12", "0", "3", "14", "NULL", "15", "5", "9", "NULL", "8", "11", "NULL", "2", "7", "6", "4"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN 0 PRECEDING AND 0 FOLLOWING)", "ids", "W1", "GROUPS 0P 0F",
     {"{0,1}", "{0,1}", "{2,12}", "{3}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10}", "{11}", "{2,12}", "{13}", "{14}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC GROUPS BETWEEN 0 PRECEDING AND 0 FOLLOWING)", "ids", "W1d", "GROUPS 0P 0F",
     {"{0,1}", "{0,1}", "{2,12}", "{3}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10}", "{11}", "{2,12}", "{13}", "{14}", "{4,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN 0 PRECEDING AND 0 FOLLOWING)", "sumv", "W1", "GROUPS 0P 0F",
     {"3", "3", "8", "4", "5.5", "13.5", "13.5", "10", "3", "3", "100", "200", "8", "-1", "NULL", "5.5"}},
    {"nth_value(v, 3) OVER (PARTITION BY p ORDER BY k, id GROUPS BETWEEN 0 PRECEDING AND 0 FOLLOWING)", "nth3", "W2", "GROUPS 0P 0F",
     {"NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k DESC, id GROUPS BETWEEN 0 PRECEDING AND 0 FOLLOWING)", "last", "W2d", "GROUPS 0P 0F",
     {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN 5 PRECEDING AND 5 FOLLOWING)", "ids", "W1", "GROUPS 5P 5F",
     {"{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC GROUPS BETWEEN 5 PRECEDING AND 5 FOLLOWING)", "ids", "W1d", "GROUPS 5P 5F",
     {"{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k GROUPS BETWEEN 5 PRECEDING AND 5 FOLLOWING)", "sumv", "W1", "GROUPS 5P 5F",
     {"34", "34", "34", "34", "34", "34", "34", "12", "12", "12", "300", "300", "34", "12", "34", "34"}},
    {"nth_value(v, 3) OVER (PARTITION BY p ORDER BY k, id GROUPS BETWEEN 5 PRECEDING AND 5 FOLLOWING)", "nth3", "W2", "GROUPS 5P 5F",
     {"NULL", "NULL", "NULL", "NULL", "NULL", "8", "4", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "6"}},
    {"last_value(id) OVER (PARTITION BY p ORDER BY k DESC, id GROUPS BETWEEN 5 PRECEDING AND 5 FOLLOWING)", "last", "W2d", "GROUPS 5P 5F",
     {"1", "1", "1", "1", "3", "12", "0", "13", "13", "13", "10", "10", "1", "13", "1", "2"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k)", "ids", "W1", "",
     {"{0,1}", "{0,1}", "{0,1,2,12}", "{0,1,2,3,12}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,5,6,12,14}", "{7,13}", "{7,8,9,13}", "{7,8,9,13}", "{10}", "{10,11}", "{0,1,2,12}", "{13}", "{0,1,2,3,12,14}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC)", "ids", "W1d", "",
     {"{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{2,3,4,5,6,12,14,15}", "{3,4,5,6,14,15}", "{4,15}", "{4,5,6,15}", "{4,5,6,15}", "{7,8,9}", "{8,9}", "{8,9}", "{10,11}", "{11}", "{2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{4,5,6,14,15}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k NULLS FIRST)", "ids", "W1f", "",
     {"{0,1,4,15}", "{0,1,4,15}", "{0,1,2,4,12,15}", "{0,1,2,3,4,12,15}", "{4,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{8,9}", "{8,9}", "{10}", "{10,11}", "{0,1,2,4,12,15}", "{8,9,13}", "{0,1,2,3,4,12,14,15}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC NULLS LAST)", "ids", "W1dl", "",
     {"{0,1,2,3,5,6,12,14}", "{0,1,2,3,5,6,12,14}", "{2,3,5,6,12,14}", "{3,5,6,14}", "{0,1,2,3,4,5,6,12,14,15}", "{5,6}", "{5,6}", "{7}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{11}", "{2,3,5,6,12,14}", "{7,13}", "{5,6,14}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k)", "sumv", "W1", "",
     {"3", "3", "11", "15", "34", "28.5", "28.5", "9", "12", "12", "100", "300", "11", "-1", "15", "34"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k)", "cnt", "W1", "",
     {"2", "2", "4", "5", "10", "8", "8", "2", "4", "4", "1", "2", "4", "1", "6", "10"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "ids", "W1", "RANGE UP CR",
     {"{0,1}", "{0,1}", "{0,1,2,12}", "{0,1,2,3,12}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,5,6,12,14}", "{7,13}", "{7,8,9,13}", "{7,8,9,13}", "{10}", "{10,11}", "{0,1,2,12}", "{13}", "{0,1,2,3,12,14}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "ids", "W1d", "RANGE UP CR",
     {"{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{2,3,4,5,6,12,14,15}", "{3,4,5,6,14,15}", "{4,15}", "{4,5,6,15}", "{4,5,6,15}", "{7,8,9}", "{8,9}", "{8,9}", "{10,11}", "{11}", "{2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{4,5,6,14,15}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "ids", "W1f", "RANGE UP CR",
     {"{0,1,4,15}", "{0,1,4,15}", "{0,1,2,4,12,15}", "{0,1,2,3,4,12,15}", "{4,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{8,9}", "{8,9}", "{10}", "{10,11}", "{0,1,2,4,12,15}", "{8,9,13}", "{0,1,2,3,4,12,14,15}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "ids", "W1dl", "RANGE UP CR",
     {"{0,1,2,3,5,6,12,14}", "{0,1,2,3,5,6,12,14}", "{2,3,5,6,12,14}", "{3,5,6,14}", "{0,1,2,3,4,5,6,12,14,15}", "{5,6}", "{5,6}", "{7}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{11}", "{2,3,5,6,12,14}", "{7,13}", "{5,6,14}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "sumv", "W1", "RANGE UP CR",
     {"3", "3", "11", "15", "34", "28.5", "28.5", "9", "12", "12", "100", "300", "11", "-1", "15", "34"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "cnt", "W1", "RANGE UP CR",
     {"2", "2", "4", "5", "10", "8", "8", "2", "4", "4", "1", "2", "4", "1", "6", "10"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "ids", "W1", "RANGE 1P 1F",
     {"{0,1,2,12}", "{0,1,2,12}", "{0,1,2,12}", "{3,14}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10,11}", "{10,11}", "{0,1,2,12}", "{13}", "{3,14}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "ids", "W1d", "RANGE 1P 1F",
     {"{0,1,2,12}", "{0,1,2,12}", "{0,1,2,12}", "{3,14}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10,11}", "{10,11}", "{0,1,2,12}", "{13}", "{3,14}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k NULLS FIRST RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "ids", "W1f", "RANGE 1P 1F",
     {"{0,1,2,12}", "{0,1,2,12}", "{0,1,2,12}", "{3,14}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10,11}", "{10,11}", "{0,1,2,12}", "{13}", "{3,14}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC NULLS LAST RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "ids", "W1dl", "RANGE 1P 1F",
     {"{0,1,2,12}", "{0,1,2,12}", "{0,1,2,12}", "{3,14}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10,11}", "{10,11}", "{0,1,2,12}", "{13}", "{3,14}", "{4,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "sumv", "W1", "RANGE 1P 1F",
     {"11", "11", "11", "4", "5.5", "13.5", "13.5", "10", "3", "3", "300", "300", "11", "-1", "4", "5.5"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING)", "cnt", "W1", "RANGE 1P 1F",
     {"4", "4", "4", "2", "2", "2", "2", "1", "2", "2", "2", "2", "4", "1", "2", "2"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 2 PRECEDING AND CURRENT ROW)", "ids", "W1", "RANGE 2P CR",
     {"{0,1}", "{0,1}", "{0,1,2,12}", "{2,3,12}", "{4,15}", "{5,6,14}", "{5,6,14}", "{7}", "{8,9}", "{8,9}", "{10}", "{10,11}", "{0,1,2,12}", "{13}", "{3,14}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC RANGE BETWEEN 2 PRECEDING AND CURRENT ROW)", "ids", "W1d", "RANGE 2P CR",
     {"{0,1,2,12}", "{0,1,2,12}", "{2,3,12}", "{3,14}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10,11}", "{11}", "{2,3,12}", "{13}", "{5,6,14}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k NULLS FIRST RANGE BETWEEN 2 PRECEDING AND CURRENT ROW)", "ids", "W1f", "RANGE 2P CR",
     {"{0,1}", "{0,1}", "{0,1,2,12}", "{2,3,12}", "{4,15}", "{5,6,14}", "{5,6,14}", "{7}", "{8,9}", "{8,9}", "{10}", "{10,11}", "{0,1,2,12}", "{13}", "{3,14}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC NULLS LAST RANGE BETWEEN 2 PRECEDING AND CURRENT ROW)", "ids", "W1dl", "RANGE 2P CR",
     {"{0,1,2,12}", "{0,1,2,12}", "{2,3,12}", "{3,14}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10,11}", "{11}", "{2,3,12}", "{13}", "{5,6,14}", "{4,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 2 PRECEDING AND CURRENT ROW)", "sumv", "W1", "RANGE 2P CR",
     {"3", "3", "11", "12", "5.5", "13.5", "13.5", "10", "3", "3", "100", "300", "11", "-1", "4", "5.5"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 2 PRECEDING AND CURRENT ROW)", "cnt", "W1", "RANGE 2P CR",
     {"2", "2", "4", "3", "2", "3", "3", "1", "2", "2", "1", "2", "4", "1", "2", "2"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN CURRENT ROW AND 3 FOLLOWING)", "ids", "W1", "RANGE CR 3F",
     {"{0,1,2,3,12}", "{0,1,2,3,12}", "{2,3,12,14}", "{3,5,6,14}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10,11}", "{11}", "{2,3,12,14}", "{13}", "{5,6,14}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC RANGE BETWEEN CURRENT ROW AND 3 FOLLOWING)", "ids", "W1d", "RANGE CR 3F",
     {"{0,1}", "{0,1}", "{0,1,2,12}", "{0,1,2,3,12}", "{4,15}", "{3,5,6,14}", "{3,5,6,14}", "{7}", "{8,9}", "{8,9}", "{10}", "{10,11}", "{0,1,2,12}", "{13}", "{2,3,12,14}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k NULLS FIRST RANGE BETWEEN CURRENT ROW AND 3 FOLLOWING)", "ids", "W1f", "RANGE CR 3F",
     {"{0,1,2,3,12}", "{0,1,2,3,12}", "{2,3,12,14}", "{3,5,6,14}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10,11}", "{11}", "{2,3,12,14}", "{13}", "{5,6,14}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC NULLS LAST RANGE BETWEEN CURRENT ROW AND 3 FOLLOWING)", "ids", "W1dl", "RANGE CR 3F",
     {"{0,1}", "{0,1}", "{0,1,2,12}", "{0,1,2,3,12}", "{4,15}", "{3,5,6,14}", "{3,5,6,14}", "{7}", "{8,9}", "{8,9}", "{10}", "{10,11}", "{0,1,2,12}", "{13}", "{2,3,12,14}", "{4,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN CURRENT ROW AND 3 FOLLOWING)", "sumv", "W1", "RANGE CR 3F",
     {"15", "15", "12", "17.5", "5.5", "13.5", "13.5", "10", "3", "3", "300", "200", "12", "-1", "13.5", "5.5"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN CURRENT ROW AND 3 FOLLOWING)", "cnt", "W1", "RANGE CR 3F",
     {"5", "5", "4", "4", "2", "2", "2", "1", "2", "2", "2", "1", "4", "1", "3", "2"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 1 FOLLOWING AND 3 FOLLOWING)", "ids", "W1", "RANGE 1F 3F",
     {"{2,3,12}", "{2,3,12}", "{3,14}", "{5,6,14}", "{4,15}", "NULL", "NULL", "NULL", "{8,9}", "{8,9}", "{11}", "NULL", "{3,14}", "NULL", "{5,6}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC RANGE BETWEEN 1 FOLLOWING AND 3 FOLLOWING)", "ids", "W1d", "RANGE 1F 3F",
     {"NULL", "NULL", "{0,1}", "{0,1,2,12}", "{4,15}", "{3,14}", "{3,14}", "NULL", "{8,9}", "{8,9}", "NULL", "{10}", "{0,1}", "NULL", "{2,3,12}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k NULLS FIRST RANGE BETWEEN 1 FOLLOWING AND 3 FOLLOWING)", "ids", "W1f", "RANGE 1F 3F",
     {"{2,3,12}", "{2,3,12}", "{3,14}", "{5,6,14}", "{4,15}", "NULL", "NULL", "NULL", "{8,9}", "{8,9}", "{11}", "NULL", "{3,14}", "NULL", "{5,6}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC NULLS LAST RANGE BETWEEN 1 FOLLOWING AND 3 FOLLOWING)", "ids", "W1dl", "RANGE 1F 3F",
     {"NULL", "NULL", "{0,1}", "{0,1,2,12}", "{4,15}", "{3,14}", "{3,14}", "NULL", "{8,9}", "{8,9}", "NULL", "{10}", "{0,1}", "NULL", "{2,3,12}", "{4,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 1 FOLLOWING AND 3 FOLLOWING)", "sumv", "W1", "RANGE 1F 3F",
     {"12", "12", "4", "13.5", "5.5", "NULL", "NULL", "NULL", "3", "3", "200", "NULL", "4", "NULL", "13.5", "5.5"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 1 FOLLOWING AND 3 FOLLOWING)", "cnt", "W1", "RANGE 1F 3F",
     {"3", "3", "2", "3", "2", "0", "0", "0", "2", "2", "1", "0", "2", "0", "2", "2"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING)", "ids", "W1", "RANGE UP 2F",
     {"{0,1,2,12}", "{0,1,2,12}", "{0,1,2,3,12}", "{0,1,2,3,12,14}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,5,6,12,14}", "{7,13}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,12}", "{13}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC RANGE BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING)", "ids", "W1d", "RANGE UP 2F",
     {"{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{2,3,4,5,6,12,14,15}", "{4,15}", "{4,5,6,14,15}", "{4,5,6,14,15}", "{7,8,9}", "{8,9}", "{8,9}", "{10,11}", "{10,11}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{3,4,5,6,14,15}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING)", "ids", "W1f", "RANGE UP 2F",
     {"{0,1,2,4,12,15}", "{0,1,2,4,12,15}", "{0,1,2,3,4,12,15}", "{0,1,2,3,4,12,14,15}", "{4,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{8,9}", "{8,9}", "{10,11}", "{10,11}", "{0,1,2,3,4,12,15}", "{8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING)", "ids", "W1dl", "RANGE UP 2F",
     {"{0,1,2,3,5,6,12,14}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,5,6,12,14}", "{2,3,5,6,12,14}", "{0,1,2,3,4,5,6,12,14,15}", "{5,6,14}", "{5,6,14}", "{7}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,5,6,12,14}", "{7,13}", "{3,5,6,14}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING)", "sumv", "W1", "RANGE UP 2F",
     {"11", "11", "15", "15", "34", "28.5", "28.5", "9", "12", "12", "300", "300", "15", "-1", "28.5", "34"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING)", "cnt", "W1", "RANGE UP 2F",
     {"4", "4", "5", "6", "10", "8", "8", "2", "4", "4", "2", "2", "5", "1", "8", "10"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 3 PRECEDING AND 1 PRECEDING)", "ids", "W1", "RANGE 3P 1P",
     {"NULL", "NULL", "{0,1}", "{0,1,2,12}", "{4,15}", "{3,14}", "{3,14}", "NULL", "{8,9}", "{8,9}", "NULL", "{10}", "{0,1}", "NULL", "{2,3,12}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC RANGE BETWEEN 3 PRECEDING AND 1 PRECEDING)", "ids", "W1d", "RANGE 3P 1P",
     {"{2,3,12}", "{2,3,12}", "{3,14}", "{5,6,14}", "{4,15}", "NULL", "NULL", "NULL", "{8,9}", "{8,9}", "{11}", "NULL", "{3,14}", "NULL", "{5,6}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k NULLS FIRST RANGE BETWEEN 3 PRECEDING AND 1 PRECEDING)", "ids", "W1f", "RANGE 3P 1P",
     {"NULL", "NULL", "{0,1}", "{0,1,2,12}", "{4,15}", "{3,14}", "{3,14}", "NULL", "{8,9}", "{8,9}", "NULL", "{10}", "{0,1}", "NULL", "{2,3,12}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC NULLS LAST RANGE BETWEEN 3 PRECEDING AND 1 PRECEDING)", "ids", "W1dl", "RANGE 3P 1P",
     {"{2,3,12}", "{2,3,12}", "{3,14}", "{5,6,14}", "{4,15}", "NULL", "NULL", "NULL", "{8,9}", "{8,9}", "{11}", "NULL", "{3,14}", "NULL", "{5,6}", "{4,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 3 PRECEDING AND 1 PRECEDING)", "sumv", "W1", "RANGE 3P 1P",
     {"NULL", "NULL", "3", "11", "5.5", "4", "4", "NULL", "3", "3", "NULL", "100", "3", "NULL", "12", "5.5"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 3 PRECEDING AND 1 PRECEDING)", "cnt", "W1", "RANGE 3P 1P",
     {"0", "0", "2", "4", "2", "2", "2", "0", "2", "2", "0", "1", "2", "0", "3", "2"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)", "ids", "W1", "RANGE CR UF",
     {"{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{2,3,4,5,6,12,14,15}", "{3,4,5,6,14,15}", "{4,15}", "{4,5,6,15}", "{4,5,6,15}", "{7,8,9}", "{8,9}", "{8,9}", "{10,11}", "{11}", "{2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{4,5,6,14,15}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)", "ids", "W1d", "RANGE CR UF",
     {"{0,1}", "{0,1}", "{0,1,2,12}", "{0,1,2,3,12}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,5,6,12,14}", "{7,13}", "{7,8,9,13}", "{7,8,9,13}", "{10}", "{10,11}", "{0,1,2,12}", "{13}", "{0,1,2,3,12,14}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k NULLS FIRST RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)", "ids", "W1f", "RANGE CR UF",
     {"{0,1,2,3,5,6,12,14}", "{0,1,2,3,5,6,12,14}", "{2,3,5,6,12,14}", "{3,5,6,14}", "{0,1,2,3,4,5,6,12,14,15}", "{5,6}", "{5,6}", "{7}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{11}", "{2,3,5,6,12,14}", "{7,13}", "{5,6,14}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC NULLS LAST RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)", "ids", "W1dl", "RANGE CR UF",
     {"{0,1,4,15}", "{0,1,4,15}", "{0,1,2,4,12,15}", "{0,1,2,3,4,12,15}", "{4,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{8,9}", "{8,9}", "{10}", "{10,11}", "{0,1,2,4,12,15}", "{8,9,13}", "{0,1,2,3,4,12,14,15}", "{4,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)", "sumv", "W1", "RANGE CR UF",
     {"34", "34", "31", "23", "5.5", "19", "19", "13", "3", "3", "300", "200", "31", "12", "19", "5.5"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)", "cnt", "W1", "RANGE CR UF",
     {"10", "10", "8", "6", "2", "4", "4", "3", "2", "2", "2", "1", "8", "4", "5", "2"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)", "ids", "W1", "RANGE UP UF",
     {"{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)", "ids", "W1d", "RANGE UP UF",
     {"{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)", "ids", "W1f", "RANGE UP UF",
     {"{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)", "ids", "W1dl", "RANGE UP UF",
     {"{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)", "sumv", "W1", "RANGE UP UF",
     {"34", "34", "34", "34", "34", "34", "34", "12", "12", "12", "300", "300", "34", "12", "34", "34"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)", "cnt", "W1", "RANGE UP UF",
     {"10", "10", "10", "10", "10", "10", "10", "4", "4", "4", "2", "2", "10", "4", "10", "10"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 0 PRECEDING AND 0 FOLLOWING)", "ids", "W1", "RANGE 0P 0F",
     {"{0,1}", "{0,1}", "{2,12}", "{3}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10}", "{11}", "{2,12}", "{13}", "{14}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC RANGE BETWEEN 0 PRECEDING AND 0 FOLLOWING)", "ids", "W1d", "RANGE 0P 0F",
     {"{0,1}", "{0,1}", "{2,12}", "{3}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10}", "{11}", "{2,12}", "{13}", "{14}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k NULLS FIRST RANGE BETWEEN 0 PRECEDING AND 0 FOLLOWING)", "ids", "W1f", "RANGE 0P 0F",
     {"{0,1}", "{0,1}", "{2,12}", "{3}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10}", "{11}", "{2,12}", "{13}", "{14}", "{4,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC NULLS LAST RANGE BETWEEN 0 PRECEDING AND 0 FOLLOWING)", "ids", "W1dl", "RANGE 0P 0F",
     {"{0,1}", "{0,1}", "{2,12}", "{3}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10}", "{11}", "{2,12}", "{13}", "{14}", "{4,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 0 PRECEDING AND 0 FOLLOWING)", "sumv", "W1", "RANGE 0P 0F",
     {"3", "3", "8", "4", "5.5", "13.5", "13.5", "10", "3", "3", "100", "200", "8", "-1", "NULL", "5.5"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 0 PRECEDING AND 0 FOLLOWING)", "cnt", "W1", "RANGE 0P 0F",
     {"2", "2", "2", "1", "2", "2", "2", "1", "2", "2", "1", "1", "2", "1", "1", "2"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)", "ids", "W1", "RANGE UP UF xcr",
     {"{1,2,3,4,5,6,12,14,15}", "{0,2,3,4,5,6,12,14,15}", "{0,1,3,4,5,6,12,14,15}", "{0,1,2,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14,15}", "{0,1,2,3,4,6,12,14,15}", "{0,1,2,3,4,5,12,14,15}", "{8,9,13}", "{7,9,13}", "{7,8,13}", "{11}", "{10}", "{0,1,2,3,4,5,6,14,15}", "{7,8,9}", "{0,1,2,3,4,5,6,12,15}", "{0,1,2,3,4,5,6,12,14}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)", "ids", "W1d", "RANGE UP UF xcr",
     {"{1,2,3,4,5,6,12,14,15}", "{0,2,3,4,5,6,12,14,15}", "{0,1,3,4,5,6,12,14,15}", "{0,1,2,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14,15}", "{0,1,2,3,4,6,12,14,15}", "{0,1,2,3,4,5,12,14,15}", "{8,9,13}", "{7,9,13}", "{7,8,13}", "{11}", "{10}", "{0,1,2,3,4,5,6,14,15}", "{7,8,9}", "{0,1,2,3,4,5,6,12,15}", "{0,1,2,3,4,5,6,12,14}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)", "ids", "W1f", "RANGE UP UF xcr",
     {"{1,2,3,4,5,6,12,14,15}", "{0,2,3,4,5,6,12,14,15}", "{0,1,3,4,5,6,12,14,15}", "{0,1,2,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14,15}", "{0,1,2,3,4,6,12,14,15}", "{0,1,2,3,4,5,12,14,15}", "{8,9,13}", "{7,9,13}", "{7,8,13}", "{11}", "{10}", "{0,1,2,3,4,5,6,14,15}", "{7,8,9}", "{0,1,2,3,4,5,6,12,15}", "{0,1,2,3,4,5,6,12,14}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)", "ids", "W1dl", "RANGE UP UF xcr",
     {"{1,2,3,4,5,6,12,14,15}", "{0,2,3,4,5,6,12,14,15}", "{0,1,3,4,5,6,12,14,15}", "{0,1,2,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14,15}", "{0,1,2,3,4,6,12,14,15}", "{0,1,2,3,4,5,12,14,15}", "{8,9,13}", "{7,9,13}", "{7,8,13}", "{11}", "{10}", "{0,1,2,3,4,5,6,14,15}", "{7,8,9}", "{0,1,2,3,4,5,6,12,15}", "{0,1,2,3,4,5,6,12,14}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)", "sumv", "W1", "RANGE UP UF xcr",
     {"33", "32", "34", "30", "29", "28", "26.5", "2", "12", "9", "200", "100", "26", "13", "34", "33.5"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)", "cnt", "W1", "RANGE UP UF xcr",
     {"9", "9", "9", "9", "9", "9", "9", "3", "3", "3", "1", "1", "9", "3", "9", "9"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP)", "ids", "W1", "RANGE UP UF xg",
     {"{2,3,4,5,6,12,14,15}", "{2,3,4,5,6,12,14,15}", "{0,1,3,4,5,6,14,15}", "{0,1,2,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,4,12,14,15}", "{0,1,2,3,4,12,14,15}", "{8,9,13}", "{7,13}", "{7,13}", "{11}", "{10}", "{0,1,3,4,5,6,14,15}", "{7,8,9}", "{0,1,2,3,4,5,6,12,15}", "{0,1,2,3,5,6,12,14}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP)", "ids", "W1d", "RANGE UP UF xg",
     {"{2,3,4,5,6,12,14,15}", "{2,3,4,5,6,12,14,15}", "{0,1,3,4,5,6,14,15}", "{0,1,2,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,4,12,14,15}", "{0,1,2,3,4,12,14,15}", "{8,9,13}", "{7,13}", "{7,13}", "{11}", "{10}", "{0,1,3,4,5,6,14,15}", "{7,8,9}", "{0,1,2,3,4,5,6,12,15}", "{0,1,2,3,5,6,12,14}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP)", "ids", "W1f", "RANGE UP UF xg",
     {"{2,3,4,5,6,12,14,15}", "{2,3,4,5,6,12,14,15}", "{0,1,3,4,5,6,14,15}", "{0,1,2,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,4,12,14,15}", "{0,1,2,3,4,12,14,15}", "{8,9,13}", "{7,13}", "{7,13}", "{11}", "{10}", "{0,1,3,4,5,6,14,15}", "{7,8,9}", "{0,1,2,3,4,5,6,12,15}", "{0,1,2,3,5,6,12,14}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP)", "ids", "W1dl", "RANGE UP UF xg",
     {"{2,3,4,5,6,12,14,15}", "{2,3,4,5,6,12,14,15}", "{0,1,3,4,5,6,14,15}", "{0,1,2,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,4,12,14,15}", "{0,1,2,3,4,12,14,15}", "{8,9,13}", "{7,13}", "{7,13}", "{11}", "{10}", "{0,1,3,4,5,6,14,15}", "{7,8,9}", "{0,1,2,3,4,5,6,12,15}", "{0,1,2,3,5,6,12,14}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP)", "sumv", "W1", "RANGE UP UF xg",
     {"31", "31", "26", "30", "28.5", "20.5", "20.5", "2", "9", "9", "200", "100", "26", "13", "34", "28.5"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP)", "cnt", "W1", "RANGE UP UF xg",
     {"8", "8", "8", "9", "8", "8", "8", "3", "2", "2", "1", "1", "8", "3", "9", "8"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES)", "ids", "W1", "RANGE UP UF xt",
     {"{0,2,3,4,5,6,12,14,15}", "{1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14}", "{0,1,2,3,4,5,12,14,15}", "{0,1,2,3,4,6,12,14,15}", "{7,8,9,13}", "{7,8,13}", "{7,9,13}", "{10,11}", "{10,11}", "{0,1,3,4,5,6,12,14,15}", "{7,8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES)", "ids", "W1d", "RANGE UP UF xt",
     {"{0,2,3,4,5,6,12,14,15}", "{1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14}", "{0,1,2,3,4,5,12,14,15}", "{0,1,2,3,4,6,12,14,15}", "{7,8,9,13}", "{7,8,13}", "{7,9,13}", "{10,11}", "{10,11}", "{0,1,3,4,5,6,12,14,15}", "{7,8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES)", "ids", "W1f", "RANGE UP UF xt",
     {"{0,2,3,4,5,6,12,14,15}", "{1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14}", "{0,1,2,3,4,5,12,14,15}", "{0,1,2,3,4,6,12,14,15}", "{7,8,9,13}", "{7,8,13}", "{7,9,13}", "{10,11}", "{10,11}", "{0,1,3,4,5,6,12,14,15}", "{7,8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES)", "ids", "W1dl", "RANGE UP UF xt",
     {"{0,2,3,4,5,6,12,14,15}", "{1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14}", "{0,1,2,3,4,5,12,14,15}", "{0,1,2,3,4,6,12,14,15}", "{7,8,9,13}", "{7,8,13}", "{7,9,13}", "{10,11}", "{10,11}", "{0,1,3,4,5,6,12,14,15}", "{7,8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14,15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES)", "sumv", "W1", "RANGE UP UF xt",
     {"32", "33", "26", "34", "33.5", "26.5", "28", "12", "9", "12", "300", "300", "34", "12", "34", "29"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES)", "cnt", "W1", "RANGE UP UF xt",
     {"9", "9", "9", "10", "9", "9", "9", "4", "3", "3", "2", "2", "9", "4", "10", "9"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE TIES)", "ids", "W1", "RANGE 2P 2F xt",
     {"{0,2,12}", "{1,2,12}", "{0,1,2,3}", "{2,3,12,14}", "{4}", "{5,14}", "{6,14}", "{7}", "{8}", "{9}", "{10,11}", "{10,11}", "{0,1,3,12}", "{13}", "{3,5,6,14}", "{15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE TIES)", "ids", "W1d", "RANGE 2P 2F xt",
     {"{0,2,12}", "{1,2,12}", "{0,1,2,3}", "{2,3,12,14}", "{4}", "{5,14}", "{6,14}", "{7}", "{8}", "{9}", "{10,11}", "{10,11}", "{0,1,3,12}", "{13}", "{3,5,6,14}", "{15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k NULLS FIRST RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE TIES)", "ids", "W1f", "RANGE 2P 2F xt",
     {"{0,2,12}", "{1,2,12}", "{0,1,2,3}", "{2,3,12,14}", "{4}", "{5,14}", "{6,14}", "{7}", "{8}", "{9}", "{10,11}", "{10,11}", "{0,1,3,12}", "{13}", "{3,5,6,14}", "{15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC NULLS LAST RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE TIES)", "ids", "W1dl", "RANGE 2P 2F xt",
     {"{0,2,12}", "{1,2,12}", "{0,1,2,3}", "{2,3,12,14}", "{4}", "{5,14}", "{6,14}", "{7}", "{8}", "{9}", "{10,11}", "{10,11}", "{0,1,3,12}", "{13}", "{3,5,6,14}", "{15}"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE TIES)", "sumv", "W1", "RANGE 2P 2F xt",
     {"9", "10", "7", "12", "5", "6", "7.5", "10", "NULL", "3", "300", "300", "15", "-1", "17.5", "0.5"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE TIES)", "cnt", "W1", "RANGE 2P 2F xt",
     {"3", "3", "4", "4", "1", "2", "2", "1", "1", "1", "2", "2", "4", "1", "4", "1"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE GROUP)", "ids", "W1", "RANGE 1P CR xg",
     {"NULL", "NULL", "{0,1}", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "{10}", "{0,1}", "NULL", "{3}", "NULL"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC RANGE BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE GROUP)", "ids", "W1d", "RANGE 1P CR xg",
     {"{2,12}", "{2,12}", "NULL", "{14}", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "{11}", "NULL", "NULL", "NULL", "NULL", "NULL"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k NULLS FIRST RANGE BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE GROUP)", "ids", "W1f", "RANGE 1P CR xg",
     {"NULL", "NULL", "{0,1}", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "{10}", "{0,1}", "NULL", "{3}", "NULL"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY k DESC NULLS LAST RANGE BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE GROUP)", "ids", "W1dl", "RANGE 1P CR xg",
     {"{2,12}", "{2,12}", "NULL", "{14}", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "{11}", "NULL", "NULL", "NULL", "NULL", "NULL"}},
    {"sum(v) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE GROUP)", "sumv", "W1", "RANGE 1P CR xg",
     {"NULL", "NULL", "3", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "100", "3", "NULL", "4", "NULL"}},
    {"count(*) OVER (PARTITION BY p ORDER BY k RANGE BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE GROUP)", "cnt", "W1", "RANGE 1P CR xg",
     {"0", "0", "2", "0", "0", "0", "0", "0", "0", "0", "0", "1", "2", "0", "1", "0"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p)", "ids", "Wp", "",
     {"{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER ()", "ids", "W0", "",
     {"{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "ids", "Wp", "RANGE UP CR",
     {"{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "ids", "W0", "RANGE UP CR",
     {"{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)", "ids", "Wp", "RANGE CR UF",
     {"{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,4,5,6,12,14,15}", "{7,8,9,13}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)", "ids", "W0", "RANGE CR UF",
     {"{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}", "{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (ORDER BY k RANGE BETWEEN 2 PRECEDING AND 1 FOLLOWING)", "ids", "Wk", "RANGE 2P 1F",
     {"{0,1,2,12}", "{0,1,2,12}", "{0,1,2,7,12}", "{2,3,7,10,12,14}", "{4,8,9,15}", "{5,6,10,11,14}", "{5,6,10,11,14}", "{0,1,2,3,7,12}", "{4,8,9,15}", "{4,8,9,15}", "{3,7,10,11,14}", "{3,5,6,10,11,14}", "{0,1,2,7,12}", "{13}", "{3,7,10,11,14}", "{4,8,9,15}"}},
    {"sum(v) OVER (ORDER BY k RANGE BETWEEN 2 PRECEDING AND 1 FOLLOWING)", "sumv", "Wk", "RANGE 2P 1F",
     {"11", "11", "21", "122", "8.5", "313.5", "313.5", "25", "8.5", "8.5", "314", "317.5", "21", "-1", "314", "8.5"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY d RANGE BETWEEN 1.5::float8 PRECEDING AND 0.5::float8 FOLLOWING)", "ids", "Wd", "RANGE 1.5P 0.5F",
     {"{0,1,15}", "{0,1,15}", "{2}", "{3}", "{4}", "{0,1,5,12,15}", "{6}", "{7}", "{8}", "{9}", "{10,11}", "{10,11}", "{0,1,5,12,15}", "{13}", "{5,12,14}", "{0,1,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY d DESC RANGE BETWEEN 1.5::float8 PRECEDING AND 0.5::float8 FOLLOWING)", "ids", "Wdd", "RANGE 1.5P 0.5F",
     {"{0,1,5,12,15}", "{0,1,5,12,15}", "{2}", "{3}", "{4}", "{5,12,14}", "{6}", "{7}", "{8}", "{9}", "{10,11}", "{10,11}", "{5,12,14}", "{13}", "{14}", "{0,1,5,12,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY d RANGE BETWEEN 0.5::float8 PRECEDING AND CURRENT ROW)", "ids", "Wd", "RANGE 0.5P CR",
     {"{0,15}", "{0,1,15}", "{2}", "{3}", "{4}", "{5,12}", "{6}", "{7}", "{8}", "{9}", "{10,11}", "{10,11}", "{5,12}", "{13}", "{14}", "{0,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY d DESC RANGE BETWEEN 0.5::float8 PRECEDING AND CURRENT ROW)", "ids", "Wdd", "RANGE 0.5P CR",
     {"{0,1,15}", "{1}", "{2}", "{3}", "{4}", "{5,12}", "{6}", "{7}", "{8}", "{9}", "{10,11}", "{10,11}", "{5,12}", "{13}", "{14}", "{0,1,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY d RANGE BETWEEN CURRENT ROW AND 1 FOLLOWING)", "ids", "Wd", "RANGE CR 1F",
     {"{0,1,15}", "{1,5,12}", "{2}", "{3}", "{4}", "{5,12}", "{6}", "{7}", "{8}", "{9}", "{10,11}", "{10,11}", "{5,12}", "{13}", "{14}", "{0,1,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY d DESC RANGE BETWEEN CURRENT ROW AND 1 FOLLOWING)", "ids", "Wdd", "RANGE CR 1F",
     {"{0,15}", "{0,1,15}", "{2}", "{3}", "{4}", "{1,5,12}", "{6}", "{7}", "{8}", "{9}", "{10,11}", "{10,11}", "{1,5,12}", "{13}", "{14}", "{0,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY d RANGE BETWEEN 'Infinity'::float8 PRECEDING AND CURRENT ROW)", "ids", "Wd", "RANGE infP CR",
     {"{0,3,15}", "{0,1,3,15}", "{2}", "{3}", "{4}", "{0,1,3,5,12,15}", "{0,1,3,5,6,12,14,15}", "{7}", "{8}", "{9}", "{10,11}", "{10,11}", "{0,1,3,5,12,15}", "{8,13}", "{0,1,3,5,12,14,15}", "{0,3,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY d DESC RANGE BETWEEN 'Infinity'::float8 PRECEDING AND CURRENT ROW)", "ids", "Wdd", "RANGE infP CR",
     {"{0,1,5,6,12,14,15}", "{1,5,6,12,14}", "{2}", "{0,1,3,5,6,12,14,15}", "{4}", "{5,6,12,14}", "{6}", "{7}", "{8,13}", "{9}", "{10,11}", "{10,11}", "{5,6,12,14}", "{13}", "{6,14}", "{0,1,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY d RANGE BETWEEN CURRENT ROW AND 'Infinity'::float8 FOLLOWING)", "ids", "Wd", "RANGE CR infF",
     {"{0,1,5,6,12,14,15}", "{1,5,6,12,14}", "{2}", "{0,1,3,5,6,12,14,15}", "{4}", "{5,6,12,14}", "{6}", "{7}", "{8,13}", "{9}", "{10,11}", "{10,11}", "{5,6,12,14}", "{13}", "{6,14}", "{0,1,5,6,12,14,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY d DESC RANGE BETWEEN CURRENT ROW AND 'Infinity'::float8 FOLLOWING)", "ids", "Wdd", "RANGE CR infF",
     {"{0,3,15}", "{0,1,3,15}", "{2}", "{3}", "{4}", "{0,1,3,5,12,15}", "{0,1,3,5,6,12,14,15}", "{7}", "{8}", "{9}", "{10,11}", "{10,11}", "{0,1,3,5,12,15}", "{8,13}", "{0,1,3,5,12,14,15}", "{0,3,15}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY d RANGE BETWEEN 1 FOLLOWING AND 2.5::float8 FOLLOWING)", "ids", "Wd", "RANGE 1F 2.5F",
     {"{5,12}", "{5,12,14}", "{2}", "{3}", "{4}", "{14}", "{6}", "{7}", "{13}", "{9}", "NULL", "NULL", "{14}", "NULL", "NULL", "{5,12}"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY d DESC RANGE BETWEEN 1 FOLLOWING AND 2.5::float8 FOLLOWING)", "ids", "Wdd", "RANGE 1F 2.5F",
     {"NULL", "NULL", "{2}", "{3}", "{4}", "{0,1,15}", "{6}", "{7}", "NULL", "{9}", "NULL", "NULL", "{0,1,15}", "{8}", "{1,5,12}", "NULL"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY d RANGE BETWEEN 1 PRECEDING AND 1 PRECEDING)", "ids", "Wd", "RANGE 1P 1P",
     {"NULL", "NULL", "{2}", "{3}", "{4}", "{1}", "{6}", "{7}", "NULL", "{9}", "NULL", "NULL", "{1}", "NULL", "NULL", "NULL"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY d DESC RANGE BETWEEN 1 PRECEDING AND 1 PRECEDING)", "ids", "Wdd", "RANGE 1P 1P",
     {"NULL", "{5,12}", "{2}", "{3}", "{4}", "NULL", "{6}", "{7}", "NULL", "{9}", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY ts RANGE BETWEEN interval '3600000000 microseconds' PRECEDING AND CURRENT ROW)", "ids", "Wt", "RANGE i3600000000P CR",
     {"{0,1}", "{0,1}", "{0,1,2,12}", "{3}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10}", "{10,11}", "{0,1,2,12}", "{13}", "{3,14}", "{4,15}"}},
    {"count(*) OVER (PARTITION BY p ORDER BY ts RANGE BETWEEN interval '3600000000 microseconds' PRECEDING AND CURRENT ROW)", "cnt", "Wt", "RANGE i3600000000P CR",
     {"2", "2", "4", "1", "2", "2", "2", "1", "2", "2", "1", "2", "4", "1", "2", "2"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY ts RANGE BETWEEN interval '1 microseconds' PRECEDING AND interval '2220000000 microseconds' FOLLOWING)", "ids", "Wt", "RANGE i1P i2220000000F",
     {"{0,1,2,12}", "{0,1,2,12}", "{2,12}", "{3,14}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10,11}", "{11}", "{2,12}", "{13}", "{14}", "{4,15}"}},
    {"count(*) OVER (PARTITION BY p ORDER BY ts RANGE BETWEEN interval '1 microseconds' PRECEDING AND interval '2220000000 microseconds' FOLLOWING)", "cnt", "Wt", "RANGE i1P i2220000000F",
     {"4", "4", "2", "2", "2", "2", "2", "1", "2", "2", "2", "1", "2", "1", "1", "2"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY ts RANGE BETWEEN interval '0 microseconds' PRECEDING AND interval '0 microseconds' FOLLOWING)", "ids", "Wt", "RANGE i0P i0F",
     {"{0,1}", "{0,1}", "{2,12}", "{3}", "{4,15}", "{5,6}", "{5,6}", "{7}", "{8,9}", "{8,9}", "{10}", "{11}", "{2,12}", "{13}", "{14}", "{4,15}"}},
    {"count(*) OVER (PARTITION BY p ORDER BY ts RANGE BETWEEN interval '0 microseconds' PRECEDING AND interval '0 microseconds' FOLLOWING)", "cnt", "Wt", "RANGE i0P i0F",
     {"2", "2", "2", "1", "2", "2", "2", "1", "2", "2", "1", "1", "2", "1", "1", "2"}},
    {"array_agg(id ORDER BY id) OVER (PARTITION BY p ORDER BY ts RANGE BETWEEN UNBOUNDED PRECEDING AND interval '4440000000 microseconds' FOLLOWING)", "ids", "Wt", "RANGE UP i4440000000F",
     {"{0,1,2,12}", "{0,1,2,12}", "{0,1,2,3,12}", "{0,1,2,3,12,14}", "{0,1,2,3,4,5,6,12,14,15}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,5,6,12,14}", "{7,13}", "{7,8,9,13}", "{7,8,9,13}", "{10,11}", "{10,11}", "{0,1,2,3,12}", "{13}", "{0,1,2,3,5,6,12,14}", "{0,1,2,3,4,5,6,12,14,15}"}},
    {"count(*) OVER (PARTITION BY p ORDER BY ts RANGE BETWEEN UNBOUNDED PRECEDING AND interval '4440000000 microseconds' FOLLOWING)", "cnt", "Wt", "RANGE UP i4440000000F",
     {"4", "4", "5", "6", "10", "8", "8", "2", "4", "4", "2", "2", "5", "1", "8", "10"}},
  };
  return cases;
}

TEST(WindowPostgresTest, EveryCaseMatchesPostgres) {
  std::vector<size_t> ascending(16), shuffled(16);
  for (size_t i = 0; i < 16; i++) {
    ascending[i] = i;
    shuffled[i] = (i * 7 + 3) % 16;
  }
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.sql);
    std::vector<std::string> expected(c.expected.begin(), c.expected.end());
    EXPECT_EQ(Compute(c, ascending, 3), expected);
    EXPECT_EQ(Compute(c, shuffled, 5), expected);
  }
}

}  // namespace
}  // namespace laminar::execution
