// WriteFuzzSeeds: writes a fuzz target's seeds as `<dir>/seed0`, `seed1`, ... for its
// LaminarFuzzMakeSeeds (tests/fuzz/README.md). Fuzz targets only.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace laminar {

// Returns the number of files written (a seed whose file cannot be created is skipped).
template <typename Seeds>
int WriteFuzzSeeds(const char* dir, const Seeds& seeds) {
  int n = 0;
  for (const auto& seed : seeds) {
    std::string_view s(seed);
    std::string path = std::string(dir) + "/seed" + std::to_string(n);
    if (FILE* f = std::fopen(path.c_str(), "wb")) {
      std::fwrite(s.data(), 1, s.size(), f);
      std::fclose(f);
      n++;
    }
  }
  return n;
}

}  // namespace laminar
