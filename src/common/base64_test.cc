// Base64Decode / Base64Encode (base64.h): round trips, padding, and the errors.
#include "common/base64.h"

#include <gtest/gtest.h>

#include <vector>

namespace laminar {
namespace {

TEST(Base64, RoundTripsAndRefusesWhatIsNotBase64) {
  for (const std::string& s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\x10", 3)}) {
    auto d = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(d.ok()) << s;
    EXPECT_EQ(*d, s);
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(*Base64Decode("Zm9vYg=="), "foob");
  EXPECT_FALSE(Base64Decode("Zm9").ok());
  EXPECT_FALSE(Base64Decode("Zm9v!g==").ok());
  EXPECT_FALSE(Base64Decode("Zm=vYmFy").ok());
}

}  // namespace
}  // namespace laminar
