#include "net/request_path.hpp"

namespace parley::net {

namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::string> percentDecode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        if (i + 2 >= text.size()) return std::nullopt;
        const int high = hexValue(text[i + 1]);
        const int low = hexValue(text[i + 2]);
        if (high < 0 || low < 0) return std::nullopt;
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
    }
    return out;
}

bool hasUnsafeSegment(std::string_view path) {
    std::size_t start = 1;  // after the leading '/'
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        const auto segment = path.substr(start, end - start);
        if (segment == "." || segment == "..") return true;
        start = end + 1;
    }
    return false;
}

}  // namespace

std::optional<std::string> safeRequestPath(std::string_view target) {
    const auto queryStart = target.find_first_of("?#");
    const auto rawPath = target.substr(0, queryStart);
    if (rawPath.empty() || rawPath.front() != '/') return std::nullopt;

    auto path = percentDecode(rawPath);
    if (!path) return std::nullopt;
    for (const char c : *path) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f || c == '\\') return std::nullopt;
    }
    // ".." anywhere is refused, not only as a whole segment: no legitimate client file needs it.
    if (path->find("..") != std::string::npos || hasUnsafeSegment(*path)) return std::nullopt;
    return path;
}

}  // namespace parley::net
