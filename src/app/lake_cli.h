// `laminar lake ...`: look at Parquet files and at a server's lake.
//
//   laminar lake inspect FILE [--json]      footer, schema, row groups, statistics (lake::InspectParquet)
//   laminar lake cat FILE [--limit N]       rows as NDJSON (lake::CatParquet)
//   laminar lake ls [STREAM] [--json]       GET /v1/lake[/STREAM]: files per partition, per-stream totals
//   laminar lake attach STREAM FILE         POST /v1/lake/attach {"stream", "path"}: adds an existing
//                                           Parquet file to a stream's lake (the server reads the path)
//
// inspect and cat work on local files without a server. ls and attach talk to a running server
// (--http HOST:PORT, default 127.0.0.1:8080). Exit codes: 0 success, 1 any error (the server's
// message is printed).
//
// Thread safety: registration and the callbacks run on the CLI's thread.
#pragma once

#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace laminar::app {

// Adds the `lake` subcommand to `app`. `client_http` is the shared --http default of the client
// commands; `exit_code` receives each callback's exit code. Both must outlive app.parse().
void RegisterLakeCommands(CLI::App& app, std::string* client_http, int* exit_code);

}  // namespace laminar::app
