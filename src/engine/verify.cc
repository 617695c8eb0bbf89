// Engine::Verify: serving's answer against a from-scratch computation (DESIGN.md contract 5).
#include <map>

#include "batch/builder.h"
#include "engine/engine.h"
#include "serving/view_source.h"

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

// The view's rows as served (serving/view_source.h: batch version ⊕ speed state, one row per
// dimension tuple), keyed by their dimensions' text, valued by their measures' text.
std::map<std::string, std::string> ServedRows(const views::ViewDefPtr& def, serving::ViewSnapshot snap) {
  serving::PinnedView view(def, std::move(snap));
  std::map<std::string, std::string> rows;
  const size_t nd = def->dims.size();
  for (const auto& row : view.Rows()) {
    std::vector<Value> ordered(def->dims.size() + def->measures.size());
    for (size_t c = 0; c < def->columns.size(); c++) {
      const views::OutputColumn& oc = def->columns[c];
      ordered[oc.is_dimension ? oc.index : nd + oc.index] = row[c];
    }
    rows[RowText(ordered, 0, nd)] = RowText(ordered, nd, ordered.size());
  }
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
  auto served = ServedRows(def, std::move(snap));

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
  serving::ViewSnapshot ref_snap{ref, std::make_shared<const views::ViewState>(def), {}};
  auto reference = ServedRows(def, std::move(ref_snap));

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
