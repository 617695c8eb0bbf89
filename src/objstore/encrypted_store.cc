#include "objstore/encrypted_store.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "common/file_util.h"

namespace laminar::objstore {
namespace {

constexpr std::string_view kMagic("LMRE\x01", 5);
constexpr size_t kNonceBytes = 12, kTagBytes = 16, kOverhead = 5 + kNonceBytes + kTagBytes;

using Ctx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

class EncryptedStore : public ObjectStore {
 public:
  EncryptedStore(std::shared_ptr<ObjectStore> inner, std::string key) : inner_(std::move(inner)), key_(std::move(key)) {}

  std::string url() const override { return inner_->url(); }
  Status Put(const std::string& key, std::string_view data) override {
    ASSIGN_OR_RETURN(std::string sealed, Seal(key, data));
    return inner_->Put(key, sealed);
  }
  Status PutIfAbsent(const std::string& key, std::string_view data) override {
    ASSIGN_OR_RETURN(std::string sealed, Seal(key, data));
    return inner_->PutIfAbsent(key, sealed);
  }
  Status Upload(const std::string& key, const std::string& local_path) override {
    if (key_.empty()) return inner_->Upload(key, local_path);
    auto data = ReadFile(local_path);
    if (!data.ok()) {
      RemoveFile(local_path).IgnoreError();
      return data.status();
    }
    Status st = Put(key, *data);
    RemoveFile(local_path).IgnoreError();  // Upload consumes the file, also on error
    return st;
  }
  Result<std::string> Get(const std::string& key) const override {
    ASSIGN_OR_RETURN(std::string data, inner_->Get(key));
    if (!LooksEncrypted(data)) return data;
    return Open(key, data);
  }
  Result<std::vector<ObjectInfo>> List(const std::string& prefix) const override { return inner_->List(prefix); }
  Status Delete(const std::string& key) override { return inner_->Delete(key); }
  std::string LocalPath(const std::string& key) const override { return inner_->LocalPath(key); }

 private:
  Result<std::string> Seal(const std::string& key, std::string_view data) const {
    if (key_.empty()) return std::string(data);
    std::string out(kMagic);
    unsigned char nonce[kNonceBytes];
    if (RAND_bytes(nonce, sizeof nonce) != 1) return Internal("encryption: no random source");
    out.append(reinterpret_cast<const char*>(nonce), sizeof nonce);
    Ctx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    size_t at = out.size();
    out.resize(at + data.size() + kTagBytes);
    int len = 0, fin = 0;
    auto* dst = reinterpret_cast<unsigned char*>(out.data() + at);
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Key(), nonce) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(key.data()), int(key.size())) != 1)
      return Internal("encryption of {}: cipher setup failed", key);
    // EVP takes int lengths: encrypt in pieces of at most 1 GiB.
    size_t done = 0;
    while (done < data.size()) {
      size_t n = std::min<size_t>(data.size() - done, size_t(1) << 30);
      if (EVP_EncryptUpdate(ctx.get(), dst + done, &len, reinterpret_cast<const unsigned char*>(data.data() + done), int(n)) != 1)
        return Internal("encryption of {} failed", key);
      done += size_t(len);
    }
    if (EVP_EncryptFinal_ex(ctx.get(), dst + done, &fin) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, dst + done) != 1)
      return Internal("encryption of {} failed", key);
    return out;
  }

  Result<std::string> Open(const std::string& key, std::string_view sealed) const {
    if (key_.empty())
      return InvalidArgument("object {} is encrypted and no [encryption] key is configured: start the server with "
                             "the key it was written with", key);
    if (sealed.size() < kOverhead) return Corruption("encrypted object {} is truncated", key);
    const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data() + kMagic.size());
    std::string_view body = sealed.substr(kMagic.size() + kNonceBytes, sealed.size() - kOverhead);
    std::string tag(sealed.substr(sealed.size() - kTagBytes));
    std::string out(body.size(), '\0');
    Ctx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    int len = 0;
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Key(), nonce) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(key.data()), int(key.size())) != 1)
      return Internal("decryption of {}: cipher setup failed", key);
    size_t done = 0;
    while (done < body.size()) {
      size_t n = std::min<size_t>(body.size() - done, size_t(1) << 30);
      if (EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data() + done), &len,
                            reinterpret_cast<const unsigned char*>(body.data() + done), int(n)) != 1)
        return Corruption("object {} does not decrypt", key);
      done += size_t(len);
    }
    int fin = 0;
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data() + done), &fin) != 1)
      return Corruption("object {} does not decrypt: the [encryption] key is not the one it was written with, or the "
                        "object is damaged", key);
    return out;
  }

  const unsigned char* Key() const { return reinterpret_cast<const unsigned char*>(key_.data()); }

  std::shared_ptr<ObjectStore> inner_;
  std::string key_;
};

}  // namespace

bool LooksEncrypted(std::string_view data) { return data.substr(0, kMagic.size()) == kMagic; }

Result<std::unique_ptr<ObjectStore>> WrapEncrypted(std::shared_ptr<ObjectStore> inner, std::string key) {
  if (!key.empty() && key.size() != kEncryptionKeyBytes)
    return InvalidArgument("the encryption key must be {} bytes (base64 of 32 random bytes: openssl rand -base64 32), "
                           "not {}", kEncryptionKeyBytes, key.size());
  return std::unique_ptr<ObjectStore>(new EncryptedStore(std::move(inner), std::move(key)));
}

}  // namespace laminar::objstore
