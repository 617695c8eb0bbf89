#include "objstore/s3_xml.h"
#include "common/utf8.h"

#include <charconv>

namespace laminar::objstore::s3 {
namespace {

bool IsNameEnd(char c) {
  return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

Result<std::string> XmlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c != '&') {
      out.push_back(c);
      ++i;
      continue;
    }
    size_t semi = text.find(';', i);
    if (semi == std::string_view::npos || semi - i > 12) {
      return Corruption("S3 XML: malformed entity reference near '{}'", text.substr(i, 12));
    }
    std::string_view ent = text.substr(i + 1, semi - i - 1);
    if (ent == "amp") {
      out.push_back('&');
    } else if (ent == "lt") {
      out.push_back('<');
    } else if (ent == "gt") {
      out.push_back('>');
    } else if (ent == "quot") {
      out.push_back('"');
    } else if (ent == "apos") {
      out.push_back('\'');
    } else if (ent.size() >= 2 && ent[0] == '#') {
      uint32_t cp = 0;
      std::string_view digits = ent.substr(1);
      int base = 10;
      if (!digits.empty() && (digits[0] == 'x' || digits[0] == 'X')) {
        base = 16;
        digits.remove_prefix(1);
      }
      auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, base);
      if (digits.empty() || ec != std::errc() || p != digits.data() + digits.size() ||
          cp > 0x10FFFF || cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return Corruption("S3 XML: bad character reference '&{};'", ent);
      }
      AppendUtf8(cp, &out);
    } else {
      return Corruption("S3 XML: unknown entity '&{};'", ent);
    }
    i = semi + 1;
  }
  return out;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::vector<std::string_view> XmlElements(std::string_view xml, std::string_view tag) {
  std::vector<std::string_view> out;
  std::string open = "<" + std::string(tag);
  std::string close = "</" + std::string(tag) + ">";
  size_t pos = 0;
  while ((pos = xml.find(open, pos)) != std::string_view::npos) {
    size_t after = pos + open.size();
    if (after >= xml.size() || !IsNameEnd(xml[after])) {
      pos = after;
      continue;
    }
    size_t gt = xml.find('>', after);
    if (gt == std::string_view::npos) break;
    if (xml[gt - 1] == '/') {  // <tag/>
      out.emplace_back();
      pos = gt + 1;
      continue;
    }
    size_t end = xml.find(close, gt + 1);
    if (end == std::string_view::npos) break;
    out.push_back(xml.substr(gt + 1, end - gt - 1));
    pos = end + close.size();
  }
  return out;
}

std::optional<std::string> XmlFirst(std::string_view xml, std::string_view tag) {
  auto elems = XmlElements(xml, tag);
  if (elems.empty()) return std::nullopt;
  auto decoded = XmlDecode(elems.front());
  if (!decoded.ok()) return std::nullopt;
  return std::move(decoded).value();
}

Result<ListPage> ParseListPage(std::string_view xml) {
  if (xml.find("<ListBucketResult") == std::string_view::npos) {
    return Corruption("S3 listing: the response is not a ListBucketResult ({} bytes)", xml.size());
  }
  ListPage page;
  for (std::string_view contents : XmlElements(xml, "Contents")) {
    auto keys = XmlElements(contents, "Key");
    auto sizes = XmlElements(contents, "Size");
    if (keys.size() != 1 || sizes.size() != 1) {
      return Corruption("S3 listing: a Contents element without one Key and one Size");
    }
    ListPage::Entry e;
    ASSIGN_OR_RETURN(e.key, XmlDecode(keys[0]));
    std::string_view s = sizes[0];
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), e.size);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size()) {
      return Corruption("S3 listing: bad Size '{}' for key '{}'", s, e.key);
    }
    page.entries.push_back(std::move(e));
  }
  // IsTruncated and NextContinuationToken appear once, outside Contents; keys cannot hold raw
  // '<', so a search over the whole document is safe.
  auto truncated = XmlFirst(xml, "IsTruncated");
  page.truncated = truncated && *truncated == "true";
  if (page.truncated) {
    auto token = XmlFirst(xml, "NextContinuationToken");
    if (!token || token->empty()) {
      return Corruption("S3 listing: a truncated page without NextContinuationToken");
    }
    page.next_token = std::move(*token);
  }
  return page;
}

ErrorInfo ParseError(std::string_view xml) {
  ErrorInfo info;
  auto errors = XmlElements(xml, "Error");
  if (errors.empty()) return info;
  if (auto code = XmlFirst(errors[0], "Code")) info.code = std::move(*code);
  if (auto message = XmlFirst(errors[0], "Message")) info.message = std::move(*message);
  return info;
}

}  // namespace laminar::objstore::s3
