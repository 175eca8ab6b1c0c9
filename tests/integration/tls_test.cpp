// HTTPS and WSS for real: a self-signed certificate for 127.0.0.1 made with the openssl CLI at
// test time, parley started with --tls-cert/--tls-key, and a client that verifies it.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "deadline.hpp"
#include "http_get.hpp"
#include "peer.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

class Tls : public ServerSuite<Tls> {
public:
    static std::vector<std::string> serverFlags() {
        std::string pattern = std::filesystem::temp_directory_path().string() + "/parley-tls-XXXXXX";
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        dir_ = pattern;
        const std::string command =
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
            "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" + key() +
            "' -out '" + cert() + "' 2>/dev/null";
        if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl req failed: " + command);
        std::filesystem::create_directories(dir_ + "/acme/.well-known/acme-challenge");
        std::ofstream(dir_ + "/acme/.well-known/acme-challenge/tok-EN_1") << "tok-EN_1.thumbprint";
        redirectPort_ = unusedPort();
        return {"--tls-cert", cert(), "--tls-key", key(), "--redirect-http-port", std::to_string(redirectPort_),
                "--acme-challenge-dir", dir_ + "/acme"};
    }
    static void TearDownTestSuite() {
        ServerSuite<Tls>::TearDownTestSuite();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    static std::string cert() { return dir_ + "/cert.pem"; }
    static std::uint16_t redirectPort() { return redirectPort_; }
    // A port nobody listens on now (the server takes it a moment later).
    static std::uint16_t unusedPort() {
        asio::io_context io;
        tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
        return acceptor.local_endpoint().port();
    }
    static std::string key() { return dir_ + "/key.pem"; }

private:
    static inline std::string dir_;
    static inline std::uint16_t redirectPort_ = 0;
};

// A client context that trusts only the test's certificate and checks it names 127.0.0.1.
ssl::context clientContext(const std::string& trusted) {
    ssl::context context(ssl::context::tls_client);
    if (!trusted.empty()) context.load_verify_file(trusted);
    context.set_verify_mode(ssl::verify_peer);
    return context;
}

// Connects and completes the TLS handshake on `stream`; returns the handshake's error.
template <class Stream>
boost::system::error_code connectTls(asio::io_context& io, Stream& stream, std::uint16_t port) {
    auto& socket = beast::get_lowest_layer(stream);
    auto abort = [&] {
        boost::system::error_code ignored;
        socket.close(ignored);
    };
    const tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
    auto ec = runWithDeadline(io, kReplyTimeout, [&](auto h) { socket.async_connect(endpoint, std::move(h)); }, abort);
    if (ec) throw std::runtime_error("connect: " + ec.message());
    stream.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    return runWithDeadline(io, kReplyTimeout,
                           [&](auto h) { stream.async_handshake(ssl::stream_base::client, std::move(h)); }, abort);
}

TEST_F(Tls, HealthOverHttps) {
    asio::io_context io;
    auto context = clientContext(cert());
    beast::ssl_stream<tcp::socket> stream(io, context);
    ASSERT_FALSE(connectTls(io, stream, port())) << "TLS handshake";
    auto abort = [&] {
        boost::system::error_code ignored;
        beast::get_lowest_layer(stream).close(ignored);
    };

    http::request<http::empty_body> request(http::verb::get, "/health", 11);
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port()));
    request.set(http::field::connection, "close");
    ASSERT_FALSE(runWithDeadline(io, kReplyTimeout,
                                 [&](auto h) { http::async_write(stream, request, std::move(h)); }, abort));
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    ASSERT_FALSE(runWithDeadline(io, kReplyTimeout,
                                 [&](auto h) { http::async_read(stream, buffer, response, std::move(h)); }, abort));
    EXPECT_EQ(response.result_int(), 200u);
    const auto health = boost::json::parse(response.body()).as_object();
    EXPECT_EQ(health.at("status"), "ok") << response.body();
}

TEST_F(Tls, JoinOverWss) {
    asio::io_context io;
    auto context = clientContext(cert());
    websocket::stream<beast::ssl_stream<tcp::socket>> ws(io, context);
    ASSERT_FALSE(connectTls(io, ws.next_layer(), port())) << "TLS handshake";
    auto abort = [&] {
        boost::system::error_code ignored;
        beast::get_lowest_layer(ws).close(ignored);
    };
    ASSERT_FALSE(runWithDeadline(io, kReplyTimeout, [&](auto h) {
        ws.async_handshake("127.0.0.1:" + std::to_string(port()), "/ws", std::move(h));
    }, abort)) << "WebSocket handshake";

    const std::string join = json::serialize(json::object{
        {"type", "join"}, {"req", 1}, {"v", 1}, {"room", uniqueRoom("tls")}, {"name", "Alice"}});
    ws.text(true);
    ASSERT_FALSE(runWithDeadline(io, kReplyTimeout,
                                 [&](auto h) { ws.async_write(asio::buffer(join), std::move(h)); }, abort));
    beast::flat_buffer buffer;
    ASSERT_FALSE(runWithDeadline(io, kReplyTimeout, [&](auto h) { ws.async_read(buffer, std::move(h)); }, abort));
    const auto joined = json::parse(beast::buffers_to_string(buffer.data())).as_object();
    EXPECT_EQ(str(joined, "type"), "joined") << json::serialize(joined);
    EXPECT_EQ(str(field(joined, "you").as_object(), "name"), "Alice");
}

TEST_F(Tls, AClientThatDoesNotTrustTheCertificateFailsTheHandshake) {
    // Proves the tests above really verified the certificate rather than skipping the check.
    asio::io_context io;
    auto context = clientContext("");
    beast::ssl_stream<tcp::socket> stream(io, context);
    EXPECT_TRUE(connectTls(io, stream, port()));
}

// Plain HTTP beside direct TLS (--redirect-http-port): a link typed as http:// reaches the same
// page on HTTPS; a host the server does not answer to is refused; certbot's challenge is served.
TEST_F(Tls, PlainHttpIsRedirectedToTheSamePathOnHttps) {
    HttpCall typed;
    typed.target = "/r/maths?lang=ru";
    typed.headers.emplace_back("Host", "127.0.0.1:" + std::to_string(redirectPort()));
    const auto redirected = httpCall(redirectPort(), typed);
    EXPECT_EQ(redirected.status, 308u);
    EXPECT_EQ(redirected.location, "https://127.0.0.1:" + std::to_string(port()) + "/r/maths?lang=ru");

    HttpCall rebound = typed;
    rebound.headers = {{"Host", "rebind.attacker.example"}};
    const auto refused = httpCall(redirectPort(), rebound);
    EXPECT_EQ(refused.status, 421u);
    EXPECT_TRUE(refused.location.empty());

    HttpCall offSite = typed;
    offSite.target = "//evil.example/";
    EXPECT_EQ(httpCall(redirectPort(), offSite).status, 400u);

    const auto challenge = httpGet(redirectPort(), "/.well-known/acme-challenge/tok-EN_1");
    EXPECT_EQ(challenge.status, 200u);
    EXPECT_EQ(challenge.body, "tok-EN_1.thumbprint");
    EXPECT_EQ(httpGet(redirectPort(), "/.well-known/acme-challenge/missing").status, 404u);
    EXPECT_EQ(httpGet(redirectPort(), "/.well-known/acme-challenge/..%2Fcert.pem").status, 308u)
        << "not a token: redirected like any path, never read from disk";
}

}  // namespace
}  // namespace parley::itest
