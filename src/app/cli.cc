#include "app/cli.h"

#include <CLI/CLI.hpp>

#include <cstdio>

namespace laminar::app {

int RunCli(int argc, char** argv) {
  CLI::App app{"laminar: batch and real-time analytics in one binary"};
  app.require_subcommand(1);
  auto* version = app.add_subcommand("version", "print the version");
  version->callback([] { std::printf("laminar 0.1.0\n"); });
  CLI11_PARSE(app, argc, argv);
  return 0;
}

}  // namespace laminar::app
