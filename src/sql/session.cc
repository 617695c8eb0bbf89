// The statement's session (sql/session.h).
#include "sql/session.h"

#include <cctype>

namespace laminar::sql {

namespace {

thread_local const Session* pinned_session = nullptr;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

bool IsReadOnlySetting(std::string_view lower_name) {
  for (const char* n : {"server_version", "server_version_num", "server_encoding", "integer_datetimes",
                        "is_superuser", "max_identifier_length", "lc_collate", "lc_ctype"})
    if (lower_name == n) return true;
  return false;
}

const std::vector<DefaultSetting>& DefaultSettings() {
  static const std::vector<DefaultSetting> kSettings = {
      {"server_version", "16.0 (Laminar)", true}, {"server_encoding", "UTF8", true},
      {"client_encoding", "UTF8", true}, {"DateStyle", "ISO, MDY", true}, {"TimeZone", "UTC", true},
      {"integer_datetimes", "on", true}, {"standard_conforming_strings", "on", true},
      {"IntervalStyle", "postgres", true}, {"is_superuser", "off", true}, {"application_name", "", true},
      // Not reported: facts clients ask for with SHOW / current_setting().
      {"server_version_num", "160000", false}, {"search_path", "\"$user\", public", false},
      {"max_identifier_length", "63", false}, {"lc_collate", "C", false}, {"lc_ctype", "C", false},
      {"extra_float_digits", "1", false}, {"transaction_isolation", "read committed", false},
      {"default_transaction_isolation", "read committed", false}, {"transaction_read_only", "off", false},
      {"default_transaction_read_only", "off", false}};
  return kSettings;
}

std::optional<std::string> Session::Setting(std::string_view name) const {
  for (const auto& [n, v] : settings)
    if (EqualsIgnoreCase(n, name)) return v;
  return std::nullopt;
}

const std::vector<SessionRelation>& Session::Relations() const {
  if (!relations_) relations_ = load_relations ? load_relations() : std::vector<SessionRelation>{};
  return *relations_;
}

const Session& Session::Default() {
  static const Session kDefault = [] {
    Session s;
    for (const DefaultSetting& d : DefaultSettings()) s.settings.emplace_back(d.name, d.value);
    return s;
  }();
  return kDefault;
}

const Session& Session::Current() { return pinned_session ? *pinned_session : Default(); }

ScopedSession::ScopedSession(const Session* session) : previous_(pinned_session) { pinned_session = session; }
ScopedSession::~ScopedSession() { pinned_session = previous_; }

}  // namespace laminar::sql
