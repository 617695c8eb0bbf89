// A log record with an origin (event_record.h): RowBatch::Decode reads the events of either form,
// RecordOrigin reads the origin alone, and a damaged origin header is Corruption.
#include "ingest/event_record.h"

#include <gtest/gtest.h>

namespace laminar::ingest {
namespace {

TEST(EventRecord, OriginRidesBesideTheEvents) {
  StreamSchema schema;
  schema.name = "s";
  schema.columns = {{"ts", Type::kTimestamp, true}, {"name", Type::kText, false}};
  RowBatch rows(schema);
  rows.AppendRow({Value::Timestamp(5), Value::Text("a")});
  rows.AppendRow({Value::Timestamp(6), Value::Null()});
  for (std::string origin : {std::string(), std::string("{\"kind\":\"x\"}"), std::string(1000, 'o')}) {
    std::string payload = EncodeRecord(rows, origin);
    auto back = RowBatch::Decode(payload, schema);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->GetRow(0), rows.GetRow(0));
    EXPECT_EQ(back->GetRow(1), rows.GetRow(1));
    auto o = RecordOrigin(payload);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(*o, origin);
    if (origin.empty()) EXPECT_EQ(payload, rows.Encode()) << "without an origin, the encoding is unchanged";
  }
  std::string damaged = EncodeRecord(rows, "origin");
  damaged[1] = '\x7f';  // an origin longer than the record
  EXPECT_EQ(RecordOrigin(damaged).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(RowBatch::Decode(damaged, schema).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace laminar::ingest
