// Which pages may open /ws: by default the server's own (Origin matches Host) and clients that
// send no Origin; --allowed-origin adds others. Anything else gets HTTP 403 origin-not-allowed.
#include <vector>

#include "http_get.hpp"
#include "peer.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

HttpResponse upgradeFrom(std::uint16_t port, std::string_view origin) {
    HttpCall call;
    call.target = "/ws";
    call.headers = upgradeHeaders(origin);
    return httpCall(port, call);
}

class OriginDefault : public ServerSuite<OriginDefault> {};

TEST_F(OriginDefault, TheServersOwnPagesAndNonBrowsersMayConnect) {
    EXPECT_EQ(upgradeFrom(port(), "http://127.0.0.1:" + std::to_string(port())).status, 101u);
    EXPECT_EQ(upgradeFrom(port(), "").status, 101u);
    Peer peer(port());  // the test client sends no Origin
    peer.join(uniqueRoom("origin"), "Alice");
}

TEST_F(OriginDefault, OtherSitesGet403) {
    for (const std::string& origin : std::vector<std::string>{
             "https://evil.example", "http://127.0.0.1:1",
             "http://localhost:" + std::to_string(port()), "null"}) {
        const auto refused = upgradeFrom(port(), origin);
        EXPECT_EQ(refused.status, 403u) << origin;
        EXPECT_NE(refused.body.find("origin-not-allowed"), std::string::npos) << refused.body;
    }
}

class OriginAllowlist : public ServerSuite<OriginAllowlist> {
public:
    static std::vector<std::string> serverFlags() {
        return {"--allowed-origin", "https://app.example.com", "--allowed-origin", "http://meet.test:8080/"};
    }
};

TEST_F(OriginAllowlist, ListedOriginsAreAddedToTheServersOwn) {
    EXPECT_EQ(upgradeFrom(port(), "https://app.example.com").status, 101u);
    EXPECT_EQ(upgradeFrom(port(), "https://APP.example.com:443").status, 101u);
    EXPECT_EQ(upgradeFrom(port(), "http://meet.test:8080").status, 101u);
    EXPECT_EQ(upgradeFrom(port(), "http://127.0.0.1:" + std::to_string(port())).status, 101u);
    EXPECT_EQ(upgradeFrom(port(), "http://app.example.com").status, 403u) << "another scheme";
    EXPECT_EQ(upgradeFrom(port(), "https://evil.example").status, 403u);
}

}  // namespace
}  // namespace parley::itest
