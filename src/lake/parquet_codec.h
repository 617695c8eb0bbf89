// Page compression codecs of the Parquet format (CompressionCodec in parquet.thrift).
//
// Decompression is bounded: the caller passes the size the page header declares, the output is
// exactly that many bytes or the call fails, and no codec is allowed to write (or allocate) more.
// Before allocating, the declared size is checked against what the compressed bytes can possibly
// expand to (each codec's maximum ratio, or the size the compressed stream itself records), so a
// small page that lies about a huge size is rejected without the allocation.
//
// Thread safety: the functions may be called from several threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace laminar::lake {

// Name of a codec as the format spells it ("ZSTD"), or "codec N" for an unknown number.
std::string CodecName(int32_t codec);

// True for the codecs DecompressPage() understands: UNCOMPRESSED, SNAPPY, GZIP, LZ4 (Hadoop
// framing, LZ4 frame or a raw block), ZSTD and LZ4_RAW.
bool CodecSupported(int32_t codec);

// Decompresses [src, src + src_size) with `codec` into *out, which is resized to exactly
// `uncompressed_size` bytes (the caller bounds that size). Corruption (a message without file
// context) when the data is malformed, expands to another size, or cannot expand to the declared
// size; Unimplemented for LZO, BROTLI and unknown codecs.
Status DecompressPage(int32_t codec, const uint8_t* src, size_t src_size, size_t uncompressed_size,
                      std::string* out);

}  // namespace laminar::lake
