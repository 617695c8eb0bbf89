// A small standalone mutation fuzzer for targets written for libFuzzer, for builds without clang's
// -fsanitize=fuzzer (gcc). Usage:
//   parquet_fuzz [--seconds N] [--seed S] [--self-seeds] [--make-seeds DIR] [FILE|DIR]...
// Loads the seed files (directories: every file inside), runs each seed once, then mutates random
// seeds (bit flips, byte sets, interesting integers at random offsets, truncation, insertion and
// deletion of spans, splicing two seeds) for N seconds with the fixed seed S, calling the target
// on each mutant. --self-seeds adds the seeds LaminarFuzzMakeSeeds() writes (into a temporary
// directory, removed afterwards); --make-seeds DIR only writes them. A crash is the finding: the
// process dies (with the sanitizer's report) and the input is saved as ./fuzz-crash-input.
// At the end it prints one line for scripts to collect:
//   fuzz: <target> <executions> executions in <s> s, <n> seeds
// where <target> is the binary's name without "_fuzz" / "_fuzz_seeds" (parquet, sql, ...) and
// <executions> counts every call of the target, the seeds' own runs included.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LaminarFuzzMakeSeeds(const char* dir);
// Provided by ASan/UBSan when linked in (weak: absent otherwise).
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void Load(const fs::path& p, std::vector<std::string>* seeds) {
  std::error_code ec;
  if (fs::is_directory(p, ec)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(p, ec))
      if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());  // deterministic order
    for (const auto& f : files) seeds->push_back(ReadAll(f));
  } else if (fs::is_regular_file(p, ec)) {
    seeds->push_back(ReadAll(p));
  } else {
    std::fprintf(stderr, "fuzz_driver: no such seed %s\n", p.c_str());
  }
}

// The input being run, written to ./fuzz-crash-input when a sanitizer reports or a signal kills
// the process.
const std::string* g_current = nullptr;

void SaveCurrent() {
  if (!g_current) return;
  if (FILE* f = std::fopen("fuzz-crash-input", "wb")) {
    std::fwrite(g_current->data(), 1, g_current->size(), f);
    std::fclose(f);
    std::fprintf(stderr, "fuzz_driver: input saved as ./fuzz-crash-input (%zu bytes)\n",
                 g_current->size());
  }
}

void OnSignal(int sig) {
  SaveCurrent();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void Run(const std::string& input) {
  g_current = &input;
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  g_current = nullptr;
}

std::string Mutate(const std::vector<std::string>& seeds, std::mt19937_64& rng) {
  std::string s = seeds[rng() % seeds.size()];
  static const int64_t kInteresting[] = {0, 1, -1, 2, 7, 8, 16, 31, 32, 33, 63, 64, 127, 128, 255,
                                         256, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff,
                                         -0x80000000LL, 0xffffffffLL, INT64_MAX, INT64_MIN};
  const int steps = 1 + static_cast<int>(rng() % 4);
  for (int step = 0; step < steps; step++) {
    const size_t n = s.size();
    switch (rng() % 9) {
      case 0:  // bit flip
        if (n) s[rng() % n] ^= static_cast<char>(1u << (rng() % 8));
        break;
      case 1:  // random byte
        if (n) s[rng() % n] = static_cast<char>(rng());
        break;
      case 2: {  // interesting integer, 1/2/4/8 bytes little-endian
        if (!n) break;
        int64_t v = kInteresting[rng() % std::size(kInteresting)];
        size_t width = size_t{1} << (rng() % 4);
        size_t at = rng() % n;
        for (size_t i = 0; i < width && at + i < n; i++) s[at + i] = static_cast<char>(v >> (8 * i));
        break;
      }
      case 3:  // truncate
        if (n) s.resize(rng() % n);
        break;
      case 4: {  // delete a span
        if (!n) break;
        size_t at = rng() % n;
        s.erase(at, std::min<size_t>(n - at, 1 + rng() % 16));
        break;
      }
      case 5: {  // insert random bytes
        size_t at = n ? rng() % n : 0;
        std::string ins(1 + rng() % 8, '\0');
        for (auto& c : ins) c = static_cast<char>(rng());
        s.insert(at, ins);
        break;
      }
      case 6: {  // splice with another seed
        const std::string& o = seeds[rng() % seeds.size()];
        if (!n || o.empty()) break;
        size_t cut = rng() % n, from = rng() % o.size();
        s = s.substr(0, cut) + o.substr(from);
        break;
      }
      case 7: {  // copy a span within the input
        if (n < 2) break;
        size_t from = rng() % n, to = rng() % n, len = std::min<size_t>(1 + rng() % 32, n - std::max(from, to));
        std::memmove(&s[to], &s[from], len);
        break;
      }
      default: {  // varint-ish: set a byte to a small Thrift-compact-looking value
        if (n) s[rng() % n] = static_cast<char>(rng() % 0x40);
        break;
      }
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 10;
  uint64_t seed = 1;
  bool self_seeds = false;
  std::vector<std::string> seeds;
  std::vector<fs::path> paths;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a == "--seconds" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (a == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--self-seeds") {
      self_seeds = true;
    } else if (a == "--make-seeds" && i + 1 < argc) {
      fs::create_directories(argv[i + 1]);
      int n = LaminarFuzzMakeSeeds(argv[i + 1]);
      std::printf("wrote %d seed files to %s\n", n, argv[i + 1]);
      return n > 0 ? 0 : 1;
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "usage: %s [--seconds N] [--seed S] [--self-seeds] [--make-seeds DIR] [FILE|DIR]...\n", argv[0]);
      return 2;
    } else {
      paths.push_back(a);
    }
  }
  if (self_seeds) {
    char tmpl[] = "/tmp/fuzz_seedsXXXXXX";
    if (!mkdtemp(tmpl)) return 1;
    LaminarFuzzMakeSeeds(tmpl);
    Load(tmpl, &seeds);
    fs::remove_all(tmpl);
  }
  for (const auto& p : paths) Load(p, &seeds);
  if (seeds.empty()) {
    std::fprintf(stderr, "fuzz_driver: no seeds\n");
    return 1;
  }
  if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(SaveCurrent);
  for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, OnSignal);
  const auto begin = std::chrono::steady_clock::now();  // for the report: the seeds' runs count
  for (const auto& s : seeds) Run(s);
  std::mt19937_64 rng(seed);
  const auto start = std::chrono::steady_clock::now();
  uint64_t runs = 0;
  while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < seconds) {
    for (int i = 0; i < 16; i++, runs++) Run(Mutate(seeds, rng));
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  std::string target = fs::path(argv[0]).filename().string();
  for (const char* suffix : {"_seeds", "_fuzz"})
    if (target.size() > std::strlen(suffix) && target.ends_with(suffix)) target.resize(target.size() - std::strlen(suffix));
  std::printf("fuzz: %s %llu executions in %.1f s, %zu seeds\n", target.c_str(),
              static_cast<unsigned long long>(runs + seeds.size()), elapsed, seeds.size());
  return 0;
}
