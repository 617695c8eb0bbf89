// The catalogue of sql::Func: each function's SQL name (for Expr::ToString) and the family file
// that evaluates it (func_math.cc, func_text.cc, func_time.cc).
#include "sql/func_internal.h"

namespace laminar::sql::internal {

const char* FuncName(Func f) {
  switch (f) {
    case Func::kLower: return "lower";
    case Func::kUpper: return "upper";
    case Func::kLength: return "length";
    case Func::kSubstr: return "substr";
    case Func::kConcat: return "concat";
    case Func::kConcatOp: return "||";
    case Func::kBtrim: return "btrim";
    case Func::kLtrim: return "ltrim";
    case Func::kRtrim: return "rtrim";
    case Func::kReplace: return "replace";
    case Func::kStrpos: return "strpos";
    case Func::kAbs: return "abs";
    case Func::kRound: return "round";
    case Func::kTrunc: return "trunc";
    case Func::kFloor: return "floor";
    case Func::kCeil: return "ceil";
    case Func::kMod: return "mod";
    case Func::kSqrt: return "sqrt";
    case Func::kPower: return "power";
    case Func::kLn: return "ln";
    case Func::kLog10: return "log";
    case Func::kExp: return "exp";
    case Func::kSign: return "sign";
    case Func::kToTimestamp: return "to_timestamp";
    case Func::kSin: return "sin";
    case Func::kCos: return "cos";
    case Func::kTan: return "tan";
    case Func::kCot: return "cot";
    case Func::kAsin: return "asin";
    case Func::kAcos: return "acos";
    case Func::kAtan: return "atan";
    case Func::kAtan2: return "atan2";
    case Func::kSinh: return "sinh";
    case Func::kCosh: return "cosh";
    case Func::kTanh: return "tanh";
    case Func::kAsinh: return "asinh";
    case Func::kAcosh: return "acosh";
    case Func::kAtanh: return "atanh";
    case Func::kRadians: return "radians";
    case Func::kDegrees: return "degrees";
    case Func::kCbrt: return "cbrt";
    case Func::kLogBase: return "log";
    case Func::kWidthBucket: return "width_bucket";
    case Func::kGcd: return "gcd";
    case Func::kLcm: return "lcm";
    case Func::kLeft: return "left";
    case Func::kRight: return "right";
    case Func::kSplitPart: return "split_part";
    case Func::kLpad: return "lpad";
    case Func::kRpad: return "rpad";
    case Func::kInitcap: return "initcap";
    case Func::kReverse: return "reverse";
    case Func::kRepeat: return "repeat";
    case Func::kStartsWith: return "starts_with";
    case Func::kMd5: return "md5";
    case Func::kFormat: return "format";
    case Func::kQuoteIdent: return "quote_ident";
    case Func::kQuoteLiteral: return "quote_literal";
    case Func::kQuoteNullable: return "quote_nullable";
    case Func::kConcatWs: return "concat_ws";
    case Func::kTranslate: return "translate";
    case Func::kAscii: return "ascii";
    case Func::kChr: return "chr";
    case Func::kToHex: return "to_hex";
    case Func::kOctetLength: return "octet_length";
    case Func::kRegexMatch: return "~";
    case Func::kRegexNotMatch: return "!~";
    case Func::kRegexIMatch: return "~*";
    case Func::kRegexNotIMatch: return "!~*";
    case Func::kRegexpReplace: return "regexp_replace";
    case Func::kRegexpLike: return "regexp_like";
    case Func::kRegexpCount: return "regexp_count";
    case Func::kRegexpSubstr: return "regexp_substr";
    case Func::kSubstringRegex: return "substring";
    case Func::kDateBin: return "date_bin";
    case Func::kToChar: return "to_char";
    case Func::kAtTimeZone: return "timezone";
    case Func::kArrayConstruct: return "array";
    case Func::kArrayIn: return "array_in";
    case Func::kArraySubscript: return "array_subscript";
    case Func::kRecordField: return "record_field";
    case Func::kArrayUpper: return "array_upper";
    case Func::kArrayLower: return "array_lower";
    case Func::kArrayLength: return "array_length";
    case Func::kCardinality: return "cardinality";
    case Func::kArrayToString: return "array_to_string";
    case Func::kStringToArray: return "string_to_array";
    case Func::kArrayAny: return "any";
    case Func::kArrayAll: return "all";
    case Func::kArrayCat: return "array_cat";
    case Func::kJsonBuildObject: return "json_build_object";
  }
  return "?";
}

FuncFamily FamilyOf(Func f) {
  switch (f) {
    case Func::kAbs:
    case Func::kRound:
    case Func::kTrunc:
    case Func::kFloor:
    case Func::kCeil:
    case Func::kMod:
    case Func::kSqrt:
    case Func::kPower:
    case Func::kLn:
    case Func::kLog10:
    case Func::kExp:
    case Func::kSign:
    case Func::kSin:
    case Func::kCos:
    case Func::kTan:
    case Func::kCot:
    case Func::kAsin:
    case Func::kAcos:
    case Func::kAtan:
    case Func::kAtan2:
    case Func::kSinh:
    case Func::kCosh:
    case Func::kTanh:
    case Func::kAsinh:
    case Func::kAcosh:
    case Func::kAtanh:
    case Func::kRadians:
    case Func::kDegrees:
    case Func::kCbrt:
    case Func::kLogBase:
    case Func::kWidthBucket:
    case Func::kGcd:
    case Func::kLcm: return FuncFamily::kMath;
    case Func::kToTimestamp:
    case Func::kDateBin:
    case Func::kToChar:
    case Func::kAtTimeZone: return FuncFamily::kTime;
    case Func::kArrayConstruct:
    case Func::kArrayIn:
    case Func::kArraySubscript:
    case Func::kArrayUpper:
    case Func::kArrayLower:
    case Func::kArrayLength:
    case Func::kCardinality:
    case Func::kArrayToString:
    case Func::kStringToArray:
    case Func::kArrayAny:
    case Func::kArrayAll:
    case Func::kArrayCat:
    case Func::kRecordField: return FuncFamily::kArray;
    case Func::kLower:
    case Func::kUpper:
    case Func::kLength:
    case Func::kSubstr:
    case Func::kConcat:
    case Func::kConcatOp:
    case Func::kBtrim:
    case Func::kLtrim:
    case Func::kRtrim:
    case Func::kReplace:
    case Func::kStrpos:
    case Func::kLeft:
    case Func::kRight:
    case Func::kSplitPart:
    case Func::kLpad:
    case Func::kRpad:
    case Func::kInitcap:
    case Func::kReverse:
    case Func::kRepeat:
    case Func::kStartsWith:
    case Func::kMd5:
    case Func::kFormat:
    case Func::kQuoteIdent:
    case Func::kQuoteLiteral:
    case Func::kQuoteNullable:
    case Func::kJsonBuildObject:
    case Func::kConcatWs:
    case Func::kTranslate:
    case Func::kAscii:
    case Func::kChr:
    case Func::kToHex:
    case Func::kOctetLength:
    case Func::kRegexMatch:
    case Func::kRegexNotMatch:
    case Func::kRegexIMatch:
    case Func::kRegexNotIMatch:
    case Func::kRegexpReplace:
    case Func::kRegexpLike:
    case Func::kRegexpCount:
    case Func::kRegexpSubstr:
    case Func::kSubstringRegex: return FuncFamily::kText;
  }
  return FuncFamily::kText;
}

}  // namespace laminar::sql::internal
