#include "http_get.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <stdexcept>

#include "deadline.hpp"

namespace parley::itest {

namespace asio = boost::asio;
namespace http = boost::beast::http;

HttpResponse httpGet(std::uint16_t port, std::string_view target, std::string_view authorization) {
    HttpCall call;
    call.target = std::string(target);
    if (!authorization.empty()) call.headers.emplace_back("Authorization", std::string(authorization));
    return httpCall(port, call);
}

std::vector<std::pair<std::string, std::string>> upgradeHeaders(std::string_view origin) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Connection", "Upgrade"},
        {"Upgrade", "websocket"},
        {"Sec-WebSocket-Version", "13"},
        {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}};
    if (!origin.empty()) headers.emplace_back("Origin", std::string(origin));
    return headers;
}

HttpResponse httpCall(std::uint16_t port, const HttpCall& call) {
    const std::string_view target = call.target;
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    auto abort = [&] {
        boost::system::error_code ignored;
        socket.close(ignored);
    };
    const asio::ip::tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
    boost::system::error_code ec;
    socket.open(asio::ip::tcp::v4(), ec);
    if (!ec) socket.bind({asio::ip::make_address_v4(call.from), 0}, ec);
    if (ec) throw std::runtime_error("HTTP bind to " + call.from + ": " + ec.message());
    ec = runWithDeadline(
        io, kReplyTimeout, [&](auto handler) { socket.async_connect(endpoint, std::move(handler)); },
        abort);
    if (ec) throw std::runtime_error("HTTP connect: " + ec.message());

    http::request<http::string_body> request(http::string_to_verb(call.method), target, 11);
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    request.set(http::field::connection, "close");
    for (const auto& [name, value] : call.headers) request.set(name, value);
    if (!call.body.empty() || call.method == "POST") {
        request.body() = call.body;
        request.prepare_payload();
    }
    ec = runWithDeadline(
        io, kReplyTimeout, [&](auto handler) { http::async_write(socket, request, std::move(handler)); },
        abort);
    if (ec) throw std::runtime_error("HTTP write: " + ec.message());

    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    ec = runWithDeadline(
        io, kReplyTimeout,
        [&](auto handler) { http::async_read(socket, buffer, parser, std::move(handler)); }, abort);
    if (ec) throw std::runtime_error("HTTP read of " + std::string(target) + ": " + ec.message());

    const auto& response = parser.get();
    return {response.result_int(), std::string(response[http::field::content_type]), response.body(),
            std::string(response[http::field::location])};
}

HttpResponse httpPost(std::uint16_t port, std::string_view target) {
    HttpCall call;
    call.method = "POST";
    call.target = std::string(target);
    return httpCall(port, call);
}

}  // namespace parley::itest
