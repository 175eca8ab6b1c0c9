// What an operator reads: /metrics, /ready, the admin trace; and invitation tokens end to end.
#include <cstdlib>

#include "auth/room_token.hpp"
#include "http_get.hpp"
#include "peer.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

class Observability : public ServerSuite<Observability> {
public:
    static std::vector<std::string> serverFlags() {
        // The token secret comes by flag here; operators should prefer the environment.
        return {"--admin-token", "admin-secret", "--token-secret", "room-secret"};
    }
};

TEST_F(Observability, MetricsCountWhatHappened) {
    const auto room = uniqueRoom("metrics");
    Peer alice(port()), bob(port());
    alice.join(room, "Alice");
    bob.join(room, "Bob");
    alice.expect("participant-joined");
    json::object offer{{"type", "offer"}, {"req", 1}, {"to", bob.id()}, {"sdp", "v=0"}};
    EXPECT_EQ(str(alice.request(offer), "type"), "ok");
    alice.expectRefusal({{"type", "offer"}, {"req", 2}, {"to", "p-nobody"}, {"sdp", "v=0"}}, "target-not-found");

    const auto metrics = httpGet(port(), "/metrics");
    EXPECT_EQ(metrics.status, 200u);
    EXPECT_TRUE(metrics.contentType.starts_with("text/plain")) << metrics.contentType;
    const auto& body = metrics.body;
    EXPECT_NE(body.find("parley_build_info{version=\""), std::string::npos) << body;
    EXPECT_NE(body.find("parley_relays_total{kind=\"offer\",outcome=\"delivered\"} "), std::string::npos);
    EXPECT_EQ(body.find("parley_relays_total{kind=\"offer\",outcome=\"delivered\"} 0\n"), std::string::npos)
        << "a delivered offer was counted";
    EXPECT_EQ(body.find("parley_errors_total{code=\"target-not-found\"} 0\n"), std::string::npos);
    EXPECT_EQ(body.find("parley_connections 0\n"), std::string::npos);
}

TEST_F(Observability, ReadyWhileServing) {
    const auto ready = httpGet(port(), "/ready");
    EXPECT_EQ(ready.status, 200u);
    EXPECT_NE(ready.body.find("ready"), std::string::npos);
}

TEST_F(Observability, AdminTraceNeedsTheTokenAndShowsTheRelays) {
    const auto room = uniqueRoom("trace");
    Peer alice(port()), bob(port());
    alice.join(room, "Alice");
    bob.join(room, "Bob");
    alice.expect("participant-joined");
    alice.request({{"type", "offer"}, {"req", 1}, {"to", bob.id()}, {"sdp", "v=0\r\na=ice-ufrag:abcd\r\n"}});

    EXPECT_EQ(httpGet(port(), "/admin/rooms/" + room + "/trace").status, 401u);
    EXPECT_EQ(httpGet(port(), "/admin/rooms/" + room + "/trace", "Bearer wrong").status, 401u);
    EXPECT_EQ(httpGet(port(), "/admin/rooms/no-such-room/trace", "Bearer admin-secret").status, 404u);
    const auto trace = httpGet(port(), "/admin/rooms/" + room + "/trace", "Bearer admin-secret");
    ASSERT_EQ(trace.status, 200u);
    auto doc = json::parse(trace.body).as_object();
    EXPECT_EQ(str(doc, "room"), room);
    bool sawOffer = false;
    for (const auto& step : doc.at("steps").as_array()) {
        const auto& s = step.as_object();
        if (s.at("kind") == "offer" && s.at("from").as_string() == alice.id() && s.at("to").as_string() == bob.id()) {
            sawOffer = s.at("outcome") == "delivered";
        }
    }
    EXPECT_TRUE(sawOffer) << trace.body;
}

TEST_F(Observability, InvitationTokenMakesItsHolderHost) {
    const auto room = uniqueRoom("token");
    Peer first(port()), teacher(port());
    auto joined = first.join(room, "Early");
    EXPECT_EQ(str(field(joined, "you").as_object(), "role"), "host");
    const auto token = auth::mintRoomToken({room, "Teacher", true, std::time(nullptr) + 600}, "room-secret");
    auto reply = teacher.request({{"type", "join"}, {"req", 1}, {"v", 1}, {"room", room}, {"name", "x"}, {"token", token}});
    ASSERT_EQ(str(reply, "type"), "joined") << json::serialize(reply);
    EXPECT_EQ(str(field(reply, "you").as_object(), "role"), "host");
    EXPECT_EQ(str(field(reply, "you").as_object(), "name"), "Teacher");
    Peer intruder(port());
    const auto forged = auth::mintRoomToken({room, "", true, std::time(nullptr) + 600}, "guessed-secret");
    intruder.expectRefusal({{"type", "join"}, {"req", 1}, {"v", 1}, {"room", room}, {"name", "x"}, {"token", forged}},
                           "invalid-token");
}

}  // namespace
}  // namespace parley::itest
