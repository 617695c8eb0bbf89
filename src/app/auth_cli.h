// `laminar token create` and `laminar user create`: credentials and the config lines that hold
// them (a token's hash, a user's SCRAM-SHA-256 verifier), printed for the operator to paste into
// the server's [auth] section. Nothing is written anywhere else.
#pragma once

#include <CLI/CLI.hpp>

namespace laminar::app {

void AddAuthCommands(CLI::App& app, int* exit_code);

}  // namespace laminar::app
