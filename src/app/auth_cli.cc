#include "app/auth_cli.h"

#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "auth/scopes.h"
#include "auth/scram.h"
#include "auth/tokens.h"

namespace laminar::app {
namespace {

struct EntryOptions {
  std::string name;
  std::vector<std::string> scopes;
  auth::Limits limits;
};

void AddEntryOptions(CLI::App* c, EntryOptions* o) {
  c->add_option("--scopes", o->scopes, "query, admin, ingest:<stream>, ingest:* (comma-separated)")
      ->required()
      ->delimiter(',');
  c->add_option("--requests-per-second", o->limits.requests_per_second, "rate limit (0: none)");
  c->add_option("--events-per-second", o->limits.events_per_second, "rate limit on ingested events (0: none)");
  c->add_option("--query-timeout-seconds", o->limits.query_timeout_seconds, "a query limit below [query]'s (0: none)");
  c->add_option("--query-max-memory-mb", o->limits.query_max_memory_mb, "a query limit below [query]'s (0: none)");
}

// TOML lines of an entry's name, scopes and limits (strings quoted as JSON, which TOML reads).
std::string EntryLines(const EntryOptions& o) {
  std::string out = fmt::format("name = {}\n", nlohmann::json(o.name).dump());
  out += fmt::format("scopes = {}\n", nlohmann::json(o.scopes).dump());
  if (o.limits.requests_per_second > 0) out += fmt::format("requests_per_second = {}\n", o.limits.requests_per_second);
  if (o.limits.events_per_second > 0) out += fmt::format("events_per_second = {}\n", o.limits.events_per_second);
  if (o.limits.query_timeout_seconds > 0) out += fmt::format("query_timeout_seconds = {}\n", o.limits.query_timeout_seconds);
  if (o.limits.query_max_memory_mb > 0) out += fmt::format("query_max_memory_mb = {}\n", o.limits.query_max_memory_mb);
  return out;
}

bool CheckScopes(const EntryOptions& o) {
  auto parsed = auth::ParseScopes(o.scopes);
  if (!parsed.ok()) std::fprintf(stderr, "laminar: --scopes: %s\n", parsed.status().message().c_str());
  return parsed.ok();
}

// The password: typed at a terminal (twice, without echo), or the first line of stdin.
std::string ReadPassword(bool* ok) {
  *ok = false;
  auto line = [](std::string* out) { return static_cast<bool>(std::getline(std::cin, *out)); };
  std::string a, b;
  if (!isatty(STDIN_FILENO)) {
    *ok = line(&a) && !a.empty();
    if (!*ok) std::fprintf(stderr, "laminar: give the password as the first line of standard input\n");
    return a;
  }
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~tcflag_t(ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::fprintf(stderr, "password: ");
  bool got = line(&a);
  std::fprintf(stderr, "\nagain: ");
  got = got && line(&b);
  std::fprintf(stderr, "\n");
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  if (!got || a.empty() || a != b) {
    std::fprintf(stderr, "laminar: the passwords are empty or differ\n");
    return "";
  }
  *ok = true;
  return a;
}

}  // namespace

void AddAuthCommands(CLI::App& app, int* exit_code) {
  auto* token = app.add_subcommand("token", "API tokens for the HTTP API")->require_subcommand(1);
  auto* token_create = token->add_subcommand(
      "create", "print a new token and its [[auth.tokens]] config entry (the server keeps only the hash)");
  auto t = std::make_shared<EntryOptions>();  // the options outlive this function: parsing comes later
  token_create->add_option("--name", t->name, "a name for the audit log and errors")->required();
  AddEntryOptions(token_create, t.get());
  token_create->footer("example: laminar token create --name loader --scopes ingest:pageviews,query");
  token_create->callback([exit_code, t] {
    if (!CheckScopes(*t)) {
      *exit_code = 1;
      return;
    }
    std::string secret = auth::NewToken();
    std::printf("%s\n\n# The token above is shown once: give it to the client (Authorization: Bearer <token>,\n"
                "# or LAMINAR_TOKEN for the laminar CLI). Add this to the server's config:\n[[auth.tokens]]\n%s"
                "hash = \"%s\"\n",
                secret.c_str(), EntryLines(*t).c_str(), auth::FormatTokenHash(secret).c_str());
  });

  auto* user = app.add_subcommand("user", "users of the PostgreSQL protocol")->require_subcommand(1);
  auto* user_create = user->add_subcommand(
      "create", "read a password and print the user's [[auth.users]] config entry (a SCRAM-SHA-256 verifier)");
  auto u = std::make_shared<EntryOptions>();
  user_create->add_option("name", u->name, "the user name clients connect as")->required();
  AddEntryOptions(user_create, u.get());
  user_create->footer("example: echo 's3cret' | laminar user create analyst --scopes query");
  user_create->callback([exit_code, u] {
    bool ok = false;
    std::string password = CheckScopes(*u) ? ReadPassword(&ok) : "";
    if (!ok) {
      *exit_code = 1;
      return;
    }
    std::printf("[[auth.users]]\n%spassword = \"%s\"\n", EntryLines(*u).c_str(),
                auth::FormatVerifier(auth::MakeVerifier(password)).c_str());
  });
}

}  // namespace laminar::app
