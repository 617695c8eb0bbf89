#include "common/sqlstate.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace laminar {
namespace {

// Every condition and its SQLSTATE (PostgreSQL, Appendix A). A new ErrorCode needs a row here.
struct Row {
  ErrorCode code;
  const char* sqlstate;
};
constexpr Row kTable[] = {
    {ErrorCode::kFeatureNotSupported, "0A000"},
    {ErrorCode::kCardinalityViolation, "21000"},
    {ErrorCode::kNumericValueOutOfRange, "22003"},
    {ErrorCode::kNullValueNotAllowed, "22004"},
    {ErrorCode::kInvalidDatetimeFormat, "22007"},
    {ErrorCode::kDatetimeFieldOverflow, "22008"},
    {ErrorCode::kSubstringError, "22011"},
    {ErrorCode::kCharacterNotInRepertoire, "22021"},
    {ErrorCode::kInvalidParameterValue, "22023"},
    {ErrorCode::kInvalidEscapeSequence, "22025"},
    {ErrorCode::kInvalidRegularExpression, "2201B"},
    {ErrorCode::kInvalidArgumentForLog, "2201E"},
    {ErrorCode::kInvalidArgumentForPower, "2201F"},
    {ErrorCode::kInvalidArgumentForWidthBucket, "2201G"},
    {ErrorCode::kInvalidRowCountInLimitClause, "2201W"},
    {ErrorCode::kInvalidTextRepresentation, "22P02"},
    {ErrorCode::kInvalidBinaryRepresentation, "22P03"},
    {ErrorCode::kBadCopyFileFormat, "22P04"},
    {ErrorCode::kNotNullViolation, "23502"},
    {ErrorCode::kActiveSqlTransaction, "25001"},
    {ErrorCode::kNoActiveSqlTransaction, "25P01"},
    {ErrorCode::kInFailedSqlTransaction, "25P02"},
    {ErrorCode::kInvalidSqlStatementName, "26000"},
    {ErrorCode::kDependentObjectsStillExist, "2BP01"},
    {ErrorCode::kInvalidCursorName, "34000"},
    {ErrorCode::kInvalidSchemaName, "3F000"},
    {ErrorCode::kInvalidAuthorizationSpecification, "28000"},
    {ErrorCode::kInvalidPassword, "28P01"},
    {ErrorCode::kProtocolViolation, "08P01"},
    {ErrorCode::kDiskFull, "53100"},
    {ErrorCode::kInsufficientPrivilege, "42501"},
    {ErrorCode::kSyntaxError, "42601"},
    {ErrorCode::kDuplicateColumn, "42701"},
    {ErrorCode::kAmbiguousColumn, "42702"},
    {ErrorCode::kUndefinedColumn, "42703"},
    {ErrorCode::kUndefinedObject, "42704"},
    {ErrorCode::kDuplicateObject, "42710"},
    {ErrorCode::kDuplicateAlias, "42712"},
    {ErrorCode::kAmbiguousFunction, "42725"},
    {ErrorCode::kGroupingError, "42803"},
    {ErrorCode::kDatatypeMismatch, "42804"},
    {ErrorCode::kWrongObjectType, "42809"},
    {ErrorCode::kCannotCoerce, "42846"},
    {ErrorCode::kUndefinedFunction, "42883"},
    {ErrorCode::kUndefinedTable, "42P01"},
    {ErrorCode::kUndefinedParameter, "42P02"},
    {ErrorCode::kDuplicateCursor, "42P03"},
    {ErrorCode::kDuplicatePreparedStatement, "42P05"},
    {ErrorCode::kDuplicateTable, "42P07"},
    {ErrorCode::kInvalidColumnReference, "42P10"},
    {ErrorCode::kWindowingError, "42P20"},
    {ErrorCode::kProgramLimitExceeded, "54000"},
    {ErrorCode::kObjectNotInPrerequisiteState, "55000"},
    {ErrorCode::kCantChangeRuntimeParam, "55P02"},
    {ErrorCode::kQueryCanceled, "57014"},
    {ErrorCode::kCannotConnectNow, "57P03"},
    {ErrorCode::kIoError, "58030"},
    {ErrorCode::kUndefinedFile, "58P01"},
    {ErrorCode::kInternalError, "XX000"},
    {ErrorCode::kDataCorrupted, "XX001"},
};

TEST(SqlState, EveryCode) {
  std::set<int> seen;
  std::set<std::string> states;
  for (const Row& r : kTable) {
    EXPECT_STREQ(SqlState(r.code), r.sqlstate) << static_cast<int>(r.code);
    seen.insert(static_cast<int>(r.code));
    states.insert(r.sqlstate);
    // Whatever the coarse code, the condition decides.
    for (StatusCode sc : {StatusCode::kInvalidArgument, StatusCode::kNotFound, StatusCode::kUnimplemented}) {
      Status st(sc, r.code, "message text that says \"syntax error\" and \"does not exist\"");
      EXPECT_STREQ(SqlStateFor(st), r.sqlstate) << st.ToString();
      EXPECT_EQ(EffectiveErrorCode(st), r.code);
    }
  }
  // The table lists each condition once, and every value of the enum but kNone.
  EXPECT_EQ(seen.size(), size_t(kNumErrorCodes - 1));
  EXPECT_EQ(states.size(), size_t(kNumErrorCodes - 1));
  EXPECT_EQ(seen.count(0), 0u);
}

TEST(SqlState, FallbackFromStatusCode) {
  struct Fallback {
    Status st;
    ErrorCode code;
    const char* sqlstate;
  };
  // Messages that read like other errors: only the codes count.
  const Fallback kFallbacks[] = {
      {InvalidArgument("column \"x\" does not exist"), ErrorCode::kSyntaxError, "42601"},
      {NotFound("relation \"x\" does not exist"), ErrorCode::kUndefinedObject, "42704"},
      {AlreadyExists("relation \"x\" already exists"), ErrorCode::kDuplicateObject, "42710"},
      {Unimplemented("syntax error"), ErrorCode::kFeatureNotSupported, "0A000"},
      {ResourceExhausted("too many rows"), ErrorCode::kProgramLimitExceeded, "54000"},
      {DeadlineExceeded("timeout"), ErrorCode::kQueryCanceled, "57014"},
      {Cancelled("canceling statement due to user request"), ErrorCode::kQueryCanceled, "57014"},
      {Unavailable("shutting down"), ErrorCode::kCannotConnectNow, "57P03"},
      {IOError("disk"), ErrorCode::kIoError, "58030"},
      {Corruption("checksum"), ErrorCode::kDataCorrupted, "XX001"},
      {Internal("bug"), ErrorCode::kInternalError, "XX000"},
  };
  for (const Fallback& f : kFallbacks) {
    EXPECT_EQ(f.st.error_code(), ErrorCode::kNone) << f.st.ToString();
    EXPECT_EQ(EffectiveErrorCode(f.st), f.code) << f.st.ToString();
    EXPECT_STREQ(SqlStateFor(f.st), f.sqlstate) << f.st.ToString();
  }
  EXPECT_STREQ(SqlStateFor(Status::OK()), "00000");
  EXPECT_EQ(EffectiveErrorCode(Status::OK()), ErrorCode::kNone);
}

Result<int> Fails() { return InvalidArgument(ErrorCode::kUndefinedColumn, "column \"{}\" does not exist", "c"); }
Status Propagates() {
  ASSIGN_OR_RETURN(int v, Fails());
  return v > 0 ? Status::OK() : Internal("unreachable");
}

TEST(SqlState, CodeTravelsWithTheError) {
  Status st = InvalidArgument(ErrorCode::kUndefinedColumn, "column \"{}\" does not exist", "c");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.error_code(), ErrorCode::kUndefinedColumn);
  EXPECT_EQ(st.message(), "column \"c\" does not exist");
  EXPECT_EQ(st.ToString(), "InvalidArgument: column \"c\" does not exist");
  Status ctx = st.WithContext("view v");
  EXPECT_EQ(ctx.message(), "view v: column \"c\" does not exist");
  EXPECT_EQ(ctx.error_code(), ErrorCode::kUndefinedColumn);
  EXPECT_STREQ(SqlStateFor(ctx), "42703");
  Status p = Propagates();
  EXPECT_EQ(p.error_code(), ErrorCode::kUndefinedColumn);
  EXPECT_EQ(Fails().status().error_code(), ErrorCode::kUndefinedColumn);
  // With() sets the condition on an existing error, and leaves OK alone.
  Status w = NotFound("file x").With(ErrorCode::kUndefinedFile);
  EXPECT_EQ(w.code(), StatusCode::kNotFound);
  EXPECT_STREQ(SqlStateFor(w), "58P01");
  EXPECT_EQ(Status::OK().With(ErrorCode::kSyntaxError).error_code(), ErrorCode::kNone);
  EXPECT_TRUE(Status::OK().With(ErrorCode::kSyntaxError).ok());
}

}  // namespace
}  // namespace laminar
