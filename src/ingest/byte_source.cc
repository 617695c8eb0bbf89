// Byte sources and decompressors (see byte_source.h). Moved from app/import.cc.
#include "ingest/byte_source.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace laminar::ingest {
namespace {

constexpr size_t kReadChunk = 256u << 10;

class FdSource : public ByteSource {
 public:
  FdSource(int fd, std::string name, bool owned) : fd_(fd), name_(std::move(name)), owned_(owned) {}
  ~FdSource() override {
    if (owned_) ::close(fd_);
  }
  Result<size_t> Read(char* buf, size_t cap) override {
    for (;;) {
      ssize_t n = ::read(fd_, buf, cap);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno == EINTR) continue;
      return IOError("reading {}: {}", name_, std::strerror(errno));
    }
  }

 private:
  int fd_;
  std::string name_;
  bool owned_;
};

class GzipSource : public ByteSource {
 public:
  explicit GzipSource(std::unique_ptr<ByteSource> in) : in_(std::move(in)), buf_(kReadChunk, '\0') {
    ok_ = inflateInit2(&zs_, 16 + MAX_WBITS) == Z_OK;
  }
  ~GzipSource() override {
    if (ok_) inflateEnd(&zs_);
  }
  Result<size_t> Read(char* out, size_t cap) override {
    if (!ok_) return Internal("inflateInit2 failed");
    cap = std::min<size_t>(cap, 1u << 30);
    for (;;) {
      if (zs_.avail_in == 0 && !in_eof_) {
        ASSIGN_OR_RETURN(size_t n, in_->Read(buf_.data(), buf_.size()));
        if (n == 0) {
          in_eof_ = true;
        } else {
          zs_.next_in = reinterpret_cast<Bytef*>(buf_.data());
          zs_.avail_in = static_cast<uInt>(n);
        }
      }
      if (member_ended_) {
        if (zs_.avail_in == 0 && in_eof_) return size_t{0};
        if (zs_.avail_in == 0) continue;
        inflateReset(&zs_);  // another gzip member follows (concatenated files)
        member_ended_ = false;
      }
      zs_.next_out = reinterpret_cast<Bytef*>(out);
      zs_.avail_out = static_cast<uInt>(cap);
      int rc = inflate(&zs_, Z_NO_FLUSH);
      size_t produced = cap - zs_.avail_out;
      if (rc == Z_STREAM_END) {
        member_ended_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return InvalidArgument("corrupt gzip data: {}", zs_.msg ? zs_.msg : "inflate failed");
      }
      if (produced > 0) return produced;
      if (!member_ended_ && zs_.avail_in == 0 && in_eof_) return InvalidArgument("truncated gzip data");
    }
  }

 private:
  std::unique_ptr<ByteSource> in_;
  std::string buf_;
  z_stream zs_{};
  bool ok_ = false;
  bool in_eof_ = false;
  bool member_ended_ = false;
};

class ZstdSource : public ByteSource {
 public:
  explicit ZstdSource(std::unique_ptr<ByteSource> in)
      : in_(std::move(in)), buf_(ZSTD_DStreamInSize(), '\0'), dctx_(ZSTD_createDCtx()) {
    // A window above 128 MiB would let a hostile file claim that much memory.
    ZSTD_DCtx_setParameter(dctx_, ZSTD_d_windowLogMax, 27);
  }
  ~ZstdSource() override { ZSTD_freeDCtx(dctx_); }
  Result<size_t> Read(char* out, size_t cap) override {
    for (;;) {
      if (in_buf_.pos == in_buf_.size && !in_eof_) {
        ASSIGN_OR_RETURN(size_t n, in_->Read(buf_.data(), buf_.size()));
        if (n == 0) in_eof_ = true;
        in_buf_ = {buf_.data(), n, 0};
      }
      if (in_buf_.pos == in_buf_.size && in_eof_ && !frame_open_) return size_t{0};
      ZSTD_outBuffer ob{out, cap, 0};
      size_t r = ZSTD_decompressStream(dctx_, &ob, &in_buf_);
      if (ZSTD_isError(r)) return InvalidArgument("corrupt zstd data: {}", ZSTD_getErrorName(r));
      frame_open_ = r != 0;
      if (ob.pos > 0) return ob.pos;
      if (in_buf_.pos == in_buf_.size && in_eof_ && frame_open_) return InvalidArgument("truncated zstd data");
    }
  }

 private:
  std::unique_ptr<ByteSource> in_;
  std::string buf_;
  ZSTD_DCtx* dctx_;
  ZSTD_inBuffer in_buf_{nullptr, 0, 0};
  bool in_eof_ = false;
  bool frame_open_ = false;
};

}  // namespace

Result<size_t> StringSource::Read(char* buf, size_t cap) {
  size_t n = std::min({cap, data_.size() - pos_, max_chunk_});
  std::memcpy(buf, data_.data() + pos_, n);
  pos_ += n;
  return n;
}

Result<size_t> PiecesSource::Read(char* buf, size_t cap) {
  size_t n = 0;
  while (n < cap && piece_ < pieces_->size()) {
    const std::string& p = (*pieces_)[piece_];
    size_t k = std::min(cap - n, p.size() - pos_);
    std::memcpy(buf + n, p.data() + pos_, k);
    n += k;
    pos_ += k;
    if (pos_ == p.size()) {
      piece_++;
      pos_ = 0;
    }
  }
  return n;
}

Result<size_t> PrefixedSource::Read(char* buf, size_t cap) {
  if (pos_ < prefix_.size()) {
    size_t n = std::min(cap, prefix_.size() - pos_);
    std::memcpy(buf, prefix_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  return rest_->Read(buf, cap);
}

Result<std::string> ReadUpTo(ByteSource* src, size_t n) {
  std::string out(n, '\0');
  size_t got = 0;
  while (got < n) {
    ASSIGN_OR_RETURN(size_t r, src->Read(out.data() + got, n - got));
    if (r == 0) break;
    got += r;
  }
  out.resize(got);
  return out;
}

const char* CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone: return "none";
    case Compression::kGzip: return "gzip";
    case Compression::kZstd: return "zstd";
  }
  return "?";
}

Compression DetectCompression(std::string_view head) {
  if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b)
    return Compression::kGzip;
  if (head.size() >= 4 && std::memcmp(head.data(), "\x28\xb5\x2f\xfd", 4) == 0) return Compression::kZstd;
  return Compression::kNone;
}

Result<std::unique_ptr<ByteSource>> OpenFileSource(const std::string& path) {
  if (path == "-") return std::unique_ptr<ByteSource>(new FdSource(0, "standard input", false));
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound(ErrorCode::kUndefinedFile, "{}: no such file", path);
    return IOError("cannot open {}: {}", path, std::strerror(errno));
  }
  return std::unique_ptr<ByteSource>(new FdSource(fd, path, true));
}

std::unique_ptr<ByteSource> NewDecompressor(std::unique_ptr<ByteSource> source, Compression c) {
  switch (c) {
    case Compression::kGzip: return std::make_unique<GzipSource>(std::move(source));
    case Compression::kZstd: return std::make_unique<ZstdSource>(std::move(source));
    case Compression::kNone: break;
  }
  return source;
}

}  // namespace laminar::ingest
