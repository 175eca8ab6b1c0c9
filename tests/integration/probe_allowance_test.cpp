// Probes from an address at its connection limit: /health, /ready and /metrics are answered on
// a probation place (4 per address, 64 in all, one request each), anything else gets 429
// too-many-connections, and a flood of further connections is closed at accept — the places
// on probation never grow past their bounds.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "http_get.hpp"
#include "peer.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

bool soonTrue(const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

// Connections that say nothing, from one local address each (a flood).
class SilentConnections {
public:
    void open(std::uint16_t port, const std::string& from, int count) {
        for (int i = 0; i < count; ++i) {
            auto& socket = sockets_.emplace_back(io_);
            socket.open(tcp::v4());
            socket.bind(tcp::endpoint(asio::ip::make_address(from), 0));
            socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
            socket.non_blocking(true);
        }
    }
    // How many the server has not closed (a read that would block: still open).
    std::size_t stillOpen() {
        std::size_t open = 0;
        for (auto& socket : sockets_) {
            if (!socket.is_open()) continue;
            std::array<char, 16> sink{};
            boost::system::error_code error;
            socket.read_some(asio::buffer(sink), error);
            if (error == asio::error::would_block) {
                ++open;
            } else {
                socket.close(error);  // closed or reset by the server: counted once
            }
        }
        return open;
    }
    void closeAll() { sockets_.clear(); }

private:
    asio::io_context io_;
    std::vector<tcp::socket> sockets_;
};

HttpResponse probeCall(std::uint16_t port, std::string target, std::string from = "127.0.0.1") {
    HttpCall request;
    request.target = std::move(target);
    request.from = std::move(from);
    if (request.target == "/ws") request.headers = upgradeHeaders();
    return httpCall(port, request);
}

// A gauge or counter from /metrics, scraped from an address no test here crowds.
long probeMetric(std::uint16_t port, const std::string& name) {
    const auto body = probeCall(port, "/metrics", "127.0.0.250").body;
    const auto at = body.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::stol(body.substr(at + name.size() + 2));
}

class ProbeAllowance : public ServerSuite<ProbeAllowance> {};  // the default 64 per address

TEST_F(ProbeAllowance, ProbesAreAnsweredAtTheLimitAndAFloodStaysBounded) {
    std::vector<std::unique_ptr<Peer>> held;
    for (int i = 0; i < 64; ++i) held.push_back(std::make_unique<Peer>(port()));
    for (auto& peer : held) peer->expectNothingPending();  // all 64 served

    for (const char* probe : {"/health", "/ready", "/metrics"}) {
        EXPECT_EQ(probeCall(port(), probe).status, 200u) << probe << " from an address at its limit";
    }
    const auto refused = probeCall(port(), "/ws");
    EXPECT_EQ(refused.status, 429u) << "a WebSocket over the limit is refused";
    EXPECT_NE(refused.body.find("too-many-connections"), std::string::npos) << refused.body;
    EXPECT_EQ(probeCall(port(), "/").status, 429u) << "so is any other page";

    // 40 silent connections more: 4 are let in on probation (each until its first request's
    // deadline), the other 36 are closed at accept.
    SilentConnections flood;
    flood.open(port(), "127.0.0.1", 40);
    EXPECT_TRUE(soonTrue([&] { return flood.stillOpen() == 4; }));
    EXPECT_EQ(probeMetric(port(), "parley_connections_on_probation"), 4);
    EXPECT_ANY_THROW(probeCall(port(), "/health")) << "the flooding address has no place left";
    EXPECT_EQ(probeCall(port(), "/health", "127.0.0.2").status, 200u) << "another address is served";

    flood.closeAll();
    EXPECT_TRUE(soonTrue([&] { return probeMetric(port(), "parley_connections_on_probation") == 0; }));
    EXPECT_EQ(probeCall(port(), "/ready").status, 200u) << "places come back when the flood ends";
    EXPECT_GE(probeMetric(port(), "parley_connections_refused_total{reason=\"per-address\"}"), 38);
}

class ProbationTotal : public ServerSuite<ProbationTotal> {
public:
    static std::vector<std::string> serverFlags() { return {"--max-connections-per-ip", "2"}; }
};

TEST_F(ProbationTotal, ManyAddressesTogetherGetNoMoreThanSixtyFourPlaces) {
    // 20 addresses, each at its limit of 2, then 6 more from each: 4 each would be 80 on
    // probation, but the server keeps 64 in all.
    SilentConnections held, flood;
    for (int i = 0; i < 20; ++i) held.open(port(), "127.0.1." + std::to_string(i + 1), 2);
    ASSERT_TRUE(soonTrue([&] { return held.stillOpen() == 40; }));
    for (int i = 0; i < 20; ++i) flood.open(port(), "127.0.1." + std::to_string(i + 1), 6);
    EXPECT_TRUE(soonTrue([&] { return flood.stillOpen() == 64; }));
    EXPECT_EQ(probeMetric(port(), "parley_connections_on_probation"), 64);
}

}  // namespace
}  // namespace parley::itest
