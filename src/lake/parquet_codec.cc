#include "lake/parquet_codec.h"

#include <lz4.h>
#include <lz4frame.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <limits>
#include <memory>

namespace laminar::lake {
namespace {

// CompressionCodec values (parquet.thrift).
enum : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4 = 5,
  kZstd = 6,
  kLz4Raw = 7,
};

// The most a codec can expand its input (plus a constant for headers): deflate ≈ 1032:1,
// an LZ4 block ≈ 255:1, a ZSTD frame without a recorded size 32768:1 (a 4-byte RLE block
// holds 128 KiB).
bool CanExpandTo(size_t src_size, size_t dst_size, uint64_t ratio) {
  return dst_size <= static_cast<uint64_t>(src_size) * ratio + 4096;
}

uint32_t BE32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | uint32_t{p[3]};
}

Status Gzip(const uint8_t* src, size_t n, size_t usize, std::string* out) {
  if (!CanExpandTo(n, usize, 1100))
    return Corruption("GZIP page of {} bytes cannot expand to {} bytes", n, usize);
  out->resize(usize);
  z_stream z;
  std::memset(&z, 0, sizeof z);
  if (inflateInit2(&z, 15 + 32) != Z_OK) return Corruption("GZIP: inflateInit failed");
  // zlib counts in uInt; pages are far below 4 GiB (the caller bounds them).
  z.next_in = const_cast<Bytef*>(src);
  z.avail_in = static_cast<uInt>(std::min<size_t>(n, std::numeric_limits<uInt>::max()));
  z.next_out = reinterpret_cast<Bytef*>(out->data());
  z.avail_out = static_cast<uInt>(usize);
  Status st;
  for (;;) {
    int rc = inflate(&z, Z_FINISH);
    if (rc == Z_STREAM_END) {
      // Concatenated gzip members are one stream.
      if (z.avail_in > 0 && z.avail_out > 0 && inflateReset(&z) == Z_OK) continue;
      break;
    }
    if (rc == Z_BUF_ERROR && z.avail_out == 0) {
      st = Corruption("GZIP page expands beyond its declared {} bytes", usize);
    } else {
      st = Corruption("GZIP page is damaged ({})", z.msg ? z.msg : std::to_string(rc));
    }
    break;
  }
  size_t produced = usize - z.avail_out;
  inflateEnd(&z);
  if (!st.ok()) return st;
  if (produced != usize)
    return Corruption("GZIP page expands to {} bytes, not the declared {}", produced, usize);
  return Status::OK();
}

Status Snappy(const uint8_t* src, size_t n, size_t usize, std::string* out) {
  size_t len = 0;
  const char* s = reinterpret_cast<const char*>(src);
  if (!snappy::GetUncompressedLength(s, n, &len)) return Corruption("SNAPPY page is damaged");
  if (len != usize)
    return Corruption("SNAPPY page expands to {} bytes, not the declared {}", len, usize);
  out->resize(usize);
  if (!snappy::RawUncompress(s, n, out->data())) return Corruption("SNAPPY page is damaged");
  return Status::OK();
}

struct ZstdDctxFree {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

Status Zstd(const uint8_t* src, size_t n, size_t usize, std::string* out) {
  // The first frame's recorded size (a page is normally one frame).
  unsigned long long declared = ZSTD_getFrameContentSize(src, n);
  if (declared == ZSTD_CONTENTSIZE_ERROR) return Corruption("ZSTD page is not a ZSTD frame");
  const bool one_frame = ZSTD_findFrameCompressedSize(src, n) == n;
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN &&
      (declared > usize || (one_frame && declared != usize)))
    return Corruption("ZSTD page expands to {} bytes, not the declared {}", declared, usize);
  if ((declared == ZSTD_CONTENTSIZE_UNKNOWN || !one_frame) && !CanExpandTo(n, usize, 32768))
    return Corruption("ZSTD page of {} bytes cannot expand to {} bytes", n, usize);
  thread_local std::unique_ptr<ZSTD_DCtx, ZstdDctxFree> dctx(ZSTD_createDCtx());
  if (!dctx) return ResourceExhausted("ZSTD: cannot create a decompression context");
  out->resize(usize);
  size_t got = ZSTD_decompressDCtx(dctx.get(), out->data(), usize, src, n);
  if (ZSTD_isError(got)) return Corruption("ZSTD page is damaged: {}", ZSTD_getErrorName(got));
  if (got != usize)
    return Corruption("ZSTD page expands to {} bytes, not the declared {}", got, usize);
  return Status::OK();
}

Status Lz4Block(const uint8_t* src, size_t n, size_t usize, std::string* out) {
  if (!CanExpandTo(n, usize, 255) || n > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      usize > static_cast<size_t>(std::numeric_limits<int>::max()))
    return Corruption("LZ4 page of {} bytes cannot expand to {} bytes", n, usize);
  out->resize(usize);
  int got = LZ4_decompress_safe(reinterpret_cast<const char*>(src), out->data(),
                                static_cast<int>(n), static_cast<int>(usize));
  if (got < 0) return Corruption("LZ4 block is damaged");
  if (static_cast<size_t>(got) != usize)
    return Corruption("LZ4 block expands to {} bytes, not the declared {}", got, usize);
  return Status::OK();
}

// Hadoop's framing (what parquet-mr writes for LZ4): blocks of [u32 BE raw size][u32 BE
// compressed size][LZ4 block]. Returns false (without an error) when the data is not framed so.
bool Lz4Hadoop(const uint8_t* src, size_t n, size_t usize, std::string* out) {
  size_t pos = 0, produced = 0;
  // Validate the framing before touching the output.
  while (pos < n) {
    if (n - pos < 8) return false;
    uint32_t raw = BE32(src + pos), comp = BE32(src + pos + 4);
    if (comp > n - pos - 8 || raw > usize - produced || comp == 0) return false;
    pos += 8 + comp;
    produced += raw;
  }
  if (produced != usize || n == 0) return false;
  out->resize(usize);
  pos = 0;
  produced = 0;
  while (pos < n) {
    uint32_t raw = BE32(src + pos), comp = BE32(src + pos + 4);
    int got = LZ4_decompress_safe(reinterpret_cast<const char*>(src + pos + 8),
                                  out->data() + produced, static_cast<int>(comp),
                                  static_cast<int>(raw));
    if (got < 0 || static_cast<uint32_t>(got) != raw) return false;
    pos += 8 + comp;
    produced += raw;
  }
  return true;
}

Status Lz4Frame(const uint8_t* src, size_t n, size_t usize, std::string* out) {
  LZ4F_dctx* ctx = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&ctx, LZ4F_VERSION)))
    return ResourceExhausted("LZ4: cannot create a decompression context");
  out->resize(usize);
  size_t in_pos = 0, out_pos = 0;
  Status st;
  for (;;) {
    size_t dst_size = usize - out_pos, src_size = n - in_pos;
    size_t hint = LZ4F_decompress(ctx, out->data() + out_pos, &dst_size, src + in_pos, &src_size,
                                  nullptr);
    if (LZ4F_isError(hint)) {
      st = Corruption("LZ4 frame is damaged: {}", LZ4F_getErrorName(hint));
      break;
    }
    in_pos += src_size;
    out_pos += dst_size;
    if (hint == 0) break;  // frame complete
    if (in_pos >= n || (out_pos == usize && dst_size == 0 && src_size == 0)) {
      st = Corruption("LZ4 frame is truncated or expands beyond its declared {} bytes", usize);
      break;
    }
  }
  LZ4F_freeDecompressionContext(ctx);
  if (st.ok() && out_pos != usize)
    st = Corruption("LZ4 frame expands to {} bytes, not the declared {}", out_pos, usize);
  return st;
}

}  // namespace

std::string CodecName(int32_t codec) {
  switch (codec) {
    case kUncompressed: return "UNCOMPRESSED";
    case kSnappy: return "SNAPPY";
    case kGzip: return "GZIP";
    case kLzo: return "LZO";
    case kBrotli: return "BROTLI";
    case kLz4: return "LZ4";
    case kZstd: return "ZSTD";
    case kLz4Raw: return "LZ4_RAW";
    default: return "codec " + std::to_string(codec);
  }
}

bool CodecSupported(int32_t codec) {
  return codec == kUncompressed || codec == kSnappy || codec == kGzip || codec == kLz4 ||
         codec == kZstd || codec == kLz4Raw;
}

Status DecompressPage(int32_t codec, const uint8_t* src, size_t src_size, size_t uncompressed_size,
                      std::string* out) {
  switch (codec) {
    case kUncompressed:
      if (src_size != uncompressed_size)
        return Corruption("uncompressed page of {} bytes declares {} bytes", src_size,
                          uncompressed_size);
      out->assign(reinterpret_cast<const char*>(src), src_size);
      return Status::OK();
    case kSnappy: return Snappy(src, src_size, uncompressed_size, out);
    case kGzip: return Gzip(src, src_size, uncompressed_size, out);
    case kZstd: return Zstd(src, src_size, uncompressed_size, out);
    case kLz4Raw: return Lz4Block(src, src_size, uncompressed_size, out);
    case kLz4: {
      // The legacy LZ4 codec is ambiguous: parquet-mr wrote Hadoop-framed blocks, some writers
      // an LZ4 frame, others a raw block. Try them in that order.
      if (Lz4Hadoop(src, src_size, uncompressed_size, out)) return Status::OK();
      if (src_size >= 4 && src[0] == 0x04 && src[1] == 0x22 && src[2] == 0x4d && src[3] == 0x18)
        return Lz4Frame(src, src_size, uncompressed_size, out);
      return Lz4Block(src, src_size, uncompressed_size, out);
    }
    default:
      return Unimplemented("compression codec {} is not supported", CodecName(codec));
  }
}

}  // namespace laminar::lake
