// Engine::Verify: serving's answer against a from-scratch computation (DESIGN.md contract 5).
#include <map>

#include "batch/builder.h"
#include "engine/engine.h"

namespace laminar::engine {

namespace {

std::string RowText(const std::vector<Value>& row, size_t from, size_t to) {
  std::string s;
  for (size_t i = from; i < to; i++) {
    if (i > from) s += ", ";
    s += row[i].is_null() ? "NULL" : row[i].ToString();
  }
  return s;
}

// SELECT <dims...>, <measures...> FROM view: the view's rows with dimensions first.
Result<std::map<std::string, std::string>> ServedRows(const views::ViewDefPtr& def, serving::ViewSnapshot snap,
                                                      const serving::QueryLimits& limits) {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < def->dims.size(); i++) sql += (i ? ", \"" : "\"") + def->dims[i].name + "\"";
  for (const auto& m : def->measures) sql += (sql.size() > 7 ? ", \"" : "\"") + m.name + "\"";
  sql += " FROM \"" + def->name + "\"";
  ASSIGN_OR_RETURN(auto stmts, sql::Parse(sql));
  catalog::Snapshot cat;
  cat.views[def->name] = def;
  serving::QueryLimits lim = limits;
  lim.max_result_rows = SIZE_MAX;
  serving::ViewSnapshotFn fn = [&](const views::ViewDefPtr&) -> Result<serving::ViewSnapshot> {
    return std::move(snap);
  };
  ASSIGN_OR_RETURN(serving::QueryResult r, serving::ExecuteSelect(stmts.front(), cat, fn, lim));
  std::map<std::string, std::string> rows;
  size_t nd = def->dims.size();
  for (const auto& row : r.rows) rows[RowText(row, 0, nd)] = RowText(row, nd, row.size());
  return rows;
}

}  // namespace

Result<std::vector<VerifyReport>> Engine::Verify(const std::string& view) {
  std::lock_guard<std::mutex> batch_lock(batch_mu_);  // no publish or retention meanwhile
  std::vector<std::shared_ptr<ViewRuntime>> targets;
  {
    std::lock_guard<std::mutex> l(views_mu_);
    for (const auto& [n, vr] : views_)
      if (view.empty() || n == view) targets.push_back(vr);
  }
  if (!view.empty() && targets.empty()) return NotFound(ErrorCode::kUndefinedTable, "view \"{}\" does not exist", view);
  std::vector<VerifyReport> out;
  for (const auto& vr : targets) {
    ASSIGN_OR_RETURN(VerifyReport r, VerifyView(vr));
    out.push_back(std::move(r));
  }
  return out;
}

Result<VerifyReport> Engine::VerifyView(const std::shared_ptr<ViewRuntime>& vr) {
  const views::ViewDefPtr& def = vr->def;
  auto rt = FindStream(def->stream);
  if (!rt)
    return NotFound(ErrorCode::kObjectNotInPrerequisiteState,
                    "stream \"{}\" of view \"{}\" is not open", def->stream, def->name);
  VerifyReport rep;
  rep.view = def->name;
  serving::ViewSnapshot snap;
  lake::Manifest m;
  {
    // Ingest and lake commits pause: the served state, the log end and the manifest agree.
    std::unique_lock<std::shared_mutex> l(rt->apply_mu);
    snap = SnapshotOf(*vr);
    rep.log_last_seq = rt->log->last_seq();
    ASSIGN_OR_RETURN(m, lake_->LoadManifest(def->stream));
  }
  rep.batch_version = snap.stats.batch_version;
  rep.horizon = snap.stats.horizon;
  rep.lake_last_seq = m.last_seq();
  ASSIGN_OR_RETURN(auto served, ServedRows(def, std::move(snap), options_.query));

  // From scratch: every lake file, then the log records above the lake, up to the log end seen.
  ASSIGN_OR_RETURN(std::optional<batch::BatchVersion> scratch, batch::Build(FullBuildRequest(def, *rt, m)));
  auto ref = std::make_shared<views::ViewState>(*scratch->state);
  rep.events = scratch->info.events_read;
  const ingest::StreamSchema& schema = *rt->schema;
  Status st = rt->log->Replay(rep.lake_last_seq + 1, [&](const wal::Record& r) -> Status {
    if (r.first_seq > rep.log_last_seq) return Status::OK();
    ASSIGN_OR_RETURN(ingest::RowBatch batch, ingest::RowBatch::Decode(r.payload, schema));
    ref->Apply(batch);
    rep.events += r.count;
    return Status::OK();
  });
  if (!st.ok()) return st.WithContext("verify " + def->name + ": replaying the log");
  serving::ViewSnapshot ref_snap{ref, views::ViewState(def), {}};
  ASSIGN_OR_RETURN(auto reference, ServedRows(def, std::move(ref_snap), options_.query));

  rep.served_rows = served.size();
  rep.reference_rows = reference.size();
  for (const auto& [key, row] : served) {
    auto it = reference.find(key);
    if (it == reference.end()) rep.diffs.push_back({key, row, "(missing)"});
    else if (it->second != row) rep.diffs.push_back({key, row, it->second});
  }
  for (const auto& [key, row] : reference)
    if (!served.count(key)) rep.diffs.push_back({key, "(missing)", row});
  return rep;
}

}  // namespace laminar::engine
