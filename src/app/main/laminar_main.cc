// laminar: the one binary. Subcommands are wired in app/cli.cc.
#include "app/cli.h"

int main(int argc, char** argv) { return laminar::app::RunCli(argc, argv); }
