// The S3 store against tests/s3/s3_server.mjs: s3rver behind a proxy that checks SigV4 signatures,
// implements If-None-Match: *, and injects faults. Skipped only when `node` is not installed.
#include <curl/curl.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <utility>

#include "objstore/object_store.h"
#include "objstore/s3_store.h"

extern char** environ;

namespace laminar::objstore {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAccessKey = "AKIDLAMINARTEST";
constexpr const char* kSecretKey = "laminar-test-secret";

bool NodeAvailable() {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string p(path);
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find(':', start);
    if (end == std::string::npos) end = p.size();
    std::string dir = p.substr(start, end - start);
    if (!dir.empty() && ::access((dir + "/node").c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

// A running tests/s3/s3_server.mjs.
class S3TestServer {
 public:
  ~S3TestServer() { Stop(); }

  // Starts the server with extra arguments; empty string on success, else what went wrong.
  std::string Start(const std::vector<std::string>& extra) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return "pipe failed";
    std::vector<std::string> args = {"node", std::string(LAMINAR_SOURCE_DIR) + "/tests/s3/s3_server.mjs",
                                     "--port", "0", "--bucket", "lake", "--access-key", kAccessKey,
                                     "--secret-key", kSecretKey};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    int rc = posix_spawnp(&pid_, "node", &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(fds[1]);
    if (rc != 0) {
      ::close(fds[0]);
      pid_ = -1;
      return "posix_spawnp node failed";
    }
    // Read the ready line: {"port":N,"dir":"..."}
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (line.find('\n') == std::string::npos) {
      int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      deadline - std::chrono::steady_clock::now())
                                      .count());
      if (left <= 0) break;
      pollfd p{fds[0], POLLIN, 0};
      if (::poll(&p, 1, left) <= 0) continue;
      char buf[256];
      ssize_t n = ::read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<size_t>(n));
    }
    ::close(fds[0]);
    size_t at = line.find("\"port\":");
    if (at == std::string::npos) {
      Stop();
      return "no ready line from s3_server.mjs: '" + line + "'";
    }
    port_ = std::atoi(line.c_str() + at + 7);
    return "";
  }

  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // POST /__control with a JSON body; returns the JSON answer.
  std::string Control(const std::string& json) const {
    CURL* h = curl_easy_init();
    std::string out;
    std::string url = endpoint() + "/__control";
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    if (!json.empty()) curl_easy_setopt(h, CURLOPT_POSTFIELDS, json.c_str());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION,
                     +[](char* p, size_t s, size_t n, void* u) -> size_t {
                       static_cast<std::string*>(u)->append(p, s * n);
                       return s * n;
                     });
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_perform(h);
    curl_easy_cleanup(h);
    return out;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// A number from the control endpoint's JSON ("key":N).
long JsonNumber(const std::string& json, const std::string& key) {
  size_t at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return -1;
  return std::atol(json.c_str() + at + key.size() + 3);
}

std::string RandomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (size_t i = 0; i < n; i += 8) {
    uint64_t v = rng();
    std::memcpy(s.data() + i, &v, std::min<size_t>(8, n - i));
  }
  return s;
}

std::string WriteTempFile(const std::string& name, const std::string& data) {
  std::string path = (fs::temp_directory_path() /
                      ("lams3-" + std::to_string(::getpid()) + "-" + name))
                         .string();
  std::ofstream f(path, std::ios::binary);
  f.write(data.data(), static_cast<std::streamsize>(data.size()));
  return path;
}

class S3StoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    if (!NodeAvailable()) return;
    server_ = new S3TestServer();
    start_error_ = server_->Start({});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (!NodeAvailable()) GTEST_SKIP() << "node is not installed";
    ASSERT_TRUE(start_error_.empty()) << start_error_;
  }

  // Options for a store rooted at a prefix of its own (the test's name).
  S3Options Options() const {
    S3Options o;
    o.bucket = "lake";
    o.prefix = std::string("t/") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    o.endpoint = server_->endpoint();
    o.access_key_id = kAccessKey;
    o.secret_access_key = kSecretKey;
    o.retry_base_ms = 10;
    return o;
  }
  std::unique_ptr<ObjectStore> Open(const S3Options& o, S3TestHooks hooks = {}) const {
    auto s = OpenS3WithHooks(o, hooks);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  static S3TestServer* server_;
  static std::string start_error_;
};
S3TestServer* S3StoreTest::server_ = nullptr;
std::string S3StoreTest::start_error_;

std::vector<std::string> Keys(const std::vector<ObjectInfo>& list) {
  std::vector<std::string> out;
  for (const auto& o : list) out.push_back(o.key);
  return out;
}

TEST_F(S3StoreTest, PutGetListDelete) {
  auto store = Open(Options());
  ASSERT_TRUE(store);
  EXPECT_EQ(store->url(), "s3://lake/t/PutGetListDelete");
  EXPECT_EQ(store->LocalPath("a"), "");
  ASSERT_TRUE(store->Put("a", "alpha").ok());
  ASSERT_TRUE(store->Put("b/c", "").ok());
  ASSERT_TRUE(store->Put("b/d", std::string(100000, 'x')).ok());
  ASSERT_TRUE(store->Put("a", "alpha2").ok());  // replaces

  auto a = store->Get("a");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(*a, "alpha2");
  auto c = store->Get("b/c");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(*c, "");

  auto all = store->List("");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(Keys(*all), (std::vector<std::string>{"a", "b/c", "b/d"}));
  EXPECT_EQ((*all)[0].size, 6u);
  EXPECT_EQ((*all)[2].size, 100000u);
  auto b = store->List("b/");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(Keys(*b), (std::vector<std::string>{"b/c", "b/d"}));
  auto none = store->List("zzz");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  ASSERT_TRUE(store->Delete("a").ok());
  EXPECT_EQ(store->Get("a").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store->Delete("a").ok());  // deleting a missing object is fine
  auto rest = store->List("");
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(Keys(*rest), (std::vector<std::string>{"b/c", "b/d"}));
}

TEST_F(S3StoreTest, MissingObjectIsNotFound) {
  auto store = Open(Options());
  ASSERT_TRUE(store);
  auto r = store->Get("no/such/key");
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound) << r.status().ToString();
  EXPECT_NE(r.status().message().find("s3://lake/t/MissingObjectIsNotFound/no/such/key"),
            std::string::npos)
      << r.status().message();
}

TEST_F(S3StoreTest, InvalidKeysAreRejected) {
  auto store = Open(Options());
  ASSERT_TRUE(store);
  EXPECT_EQ(store->Put("/abs", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Put("a//b", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Get("a/../b").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Delete("").code(), StatusCode::kInvalidArgument);
}

TEST_F(S3StoreTest, KeysWithSpacesUnicodeAndHivePartitions) {
  auto store = Open(Options());
  ASSERT_TRUE(store);
  std::vector<std::string> keys = {
      "pageviews/event_date=2026-11-24/event_hour=07/part 0001.parquet",
      "pageviews/event_date=2026-11-24/event_hour=08/part-0002.parquet",
      "unicode/caf\xC3\xA9/\xE6\x97\xA5\xE6\x9C\xAC.txt",
      "symbols/a+b&c=d;e,f'g(h)!*~@$.txt",
      "symbols/100%.txt",
      "symbols/<tag> \"quoted\".txt",
  };
  for (size_t i = 0; i < keys.size(); ++i) {
    Status st = store->Put(keys[i], "value " + std::to_string(i));
    ASSERT_TRUE(st.ok()) << keys[i] << ": " << st.ToString();
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    auto v = store->Get(keys[i]);
    ASSERT_TRUE(v.ok()) << keys[i] << ": " << v.status().ToString();
    EXPECT_EQ(*v, "value " + std::to_string(i));
  }
  auto all = store->List("");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(Keys(*all), sorted);
  auto day = store->List("pageviews/event_date=2026-11-24/");
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(day->size(), 2u);
  auto hour = store->List("pageviews/event_date=2026-11-24/event_hour=07/part ");
  ASSERT_TRUE(hour.ok());
  ASSERT_EQ(hour->size(), 1u);
  EXPECT_EQ((*hour)[0].key, keys[0]);
  for (const auto& k : keys) ASSERT_TRUE(store->Delete(k).ok()) << k;
  auto empty = store->List("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST_F(S3StoreTest, ListPaginates) {
  // 1100 keys: two pages at S3's default of 1000, and 12 pages at a test page size of 100.
  auto store = Open(Options());
  ASSERT_TRUE(store);
  constexpr int kKeys = 1100;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < kKeys; i += 8) {
        char key[32];
        std::snprintf(key, sizeof key, "k/%05d", i);
        if (!store->Put(key, std::to_string(i)).ok()) failures++;
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(failures.load(), 0);

  auto big = store->List("k/");
  ASSERT_TRUE(big.ok()) << big.status().ToString();
  ASSERT_EQ(big->size(), static_cast<size_t>(kKeys));
  for (int i = 0; i < kKeys; ++i) {
    char key[32];
    std::snprintf(key, sizeof key, "k/%05d", i);
    ASSERT_EQ((*big)[i].key, key);
  }
  S3TestHooks hooks;
  hooks.list_page_size = 100;
  auto small_pages = Open(Options(), hooks);
  auto paged = small_pages->List("k/");
  ASSERT_TRUE(paged.ok()) << paged.status().ToString();
  EXPECT_EQ(Keys(*paged), Keys(*big));
  auto some = small_pages->List("k/0105");  // k/01050 .. k/01059
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(some->size(), 10u);
}

TEST_F(S3StoreTest, PutIfAbsent) {
  auto store = Open(Options());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->PutIfAbsent("manifest/00000001.json", "first").ok());
  Status second = store->PutIfAbsent("manifest/00000001.json", "second");
  EXPECT_EQ(second.code(), StatusCode::kAlreadyExists) << second.ToString();
  auto v = store->Get("manifest/00000001.json");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "first");
  ASSERT_TRUE(store->PutIfAbsent("manifest/00000002.json", "next").ok());
}

TEST_F(S3StoreTest, ConcurrentPutIfAbsentHasOneWinner) {
  auto store = Open(Options());
  ASSERT_TRUE(store);
  for (int round = 0; round < 5; ++round) {
    std::string key = "manifest/" + std::to_string(round) + ".json";
    std::vector<Status> results(8);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] { results[t] = store->PutIfAbsent(key, "writer " + std::to_string(t)); });
    }
    for (auto& th : threads) th.join();
    int winners = 0, winner = -1;
    for (int t = 0; t < 8; ++t) {
      if (results[t].ok()) {
        winners++;
        winner = t;
      } else {
        EXPECT_EQ(results[t].code(), StatusCode::kAlreadyExists) << results[t].ToString();
      }
    }
    ASSERT_EQ(winners, 1) << "round " << round;
    auto v = store->Get(key);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(*v, "writer " + std::to_string(winner));
  }
}

// The server stores the object, then answers 500: the retry sees 412, which must not turn into
// AlreadyExists when the object holds our bytes.
TEST_F(S3StoreTest, PutIfAbsentSurvivesAFailureAfterTheWrite) {
  auto store = Open(Options());
  ASSERT_TRUE(store);
  server_->Control(R"({"inject":[{"fault":"after","method":"PUT","key":"PutIfAbsentSurvives"}]})");
  Status st = store->PutIfAbsent("manifest/1.json", "ours");
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(JsonNumber(server_->Control(""), "pendingInjections"), 0);
  EXPECT_EQ(store->PutIfAbsent("manifest/1.json", "theirs").code(), StatusCode::kAlreadyExists);
  auto v = store->Get("manifest/1.json");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "ours");
}

// CompleteMultipartUpload takes effect, then the answer is lost (500): the retry gets NoSuchUpload
// and the store accepts the object after checking its size.
TEST_F(S3StoreTest, MultipartCompleteSurvivesAFailureAfterCompleting) {
  S3Options o = Options();
  o.multipart_threshold = 5ull << 20;
  o.part_size = 5ull << 20;
  auto store = Open(o);
  ASSERT_TRUE(store);
  std::string data = RandomBytes((11ull << 20) + 1, 4);
  std::string path = WriteTempFile("complete-after", data);
  server_->Control(R"({"inject":[{"fault":"after","method":"POST","query":"uploadId"},)"
                   R"({"fault":"reset","method":"PUT","query":"partNumber"},)"
                   R"({"fault":"error500","method":"POST","query":"uploads"}]})");
  Status st = store->Upload("files/big.bin", path);
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(JsonNumber(server_->Control(""), "pendingInjections"), 0);
  auto v = store->Get("files/big.bin");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(*v == data);
}

// A stall longer than request_timeout_ms: the client gives up and retries.
TEST_F(S3StoreTest, StalledRequestTimesOutAndIsRetried) {
  S3Options o = Options();
  o.request_timeout_ms = 500;
  auto store = Open(o);
  ASSERT_TRUE(store);
  server_->Control(R"({"stallMs":3000,"inject":[{"fault":"stall","method":"PUT"}]})");
  auto start = std::chrono::steady_clock::now();
  Status st = store->Put("k", "v");
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_GE(took, std::chrono::milliseconds(400));
  EXPECT_LT(took, std::chrono::milliseconds(2900));
  auto v = store->Get("k");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "v");
}

TEST_F(S3StoreTest, UploadSmallFile) {
  auto store = Open(Options());
  ASSERT_TRUE(store);
  std::string data = RandomBytes(300 * 1024 + 7, 1);
  std::string path = WriteTempFile("small", data);
  ASSERT_TRUE(store->Upload("files/small.parquet", path).ok());
  EXPECT_FALSE(fs::exists(path)) << "Upload removes the local file";
  auto v = store->Get("files/small.parquet");
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(*v == data);
}

TEST_F(S3StoreTest, UploadMultipart) {
  S3Options o = Options();
  o.multipart_threshold = 8ull << 20;
  o.part_size = 5ull << 20;
  auto store = Open(o);
  ASSERT_TRUE(store);
  std::string data = RandomBytes((23ull << 20) + 12345, 2);  // 5 parts: 5+5+5+5+3 MiB
  std::string path = WriteTempFile("multipart", data);
  Status st = store->Upload("files/event_date=2026-11-24/big file.parquet", path);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_FALSE(fs::exists(path));
  auto v = store->Get("files/event_date=2026-11-24/big file.parquet");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->size(), data.size());
  EXPECT_TRUE(*v == data);
  auto list = store->List("files/");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].size, data.size());
  EXPECT_EQ(JsonNumber(server_->Control(""), "uploadsInProgress"), 0);
}

TEST_F(S3StoreTest, UploadOfAMissingFileFails) {
  auto store = Open(Options());
  ASSERT_TRUE(store);
  Status st = store->Upload("files/x", "/nonexistent/laminar-s3-test-file");
  EXPECT_EQ(st.code(), StatusCode::kIOError);
  // An invalid key still removes the local file.
  std::string path = WriteTempFile("badkey", "x");
  EXPECT_EQ(store->Upload("bad//key", path).code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(S3StoreTest, WrongSecretIsDeniedWithAClearMessage) {
  S3Options o = Options();
  o.secret_access_key = "not-the-secret";
  auto store = Open(o);
  ASSERT_TRUE(store);
  Status st = store->Put("x", "data");
  ASSERT_EQ(st.code(), StatusCode::kIOError);
  EXPECT_NE(st.message().find("S3 denied PUT s3://lake/t/WrongSecretIsDeniedWithAClearMessage/x: "
                              "403 SignatureDoesNotMatch: "),
            std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("(check the credentials and the bucket policy)"), std::string::npos);
  auto get = store->Get("x");
  EXPECT_EQ(get.status().code(), StatusCode::kIOError);
  EXPECT_NE(get.status().message().find("S3 denied GET"), std::string::npos);
  auto list = store->List("");
  EXPECT_NE(list.status().message().find("S3 denied LIST"), std::string::npos)
      << list.status().ToString();

  o = Options();
  o.access_key_id = "AKIDUNKNOWN";
  auto other = Open(o);
  Status st2 = other->Put("x", "data");
  EXPECT_NE(st2.message().find("403 InvalidAccessKeyId"), std::string::npos) << st2.message();
}

TEST_F(S3StoreTest, SessionTokenIsSigned) {
  S3Options o = Options();
  o.session_token = "token/with+odd=chars";
  auto store = Open(o);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Put("k", "v").ok());
  auto v = store->Get("k");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, "v");
}

TEST_F(S3StoreTest, VirtualHostedAddressing) {
  // curl resolves every *.localhost name to the loopback address, so "lake.localhost:PORT" reaches
  // the test server, which takes the bucket from the Host header.
  S3Options o = Options();
  o.endpoint = "http://localhost:" + std::to_string(server_->port());
  o.path_style = false;
  auto store = Open(o);
  ASSERT_TRUE(store);
  Status st = store->Put("event_date=2026-11-24/a b", "vhost");
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto v = store->Get("event_date=2026-11-24/a b");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, "vhost");
  auto list = store->List("");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(Keys(*list), (std::vector<std::string>{"event_date=2026-11-24/a b"}));
  // The same object through path-style addressing.
  auto path_style = Open(Options());
  auto again = path_style->Get("event_date=2026-11-24/a b");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, "vhost");
}

TEST_F(S3StoreTest, GetRefusesObjectsAboveTheLimit) {
  S3Options o = Options();
  o.max_object_bytes = 1000;
  auto store = Open(o);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Put("small", std::string(1000, 's')).ok());
  ASSERT_TRUE(store->Put("large", std::string(1001, 'l')).ok());
  EXPECT_TRUE(store->Get("small").ok());
  auto large = store->Get("large");
  EXPECT_EQ(large.status().code(), StatusCode::kResourceExhausted) << large.status().ToString();
}

TEST_F(S3StoreTest, ServerDownFailsAfterBoundedRetries) {
  // A port nobody listens on.
  int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(sock, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(sock);
  S3Options o = Options();
  o.endpoint = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  o.max_retries = 3;
  o.retry_base_ms = 20;
  o.connect_timeout_ms = 500;
  auto store = Open(o);
  ASSERT_TRUE(store);
  auto start = std::chrono::steady_clock::now();
  Status st = store->Put("x", "data");
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(st.code(), StatusCode::kIOError);
  EXPECT_NE(st.message().find("S3 PUT s3://lake/"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("after 4 attempts"), std::string::npos) << st.message();
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_EQ(store->List("").status().code(), StatusCode::kIOError);
}

// A server of its own that fails 30% of the requests: 500, 503 SlowDown, connection resets,
// stalls beyond the client's timeout, and failures after the operation took effect.
TEST_F(S3StoreTest, RetriesMakeFaultsInvisible) {
  S3TestServer faulty;
  std::string err = faulty.Start({"--fail-rate", "0.3", "--seed", "20261124", "--stall-ms", "2500"});
  ASSERT_TRUE(err.empty()) << err;
  S3Options o = Options();
  o.endpoint = faulty.endpoint();
  o.max_retries = 12;
  o.retry_base_ms = 5;
  o.request_timeout_ms = 1000;
  o.multipart_threshold = 6ull << 20;
  o.part_size = 5ull << 20;
  S3TestHooks hooks;
  hooks.list_page_size = 7;
  auto store = Open(o, hooks);
  ASSERT_TRUE(store);

  // 4 threads × 50 steps: put, get, every 5th step a list of the thread's keys, every 4th key
  // deleted again, every 10th written with PutIfAbsent.
  std::mutex mu;
  std::set<std::string> expected;
  std::vector<std::string> errors;
  auto fail = [&](const std::string& what) {
    std::lock_guard<std::mutex> lock(mu);
    errors.push_back(what);
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::set<std::string> mine;
      for (int i = 0; i < 50; ++i) {
        std::string key = "w" + std::to_string(t) + "/event_date=2026-11-24/" + std::to_string(i);
        std::string value = "value " + key;
        Status st = i % 10 == 0 ? store->PutIfAbsent(key, value) : store->Put(key, value);
        if (!st.ok()) {
          fail("put " + key + ": " + st.ToString());
          continue;
        }
        auto got = store->Get(key);
        if (!got.ok() || *got != value) {
          fail("get " + key + ": " + got.status().ToString());
          continue;
        }
        mine.insert(key);
        if (i % 4 == 3) {
          Status d = store->Delete(key);
          if (!d.ok()) fail("delete " + key + ": " + d.ToString());
          mine.erase(key);
        }
        if (i % 5 == 4) {
          auto list = store->List("w" + std::to_string(t) + "/");
          if (!list.ok()) {
            fail("list: " + list.status().ToString());
          } else {
            std::set<std::string> listed;
            for (const auto& e : *list) listed.insert(e.key);
            if (listed != mine) fail("list of thread " + std::to_string(t) + " is not exact");
          }
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      expected.insert(mine.begin(), mine.end());
    });
  }
  // A multipart upload under faults too.
  std::string data = RandomBytes((12ull << 20) + 99, 3);
  std::string path = WriteTempFile("faulty-multipart", data);
  Status up = store->Upload("big/multipart.bin", path);
  for (auto& th : threads) th.join();
  EXPECT_TRUE(up.ok()) << up.ToString();
  EXPECT_FALSE(fs::exists(path));
  for (const auto& e : errors) ADD_FAILURE() << e;

  std::string stats = faulty.Control(R"({"failRate":0})");
  long faults = 0;
  for (const char* k : {"error500", "slowdown503", "reset", "stall", "after"}) {
    long n = JsonNumber(stats, k);
    EXPECT_GT(n, 0) << k << " never injected: " << stats;
    faults += n;
  }
  EXPECT_GT(faults, 50) << stats;

  // With faults off, the final state is exact.
  auto list = store->List("");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  std::set<std::string> listed;
  for (const auto& e : *list) listed.insert(e.key);
  expected.insert("big/multipart.bin");
  EXPECT_EQ(listed, expected);
  auto big = store->Get("big/multipart.bin");
  ASSERT_TRUE(big.ok()) << big.status().ToString();
  EXPECT_TRUE(*big == data);
}

// ---------------------------------------------------------------------------------------------
// Server-side encryption. The hook records every attempt as sent; the test server checks each
// signature with AWS's signing library and refuses unsigned x-amz-* headers, so a request that
// succeeds here had its SSE headers signed correctly.

constexpr const char* kKmsKeyArn =
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

// Collects what the store sends (from any thread).
class SentLog {
 public:
  S3TestHooks Hooks() {
    S3TestHooks h;
    h.on_request = [this](const S3SentRequest& r) {
      std::lock_guard<std::mutex> lock(mu_);
      sent_.push_back(r);
    };
    return h;
  }
  std::vector<S3SentRequest> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::exchange(sent_, {});
  }

 private:
  std::mutex mu_;
  std::vector<S3SentRequest> sent_;
};

std::vector<std::string> HeaderNames(const S3SentRequest& r) {
  std::vector<std::string> out;
  for (const auto& [k, v] : r.headers) out.push_back(k);
  return out;
}

// The values of header `name` ("" entries are values that are empty).
std::vector<std::string> HeaderValues(const S3SentRequest& r, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : r.headers) {
    if (k == name) out.push_back(v);
  }
  return out;
}

// "host;x-amz-date;..." from the Authorization header.
std::string SignedHeaders(const S3SentRequest& r) {
  auto auth = HeaderValues(r, "authorization");
  if (auth.size() != 1) return "<" + std::to_string(auth.size()) + " Authorization headers>";
  size_t at = auth[0].find("SignedHeaders=");
  if (at == std::string::npos) return "<no SignedHeaders>";
  at += 14;
  return auth[0].substr(at, auth[0].find(',', at) - at);
}

bool HasSseHeader(const S3SentRequest& r) {
  for (const auto& [k, v] : r.headers) {
    if (k.rfind("x-amz-server-side-encryption", 0) == 0) return true;
  }
  return false;
}

// Whether the request creates an object (and so must carry the SSE headers): PutObject, plain or
// conditional, and CreateMultipartUpload. UploadPart is a PUT too, told apart by its query.
bool CreatesObject(const S3SentRequest& r) {
  bool part = r.target.find("partNumber=") != std::string::npos;
  bool create_multipart = r.method == "POST" && r.target.find("?uploads=") != std::string::npos;
  return (r.method == "PUT" && !part) || create_multipart;
}

std::string Describe(const S3SentRequest& r) {
  std::string s = r.op + " " + r.method + " " + r.target;
  for (const auto& [k, v] : r.headers) s += "\n  " + k + ": " + v;
  return s;
}

TEST_F(S3StoreTest, SseKmsHeadersOnEveryRequestThatCreatesAnObject) {
  S3Options o = Options();
  o.sse = "aws:kms";
  o.sse_kms_key_id = kKmsKeyArn;
  o.multipart_threshold = 5ull << 20;
  o.part_size = 5ull << 20;
  SentLog log;
  auto store = Open(o, log.Hooks());
  ASSERT_TRUE(store);
  // A failed first attempt of a PUT and of CreateMultipartUpload: the retries are signed anew
  // and must carry the headers too.
  server_->Control(R"({"inject":[{"fault":"error500","method":"PUT","key":"SseKms"},)"
                   R"({"fault":"error500","method":"POST","query":"uploads"}]})");

  ASSERT_TRUE(store->Put("views/v1/data.bin", "view bytes").ok());
  ASSERT_TRUE(store->PutIfAbsent("manifest/00000001.json", "{}").ok());
  std::string small = RandomBytes(200 * 1024, 5);
  ASSERT_TRUE(store->Upload("files/small.parquet", WriteTempFile("sse-small", small)).ok());
  std::string big = RandomBytes((11ull << 20) + 3, 6);  // 3 parts: 5 + 5 + 1 MiB
  Status up = store->Upload("files/big.parquet", WriteTempFile("sse-big", big));
  ASSERT_TRUE(up.ok()) << up.ToString();
  EXPECT_EQ(JsonNumber(server_->Control(""), "pendingInjections"), 0);
  // Reads, listings and deletes need nothing: S3 decrypts by itself.
  auto got = store->Get("files/big.parquet");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == big);
  ASSERT_TRUE(store->List("").ok());
  ASSERT_TRUE(store->Delete("files/small.parquet").ok());

  std::vector<S3SentRequest> sent = log.Take();
  std::vector<std::string> ops;
  for (const auto& r : sent) ops.push_back(r.op);
  EXPECT_EQ(ops, (std::vector<std::string>{
                     "PUT", "PUT", "PUT (If-None-Match)", "PUT", "CreateMultipartUpload",
                     "CreateMultipartUpload", "UploadPart 1", "UploadPart 2", "UploadPart 3",
                     "CompleteMultipartUpload", "GET", "LIST", "DELETE"}));

  const std::string base = "host;x-amz-content-sha256;x-amz-date;";
  const std::string sse = "x-amz-server-side-encryption;x-amz-server-side-encryption-aws-kms-key-id";
  for (const auto& r : sent) {
    SCOPED_TRACE(Describe(r));
    if (r.op == "PUT") {
      EXPECT_EQ(HeaderNames(r), (std::vector<std::string>{
                                    "host", "x-amz-content-sha256", "x-amz-date",
                                    "x-amz-server-side-encryption",
                                    "x-amz-server-side-encryption-aws-kms-key-id",
                                    "authorization"}));
      EXPECT_EQ(SignedHeaders(r), base + sse);
    } else if (r.op == "PUT (If-None-Match)") {
      EXPECT_EQ(HeaderNames(r), (std::vector<std::string>{
                                    "host", "x-amz-content-sha256", "x-amz-date",
                                    "x-amz-server-side-encryption",
                                    "x-amz-server-side-encryption-aws-kms-key-id",
                                    "if-none-match", "authorization"}));
      EXPECT_EQ(SignedHeaders(r), "host;if-none-match;x-amz-content-sha256;x-amz-date;" + sse);
    } else if (r.op == "CreateMultipartUpload") {
      EXPECT_EQ(HeaderNames(r), (std::vector<std::string>{
                                    "host", "x-amz-content-sha256", "x-amz-date",
                                    "x-amz-server-side-encryption",
                                    "x-amz-server-side-encryption-aws-kms-key-id",
                                    "authorization", "content-type"}));
      EXPECT_EQ(SignedHeaders(r), base + sse);
    } else {
      // UploadPart, CompleteMultipartUpload (S3 refuses SSE-S3/KMS headers there), GET, LIST,
      // DELETE.
      EXPECT_FALSE(HasSseHeader(r));
      EXPECT_EQ(SignedHeaders(r), "host;x-amz-content-sha256;x-amz-date");
    }
    EXPECT_EQ(CreatesObject(r), HasSseHeader(r));
    if (HasSseHeader(r)) {
      EXPECT_EQ(HeaderValues(r, "x-amz-server-side-encryption"),
                (std::vector<std::string>{"aws:kms"}));
      EXPECT_EQ(HeaderValues(r, "x-amz-server-side-encryption-aws-kms-key-id"),
                (std::vector<std::string>{kKmsKeyArn}));
    }
  }
}

TEST_F(S3StoreTest, SseKmsWithoutAKeyIdLeavesTheKeyToS3) {
  S3Options o = Options();
  o.sse = "aws:kms";
  SentLog log;
  auto store = Open(o, log.Hooks());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Put("k", "v").ok());
  std::vector<S3SentRequest> sent = log.Take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(HeaderValues(sent[0], "x-amz-server-side-encryption"),
            (std::vector<std::string>{"aws:kms"}));
  EXPECT_TRUE(HeaderValues(sent[0], "x-amz-server-side-encryption-aws-kms-key-id").empty());
  EXPECT_EQ(SignedHeaders(sent[0]),
            "host;x-amz-content-sha256;x-amz-date;x-amz-server-side-encryption");
}

TEST_F(S3StoreTest, SseS3HeadersOnPutAndMultipart) {
  S3Options o = Options();
  o.sse = "AES256";
  o.multipart_threshold = 5ull << 20;
  o.part_size = 5ull << 20;
  SentLog log;
  auto store = Open(o, log.Hooks());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Put("a", "alpha").ok());
  ASSERT_TRUE(store->PutIfAbsent("b", "beta").ok());
  std::string big = RandomBytes((6ull << 20) + 1, 7);  // 2 parts
  Status up = store->Upload("big", WriteTempFile("sse-s3-big", big));
  ASSERT_TRUE(up.ok()) << up.ToString();
  auto got = store->Get("a");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "alpha");

  std::vector<S3SentRequest> sent = log.Take();
  ASSERT_EQ(sent.size(), 7u);  // PUT, PUT (If-None-Match), Create, 2 parts, Complete, GET
  for (const auto& r : sent) {
    SCOPED_TRACE(Describe(r));
    EXPECT_TRUE(HeaderValues(r, "x-amz-server-side-encryption-aws-kms-key-id").empty());
    if (CreatesObject(r)) {
      EXPECT_EQ(HeaderValues(r, "x-amz-server-side-encryption"),
                (std::vector<std::string>{"AES256"}));
      EXPECT_NE(SignedHeaders(r).find(";x-amz-server-side-encryption"), std::string::npos);
    } else {
      EXPECT_FALSE(HasSseHeader(r));
    }
  }
}

TEST_F(S3StoreTest, NoSseHeadersByDefault) {
  SentLog log;
  auto store = Open(Options(), log.Hooks());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Put("a", "alpha").ok());
  ASSERT_TRUE(store->PutIfAbsent("b", "beta").ok());
  std::vector<S3SentRequest> sent = log.Take();
  ASSERT_EQ(sent.size(), 2u);
  for (const auto& r : sent) EXPECT_FALSE(HasSseHeader(r)) << Describe(r);
}

TEST_F(S3StoreTest, DeniedWithSseKmsPointsAtTheKeyPolicy) {
  S3Options o = Options();
  o.sse = "aws:kms";
  o.secret_access_key = "not-the-secret";
  auto store = Open(o);
  ASSERT_TRUE(store);
  Status st = store->Put("x", "data");
  EXPECT_NE(st.message().find("(check the credentials, the bucket policy and the KMS key policy)"),
            std::string::npos)
      << st.message();
}

TEST(S3OptionsTest, ParseS3Url) {
  S3Options o;
  ASSERT_TRUE(ParseS3Url("s3://my-bucket/lake/prod/", &o).ok());
  EXPECT_EQ(o.bucket, "my-bucket");
  EXPECT_EQ(o.prefix, "lake/prod");
  ASSERT_TRUE(ParseS3Url("s3://my.bucket", &o).ok());
  EXPECT_EQ(o.bucket, "my.bucket");
  EXPECT_EQ(o.prefix, "");
  EXPECT_EQ(ParseS3Url("http://b/p", &o).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseS3Url("s3:///p", &o).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseS3Url("s3://Bad_Bucket!/p", &o).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseS3Url("s3://bucket/a//b", &o).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseS3Url("s3://bucket/a/../b", &o).code(), StatusCode::kInvalidArgument);
}

TEST(S3OptionsTest, ApplyAwsEnvironment) {
  ::setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "secretenv", 1);
  ::setenv("AWS_SESSION_TOKEN", "tokenenv", 1);
  ::setenv("AWS_REGION", "eu-west-1", 1);
  ::setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9", 1);
  S3Options o;
  ApplyAwsEnvironment(&o);
  EXPECT_EQ(o.access_key_id, "AKIDENV");
  EXPECT_EQ(o.secret_access_key, "secretenv");
  EXPECT_EQ(o.session_token, "tokenenv");
  EXPECT_EQ(o.region, "eu-west-1");
  EXPECT_EQ(o.endpoint, "http://127.0.0.1:9");

  S3Options mine;
  mine.access_key_id = "AKIDMINE";
  mine.secret_access_key = "secretmine";
  mine.region = "ap-south-1";
  mine.endpoint = "https://example.com";
  ApplyAwsEnvironment(&mine);
  EXPECT_EQ(mine.access_key_id, "AKIDMINE");
  EXPECT_EQ(mine.session_token, "");  // a token only comes with the environment's keys
  EXPECT_EQ(mine.region, "ap-south-1");
  EXPECT_EQ(mine.endpoint, "https://example.com");
  for (const char* v : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                        "AWS_REGION", "AWS_ENDPOINT_URL_S3"}) {
    ::unsetenv(v);
  }
}

TEST(S3OptionsTest, OpenS3RejectsOptionsThatCannotWork) {
  S3Options o;
  o.bucket = "lake";
  o.access_key_id = "a";
  o.secret_access_key = "b";
  EXPECT_TRUE(OpenS3(o).ok());
  S3Options no_bucket = o;
  no_bucket.bucket = "";
  EXPECT_EQ(OpenS3(no_bucket).status().code(), StatusCode::kInvalidArgument);
  S3Options no_creds = o;
  no_creds.secret_access_key = "";
  EXPECT_EQ(OpenS3(no_creds).status().code(), StatusCode::kInvalidArgument);
  S3Options small_parts = o;
  small_parts.part_size = 1 << 20;
  EXPECT_EQ(OpenS3(small_parts).status().code(), StatusCode::kInvalidArgument);
  S3Options bad_endpoint = o;
  bad_endpoint.endpoint = "ftp://x";
  EXPECT_EQ(OpenS3(bad_endpoint).status().code(), StatusCode::kInvalidArgument);
  auto ok = OpenS3(o);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)->url(), "s3://lake");
}

TEST(S3OptionsTest, OpenS3ChecksTheEncryptionOptions) {
  S3Options o;
  o.bucket = "lake";
  o.access_key_id = "a";
  o.secret_access_key = "b";
  auto open = [&](const std::string& sse, const std::string& key_id) {
    S3Options x = o;
    x.sse = sse;
    x.sse_kms_key_id = key_id;
    return OpenS3(x).status();
  };
  EXPECT_TRUE(open("", "").ok());
  EXPECT_TRUE(open("AES256", "").ok());
  EXPECT_TRUE(open("aws:kms", "").ok());
  for (const char* id : {"1234abcd-12ab-34cd-56ef-1234567890ab", kKmsKeyArn, "alias/laminar-lake",
                         "arn:aws:kms:eu-west-1:111122223333:alias/laminar-lake"}) {
    EXPECT_TRUE(open("aws:kms", id).ok()) << id;
  }

  // Anything else names the value and what would do. S3 compares case-sensitively.
  for (const char* bad : {"aes256", "AWS:KMS", "kms", "SSE-C", "aws:kms:dsse", " AES256"}) {
    Status st = open(bad, "");
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(st.message().find(std::string("sse \"") + bad + "\" is not supported"),
              std::string::npos)
        << st.message();
    EXPECT_NE(st.message().find("\"AES256\""), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("\"aws:kms\""), std::string::npos) << st.message();
  }

  // A key id only goes with aws:kms.
  for (const char* sse : {"", "AES256"}) {
    Status st = open(sse, "alias/laminar-lake");
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << sse;
    EXPECT_NE(st.message().find("sse_kms_key_id \"alias/laminar-lake\" needs sse \"aws:kms\""),
              std::string::npos)
        << st.message();
  }
  // It becomes a header value: no spaces or control characters.
  for (const char* bad : {"alias/a b", "key\r\nx-amz-acl: public-read", "alias/caf\xC3\xA9"}) {
    Status st = open("aws:kms", bad);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(st.message().find("sse_kms_key_id"), std::string::npos) << st.message();
  }
}

}  // namespace
}  // namespace laminar::objstore
