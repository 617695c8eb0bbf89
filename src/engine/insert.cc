// Engine: INSERT INTO a stream or a dimension table, and StoreRows, where INSERT's and COPY's rows
// are stored (docs/sql.md "Loading rows").
//
// INSERT's source (VALUES, a SELECT, or DEFAULT VALUES) runs on the query engine like any query,
// its rows streamed to a sink here; each value is cast to its column's type by the engine's own
// CAST (sql::EvalVector over a chunk of the rows), so a text literal reads as the column's type
// ('2024-05-01T10:00:00Z' into a timestamptz) exactly as `'...'::timestamptz` would. Columns not
// named are NULL. Every row is converted before anything is stored: a bad row fails the statement
// naming the row (1-based, in the source's order) and the column.
#include <algorithm>

#include "catalog/ddl.h"
#include "columnar/vector.h"
#include "engine/engine.h"
#include "sql/binder.h"
#include "sql/expr.h"
#include "sql/transformer.h"
#include "sql/vector_eval.h"

namespace laminar::engine {
namespace {

// Converts the source's rows, a chunk at a time, into the table's columns.
class RowConverter {
 public:
  RowConverter(const ingest::StreamSchema& schema, std::vector<int> targets, size_t max_text_bytes)
      : schema_(schema), targets_(std::move(targets)), max_text_bytes_(max_text_bytes), out_(schema) {}

  // The source's columns: as many as the targets, each castable to its target's type.
  Status Begin(const std::vector<serving::ResultColumn>& columns) {
    if (columns.size() > targets_.size())
      return InvalidArgument(ErrorCode::kSyntaxError, "INSERT has more expressions than target columns");
    if (columns.size() < targets_.size())
      return InvalidArgument(ErrorCode::kSyntaxError, "INSERT has more target columns than expressions");
    std::vector<Type> types;
    for (size_t i = 0; i < columns.size(); i++) {
      const ingest::ColumnDef& col = schema_.columns[size_t(targets_[i])];
      Type from = columns[i].type;
      if (from != col.type && !sql::CastAllowed(from, col.type))
        return InvalidArgument(ErrorCode::kDatatypeMismatch, "column \"{}\" is of type {} but expression is of type {}",
                               col.name, TypeName(col.type), TypeName(from));
      types.push_back(from);
      casts_.push_back(from == col.type ? nullptr : sql::MakeCast(sql::MakeColumn(int(i), col.name, from), col.type));
    }
    chunk_ = columnar::Chunk(types);
    return Status::OK();
  }

  Status Row(std::vector<Value>&& row) {
    chunk_.AppendValues(row);
    if (chunk_.rows == columnar::kChunkRows) return Flush();
    return Status::OK();
  }

  // Converts the rows held; call once more at the end.
  Status Flush() {
    if (chunk_.rows == 0) return Status::OK();
    std::vector<columnar::Vector> cast(casts_.size());
    std::vector<const columnar::Vector*> cols(casts_.size());
    for (size_t i = 0; i < casts_.size(); i++) {
      if (!casts_[i]) {
        cols[i] = &chunk_.columns[i];
        continue;
      }
      sql::ClearEvalError();
      sql::EvalVector(*casts_[i], chunk_, &cast[i]);
      if (sql::HasEvalError()) return CastError(i, sql::TakeEvalError());
      cols[i] = &cast[i];
    }
    std::vector<int> source(schema_.columns.size(), -1);
    for (size_t i = 0; i < targets_.size(); i++) source[size_t(targets_[i])] = int(i);
    for (size_t r = 0; r < chunk_.rows; r++) {
      const uint64_t row = done_ + r + 1;
      for (size_t c = 0; c < schema_.columns.size(); c++) {
        const ingest::ColumnDef& col = schema_.columns[c];
        ingest::Column& dst = out_.column(c);
        Value v = source[c] < 0 ? Value() : cols[size_t(source[c])]->Get(r);
        if (v.is_null()) {
          if (col.not_null)
            return InvalidArgument(ErrorCode::kNotNullViolation,
                                   "row {}: null value in column \"{}\" of relation \"{}\" violates not-null constraint",
                                   row, col.name, schema_.name);
          dst.AppendNull();
          continue;
        }
        if (col.type == Type::kText && max_text_bytes_ && v.as_text().size() > max_text_bytes_)
          return InvalidArgument(ErrorCode::kProgramLimitExceeded,
                                 "row {}, column \"{}\": text of {} bytes, more than the {} a field may hold "
                                 "([ingest] max_text_bytes)",
                                 row, col.name, v.as_text().size(), max_text_bytes_);
        dst.Append(v);
      }
      out_.FinishRow();
    }
    done_ += chunk_.rows;
    chunk_.Clear();
    return Status::OK();
  }

  ingest::RowBatch Take() { return std::move(out_); }

 private:
  // The first row whose value of source column `i` does not cast, named with the error.
  Status CastError(size_t i, const Status& error) {
    const ingest::ColumnDef& col = schema_.columns[size_t(targets_[i])];
    for (size_t r = 0; r < chunk_.rows; r++) {
      columnar::Chunk one(chunk_.types());
      one.AppendRow(chunk_, r);
      columnar::Vector v;
      sql::ClearEvalError();
      sql::EvalVector(*casts_[i], one, &v);
      if (sql::HasEvalError()) {
        Status st = sql::TakeEvalError();
        return Status(st.code(), st.error_code(), fmt::format("row {}, column \"{}\": {}", done_ + r + 1, col.name, st.message()));
      }
    }
    return error.WithContext(fmt::format("column \"{}\"", col.name));
  }

  const ingest::StreamSchema& schema_;
  const std::vector<int> targets_;
  const size_t max_text_bytes_;
  std::vector<sql::ExprPtr> casts_;  // per source column; null when it has the column's type
  columnar::Chunk chunk_;
  uint64_t done_ = 0;
  ingest::RowBatch out_;
};

// PostgreSQL types an INSERT's VALUES items that are quoted literals (type unknown) as their
// target columns: each such item is read as its column's type here — a bad one fails naming its
// row and column — and stands as CAST(literal AS type) in the query, so that VALUES ('7'), (2.5)
// into a bigint column is two bigints, not text against double precision.
Status TypeLiterals(sql::ast::SelectStmt* values, const ingest::StreamSchema& schema, const std::vector<int>& targets) {
  for (size_t r = 0; r < values->values_lists.size(); r++) {
    auto& items = values->values_lists[r];
    for (size_t i = 0; i < items.size() && i < targets.size(); i++) {
      sql::ast::ExprPtr& item = items[i];
      if (item->kind != sql::ast::ExprKind::kConstant || item->is_bit_string || item->value.is_null() ||
          item->value.type() != Type::kText)
        continue;
      const ingest::ColumnDef& col = schema.columns[size_t(targets[i])];
      if (col.type == Type::kText) continue;
      Result<Value> v = sql::CastText(item->value.as_text(), col.type);
      if (!v.ok())
        return Status(v.status().code(), v.status().error_code(),
                      fmt::format("row {}, column \"{}\": {}", r + 1, col.name, v.status().message()));
      auto cast = std::make_unique<sql::ast::Expr>();
      cast->kind = sql::ast::ExprKind::kCast;
      cast->location = item->location;
      cast->type.emplace();
      cast->type->names = {TypeName(col.type)};
      cast->args.push_back(std::move(item));
      item = std::move(cast);
    }
  }
  return Status::OK();
}

}  // namespace

Result<TableRows> Engine::RowsTarget(const std::string& name, const char* verb) const {
  catalog::SnapshotPtr snap = catalog_->snapshot();
  TableRows out;
  if (auto it = snap->streams.find(name); it != snap->streams.end()) {
    out.schema = it->second;
    out.stream = true;
  } else if (auto it = snap->dimensions.find(name); it != snap->dimensions.end()) {
    out.schema = it->second;
    out.stream = false;
  } else if (snap->views.count(name)) {
    return InvalidArgument(ErrorCode::kWrongObjectType,
                           "cannot {} materialized view \"{}\": its rows come from its stream", verb, name);
  } else {
    return NotFound(ErrorCode::kUndefinedTable, "relation \"{}\" does not exist", name);
  }
  if (options_.read_only) return Unavailable("the engine is open read-only");
  out.rows = ingest::RowBatch(*out.schema);
  return out;
}

Result<TableRows> Engine::PrepareInsert(const sql::Statement& stmt, const std::atomic<bool>* cancel) {
  ASSIGN_OR_RETURN(sql::ast::InsertStmt ins, sql::TransformInsert(stmt));
  ASSIGN_OR_RETURN(std::string name, catalog::internal::RelationName(ins.relation));
  if (ins.has_returning) return Unimplemented("INSERT ... RETURNING is not supported");
  if (ins.has_on_conflict)
    return Unimplemented("INSERT ... ON CONFLICT is not supported: a stream keeps every event it is sent");
  if (ins.has_with)
    return Unimplemented("WITH ... INSERT is not supported: write INSERT INTO {} WITH ... SELECT ... instead", name);
  if (ins.has_overriding) return Unimplemented("INSERT ... OVERRIDING is not supported (Laminar has no identity columns)");
  ASSIGN_OR_RETURN(TableRows out, RowsTarget(name, "INSERT into"));
  const ingest::StreamSchema& schema = *out.schema;
  std::vector<int> targets;
  if (ins.columns.empty()) {
    if (ins.query)
      for (size_t c = 0; c < schema.columns.size(); c++) targets.push_back(int(c));
  } else {
    for (const std::string& col : ins.columns) {
      int c = schema.FindColumn(col);
      if (c < 0)
        return InvalidArgument(ErrorCode::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", col, name);
      if (std::find(targets.begin(), targets.end(), c) != targets.end())
        return InvalidArgument(ErrorCode::kDuplicateColumn, "column \"{}\" specified more than once", col);
      targets.push_back(c);
    }
  }
  if (ins.query && !ins.query->values_lists.empty()) RETURN_IF_ERROR(TypeLiterals(ins.query.get(), schema, targets));
  RowConverter conv(schema, targets, out.stream ? options_.ingest.max_text_bytes : 0);
  if (!ins.query) {  // DEFAULT VALUES: one row, every column NULL (Laminar has no column defaults)
    RETURN_IF_ERROR(conv.Begin({}));
    RETURN_IF_ERROR(conv.Row({}));
  } else {
    serving::RowSink sink;
    sink.begin = [&](const std::vector<serving::ResultColumn>& columns) { return conv.Begin(columns); };
    sink.row = [&](std::vector<Value>&& row) { return conv.Row(std::move(row)); };
    RETURN_IF_ERROR(Query(*ins.query, cancel, &sink).status());
  }
  RETURN_IF_ERROR(conv.Flush());
  out.rows = conv.Take();
  out.tag = fmt::format("INSERT 0 {}", out.rows.num_rows());
  return out;
}

Status Engine::StoreRows(const TableRows& t) {
  const std::string& name = t.schema->name;
  if (t.stream) {
    auto rt = FindStream(name);
    if (!rt || rt->schema != t.schema)
      return Unavailable("stream \"{}\" was dropped or redefined while the statement ran: run it again", name);
    if (t.rows.num_rows() == 0) return Status::OK();
    // One record when it fits the log's record limit; else pieces of whole rows, each a record.
    const size_t bytes = t.rows.EncodedBytes();
    const uint64_t limit = options_.log.max_record_bytes;
    if (bytes <= limit) return AppendRows(*rt, t.rows).status();
    const size_t pieces = bytes / limit + 2;
    const size_t per = (t.rows.num_rows() + pieces - 1) / pieces;
    for (size_t from = 0; from < t.rows.num_rows(); from += per) {
      std::vector<uint32_t> rows;
      for (size_t r = from; r < std::min(t.rows.num_rows(), from + per); r++) rows.push_back(uint32_t(r));
      ingest::RowBatch piece;
      piece.AppendRows(t.rows, rows);
      RETURN_IF_ERROR(AppendRows(*rt, piece).status());
    }
    return Status::OK();
  }
  std::lock_guard<std::mutex> lock(dimension_rows_mu_);
  ingest::RowBatch rows;  // the table's rows after the statement
  if (t.replace) {
    rows = t.rows;
  } else {
    std::shared_ptr<const ingest::RowBatch> now = dimensions_->Get(name);
    if (!now) return Unavailable("table \"{}\" was dropped while the statement ran: run it again", name);
    RETURN_IF_ERROR(dimensions_->Damage(name));
    if (now->num_rows() + t.rows.num_rows() > options_.dimension_max_rows)
      return ResourceExhausted("table \"{}\" would hold {} rows, more than a dimension table may hold ({}, "
                               "dimension_max_rows)",
                               name, now->num_rows() + t.rows.num_rows(), options_.dimension_max_rows);
    rows = *now;
    rows.AppendBatch(t.rows);
  }
  RETURN_IF_ERROR(dimensions_->Replace(t.schema, std::move(rows)));
  // From now on the table has a file: one that goes missing is damage, not an empty table.
  return catalog_->MarkDimensionLoaded(name);
}

}  // namespace laminar::engine
