// The little XML S3 speaks (private to objstore): reading ListObjectsV2 results, error bodies and
// multipart responses, and escaping text for CompleteMultipartUpload. Not a general XML parser:
// S3 responses are flat, namespace-free element trees without CDATA or comments that matter.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace laminar::objstore::s3 {

// Replaces &amp; &lt; &gt; &quot; &apos; and numeric references (&#NN; &#xHH;, encoded as
// UTF-8). Corruption for an unknown or malformed reference.
Result<std::string> XmlDecode(std::string_view text);
// Escapes & < > " ' for element text or attribute values.
std::string XmlEscape(std::string_view text);

// The raw (still escaped) content of each <tag>...</tag> element in `xml`, in order; elements
// with attributes (<tag a="b">) count, self-closing <tag/> yields "". Nested elements of the same
// name are not supported (S3 does not produce them).
std::vector<std::string_view> XmlElements(std::string_view xml, std::string_view tag);
// The decoded text of the first <tag> element, or nullopt when there is none (or it does not
// decode).
std::optional<std::string> XmlFirst(std::string_view xml, std::string_view tag);

struct ListPage {
  struct Entry {
    std::string key;
    uint64_t size = 0;
  };
  std::vector<Entry> entries;
  bool truncated = false;
  std::string next_token;
};
// Parses a ListObjectsV2 response (ListBucketResult). Corruption when it is not one, or when a
// Contents element lacks Key or Size, or a truncated page has no NextContinuationToken.
Result<ListPage> ParseListPage(std::string_view xml);

struct ErrorInfo {
  std::string code;     // "SignatureDoesNotMatch"; empty when the body is not an S3 error
  std::string message;
};
// The Code and Message of an <Error> body; empty fields when there is none.
ErrorInfo ParseError(std::string_view xml);

}  // namespace laminar::objstore::s3
