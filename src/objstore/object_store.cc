#include "objstore/object_store.h"

namespace laminar::objstore {

Status ValidateKey(std::string_view key) {
  if (key.empty()) return InvalidArgument("object key is empty");
  if (key.front() == '/' || key.back() == '/') {
    return InvalidArgument("object key '{}' starts or ends with '/'", key);
  }
  if (key.find('\0') != std::string_view::npos) return InvalidArgument("object key holds a NUL byte");
  if (key.size() > 1024) return InvalidArgument("object key is longer than 1024 bytes");
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    std::string_view part = key.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") {
      return InvalidArgument("object key '{}' has an empty, '.' or '..' component", key);
    }
    start = end + 1;
  }
  if (key.size() >= 4 && key.substr(key.size() - 4) == ".tmp") {
    return InvalidArgument("object key '{}' ends in .tmp (reserved for temporary files)", key);
  }
  return Status::OK();
}

}  // namespace laminar::objstore
