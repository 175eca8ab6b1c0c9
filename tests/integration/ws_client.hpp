#pragma once
// A minimal WebSocket client for tests: synchronous calls, each bounded by a deadline.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "deadline.hpp"

namespace parley::itest {

struct Incoming {
    enum class Kind { Text, Binary, Closed, Failed };
    Kind kind = Kind::Failed;
    std::string payload;              // Text/Binary
    std::uint16_t closeCode = 0;      // Closed: the code from the server's close frame
    std::string closeReason;          // Closed
    boost::system::error_code error;  // Failed (timed_out when nothing came in time)

    std::string describe() const;
};

class WsClient {
public:
    // Connects to ws://127.0.0.1:port/<target>; throws on failure.
    // `from`: the local address to connect from (any of 127.0.0.0/8, to look like another client).
    // `headers` are added to the upgrade request, or replace its own (Host, say).
    using Headers = std::vector<std::pair<std::string, std::string>>;
    explicit WsClient(std::uint16_t port, std::string_view target = "/ws", std::string_view from = "127.0.0.1",
                      const Headers& headers = {});
    WsClient(const WsClient&) = delete;
    WsClient& operator=(const WsClient&) = delete;

    // Each message goes out as exactly one frame (no client-side fragmentation), so frame
    // size limits are tested as documented. Throws on failure.
    void sendText(std::string_view text);
    void sendBinary(std::string_view bytes);
    // For frames the server may refuse by closing: reports instead of throwing.
    boost::system::error_code trySendText(std::string_view text);

    Incoming read(std::chrono::milliseconds limit = kReplyTimeout);
    // Normal close (1000), bounded; errors are ignored since the peer may already be gone.
    void close();
    bool isOpen() const { return ws_.is_open(); }

private:
    boost::system::error_code write(std::string_view data, bool binary);
    void abort();

    boost::asio::io_context io_;
    boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_{io_};
    boost::beast::flat_buffer buffer_;
};

}  // namespace parley::itest
