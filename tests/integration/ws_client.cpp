#include "ws_client.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <stdexcept>

namespace parley::itest {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using boost::system::error_code;

std::string Incoming::describe() const {
    switch (kind) {
    case Kind::Text: return "text frame " + payload;
    case Kind::Binary: return "binary frame of " + std::to_string(payload.size()) + " bytes";
    case Kind::Closed:
        return "close frame " + std::to_string(closeCode) + " '" + closeReason + "'";
    case Kind::Failed: return "read failure: " + error.message();
    }
    return "?";
}

WsClient::WsClient(std::uint16_t port, std::string_view target, std::string_view from,
                   const Headers& headers) {
    const asio::ip::tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
    error_code ec;
    ws_.next_layer().open(asio::ip::tcp::v4(), ec);
    if (!ec) ws_.next_layer().bind({asio::ip::make_address_v4(std::string(from)), 0}, ec);
    if (ec) throw std::runtime_error("bind to " + std::string(from) + ": " + ec.message());
    ec = runWithDeadline(
        io_, kReplyTimeout,
        [&](auto handler) { ws_.next_layer().async_connect(endpoint, std::move(handler)); },
        [&] { abort(); });
    if (ec) throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) + ": " + ec.message());

    // As browsers do: without it, a large message's last segment waits out the server's
    // delayed ACK (Nagle), ~40 ms per request.
    ws_.next_layer().set_option(asio::ip::tcp::no_delay(true), ec);
    ws_.auto_fragment(false);
    if (!headers.empty()) {
        ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& request) {
            for (const auto& [name, value] : headers) request.set(name, value);
        }));
    }
    ec = runWithDeadline(
        io_, kReplyTimeout,
        [&](auto handler) {
            ws_.async_handshake("127.0.0.1:" + std::to_string(port), std::string(target),
                                std::move(handler));
        },
        [&] { abort(); });
    if (ec) throw std::runtime_error("WebSocket handshake: " + ec.message());
}

void WsClient::abort() {
    error_code ignored;
    ws_.next_layer().close(ignored);
}

error_code WsClient::write(std::string_view data, bool binary) {
    ws_.binary(binary);
    return runWithDeadline(
        io_, kReplyTimeout,
        [&](auto handler) { ws_.async_write(asio::buffer(data.data(), data.size()), std::move(handler)); },
        [&] { abort(); });
}

void WsClient::sendText(std::string_view text) {
    if (auto ec = write(text, false)) throw std::runtime_error("WebSocket write: " + ec.message());
}

void WsClient::sendBinary(std::string_view bytes) {
    if (auto ec = write(bytes, true)) throw std::runtime_error("WebSocket write: " + ec.message());
}

error_code WsClient::trySendText(std::string_view text) { return write(text, false); }

Incoming WsClient::read(std::chrono::milliseconds limit) {
    Incoming in;
    buffer_.clear();
    const auto ec = runWithDeadline(
        io_, limit, [&](auto handler) { ws_.async_read(buffer_, std::move(handler)); },
        [&] { abort(); });
    if (ec == websocket::error::closed) {
        in.kind = Incoming::Kind::Closed;
        in.closeCode = static_cast<std::uint16_t>(ws_.reason().code);
        in.closeReason = std::string(ws_.reason().reason.c_str());
    } else if (ec) {
        in.kind = Incoming::Kind::Failed;
        in.error = ec;
    } else {
        in.kind = ws_.got_text() ? Incoming::Kind::Text : Incoming::Kind::Binary;
        in.payload = beast::buffers_to_string(buffer_.data());
    }
    return in;
}

void WsClient::close() {
    if (!ws_.is_open()) return;
    runWithDeadline(
        io_, kReplyTimeout,
        [&](auto handler) { ws_.async_close(websocket::close_code::normal, std::move(handler)); },
        [&] { abort(); });
}

}  // namespace parley::itest
