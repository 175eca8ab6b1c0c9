#pragma once
// A WebSocket client on a raw socket (no WebSocket library), so a test controls every byte: the
// upgrade request, masked client frames of any kind, and the server's frames as they come.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace parley::itest {

struct ServerFrame {
    std::uint8_t opcode = 0;
    bool fin = false;
    std::string payload;
};

// One TCP connection with a 3-second bound on every read.
class RawConnection {
public:
    // `from`: the local address to connect from (any of 127.0.0.0/8).
    explicit RawConnection(std::uint16_t port, const char* from = "127.0.0.1") {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd_ < 0) throw std::runtime_error("socket");
        sockaddr_in local{};
        local.sin_family = AF_INET;
        ::inet_pton(AF_INET, from, &local.sin_addr);
        // The port is chosen at connect, knowing the server's address and port: chosen at bind,
        // it may be one whose connection to the same server is still in TIME_WAIT (a test that
        // opens hundreds, beside others doing the same), and connect fails.
        int noPort = 1;
        ::setsockopt(fd_, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &noPort, sizeof noPort);
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
            ::close(fd_);
            throw std::runtime_error("bind");
        }
        timeval limit{3, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
        int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            const int error = errno;
            ::close(fd_);
            throw std::runtime_error(std::string("connect: ") + std::strerror(error));
        }
    }
    ~RawConnection() { ::close(fd_); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // write() that reports a closed connection instead of throwing.
    bool tryWrite(const std::string& bytes) {
        std::size_t at = 0;
        while (at < bytes.size()) {
            const auto n = ::send(fd_, bytes.data() + at, bytes.size() - at, MSG_NOSIGNAL);
            if (n <= 0) return false;
            at += static_cast<std::size_t>(n);
        }
        return true;
    }

    void write(const std::string& bytes) {
        std::size_t at = 0;
        while (at < bytes.size()) {
            const auto n = ::send(fd_, bytes.data() + at, bytes.size() - at, MSG_NOSIGNAL);
            if (n <= 0) throw std::runtime_error("send failed");
            at += static_cast<std::size_t>(n);
        }
    }

    // Up to and including the blank line of an HTTP response.
    std::string readHttpHead() {
        while (buffer_.find("\r\n\r\n") == std::string::npos) {
            if (!fill()) throw std::runtime_error("no HTTP response: " + buffer_);
        }
        const auto end = buffer_.find("\r\n\r\n") + 4;
        std::string head = buffer_.substr(0, end);
        buffer_.erase(0, end);
        return head;
    }

    std::optional<ServerFrame> readFrame() {
        while (true) {
            // Parsed from `start_` on: a reader of many small frames does not move the rest of
            // the buffer for each one.
            const std::size_t have = buffer_.size() - start_;
            if (have >= 2) {
                const auto* b = reinterpret_cast<const unsigned char*>(buffer_.data() + start_);
                if (b[1] & 0x80) throw std::runtime_error("the server masked a frame");
                std::size_t length = b[1] & 0x7F, header = 2;
                if (length == 126) {
                    header = 4;
                    if (have >= 4) length = (std::size_t{b[2]} << 8) | b[3];
                } else if (length == 127) {
                    header = 10;
                    if (have >= 10) {
                        length = 0;
                        for (int i = 0; i < 8; ++i) length = (length << 8) | b[2 + i];
                    }
                }
                if (have >= header && have - header >= length) {
                    ServerFrame frame{static_cast<std::uint8_t>(b[0] & 0x0F), (b[0] & 0x80) != 0,
                                      buffer_.substr(start_ + header, length)};
                    start_ += header + length;
                    return frame;
                }
            }
            if (!fill()) return std::nullopt;
        }
    }

    // Whether the server closed its side: EOF after everything it sent was read.
    bool readsEof() {
        char byte;
        return buffer_.size() == start_ && ::recv(fd_, &byte, 1, 0) == 0;
    }

private:
    bool fill() {
        char chunk[65536];
        const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buffer_.erase(0, start_);
        start_ = 0;
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return true;
    }

    int fd_ = -1;
    std::string buffer_;
    std::size_t start_ = 0;  // where the unread part of buffer_ begins
};

inline std::string upgradeRequest(std::string_view key = "dGhlIHNhbXBsZSBub25jZQ==",
                           std::string_view version = "13") {
    std::string request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\n";
    if (!key.empty()) request += "Sec-WebSocket-Key: " + std::string(key) + "\r\n";
    request += "Sec-WebSocket-Version: " + std::string(version) + "\r\n\r\n";
    return request;
}

inline std::string clientFrame(std::uint8_t opcode, const std::string& payload, bool fin = true,
                        bool masked = true) {
    std::string out;
    out.push_back(static_cast<char>((fin ? 0x80 : 0) | opcode));
    const unsigned char maskBit = masked ? 0x80 : 0;
    if (payload.size() < 126) {
        out.push_back(static_cast<char>(maskBit | payload.size()));
    } else {
        out.push_back(static_cast<char>(maskBit | 126));
        out.push_back(static_cast<char>(payload.size() >> 8));
        out.push_back(static_cast<char>(payload.size() & 0xFF));
    }
    const unsigned char key[4] = {0xa1, 0x07, 0x5c, 0xe3};
    if (masked) out.append(reinterpret_cast<const char*>(key), 4);
    for (std::size_t i = 0; i < payload.size(); ++i) {
        out.push_back(static_cast<char>(payload[i] ^ (masked ? key[i % 4] : 0)));
    }
    return out;
}

inline std::uint16_t closeCode(const ServerFrame& frame) {
    if (frame.payload.size() < 2) return 0;
    return static_cast<std::uint16_t>((static_cast<unsigned char>(frame.payload[0]) << 8) |
                                      static_cast<unsigned char>(frame.payload[1]));
}

// An open WebSocket: upgraded, with the 101 read.
struct OpenSocket : RawConnection {
    explicit OpenSocket(std::uint16_t port, const char* from = "127.0.0.1") : RawConnection(port, from) {
        write(upgradeRequest());
        const auto head = readHttpHead();
        if (head.rfind("HTTP/1.1 101", 0) != 0) throw std::runtime_error("no 101: " + head);
    }
};


}  // namespace parley::itest
