// EncryptedStore: an ObjectStore that encrypts every object it writes with AES-256-GCM under a
// key of the server's config, and decrypts what it reads — the lake's Parquet files and
// manifests and the batch view versions at rest ([encryption] key, docs/security.md).
//
// An object it writes is "LMRE" 0x01, a 12-byte random nonce, the ciphertext and the 16-byte tag;
// the object's key is the additional authenticated data, so an object copied under another key
// does not decrypt. Objects without that prefix (written before encryption was turned on) are
// read as they are: a store can hold both. Without a key (`key` empty) nothing is encrypted, and
// reading an encrypted object fails with InvalidArgument saying the store is encrypted and no
// key is configured; with the wrong key (or a damaged object) Corruption naming the object.
// List reports the sizes as stored (an encrypted object is 33 bytes longer). Upload reads the local file whole to encrypt it.
//
// Encrypted files cannot be read in place by other tools (DuckDB): LocalPath still names the
// file, which holds ciphertext.
//
// Thread safety: as the inner store (no state of its own besides the key).
#pragma once

#include <memory>
#include <string>

#include "objstore/object_store.h"

namespace laminar::objstore {

inline constexpr size_t kEncryptionKeyBytes = 32;

// `key`: 32 raw bytes, or empty for a store that only refuses to read encrypted objects.
// InvalidArgument for a key of another length.
Result<std::unique_ptr<ObjectStore>> WrapEncrypted(std::shared_ptr<ObjectStore> inner, std::string key);

// True when `data` starts like an object EncryptedStore wrote.
bool LooksEncrypted(std::string_view data);

}  // namespace laminar::objstore
