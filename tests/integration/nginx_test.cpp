// Parley behind a real nginx, configured with docs/operations.md's own `location / { }` block
// (read from the document, so the test fails when the documented configuration does): users
// get their own per-address limits through the proxy (--trusted-proxy), probes are never
// refused, and the WebSocket works on a port other than 443 (Host keeps the port); on SIGTERM
// a balancer checking /ready through nginx sees 503 while the call goes on, then the call is
// closed with 1001 through nginx.
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>
#include <memory>
#include <sstream>

#include "http_get.hpp"
#include "nginx_process.hpp"
#include "peer.hpp"
#include "server_process.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

class BehindNginx : public ServerSuite<BehindNginx> {
public:
    static std::vector<std::string> serverFlags() {
        return {"--trusted-proxy", "127.0.0.1", "--allowed-host", "meet.test",
                "--max-connections-per-ip", "2", "--max-seats-per-ip", "1"};
    }

    static void SetUpTestSuite() {
        ServerSuite<BehindNginx>::SetUpTestSuite();
        const auto nginx = NginxProcess::executable();
        if (!nginx) {
            skipReason_ = "nginx is not installed (script/bootstrap installs Debian's nginx)";
            return;
        }
        try {
            std::ifstream in(PARLEY_SOURCE_DIR "/docs/operations.md");
            std::stringstream doc;
            doc << in.rdbuf();
            nginx_ = std::make_unique<NginxProcess>(*nginx, documentedLocation(doc.str()), port());
        } catch (const std::exception& e) {
            nginxError_ = e.what();
        }
    }
    static void TearDownTestSuite() {
        nginx_.reset();
        ServerSuite<BehindNginx>::TearDownTestSuite();
    }

protected:
    void SetUp() override {
        ServerSuite<BehindNginx>::SetUp();
        if (!skipReason_.empty()) GTEST_SKIP() << skipReason_;
        ASSERT_TRUE(nginx_) << "nginx did not start: " << nginxError_;
    }

    static std::uint16_t proxyPort() { return nginx_->port(); }
    // The page's own origin and Host, as a browser on http://meet.test:<port>/ sends them.
    static std::string site() { return "meet.test:" + std::to_string(proxyPort()); }
    static WsClient::Headers browserHeaders() {
        return {{"Host", site()}, {"Origin", "http://" + site()}};
    }
    static std::unique_ptr<Peer> browser(const char* from) {
        return std::make_unique<Peer>(proxyPort(), from, browserHeaders());
    }
    static HttpResponse viaProxy(std::string_view target, const char* from, bool upgrade = false,
                                 WsClient::Headers extra = {}) {
        HttpCall call;
        call.target = std::string(target);
        call.from = from;
        if (upgrade) call.headers = upgradeHeaders("http://" + site());
        call.headers.emplace_back("Host", site());
        for (auto& header : extra) call.headers.push_back(std::move(header));
        return httpCall(proxyPort(), call);
    }

private:
    static inline std::unique_ptr<NginxProcess> nginx_;
    static inline std::string nginxError_;
    static inline std::string skipReason_;
};

TEST_F(BehindNginx, TheWebSocketWorksOnAPortOtherThan443) {
    auto alice = browser("127.0.0.4");
    alice->join(uniqueRoom("nginx"), "Alice");
    alice->expectNothingPending();
    const auto foreign = viaProxy("/ws", "127.0.0.4", false,
                                  {{"Connection", "Upgrade"}, {"Upgrade", "websocket"},
                                   {"Sec-WebSocket-Version", "13"},
                                   {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                   {"Origin", "http://evil.test:" + std::to_string(proxyPort())}});
    EXPECT_EQ(foreign.status, 403u) << "another site's page is still refused: " << foreign.body;
}

TEST_F(BehindNginx, EachUserGetsTheirOwnLimits) {
    const std::string room = uniqueRoom("nginx");
    auto first = browser("127.0.0.2");
    first->join(room, "Alice");
    auto second = browser("127.0.0.2");
    json::object join{{"type", "join"}, {"v", 1}, {"room", room}, {"name", "Alice again"}};
    second->expectRefusal(join, "too-many-seats");  // --max-seats-per-ip 1, by Alice's address

    // Alice's address holds its two connections (--max-connections-per-ip 2).
    const auto third = viaProxy("/ws", "127.0.0.2", true);
    EXPECT_EQ(third.status, 429u) << third.body;
    EXPECT_NE(third.body.find("too-many-connections"), std::string::npos) << third.body;
    const auto spoofed = viaProxy("/ws", "127.0.0.2", true, {{"X-Forwarded-For", "192.0.2.77"}});
    EXPECT_EQ(spoofed.status, 429u) << "an X-Forwarded-For of her own changes nothing: " << spoofed.body;

    // Probes through the proxy from the same address, and straight to Parley on loopback.
    for (const char* probe : {"/health", "/ready", "/metrics"}) {
        EXPECT_EQ(viaProxy(probe, "127.0.0.2").status, 200u) << probe;
        EXPECT_EQ(httpGet(port(), probe).status, 200u) << probe;
    }

    // Bob, behind the same proxy, is someone else.
    auto bob = browser("127.0.0.3");
    bob->join(room, "Bob");
    first->expect("participant-joined");
    bob->expectNothingPending();
}

// Its own Parley (stopping it is the point) and nginx in front, as in "Upgrades and restarts".
class DrainBehindNginx : public ::testing::Test {};

TEST_F(DrainBehindNginx, ReadyIs503ThroughTheProxyWhileTheCallGoesOnThenItGets1001) {
    const auto executable = NginxProcess::executable();
    if (!executable) GTEST_SKIP() << "nginx is not installed (script/bootstrap installs Debian's nginx)";
    ServerProcess server({"--trusted-proxy", "127.0.0.1", "--drain-seconds", "2"});
    std::ifstream in(PARLEY_SOURCE_DIR "/docs/operations.md");
    std::stringstream doc;
    doc << in.rdbuf();
    NginxProcess nginx(*executable, documentedLocation(doc.str()), server.port());
    const std::string site = "127.0.0.1:" + std::to_string(nginx.port());
    Peer alice(nginx.port(), "127.0.0.2", {{"Host", site}, {"Origin", "http://" + site}});
    alice.join(uniqueRoom("nginx-drain"), "Alice");
    const auto ready = [&] {
        HttpCall call;
        call.target = "/ready";
        call.headers.emplace_back("Host", site);
        return httpCall(nginx.port(), call);
    };
    ASSERT_EQ(ready().status, 200u);

    server.sendSignal(SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    auto response = ready();
    while (response.status != 503 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        response = ready();
    }
    ASSERT_EQ(response.status, 503u) << "/ready through nginx never said 503 after SIGTERM";
    alice.expectNothingPending();  // the call goes on through the drain

    Incoming closing = alice.socket().read(std::chrono::seconds(8));
    for (int skipped = 0; closing.kind == Incoming::Kind::Text && skipped < 10; ++skipped) {
        closing = alice.socket().read(std::chrono::seconds(8));
    }
    ASSERT_EQ(closing.kind, Incoming::Kind::Closed) << closing.describe();
    EXPECT_EQ(closing.closeCode, 1001) << "nginx passes the server's close on";
    const auto status = server.waitForExit(std::chrono::seconds(5));
    ASSERT_TRUE(status) << "parley still runs 5 s after the drain";
    ASSERT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 0);
}

}  // namespace
}  // namespace parley::itest
