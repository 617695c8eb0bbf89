// ParseSourceSpec (source_spec.h): connections, options, librdkafka properties passed through or
// refused, and the errors naming what was wrong.
#include "sources/source_spec.h"

#include <gtest/gtest.h>

namespace laminar::sources {
namespace {

TEST(ParseSourceSpec, KafkaWithOptions) {
  auto s = ParseSourceSpec("kafka://a:9092,b:9093",
                           {{"topic", "ev"}, {"format", "csv"}, {"start", "latest"}, {"batch_events", "500"},
                            {"batch_wait_ms", "0"}, {"enabled", "false"}, {"security.protocol", "plaintext"}});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->brokers, "a:9092,b:9093");
  EXPECT_EQ(s->topic, "ev");
  EXPECT_EQ(s->format, MessageFormat::kCsv);
  EXPECT_TRUE(s->start_latest);
  EXPECT_EQ(s->batch_events, 500u);
  EXPECT_EQ(s->batch_wait_ms, 0);
  EXPECT_FALSE(s->enabled);
  ASSERT_EQ(s->properties.size(), 1u);
}

TEST(ParseSourceSpec, Kinesis) {
  auto s = ParseSourceSpec("kinesis://eu-west-1/clicks.v2", {{"endpoint", "http://127.0.0.1:4567/"},
                                                              {"access_key_id", "AKID"}, {"secret_access_key", "s"},
                                                              {"start", "latest"}});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->kind, SourceKind::kKinesis);
  EXPECT_EQ(s->region, "eu-west-1");
  EXPECT_EQ(s->topic, "clicks.v2");
  EXPECT_EQ(s->endpoint, "http://127.0.0.1:4567");
  EXPECT_EQ(s->batch_events, 10000u);
  EXPECT_TRUE(s->start_latest);
  auto d = ParseSourceSpec("kinesis://us-east-1/c", {{"access_key_id", "a"}, {"secret_access_key", "b"}});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->endpoint, "https://kinesis.us-east-1.amazonaws.com");
}

TEST(ParseSourceSpec, ErrorsNameWhatIsWrong) {
  auto msg = [](const std::string& conn, std::vector<SourceOption> opts) {
    auto s = ParseSourceSpec(conn, opts);
    return s.ok() ? std::string("OK") : s.status().message();
  };
  EXPECT_NE(msg("kafka://a:9092", {}).find("topic"), std::string::npos);
  EXPECT_NE(msg("kafka://a", {{"topic", "t"}}).find("\"a\" is not host:port"), std::string::npos);
  EXPECT_NE(msg("http://a:1", {{"topic", "t"}}).find("expected kafka://"), std::string::npos);
  EXPECT_NE(msg("kinesis://eu-west-1", {}).find("expected kinesis://region/stream-name"), std::string::npos);
  EXPECT_NE(msg("kinesis://eu-west-1/s", {{"topic", "t"}, {"access_key_id", "a"}, {"secret_access_key", "b"}})
                .find("for Kafka subscriptions"),
            std::string::npos);
  EXPECT_NE(msg("kafka://a:1", {{"topic", "t"}, {"endpoint", "http://x"}}).find("for Kinesis subscriptions"),
            std::string::npos);
  EXPECT_NE(msg("kafka://a:1", {{"topic", "t"}, {"format", "xml"}}).find("format"), std::string::npos);
  EXPECT_NE(msg("kafka://a:1", {{"topic", "t"}, {"colour", "red"}}).find("unknown subscription option colour"),
            std::string::npos);
  EXPECT_NE(msg("kafka://a:1", {{"topic", "t"}, {"no.such.property", "1"}}).find("no.such.property"), std::string::npos);
  EXPECT_NE(msg("kafka://a:1", {{"topic", "t"}, {"group.id", "g"}}).find("set by Laminar"), std::string::npos);
  EXPECT_NE(msg("kafka://a:1", {{"topic", "t"}, {"batch_events", "0"}}).find("from 1 to 1000000"), std::string::npos);
  EXPECT_NE(msg("kafka://a:1", {{"topic", "t"}, {"topic", "u"}}).find("twice"), std::string::npos);
}

}  // namespace
}  // namespace laminar::sources
