// Files on the server that a client names (`COPY table FROM '/path'`, `POST /v1/lake/attach`):
// a client may read only what the operator put where clients may read. A path is accepted when
// it is absolute, lies — after every symbolic link is resolved — inside one of the import
// directories (EngineOptions::import_dirs; default `<data_dir>/import`), names a regular file (not
// a directory, FIFO, device or socket) and is at most `max_bytes` long. Clients that want to load
// their own files send them: COPY ... FROM STDIN over the PostgreSQL protocol, or HTTP ingest.
//
// Errors never say anything about a file outside the import directories (not even whether it
// exists): PermissionDenied (SQLSTATE 42501, HTTP 403) naming the path and the directories;
// InvalidArgument for a relative path; NotFound (58P01) for a missing file inside them;
// InvalidArgument for a directory or a special file; ResourceExhausted past max_bytes.
//
// Thread safety: a pure function (it reads the file system).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace laminar::engine {

struct ServerFileRules {
  std::vector<std::string> dirs;  // absolute
  uint64_t max_bytes = 0;
};

// The file's real path (symbolic links resolved) when `path` may be read; else the error above.
Result<std::string> ResolveServerFile(const std::string& path, const ServerFileRules& rules);

}  // namespace laminar::engine
