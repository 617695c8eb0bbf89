// A fresh directory for one microbenchmark's files (src/*/*_benchmark.cc; never linked into the
// server), under $LAMINAR_BENCH_DIR (default /dev/shm where it exists, else /tmp: fsync then
// costs a system call and no device flush), removed with everything in it by the destructor.
// Aborts when the directory cannot be made.
//
// Thread safety: a value.
#pragma once

#include <fmt/format.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace laminar {

class BenchDir {
 public:
  explicit BenchDir(const char* name) {
    const char* base = std::getenv("LAMINAR_BENCH_DIR");
    std::string tmpl = fmt::format("{}/laminar_{}_XXXXXX", base ? base : (std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp"), name);
    if (mkdtemp(tmpl.data()) == nullptr) {
      std::perror(fmt::format("{}: mkdtemp {}", name, tmpl).c_str());
      std::abort();
    }
    path_ = tmpl;
  }
  ~BenchDir() { std::filesystem::remove_all(path_); }
  BenchDir(const BenchDir&) = delete;
  BenchDir& operator=(const BenchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace laminar
