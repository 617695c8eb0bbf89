#include "common/sqlstate.h"

namespace laminar {

const char* SqlState(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNone: return "XX000";
    case ErrorCode::kFeatureNotSupported: return "0A000";
    case ErrorCode::kCardinalityViolation: return "21000";
    case ErrorCode::kNumericValueOutOfRange: return "22003";
    case ErrorCode::kNullValueNotAllowed: return "22004";
    case ErrorCode::kInvalidDatetimeFormat: return "22007";
    case ErrorCode::kDatetimeFieldOverflow: return "22008";
    case ErrorCode::kSubstringError: return "22011";
    case ErrorCode::kCharacterNotInRepertoire: return "22021";
    case ErrorCode::kInvalidParameterValue: return "22023";
    case ErrorCode::kInvalidEscapeSequence: return "22025";
    case ErrorCode::kInvalidRegularExpression: return "2201B";
    case ErrorCode::kInvalidArgumentForLog: return "2201E";
    case ErrorCode::kInvalidArgumentForPower: return "2201F";
    case ErrorCode::kInvalidArgumentForWidthBucket: return "2201G";
    case ErrorCode::kInvalidRowCountInLimitClause: return "2201W";
    case ErrorCode::kInvalidTextRepresentation: return "22P02";
    case ErrorCode::kInvalidBinaryRepresentation: return "22P03";
    case ErrorCode::kBadCopyFileFormat: return "22P04";
    case ErrorCode::kNotNullViolation: return "23502";
    case ErrorCode::kActiveSqlTransaction: return "25001";
    case ErrorCode::kNoActiveSqlTransaction: return "25P01";
    case ErrorCode::kInFailedSqlTransaction: return "25P02";
    case ErrorCode::kInvalidSqlStatementName: return "26000";
    case ErrorCode::kDependentObjectsStillExist: return "2BP01";
    case ErrorCode::kInvalidCursorName: return "34000";
    case ErrorCode::kInvalidSchemaName: return "3F000";
    case ErrorCode::kInvalidAuthorizationSpecification: return "28000";
    case ErrorCode::kInvalidPassword: return "28P01";
    case ErrorCode::kProtocolViolation: return "08P01";
    case ErrorCode::kDiskFull: return "53100";
    case ErrorCode::kInsufficientPrivilege: return "42501";
    case ErrorCode::kSyntaxError: return "42601";
    case ErrorCode::kDuplicateColumn: return "42701";
    case ErrorCode::kAmbiguousColumn: return "42702";
    case ErrorCode::kUndefinedColumn: return "42703";
    case ErrorCode::kUndefinedObject: return "42704";
    case ErrorCode::kDuplicateObject: return "42710";
    case ErrorCode::kDuplicateAlias: return "42712";
    case ErrorCode::kAmbiguousFunction: return "42725";
    case ErrorCode::kGroupingError: return "42803";
    case ErrorCode::kDatatypeMismatch: return "42804";
    case ErrorCode::kWrongObjectType: return "42809";
    case ErrorCode::kCannotCoerce: return "42846";
    case ErrorCode::kUndefinedFunction: return "42883";
    case ErrorCode::kUndefinedTable: return "42P01";
    case ErrorCode::kUndefinedParameter: return "42P02";
    case ErrorCode::kDuplicateCursor: return "42P03";
    case ErrorCode::kDuplicatePreparedStatement: return "42P05";
    case ErrorCode::kDuplicateTable: return "42P07";
    case ErrorCode::kInvalidColumnReference: return "42P10";
    case ErrorCode::kWindowingError: return "42P20";
    case ErrorCode::kProgramLimitExceeded: return "54000";
    case ErrorCode::kObjectNotInPrerequisiteState: return "55000";
    case ErrorCode::kCantChangeRuntimeParam: return "55P02";
    case ErrorCode::kQueryCanceled: return "57014";
    case ErrorCode::kCannotConnectNow: return "57P03";
    case ErrorCode::kIoError: return "58030";
    case ErrorCode::kUndefinedFile: return "58P01";
    case ErrorCode::kInternalError: return "XX000";
    case ErrorCode::kDataCorrupted: return "XX001";
  }
  return "XX000";
}

ErrorCode EffectiveErrorCode(const Status& st) {
  if (st.ok()) return ErrorCode::kNone;
  if (st.error_code() != ErrorCode::kNone) return st.error_code();
  switch (st.code()) {
    case StatusCode::kOk: return ErrorCode::kNone;
    case StatusCode::kInvalidArgument: return ErrorCode::kSyntaxError;
    case StatusCode::kNotFound: return ErrorCode::kUndefinedObject;
    case StatusCode::kAlreadyExists: return ErrorCode::kDuplicateObject;
    case StatusCode::kUnimplemented: return ErrorCode::kFeatureNotSupported;
    case StatusCode::kResourceExhausted: return ErrorCode::kProgramLimitExceeded;
    case StatusCode::kDeadlineExceeded:
    case StatusCode::kCancelled: return ErrorCode::kQueryCanceled;
    case StatusCode::kPermissionDenied: return ErrorCode::kInsufficientPrivilege;
    case StatusCode::kUnauthenticated: return ErrorCode::kInvalidAuthorizationSpecification;
    case StatusCode::kUnavailable: return ErrorCode::kCannotConnectNow;
    case StatusCode::kIOError: return ErrorCode::kIoError;
    case StatusCode::kCorruption: return ErrorCode::kDataCorrupted;
    case StatusCode::kInternal: return ErrorCode::kInternalError;
  }
  return ErrorCode::kInternalError;
}

const char* SqlStateFor(const Status& st) {
  if (st.ok()) return "00000";
  return SqlState(EffectiveErrorCode(st));
}

}  // namespace laminar
