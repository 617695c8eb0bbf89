#include <gtest/gtest.h>

#include <filesystem>

#include "common/file_util.h"
#include "objstore/encrypted_store.h"

namespace laminar::objstore {
namespace {

class EncryptedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/laminar_encrypted_store_XXXXXX";
    ASSERT_NE(nullptr, mkdtemp(tmpl));
    dir_ = tmpl;
    auto local = OpenLocal(dir_);
    ASSERT_TRUE(local.ok());
    plain_ = std::move(local).value();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::unique_ptr<ObjectStore> With(std::string key) {
    auto s = WrapEncrypted(plain_, std::move(key));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(s).value();
  }

  std::string dir_;
  std::shared_ptr<ObjectStore> plain_;
  const std::string key_ = std::string(32, 'k');
};

TEST_F(EncryptedStoreTest, RoundTripAndCiphertextOnDisk) {
  auto store = With(key_);
  std::string secret = "PAR1 the quick brown fox " + std::string(100000, 'x');
  ASSERT_TRUE(store->Put("s/a.parquet", secret).ok());
  ASSERT_TRUE(store->PutIfAbsent("s/m.json", "{\"manifest\": 1}").ok());
  EXPECT_EQ(StatusCode::kAlreadyExists, store->PutIfAbsent("s/m.json", "{}").code());
  auto raw = ReadFile(plain_->LocalPath("s/a.parquet"));
  ASSERT_TRUE(raw.ok());
  EXPECT_TRUE(LooksEncrypted(*raw));
  EXPECT_EQ(raw->size(), secret.size() + 33);
  EXPECT_EQ(raw->find("quick brown fox"), std::string::npos);
  EXPECT_EQ(secret, store->Get("s/a.parquet").value());
  EXPECT_EQ("{\"manifest\": 1}", store->Get("s/m.json").value());
  // Two writes of the same bytes differ (random nonces).
  ASSERT_TRUE(store->Put("s/b.parquet", secret).ok());
  EXPECT_NE(ReadFile(plain_->LocalPath("s/b.parquet")).value(), *raw);
  // Upload consumes the local file.
  std::string local = dir_ + "/upload.tmp";
  ASSERT_TRUE(WriteFileAtomic(local, "uploaded bytes").ok());
  ASSERT_TRUE(store->Upload("s/c.parquet", local).ok());
  EXPECT_FALSE(std::filesystem::exists(local));
  EXPECT_EQ("uploaded bytes", store->Get("s/c.parquet").value());
  EXPECT_TRUE(LooksEncrypted(ReadFile(plain_->LocalPath("s/c.parquet")).value()));
  auto list = store->List("s/");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(4u, list->size());
}

TEST_F(EncryptedStoreTest, WrongKeyNoKeyMovedObjectAndDamage) {
  ASSERT_TRUE(With(key_)->Put("v/1", "version one").ok());
  auto wrong = With(std::string(32, 'w'))->Get("v/1");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(StatusCode::kCorruption, wrong.status().code());
  EXPECT_NE(wrong.status().message().find("v/1"), std::string::npos);
  auto none = With("")->Get("v/1");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("no [encryption] key is configured"), std::string::npos) << none.status().message();
  // An object copied under another key does not decrypt (the key is authenticated).
  ASSERT_TRUE(plain_->Put("v/2", plain_->Get("v/1").value()).ok());
  EXPECT_EQ(StatusCode::kCorruption, With(key_)->Get("v/2").status().code());
  // One flipped byte.
  std::string damaged = plain_->Get("v/1").value();
  damaged[20] ^= 1;
  ASSERT_TRUE(plain_->Put("v/3", damaged).ok());
  ASSERT_TRUE(plain_->Put("v/1", damaged).ok());
  EXPECT_EQ(StatusCode::kCorruption, With(key_)->Get("v/1").status().code());
  EXPECT_EQ(StatusCode::kCorruption, With(key_)->Get("v/3").status().code());
  // Truncated.
  ASSERT_TRUE(plain_->Put("v/4", std::string("LMRE\x01", 5) + "short").ok());
  EXPECT_EQ(StatusCode::kCorruption, With(key_)->Get("v/4").status().code());
}

TEST_F(EncryptedStoreTest, PlainObjectsReadAsTheyAreAndKeyLength) {
  ASSERT_TRUE(plain_->Put("old/a", "written before encryption").ok());
  EXPECT_EQ("written before encryption", With(key_)->Get("old/a").value());
  ASSERT_TRUE(With("")->Put("old/b", "no key: plain").ok());
  EXPECT_EQ("no key: plain", plain_->Get("old/b").value());
  auto bad = WrapEncrypted(plain_, "short");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(StatusCode::kInvalidArgument, bad.status().code());
  EXPECT_EQ(bad.status().message().find("short"), std::string::npos);  // never echoes a key
}

}  // namespace
}  // namespace laminar::objstore
