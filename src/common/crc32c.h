// CRC-32C (Castagnoli), the checksum on every log record: the CPU's crc32 instruction where it
// has one (SSE 4.2, chosen once at start), else table driven (slicing-by-8).
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>

namespace laminar::crc32c {

// Returns the CRC-32C of data[0..n) extending `init` (the crc of the bytes before them).
uint32_t Extend(uint32_t init, const void* data, size_t n);
inline uint32_t Value(const void* data, size_t n) { return Extend(0, data, n); }

namespace internal {
// The table-driven form, whatever the CPU (tests compare the two).
uint32_t ExtendPortable(uint32_t init, const void* data, size_t n);
}  // namespace internal

// Masked form stored on disk (as leveldb does), so that a CRC of data that itself holds CRCs
// does not degenerate.
inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }
inline uint32_t Unmask(uint32_t m) {
  uint32_t rot = m - 0xa282ead8u;
  return (rot >> 17) | (rot << 15);
}

}  // namespace laminar::crc32c
