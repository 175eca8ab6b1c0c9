#include "client_handshake.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace parley::bench {
namespace {

constexpr std::string_view kAcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

std::string base64(const unsigned char* bytes, std::size_t size) {
    std::string out(4 * ((size + 2) / 3), '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes,
                                        static_cast<int>(size));
    out.resize(static_cast<std::size_t>(std::max(written, 0)));
    return out;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

}  // namespace

std::string makeWebSocketKey(MaskKeys& keys) {
    unsigned char bytes[16];
    for (int half = 0; half < 2; ++half) {
        const std::uint64_t word = keys.next64();
        for (int i = 0; i < 8; ++i) bytes[half * 8 + i] = static_cast<unsigned char>(word >> (8 * i));
    }
    return base64(bytes, sizeof bytes);
}

std::string makeUpgradeRequest(std::string_view host, std::string_view path, std::string_view key) {
    std::string request;
    request.reserve(160 + host.size() + path.size());
    request.append("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(host);
    request.append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ");
    request.append(key).append("\r\nSec-WebSocket-Version: 13\r\n\r\n");
    return request;
}

std::string expectedAccept(std::string_view key) {
    std::string input(key);
    input += kAcceptGuid;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha1(), nullptr) != 1) return {};
    return base64(digest, size);
}

std::optional<std::size_t> responseHeadEnd(std::string_view bytes) {
    const auto at = bytes.find("\r\n\r\n");
    if (at == std::string_view::npos) return std::nullopt;
    return at + 4;
}

std::optional<std::string> checkUpgradeResponse(std::string_view head, std::string_view key) {
    auto lineEnd = head.find("\r\n");
    const auto statusLine = head.substr(0, lineEnd);
    // "HTTP/1.1 101 Switching Protocols": the code is the second word.
    const auto space = statusLine.find(' ');
    if (!statusLine.starts_with("HTTP/1.1 ") || space == std::string_view::npos ||
        statusLine.substr(space + 1, 3) != "101")
        return "server answered \"" + std::string(statusLine) + "\", not 101";

    bool upgraded = false;
    std::optional<std::string_view> accept;
    std::string_view rest = lineEnd == std::string_view::npos ? std::string_view() : head.substr(lineEnd + 2);
    while (!rest.empty()) {
        lineEnd = rest.find("\r\n");
        const auto line = rest.substr(0, lineEnd);
        rest = lineEnd == std::string_view::npos ? std::string_view() : rest.substr(lineEnd + 2);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const auto name = trim(line.substr(0, colon));
        const auto value = trim(line.substr(colon + 1));
        if (equalsIgnoringCase(name, "upgrade")) upgraded = equalsIgnoringCase(value, "websocket");
        if (equalsIgnoringCase(name, "sec-websocket-accept")) accept = value;
    }
    if (!upgraded) return std::string("101 without \"Upgrade: websocket\"");
    if (!accept) return std::string("101 without Sec-WebSocket-Accept");
    if (*accept != expectedAccept(key))
        return "Sec-WebSocket-Accept " + std::string(*accept) + " does not match the key";
    return std::nullopt;
}

}  // namespace parley::bench
