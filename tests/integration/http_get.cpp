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

namespace {

HttpResponse exchange(http::verb method, std::uint16_t port, std::string_view target,
                      std::string_view authorization) {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    auto abort = [&] {
        boost::system::error_code ignored;
        socket.close(ignored);
    };
    const asio::ip::tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
    auto ec = runWithDeadline(
        io, kReplyTimeout, [&](auto handler) { socket.async_connect(endpoint, std::move(handler)); },
        abort);
    if (ec) throw std::runtime_error("HTTP connect: " + ec.message());

    http::request<http::empty_body> request(method, target, 11);
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    request.set(http::field::connection, "close");
    if (!authorization.empty()) request.set(http::field::authorization, authorization);
    if (method == http::verb::post) request.content_length(0);
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
    return {response.result_int(), std::string(response[http::field::content_type]), response.body()};
}

}  // namespace

HttpResponse httpGet(std::uint16_t port, std::string_view target, std::string_view authorization) {
    return exchange(http::verb::get, port, target, authorization);
}

HttpResponse httpPost(std::uint16_t port, std::string_view target) {
    return exchange(http::verb::post, port, target, {});
}

}  // namespace parley::itest
