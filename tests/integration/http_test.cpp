// The HTTP side of the same port: /health, the embedded client, 404s, no path traversal.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <thread>

#include "http_get.hpp"
#include "peer.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

// --resume-grace 0: a closed socket's participant leaves at once, so counts settle quickly.
class Http : public ServerSuite<Http> {
public:
    static std::vector<std::string> serverFlags() { return {"--resume-grace", "0"}; }
};

bool isHtml(const HttpResponse& response) {
    std::string body = response.body.substr(0, 512);
    std::transform(body.begin(), body.end(), body.begin(), [](unsigned char c) { return std::tolower(c); });
    return response.contentType.starts_with("text/html") &&
           (body.find("<!doctype html") != std::string::npos || body.find("<html") != std::string::npos);
}

json::object health(std::uint16_t port) {
    const auto response = httpGet(port, "/health");
    EXPECT_EQ(response.status, 200u);
    EXPECT_TRUE(response.contentType.starts_with("application/json")) << response.contentType;
    boost::system::error_code ec;
    auto value = json::parse(response.body, ec);
    if (ec || !value.is_object()) throw std::runtime_error("/health is not a JSON object: " + response.body);
    return value.as_object();
}

std::int64_t count(const json::object& health, std::string_view key) {
    const auto& value = field(health, key);
    if (!value.is_int64()) throw std::runtime_error(std::string(key) + " is not an integer: " + json::serialize(health));
    return value.as_int64();
}

TEST_F(Http, HealthReportsStatusVersionAndUptime) {
    const auto report = health(port());
    EXPECT_EQ(str(report, "status"), "ok");
    EXPECT_FALSE(str(report, "version").empty());
    ASSERT_TRUE(field(report, "uptimeSeconds").is_number()) << json::serialize(report);
    EXPECT_GE(field(report, "uptimeSeconds").to_number<double>(), 0.0);
}

TEST_F(Http, HealthCountsConnectionsRoomsAndParticipants) {
    // Alone on this server: the suite's other tests leave nothing open behind them.
    const auto before = health(port());
    EXPECT_EQ(count(before, "rooms"), 0) << json::serialize(before);
    EXPECT_EQ(count(before, "participants"), 0) << json::serialize(before);

    const auto first = uniqueRoom("health");
    const auto second = uniqueRoom("health");
    Peer alice(port()), bob(port()), carol(port()), lurker(port());
    alice.join(first, "Alice");
    bob.join(first, "Bob");
    carol.join(second, "Carol");
    lurker.expectNothingPending();  // connected and served, never joined

    const auto during = health(port());
    EXPECT_EQ(count(during, "rooms"), 2) << json::serialize(during);
    EXPECT_EQ(count(during, "participants"), 3) << json::serialize(during);
    // Four WebSockets; whether the /health request itself counts is not specified.
    EXPECT_GE(count(during, "connections"), 4) << json::serialize(during);
    EXPECT_LE(count(during, "connections"), 5) << json::serialize(during);

    EXPECT_EQ(str(carol.request({{"type", "leave"}}), "type"), "ok");
    const auto afterLeave = health(port());
    EXPECT_EQ(count(afterLeave, "rooms"), 1) << json::serialize(afterLeave);
    EXPECT_EQ(count(afterLeave, "participants"), 2) << json::serialize(afterLeave);
    EXPECT_GE(count(afterLeave, "connections"), 4) << json::serialize(afterLeave);

    // A closed socket is forgotten: the room hears of it at once, the connection count follows
    // as soon as the server has torn the socket down (polled, bounded).
    bob.socket().close();
    alice.expect("participant-joined");
    EXPECT_EQ(str(alice.expect("participant-left"), "reason"), "disconnected");
    json::object afterClose = health(port());
    for (int attempt = 0; attempt < 200 && count(afterClose, "connections") > 4; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        afterClose = health(port());
    }
    EXPECT_EQ(count(afterClose, "rooms"), 1) << json::serialize(afterClose);
    EXPECT_EQ(count(afterClose, "participants"), 1) << json::serialize(afterClose);
    EXPECT_GE(count(afterClose, "connections"), 3) << json::serialize(afterClose);
    EXPECT_LE(count(afterClose, "connections"), 4) << json::serialize(afterClose);
}

TEST_F(Http, RootServesTheClient) {
    const auto response = httpGet(port(), "/");
    EXPECT_EQ(response.status, 200u);
    EXPECT_TRUE(isHtml(response)) << response.contentType << "\n" << response.body.substr(0, 200);
}

TEST_F(Http, RoomLinksServeTheClient) {
    for (std::string_view target : {"/r/x", "/r/brave-otter-417"}) {
        SCOPED_TRACE(target);
        const auto response = httpGet(port(), target);
        EXPECT_EQ(response.status, 200u);
        EXPECT_TRUE(isHtml(response)) << response.contentType << "\n" << response.body.substr(0, 200);
    }
}

TEST_F(Http, AMissingFileIs404) {
    for (std::string_view target : {"/no-such-file.js", "/no/such/dir/style.css"}) {
        SCOPED_TRACE(target);
        EXPECT_EQ(httpGet(port(), target).status, 404u);
    }
}

TEST_F(Http, PathTraversalNeverReachesTheFileSystem) {
    for (std::string_view target :
         {"/../../etc/passwd", "/../../../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
          "/..%2f..%2f..%2fetc%2fpasswd", "/static/../../../etc/passwd", "/....//....//etc/passwd",
          "/%2e%2e%2f%2e%2e%2fetc%2fpasswd"}) {
        SCOPED_TRACE(target);
        const auto response = httpGet(port(), target);
        EXPECT_GE(response.status, 400u);
        EXPECT_LT(response.status, 500u);
        EXPECT_EQ(response.body.find("root:"), std::string::npos);
    }
}

TEST_F(Http, WebSocketUpgradeIsOnlyAtWs) {
    EXPECT_THROW(WsClient(port(), "/not-ws"), std::runtime_error);
    WsClient ok(port(), "/ws");
    EXPECT_TRUE(ok.isOpen());
}

}  // namespace
}  // namespace parley::itest
