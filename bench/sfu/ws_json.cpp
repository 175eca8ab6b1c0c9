#include "ws_json.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "client_handshake.hpp"
#include "clock.hpp"

namespace parley::bench::sfu {

namespace json = boost::json;

WsJson::WsJson(std::uint16_t port, std::string_view path, std::string_view subprotocol)
    : keys_(nowNs() ^ reinterpret_cast<std::uintptr_t>(this)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // A blocking connect on loopback: answered at once, or refused.
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        const std::string why = std::strerror(errno);
        ::close(fd_);
        fd_ = -1;
        throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) + ": " + why);
    }
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
    key_ = makeWebSocketKey(keys_);
    std::string request = makeUpgradeRequest("127.0.0.1:" + std::to_string(port), path, key_);
    if (!subprotocol.empty()) {
        // Before the blank line that ends the head.
        request.insert(request.size() - 2, "Sec-WebSocket-Protocol: " + std::string(subprotocol) + "\r\n");
    }
    writeAll(request);
}

WsJson::~WsJson() {
    if (fd_ >= 0) ::close(fd_);
}

void WsJson::fail(std::string why) {
    if (failure_.empty()) failure_ = std::move(why);
    open_ = false;
}

void WsJson::writeAll(std::string_view bytes) {
    while (!bytes.empty() && failure_.empty()) {
        const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n > 0) {
            bytes.remove_prefix(std::size_t(n));
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd p{fd_, POLLOUT, 0};
            ::poll(&p, 1, 1000);  // signaling is small; a full buffer drains within moments
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            fail(std::string("send: ") + std::strerror(errno));
        }
    }
}

void WsJson::send(const json::object& message) {
    std::string frame;
    appendClientFrame(frame, Opcode::Text, json::serialize(message), keys_.next());
    writeAll(frame);
}

void WsJson::onReadable() {
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n == 0) return fail("the server closed the connection");
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            if (errno == EINTR) continue;
            return fail(std::string("recv: ") + std::strerror(errno));
        }
        in_.append(buffer, std::size_t(n));
    }
    if (!open_) {
        const auto end = responseHeadEnd(in_);
        if (!end) return;
        if (auto bad = checkUpgradeResponse(std::string_view(in_).substr(0, *end), key_)) return fail(*bad);
        in_.erase(0, *end);
        open_ = true;
        if (onOpen) onOpen();
    }
    const std::size_t used = parser_.parse(in_, *this);
    in_.erase(0, used);
    if (parser_.failure()) fail(*parser_.failure());
}

bool WsJson::onMessage(std::string_view payload) {
    boost::system::error_code ec;
    json::value v = json::parse(payload, ec);
    if (ec || !v.is_object()) {
        fail("not a JSON object: " + std::string(payload.substr(0, 200)));
        return false;
    }
    if (onJson) onJson(v.as_object());
    return failure_.empty();
}

bool WsJson::onPing(std::string_view payload) {
    std::string frame;
    appendClientFrame(frame, Opcode::Pong, payload, keys_.next());
    writeAll(frame);
    return true;
}

bool WsJson::onClose(std::optional<std::uint16_t> code, std::string_view reason) {
    fail("closed by the server (" + (code ? std::to_string(*code) : std::string("no code")) + " " +
         std::string(reason) + ")");
    return false;
}

}  // namespace parley::bench::sfu
