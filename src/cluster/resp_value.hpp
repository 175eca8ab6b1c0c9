#pragma once
// One Redis reply (RESP2) as a plain value: what the codec decodes and what a command's
// completion receives. Redis 6.2 speaks RESP2 to clients that do not ask for RESP3.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::cluster {

struct RespValue {
    enum class Kind { Status, Error, Integer, Bulk, Nil, Array };

    Kind kind = Kind::Nil;
    std::string text;               // Status, Error and Bulk (bulk strings are binary-safe)
    std::int64_t integer = 0;       // Integer
    std::vector<RespValue> elements;  // Array

    static RespValue status(std::string s) { return {Kind::Status, std::move(s), 0, {}}; }
    static RespValue error(std::string s) { return {Kind::Error, std::move(s), 0, {}}; }
    static RespValue number(std::int64_t n) { return {Kind::Integer, {}, n, {}}; }
    static RespValue bulk(std::string s) { return {Kind::Bulk, std::move(s), 0, {}}; }
    static RespValue nil() { return {}; }
    static RespValue array(std::vector<RespValue> items) { return {Kind::Array, {}, 0, std::move(items)}; }

    bool isError() const { return kind == Kind::Error; }
    bool isNil() const { return kind == Kind::Nil; }
    // A status or bulk reply equal to `expected` (e.g. "OK").
    bool is(std::string_view expected) const {
        return (kind == Kind::Status || kind == Kind::Bulk) && text == expected;
    }

    friend bool operator==(const RespValue&, const RespValue&) = default;
};

// For logs and test failures: +OK, -ERR x, :5, "bulk", (nil), [a, b].
std::string describe(const RespValue& value);

}  // namespace parley::cluster
