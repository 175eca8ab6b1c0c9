// Parley behind a real nginx, configured with docs/operations.md's own `location / { }` block
// (read from the document, so the test fails when the documented configuration does): users
// get their own per-address limits through the proxy (--trusted-proxy), probes are never
// refused, and the WebSocket works on a port other than 443 (Host keeps the port).
#include <fstream>
#include <memory>
#include <sstream>

#include "http_get.hpp"
#include "nginx_process.hpp"
#include "peer.hpp"
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

}  // namespace
}  // namespace parley::itest
