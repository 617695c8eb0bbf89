// The SigV4 signer against the worked examples in AWS's S3 documentation ("Signature Calculations
// for the Authorization Header", examplebucket, 20130524T000000Z), and the XML helpers.
#include <gtest/gtest.h>

#include "objstore/s3_sigv4.h"
#include "objstore/s3_xml.h"

namespace laminar::objstore::s3 {
namespace {

constexpr const char* kEmpty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

SigningCredentials ExampleCredentials() {
  SigningCredentials c;
  c.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  c.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  c.region = "us-east-1";
  return c;
}

TEST(SigV4Test, Sha256OfEmptyString) { EXPECT_EQ(Sha256Hex(""), kEmpty); }

TEST(SigV4Test, IncrementalSha256MatchesOneShot) {
  Sha256 h;
  h.Update("Welcome to ");
  h.Update("Amazon S3.");
  EXPECT_EQ(h.HexDigest(), Sha256Hex("Welcome to Amazon S3."));
  EXPECT_EQ(Sha256Hex("Welcome to Amazon S3."),
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
}

TEST(SigV4Test, AwsExampleGetObject) {
  SigningInput in;
  in.method = "GET";
  in.canonical_uri = "/test.txt";
  in.payload_hash = kEmpty;
  in.amz_date = "20130524T000000Z";
  in.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                {"Range", "bytes=0-9"},
                {"x-amz-content-sha256", kEmpty},
                {"x-amz-date", "20130524T000000Z"}};
  std::string signed_headers;
  std::string canonical = CanonicalRequest(in, &signed_headers);
  EXPECT_EQ(canonical,
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(signed_headers, "host;range;x-amz-content-sha256;x-amz-date");
  EXPECT_EQ(StringToSign(in, ExampleCredentials(), canonical),
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(AuthorizationHeader(in, ExampleCredentials()),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4Test, AwsExamplePutObject) {
  SigningInput in;
  in.method = "PUT";
  in.canonical_uri = "/" + UriEncode("test$file.text", false);
  EXPECT_EQ(in.canonical_uri, "/test%24file.text");
  in.payload_hash = Sha256Hex("Welcome to Amazon S3.");
  in.amz_date = "20130524T000000Z";
  in.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                {"x-amz-date", "20130524T000000Z"},
                {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                {"x-amz-content-sha256", in.payload_hash}};
  EXPECT_EQ(AuthorizationHeader(in, ExampleCredentials()),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
            "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4Test, AwsExampleListObjects) {
  SigningInput in;
  in.method = "GET";
  in.canonical_uri = "/";
  in.query = {{"prefix", "J"}, {"max-keys", "2"}};  // sorted by the signer
  in.payload_hash = kEmpty;
  in.amz_date = "20130524T000000Z";
  in.headers = {{"host", "examplebucket.s3.amazonaws.com"},
                {"x-amz-date", "20130524T000000Z"},
                {"x-amz-content-sha256", kEmpty}};
  std::string canonical = CanonicalRequest(in, nullptr);
  EXPECT_NE(canonical.find("\nmax-keys=2&prefix=J\n"), std::string::npos) << canonical;
  EXPECT_EQ(AuthorizationHeader(in, ExampleCredentials()),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
            "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4Test, SigningKeyIsDerivedFromDateRegionService) {
  std::string k1 = SigningKey("secret", "20130524", "us-east-1", "s3");
  EXPECT_EQ(k1.size(), 32u);
  EXPECT_NE(k1, SigningKey("secret", "20130525", "us-east-1", "s3"));
  EXPECT_NE(k1, SigningKey("secret", "20130524", "eu-west-1", "s3"));
}

TEST(SigV4Test, CanonicalHeadersTrimAndJoin) {
  SigningInput in;
  in.method = "GET";
  in.canonical_uri = "/k";
  in.payload_hash = kEmpty;
  in.amz_date = "20130524T000000Z";
  in.headers = {{"X-Amz-Meta-A", "  two   spaces  "}, {"x-amz-meta-a", "second"}};
  std::string signed_headers;
  std::string c = CanonicalRequest(in, &signed_headers);
  EXPECT_NE(c.find("\nx-amz-meta-a:two spaces,second\n"), std::string::npos) << c;
  EXPECT_EQ(signed_headers, "x-amz-meta-a");
}

TEST(SigV4Test, UriEncode) {
  EXPECT_EQ(UriEncode("AZaz09-._~", true), "AZaz09-._~");
  EXPECT_EQ(UriEncode("a b+c=d&e", true), "a%20b%2Bc%3Dd%26e");
  EXPECT_EQ(UriEncode("event_date=2026-11-24/x y", false), "event_date%3D2026-11-24/x%20y");
  EXPECT_EQ(UriEncode("a/b", true), "a%2Fb");
  EXPECT_EQ(UriEncode("caf\xC3\xA9", false), "caf%C3%A9");
  EXPECT_EQ(UriEncode("*!'()%", false), "%2A%21%27%28%29%25");
}

TEST(SigV4Test, AmzDate) { EXPECT_EQ(AmzDate(1369353600), "20130524T000000Z"); }

TEST(S3XmlTest, DecodesEntities) {
  auto d = XmlDecode("a&amp;b&lt;c&gt;d&quot;e&apos;f&#233;&#x65E5;");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, "a&b<c>d\"e'f\xC3\xA9\xE6\x97\xA5");
  EXPECT_FALSE(XmlDecode("&bogus;").ok());
  EXPECT_FALSE(XmlDecode("a & b").ok());
  EXPECT_FALSE(XmlDecode("&#0;").ok());
  EXPECT_EQ(XmlEscape("<a&'\">"), "&lt;a&amp;&apos;&quot;&gt;");
}

TEST(S3XmlTest, ParsesListPage) {
  const char* xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>lake</Name>"
      "<Prefix>p/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>"
      "<IsTruncated>true</IsTruncated>"
      "<Contents><Key>p/a&amp;b</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>"
      "<ETag>&quot;x&quot;</ETag><Size>5</Size><StorageClass>STANDARD</StorageClass></Contents>"
      "<Contents><Key>p/event_date=2026-11-24/x y</Key><Size>0</Size></Contents>"
      "<NextContinuationToken>tok+/=</NextContinuationToken></ListBucketResult>";
  auto page = ParseListPage(xml);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->entries.size(), 2u);
  EXPECT_EQ(page->entries[0].key, "p/a&b");
  EXPECT_EQ(page->entries[0].size, 5u);
  EXPECT_EQ(page->entries[1].key, "p/event_date=2026-11-24/x y");
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_token, "tok+/=");

  auto empty = ParseListPage("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->entries.empty());
  EXPECT_FALSE(empty->truncated);

  EXPECT_EQ(ParseListPage("<html>oops</html>").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ParseListPage("<ListBucketResult><Contents><Key>a</Key></Contents></ListBucketResult>")
                .status()
                .code(),
            StatusCode::kCorruption);
  EXPECT_EQ(ParseListPage("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>")
                .status()
                .code(),
            StatusCode::kCorruption);
}

TEST(S3XmlTest, ParsesError) {
  ErrorInfo e = ParseError(
      "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The key &quot;k&quot; does "
      "not exist</Message><Key>k</Key></Error>");
  EXPECT_EQ(e.code, "NoSuchKey");
  EXPECT_EQ(e.message, "The key \"k\" does not exist");
  EXPECT_TRUE(ParseError("").code.empty());
  EXPECT_EQ(XmlElements("<a/><a x=\"1\">v</a><ab>no</ab>", "a").size(), 2u);
}

}  // namespace
}  // namespace laminar::objstore::s3
