// The command line: laminar serve | demo | gen | ingest | query | version.
#pragma once

namespace laminar::app {

// Parses argv and runs the subcommand; returns the process exit code.
int RunCli(int argc, char** argv);

}  // namespace laminar::app
