#include "stamp.hpp"

#include <charconv>

namespace parley::bench {
namespace {

constexpr std::string_view kMarker = " bench=";

void appendNumber(std::string& out, std::uint64_t value) {
    char digits[24];
    auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, result.ptr);
}

const char* parseNumber(const char* at, const char* end, std::uint64_t& value) {
    auto result = std::from_chars(at, end, value);
    return result.ec == std::errc() ? result.ptr : nullptr;
}

}  // namespace

void appendCandidate(std::string& out, const RelayStamp& stamp, std::size_t padding) {
    out += R"({"candidate":"candidate:)";
    appendNumber(out, 1'000'000'000u + stamp.seq % 1'000'000'000u);
    out += " 1 udp 2122260223 127.0.0.1 ";
    appendNumber(out, 50000 + stamp.sender % 10000);
    out += " typ host generation 0 ufrag Xq3v network-id 1 network-cost 10";
    out += kMarker;
    appendNumber(out, stamp.sender);
    out += '.';
    appendNumber(out, stamp.seq);
    out += '.';
    appendNumber(out, stamp.sentNs);
    out.append(padding, 'x');
    out += R"(","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"Xq3v"})";
}

std::optional<RelayStamp> findStamp(std::string_view frame) {
    const auto at = frame.find(kMarker);
    if (at == std::string_view::npos) return std::nullopt;
    const char* p = frame.data() + at + kMarker.size();
    const char* end = frame.data() + frame.size();
    std::uint64_t sender = 0;
    RelayStamp stamp;
    if (!(p = parseNumber(p, end, sender)) || p == end || *p++ != '.') return std::nullopt;
    if (!(p = parseNumber(p, end, stamp.seq)) || p == end || *p++ != '.') return std::nullopt;
    if (!parseNumber(p, end, stamp.sentNs)) return std::nullopt;
    stamp.sender = std::uint32_t(sender);
    return stamp;
}

}  // namespace parley::bench
