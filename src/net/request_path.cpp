#include "net/request_path.hpp"

#include "core/percent_decode.hpp"

namespace parley::net {

namespace {

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

    auto path = core::percentDecode(rawPath);
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
