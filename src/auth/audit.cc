#include "auth/audit.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "common/time_util.h"

namespace laminar::auth {

std::string AuditLine(const AuditEvent& e, int64_t micros) {
  nlohmann::ordered_json j = {{"time", FormatTimestamp(micros)}, {"event", e.event},   {"who", e.who},
                              {"kind", e.kind},                  {"protocol", e.protocol}, {"from", e.from},
                              {"what", e.what},                  {"outcome", e.outcome}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::unique_ptr<AuditLog>> AuditLog::Open(const std::string& path) {
  auto log = std::unique_ptr<AuditLog>(new AuditLog());
  log->path_ = path;
  auto file = fs::Current()->Open(path, fs::OpenMode::kAppend);
  if (!file.ok()) return file.status().WithContext("audit log");
  log->file_ = std::move(file).value();
  return log;
}

void AuditLog::Write(const AuditEvent& e) {
  std::string line = AuditLine(e, NowMicros()) + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  Status st = file_->Append(line);
  if (st.ok()) st = file_->Sync(/*data_only=*/true);
  if (!st.ok() && !failed_) {
    failed_ = true;
    spdlog::error("audit log {}: {} (further failures are not reported)", path_, st.ToString());
  }
}

}  // namespace laminar::auth
