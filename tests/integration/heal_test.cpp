// Calls that heal themselves: a reloaded page takes its place back with a snapshot resume, and
// the test-only drop hook cuts a socket the way a network blip does (only with --test-hooks).
#include "http_get.hpp"
#include "peer.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

class Heal : public ServerSuite<Heal> {
public:
    static std::vector<std::string> serverFlags() { return {"--test-hooks"}; }
};

TEST_F(Heal, AReloadedPageTakesItsPlaceBackWithASnapshotAndOthersRebuild) {
    const auto room = uniqueRoom("reload");
    Peer alice(port());
    alice.join(room, "Alice");
    std::string bobId, token;
    {
        Peer bob(port());
        bob.join(room, "Bob");
        bobId = bob.id();
        token = bob.resumeToken();
        alice.expect("participant-joined");
        bob.send({{"type", "chat"}, {"text", "brb, reloading"}});
        bob.expect("chat");
        alice.expect("chat");
        bob.socket().close();  // the page unloads
    }
    EXPECT_EQ(field(alice.expect("participant-connection"), "connected"), json::value(false));

    Peer reloaded(port());
    const auto resumed = reloaded.resumeSnapshot(token);
    EXPECT_EQ(str(resumed, "you"), bobId);
    EXPECT_EQ(field(resumed, "replayed"), json::value(0));
    const auto& snapshot = field(resumed, "snapshot").as_object();
    EXPECT_EQ(str(snapshot, "type"), "joined");
    EXPECT_EQ(str(snapshot, "resumeToken"), token);
    EXPECT_EQ(str(field(snapshot, "you").as_object(), "id"), bobId);
    EXPECT_EQ(str(field(snapshot, "you").as_object(), "role"), "guest");
    EXPECT_EQ(str(snapshot, "host"), alice.id());
    const auto& others = field(snapshot, "participants").as_array();
    ASSERT_EQ(others.size(), 1u);
    EXPECT_EQ(str(others[0].as_object(), "id"), alice.id());
    const auto& chat = field(snapshot, "chat").as_array();
    ASSERT_EQ(chat.size(), 1u);
    EXPECT_EQ(str(chat[0].as_object(), "from"), bobId);
    EXPECT_EQ(str(chat[0].as_object(), "text"), "brb, reloading");

    const auto back = alice.expect("participant-connection");
    EXPECT_EQ(str(back, "id"), bobId);
    EXPECT_EQ(field(back, "connected"), json::value(true));
    EXPECT_EQ(field(back, "rebuild"), json::value(true));

    // Signaling works both ways under the same id; numbering continues from the snapshot.
    alice.send({{"type", "offer"}, {"to", bobId}, {"sdp", "v=0\r\nfresh\r\n"}});
    EXPECT_EQ(str(reloaded.expect("offer"), "from"), alice.id());
    EXPECT_EQ(str(reloaded.request({{"type", "answer"}, {"to", alice.id()}, {"sdp", "v=0\r\n"}}), "type"), "ok");
    EXPECT_EQ(str(alice.expect("answer"), "from"), bobId);
    reloaded.expectNothingPending();
}

TEST_F(Heal, TheDropHookCutsTheSocketAndTheParticipantResumes) {
    const auto room = uniqueRoom("drop");
    Peer alice(port()), bob(port());
    alice.join(room, "Alice");
    bob.join(room, "Bob");
    alice.expect("participant-joined");

    const auto dropped = httpPost(port(), "/test/drop?room=" + room + "&participant=" + bob.id());
    EXPECT_EQ(dropped.status, 200u) << dropped.body;
    EXPECT_THROW(bob.next(), std::exception) << "the socket is cut";
    const auto away = alice.expect("participant-connection");
    EXPECT_EQ(field(away, "connected"), json::value(false));

    Peer again(port());
    const auto resumed = again.resume(bob.resumeToken(), bob.lastSeq());
    EXPECT_EQ(str(resumed, "you"), bob.id());
    EXPECT_FALSE(resumed.contains("snapshot"));
    const auto back = alice.expect("participant-connection");
    EXPECT_EQ(field(back, "connected"), json::value(true));
    EXPECT_FALSE(back.contains("rebuild")) << "a replay resume keeps the peer connections";

    EXPECT_EQ(httpPost(port(), "/test/drop?room=" + room + "&participant=p000000000000").status, 404u);
    EXPECT_EQ(httpPost(port(), "/test/drop?room=" + room).status, 400u);
    EXPECT_EQ(httpGet(port(), "/test/drop?room=" + room + "&participant=" + bob.id()).status, 405u);
}

class HooksOff : public ServerSuite<HooksOff> {};

TEST_F(HooksOff, TheDropHookDoesNotExistWithoutTheFlag) {
    const auto room = uniqueRoom("nohook");
    Peer alice(port());
    alice.join(room, "Alice");
    EXPECT_EQ(httpPost(port(), "/test/drop?room=" + room + "&participant=" + alice.id()).status, 404u);
    alice.expectNothingPending();  // still connected
}

}  // namespace
}  // namespace parley::itest
