// --trusted-proxy, spoken to directly (the nginx suite goes through a real proxy): a trusted
// peer's X-Forwarded-For names the client every per-address limit counts, anyone else's is
// ignored; probes (/health, /ready, /metrics) never count; --public-url admits a proxy's public
// origin and host.
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "http_get.hpp"
#include "peer.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

bool eventuallyBehindProxy(const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

HttpResponse requestFor(std::uint16_t port, std::string_view target, std::string_view client,
                        bool upgrade = false, std::string_view from = "127.0.0.1") {
    HttpCall call;
    call.target = std::string(target);
    call.from = std::string(from);
    if (upgrade) call.headers = upgradeHeaders();
    if (!client.empty()) call.headers.emplace_back("X-Forwarded-For", std::string(client));
    return httpCall(port, call);
}

std::unique_ptr<Peer> peerFor(std::uint16_t port, std::string_view client, std::string_view from = "127.0.0.1") {
    return std::make_unique<Peer>(port, from, WsClient::Headers{{"X-Forwarded-For", std::string(client)}});
}

class TrustedProxy : public ServerSuite<TrustedProxy> {
public:
    static std::vector<std::string> serverFlags() {
        return {"--trusted-proxy", "127.0.0.1", "--trusted-proxy", "10.0.0.0/8",
                "--max-connections-per-ip", "2", "--max-seats-per-ip", "1"};
    }
};

TEST_F(TrustedProxy, ConnectionsCountByTheForwardedClient) {
    // Each test of this suite uses client addresses of its own.
    auto first = peerFor(port(), "203.0.113.1");
    auto second = peerFor(port(), "198.51.100.9, 203.0.113.1");  // the client's own entry is skipped
    const auto refused = requestFor(port(), "/ws", "203.0.113.1", true);
    EXPECT_EQ(refused.status, 429u) << refused.body;
    EXPECT_NE(refused.body.find("too-many-connections"), std::string::npos) << refused.body;
    EXPECT_EQ(requestFor(port(), "/", "203.0.113.1").status, 429u) << "plain HTTP counts too";
    // A trusted load balancer (10/8) between the client and the proxy is skipped as well.
    EXPECT_EQ(requestFor(port(), "/", "203.0.113.1, 10.1.2.3").status, 429u);
    // Everyone else behind the same proxy is served.
    EXPECT_EQ(requestFor(port(), "/ws", "203.0.113.2", true).status, 101u);
    EXPECT_EQ(requestFor(port(), "/", "").status, 200u) << "the proxy host itself (no header)";
    // Probes are never counted against an address.
    for (const char* probe : {"/health", "/ready", "/metrics"}) {
        EXPECT_EQ(requestFor(port(), probe, "203.0.113.1").status, 200u) << probe;
    }
    first->expectNothingPending();
    second->expectNothingPending();

    first->socket().close();
    EXPECT_TRUE(eventuallyBehindProxy([&] { return requestFor(port(), "/", "203.0.113.1").status == 200; }))
        << "a closed WebSocket gives its client's place back";
    const auto metrics = httpGet(port(), "/metrics").body;
    EXPECT_EQ(metrics.find("parley_connections_refused_total{reason=\"per-address\"} 0"), std::string::npos)
        << metrics;
}

TEST_F(TrustedProxy, SeatsCountByTheForwardedClient) {
    auto alice = peerFor(port(), "203.0.113.11");
    alice->join(uniqueRoom("proxy"), "Alice");
    auto again = peerFor(port(), "203.0.113.11");
    json::object join{{"type", "join"}, {"v", 1}, {"room", uniqueRoom("proxy")}, {"name", "Alice 2"}};
    again->expectRefusal(join, "too-many-seats");
    auto bob = peerFor(port(), "203.0.113.12");
    bob->join(uniqueRoom("proxy"), "Bob");
}

TEST_F(TrustedProxy, AnUntrustedPeersHeaderIsIgnored) {
    // 127.0.0.2 is not a trusted proxy: its connections count as 127.0.0.2 at accept, whatever
    // X-Forwarded-For it writes.
    auto one = peerFor(port(), "203.0.113.21", "127.0.0.2");
    auto two = peerFor(port(), "203.0.113.22", "127.0.0.2");
    EXPECT_EQ(requestFor(port(), "/", "203.0.113.23", false, "127.0.0.2").status, 429u)
        << "the third connection from 127.0.0.2 is over its limit (probation: probes only)";
    json::object join{{"type", "join"}, {"v", 1}, {"room", uniqueRoom("proxy")}, {"name", "Eve"}};
    one->join(uniqueRoom("proxy"), "Eve");
    two->expectRefusal(join, "too-many-seats");
}

// Behind a proxy on a port of its own, with the proxy passing Host without the port (nginx's
// $host): the public URL names the page's origin and host.
class PublicUrl : public ServerSuite<PublicUrl> {
public:
    static std::vector<std::string> serverFlags() { return {"--public-url", "https://meet.test:8443/"}; }
};

HttpResponse upgradeWith(std::uint16_t port, std::string_view host, std::string_view origin) {
    HttpCall call;
    call.target = "/ws";
    call.headers = upgradeHeaders(origin);
    call.headers.emplace_back("Host", std::string(host));
    return httpCall(port, call);
}

TEST_F(PublicUrl, ItsOriginAndHostAreTheServersOwn) {
    EXPECT_EQ(upgradeWith(port(), "meet.test", "https://meet.test:8443").status, 101u);
    EXPECT_EQ(upgradeWith(port(), "meet.test:8443", "https://meet.test:8443").status, 101u);
    EXPECT_EQ(upgradeWith(port(), "MEET.test", "https://meet.test:8443").status, 101u);
    EXPECT_EQ(upgradeWith(port(), "meet.test", "https://meet.test:9443").status, 403u) << "another port";
    EXPECT_EQ(upgradeWith(port(), "meet.test", "http://meet.test:8443").status, 403u) << "another scheme";
    EXPECT_EQ(upgradeWith(port(), "other.test", "https://meet.test:8443").status, 421u) << "another host";
    HttpCall page;
    page.headers.emplace_back("Host", "meet.test");
    EXPECT_EQ(httpCall(port(), page).status, 200u);
}

class NoPublicUrl : public ServerSuite<NoPublicUrl> {
public:
    static std::vector<std::string> serverFlags() { return {"--allowed-host", "meet.test"}; }
};

TEST_F(NoPublicUrl, APortDroppedFromHostFailsTheOriginCheck) {
    // What the issue saw with `proxy_set_header Host $host` on a port other than 443.
    EXPECT_EQ(upgradeWith(port(), "meet.test", "https://meet.test:8443").status, 403u);
    // `proxy_set_header Host $http_host` keeps the port, and the page is its own origin.
    EXPECT_EQ(upgradeWith(port(), "meet.test:8443", "https://meet.test:8443").status, 101u);
}

}  // namespace
}  // namespace parley::itest
