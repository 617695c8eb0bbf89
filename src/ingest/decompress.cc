// Decompress (declared in event_parser.h): gzip through zlib, zstd through its streaming API.
// Output grows geometrically and never past max_bytes + 1, so a decompression bomb is stopped
// after at most max_bytes of output, whatever its ratio.
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cctype>
#include <limits>

#include "ingest/event_parser.h"

namespace laminar::ingest {
namespace {

constexpr size_t kFirstChunk = 64u << 10;

// A growing output buffer capped at limit + 1 bytes.
class Output {
 public:
  explicit Output(size_t max_bytes, size_t input_size)
      : cap_(max_bytes == std::numeric_limits<size_t>::max() ? max_bytes : max_bytes + 1),
        max_bytes_(max_bytes),
        hint_(std::max(kFirstChunk, input_size * 4)) {}

  // Makes room after `used` bytes; false when the cap is reached.
  bool Grow() {
    if (buf_.size() >= cap_) return false;
    size_t next = buf_.empty() ? hint_ : buf_.size() * 2;
    buf_.resize(std::min(next, cap_));
    return true;
  }
  char* free_space() { return buf_.data() + used_; }
  size_t free_bytes() const { return buf_.size() - used_; }
  void Produced(size_t n) { used_ += n; }
  bool over_limit() const { return used_ > max_bytes_; }
  std::string Take() && {
    buf_.resize(used_);
    return std::move(buf_);
  }

 private:
  std::string buf_;
  size_t used_ = 0;
  size_t cap_;
  size_t max_bytes_;
  size_t hint_;
};

Status TooLarge(size_t max_bytes) {
  return ResourceExhausted("decompressed body is larger than the limit of {} bytes", max_bytes);
}

Result<std::string> Gunzip(std::string_view body, size_t max_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return Internal("inflateInit2 failed");
  struct Guard {
    z_stream* zs;
    ~Guard() { inflateEnd(zs); }
  } guard{&zs};

  Output out(max_bytes, body.size());
  constexpr size_t kMaxChunk = std::numeric_limits<uInt>::max();
  size_t in_pos = 0;
  for (;;) {
    if (out.free_bytes() == 0 && !out.Grow()) return TooLarge(max_bytes);
    if (zs.avail_in == 0 && in_pos < body.size()) {
      size_t n = std::min(kMaxChunk, body.size() - in_pos);
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data() + in_pos));
      zs.avail_in = static_cast<uInt>(n);
      in_pos += n;
    }
    uInt avail = static_cast<uInt>(std::min(kMaxChunk, out.free_bytes()));
    zs.next_out = reinterpret_cast<Bytef*>(out.free_space());
    zs.avail_out = avail;
    int rc = inflate(&zs, Z_NO_FLUSH);
    out.Produced(avail - zs.avail_out);
    if (out.over_limit()) return TooLarge(max_bytes);
    const bool input_left = zs.avail_in > 0 || in_pos < body.size();
    if (rc == Z_STREAM_END) {
      if (!input_left) break;
      // Another gzip member follows (concatenated gzip files are one gzip stream).
      if (inflateReset(&zs) != Z_OK) return Internal("inflateReset failed");
      continue;
    }
    if (rc == Z_BUF_ERROR) {
      if (zs.avail_out == 0) continue;  // needs more output space
      if (!input_left) return InvalidArgument("corrupt gzip data: truncated");
      continue;
    }
    if (rc != Z_OK) {
      return InvalidArgument("corrupt gzip data: {}", zs.msg ? zs.msg : zError(rc));
    }
    if (!input_left && zs.avail_out != 0) return InvalidArgument("corrupt gzip data: truncated");
  }
  return std::move(out).Take();
}

Result<std::string> Unzstd(std::string_view body, size_t max_bytes) {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  if (!dctx) return Internal("ZSTD_createDCtx failed");
  struct Guard {
    ZSTD_DCtx* d;
    ~Guard() { ZSTD_freeDCtx(d); }
  } guard{dctx};

  Output out(max_bytes, body.size());
  ZSTD_inBuffer in{body.data(), body.size(), 0};
  for (;;) {
    if (out.free_bytes() == 0 && !out.Grow()) return TooLarge(max_bytes);
    ZSTD_outBuffer o{out.free_space(), out.free_bytes(), 0};
    size_t rc = ZSTD_decompressStream(dctx, &o, &in);
    if (ZSTD_isError(rc)) return InvalidArgument("corrupt zstd data: {}", ZSTD_getErrorName(rc));
    out.Produced(o.pos);
    if (out.over_limit()) return TooLarge(max_bytes);
    if (in.pos == in.size) {
      if (rc == 0) break;  // the last frame is complete and flushed
      if (o.pos < o.size) return InvalidArgument("corrupt zstd data: truncated");
    }
  }
  return std::move(out).Take();
}

}  // namespace

Result<std::string> Decompress(std::string_view encoding, std::string_view body, size_t max_bytes) {
  std::string enc;
  for (char c : encoding) {
    if (c != ' ' && c != '\t') enc += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (enc.empty() || enc == "identity") {
    if (body.size() > max_bytes) return TooLarge(max_bytes);
    return std::string(body);
  }
  if (enc != "gzip" && enc != "x-gzip" && enc != "zstd") {
    return InvalidArgument("unsupported Content-Encoding \"{}\": use gzip, zstd or identity",
                           std::string(encoding));
  }
  if (body.empty()) return std::string();
  return enc == "zstd" ? Unzstd(body, max_bytes) : Gunzip(body, max_bytes);
}

}  // namespace laminar::ingest
