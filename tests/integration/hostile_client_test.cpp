// A client that tries to take more than its share, or to see or enter more than it may, through
// the real server process (issue "Hostile clients can't take the server down or into a
// meeting"). Each test failed on the server before the fix; the memory ones compare the
// server's resident size before and after a bounded load.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "auth/room_token.hpp"
#include "http_get.hpp"
#include "peer.hpp"
#include "raw_websocket.hpp"
#include "server_suite.hpp"
#include "temp_dir.hpp"

extern char** environ;

namespace parley::itest {
namespace {

// The server's resident set size in bytes (/proc/<pid>/status, VmRSS).
std::size_t residentBytes(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6)) * 1024;
    }
    return 0;
}

constexpr std::size_t kMiB = 1024 * 1024;

// Whether the server under test is the ASan build (script/test sets ASAN_OPTIONS for that
// stage): its allocator keeps freed memory in quarantine and its shadow memory grows with use,
// so resident sizes say nothing about Parley's own memory there. The behaviour is still checked.
bool sanitizedServer() { return std::getenv("ASAN_OPTIONS") != nullptr; }

// Reads frames until a close frame; its code, or 0 when the stream ended (or went quiet) first.
std::uint16_t closeCodeAfterDraining(RawConnection& c) {
    for (std::size_t n = 0; n < 10'000'000; ++n) {
        auto frame = c.readFrame();
        if (!frame) return 0;
        if (frame->opcode == 0x8) return closeCode(*frame);
    }
    return 0;
}

// Sends up to `count` masked 125-byte pings without reading, in batches; stops when the server
// no longer takes them. Returns how many were written.
std::size_t pingWithoutReading(RawConnection& c, std::size_t count) {
    const std::string ping = clientFrame(0x9, std::string(125, 'p'));
    std::string batch;
    for (int i = 0; i < 500; ++i) batch += ping;
    std::size_t sent = 0;
    while (sent < count && c.tryWrite(batch)) sent += 500;
    return sent;
}

// --- 1. pongs nobody reads ---------------------------------------------------------------------

class HostilePings : public ServerSuite<HostilePings> {};

TEST_F(HostilePings, PingsCountAgainstTheMessageRateAndAFloodIsClosed) {
    const auto before = residentBytes(server().pid());
    OpenSocket c(port());
    pingWithoutReading(c, 200'000);
    EXPECT_EQ(closeCodeAfterDraining(c), 4003) << "flooding: pings over the rate go unanswered, then the close";
    const auto after = residentBytes(server().pid());
    if (!sanitizedServer()) EXPECT_LT(after, before + 16 * kMiB) << "before " << before << ", after " << after;
    Peer other(port());
    other.expectNothingPending();
}

class HostilePongQueue : public ServerSuite<HostilePongQueue> {
public:
    static std::vector<std::string> serverFlags() { return {"--message-rate", "0"}; }
};

TEST_F(HostilePongQueue, PongsCountAgainstTheWriteQueueBound) {
    const auto before = residentBytes(server().pid());
    OpenSocket c(port());
    pingWithoutReading(c, 200'000);
    EXPECT_EQ(closeCodeAfterDraining(c), 4001) << "slow-consumer: the pongs pile up like any reply";
    const auto after = residentBytes(server().pid());
    if (!sanitizedServer()) EXPECT_LT(after, before + 24 * kMiB) << "before " << before << ", after " << after;
}

// --- 2. the replay log -------------------------------------------------------------------------

class HostileReplay : public ServerSuite<HostileReplay> {
public:
    static std::vector<std::string> serverFlags() {
        return {"--max-room-size", "12", "--message-rate", "0"};
    }
};

TEST_F(HostileReplay, VanishedSeatsThatOthersSignalToHoldABoundedLog) {
    const auto room = uniqueRoom("replay");
    std::vector<std::unique_ptr<Peer>> live;
    for (int i = 0; i < 4; ++i) {
        live.push_back(std::make_unique<Peer>(port()));
        live.back()->join(room, "Live" + std::to_string(i));
    }
    std::vector<std::string> gone;
    std::vector<std::string> tokens;
    for (int i = 0; i < 8; ++i) {
        Peer p(port());
        p.join(room, "Gone" + std::to_string(i));
        gone.push_back(p.id());
        tokens.push_back(p.resumeToken());
        p.socket().close();  // vanishes; its seat is kept for the grace period
    }
    // Every live socket reads the joins and the drops, so all that comes after is the load.
    for (auto& peer : live) {
        int drops = 0;
        while (drops < 8) {
            const auto event = peer->next();
            if (str(event, "type") == "participant-connection" && !field(event, "connected").as_bool()) ++drops;
        }
    }
    const auto before = residentBytes(server().pid());
    const std::string sdp(60'000, 'v');
    for (int round = 0; round < 40; ++round) {
        for (auto& sender : live) {
            for (const auto& to : gone) {
                sender->send({{"type", "offer"}, {"to", to}, {"sdp", sdp}});
            }
        }
    }
    for (auto& sender : live) sender->expectNothingPending();  // all 1,280 offers handled
    const auto after = residentBytes(server().pid());
    if (!sanitizedServer()) {
        EXPECT_LT(after, before + 24 * kMiB) << "77 MB relayed to vanished seats; before " << before
                                             << ", after " << after;
    }
    const auto metrics = httpGet(port(), "/metrics").body;
    const auto at = metrics.find("\nparley_replay_bytes ");
    ASSERT_NE(at, std::string::npos) << metrics;
    EXPECT_LE(std::stoul(metrics.substr(at + 21)), 4 * kMiB) << "within the room's budget";

    // One of them comes back: its place is kept and it gets the whole picture.
    Peer back(port());
    const auto resumed = back.request({{"type", "resume"}, {"token", tokens[0]}, {"lastSeq", 0}});
    ASSERT_EQ(str(resumed, "type"), "resumed") << json::serialize(resumed);
    ASSERT_TRUE(resumed.contains("snapshot")) << json::serialize(resumed);
    EXPECT_EQ(str(field(resumed, "snapshot").as_object(), "type"), "joined");
    EXPECT_EQ(str(resumed, "you"), gone[0]);
}

// --- 3. seats and rooms held by vanished sockets ------------------------------------------------

class HostileSeats : public ServerSuite<HostileSeats> {
public:
    static std::vector<std::string> serverFlags() { return {"--max-rooms", "50"}; }
};

TEST_F(HostileSeats, RoomsNobodyIsInCannotFillTheServerFromOneAddress) {
    int opened = 0;
    std::string refusal;
    for (int i = 0; i < 60; ++i) {
        Peer p(port());
        const auto reply = p.request({{"type", "join"}, {"v", 1}, {"room", uniqueRoom("junk")}, {"name", "J"}});
        if (str(reply, "type") != "joined") {
            refusal = str(reply, "code");
            break;
        }
        ++opened;
    }  // each socket is cut as it goes out of scope: 0 open connections, the seats kept
    EXPECT_LT(opened, 50) << "one address stopped before --max-rooms";
    EXPECT_TRUE(refusal == "too-many-rooms" || refusal == "too-many-seats") << refusal;
    Peer someoneElse(port(), "127.0.0.2");
    someoneElse.join(uniqueRoom("real"), "Real");
}

// --- 4. the file table -------------------------------------------------------------------------

class HostileFiles : public ::testing::Test {};

std::size_t countLines(const std::string& path, std::string_view needle) {
    std::ifstream in(path);
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) n += line.find(needle) != std::string::npos ? 1 : 0;
    return n;
}

TEST_F(HostileFiles, OneAddressCannotTakeTheFileTable) {
    const std::string dir = makeTempDir("parley-files");
    const std::string log = dir + "/server.log";
    ServerProcess server({}, log, {"/usr/bin/prlimit", "--nofile=256:256", "--"});
    std::vector<std::unique_ptr<RawConnection>> idle;
    for (int i = 0; i < 400; ++i) idle.push_back(std::make_unique<RawConnection>(server.port()));
    HttpCall health;
    health.target = "/health";
    health.from = "127.0.0.2";
    EXPECT_EQ(httpCall(server.port(), health).status, 200u) << "another address is served at once";
    idle.clear();
    EXPECT_EQ(countLines(log, "accept failed"), 0u) << "the server never ran out of descriptors";
    EXPECT_LE(countLines(log, "at accept"), 1u) << "said once, not per connection";
}

TEST_F(HostileFiles, ManyAddressesFillingTheTableAreClosedAtAcceptNotLeftWaiting) {
    const std::string dir = makeTempDir("parley-files");
    const std::string log = dir + "/server.log";
    ServerProcess server({}, log, {"/usr/bin/prlimit", "--nofile=256:256", "--"});
    std::vector<std::unique_ptr<RawConnection>> idle;
    for (int a = 10; a < 15; ++a) {
        const std::string from = "127.0.0." + std::to_string(a);
        for (int i = 0; i < 60; ++i) idle.push_back(std::make_unique<RawConnection>(server.port(), from.c_str()));
    }
    // The table is full but for the reserve: a newcomer hears so at once (closed), it does not
    // hang in the backlog until a timeout.
    HttpCall health;
    health.target = "/health";
    health.from = "127.0.0.2";
    EXPECT_ANY_THROW(httpCall(server.port(), health));
    idle.resize(100);
    bool served = false;
    for (int i = 0; i < 100 && !served; ++i) {
        try {
            served = httpCall(server.port(), health).status == 200;
        } catch (const std::exception&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    EXPECT_TRUE(served) << "served again once connections closed";
    EXPECT_EQ(countLines(log, "accept failed"), 0u);
    EXPECT_LE(countLines(log, "out of file descriptors"), 1u) << "said once, not per connection";
}

// --- 5. guessing room ids ----------------------------------------------------------------------

class HostileProbing : public ServerSuite<HostileProbing> {};

TEST_F(HostileProbing, JoinsThatOpenNewRoomsArePacedPerAddress) {
    // A connection per probe, as a scanner would, so no connection's message rate is reached.
    int opened = 0;
    json::object last;
    for (int i = 0; i < 60; ++i) {
        Peer prober(port(), "127.0.0.7");
        last = prober.request({{"type", "join"}, {"v", 1}, {"room", uniqueRoom("probe")}, {"name", "P"}});
        if (str(last, "type") != "joined") break;
        ++opened;
        prober.request({{"type", "leave"}});
    }
    EXPECT_LT(opened, 60);
    EXPECT_EQ(str(last, "code"), "too-many-rooms") << json::serialize(last);
    EXPECT_GT(field(last, "retryAfterMs").as_int64(), 0);
    Peer someoneElse(port(), "127.0.0.8");
    someoneElse.join(uniqueRoom("fresh"), "Fresh");
}

// --- 6. guessing a room's password -------------------------------------------------------------

class HostilePasswords : public ServerSuite<HostilePasswords> {};

TEST_F(HostilePasswords, WrongPasswordsAreThrottledAndTheRightGuestStillGetsIn) {
    const auto room = uniqueRoom("secret");
    Peer host(port());
    const auto created = host.request({{"type", "join"}, {"v", 1}, {"room", room}, {"name", "Host"},
                                       {"settings", {{"password", "correct horse"}}}});
    ASSERT_EQ(str(created, "type"), "joined");
    // A connection per guess, as a guesser would, so no connection's message rate is reached.
    json::object reply;
    int tries = 0;
    for (; tries < 300; ++tries) {
        Peer guesser(port(), "127.0.0.5");
        reply = guesser.request({{"type", "join"}, {"v", 1}, {"room", room}, {"name", "G"},
                                 {"password", "guess-" + std::to_string(tries)}});
        if (str(reply, "code") != "wrong-password") break;
    }
    Peer guesser(port(), "127.0.0.5");
    EXPECT_LE(tries, 10);
    EXPECT_EQ(str(reply, "code"), "too-many-attempts") << json::serialize(reply);
    EXPECT_GT(field(reply, "retryAfterMs").as_int64(), 0);
    const auto right = guesser.request({{"type", "join"}, {"v", 1}, {"room", room}, {"name", "G"},
                                        {"password", "correct horse"}});
    EXPECT_EQ(str(right, "code"), "too-many-attempts") << "the password is not even checked meanwhile";
    Peer guest(port(), "127.0.0.6");
    const auto joined = guest.request({{"type", "join"}, {"v", 1}, {"room", room}, {"name", "Guest"},
                                       {"password", "correct horse"}});
    EXPECT_EQ(str(joined, "type"), "joined") << "the rightful guest is not locked out";
}

// --- 7 and 8. invitation tokens -----------------------------------------------------------------

class HostileTokens : public ServerSuite<HostileTokens> {
public:
    static std::vector<std::string> serverFlags() {
        return {"--token-secret", "hostile-secret", "--max-room-size", "2"};
    }
    static std::string token(std::string room, std::string name, bool host) {
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
        return auth::mintRoomToken({std::move(room), std::move(name), host, now + 3600}, "hostile-secret");
    }
};

TEST_F(HostileTokens, AReusedHostTokenDoesNotGrowARoomPastItsSize) {
    const auto room = uniqueRoom("capped");
    const auto host = token(room, "", true);
    std::vector<std::unique_ptr<Peer>> peers;
    int inside = 0;
    for (int i = 0; i < 6; ++i) {
        peers.push_back(std::make_unique<Peer>(port()));
        const auto reply = peers.back()->request({{"type", "join"}, {"v", 1}, {"room", room},
                                                  {"name", "H" + std::to_string(i)}, {"token", host}});
        if (str(reply, "type") == "joined") {
            ++inside;
        } else {
            EXPECT_EQ(str(reply, "code"), "no-free-seat") << json::serialize(reply);
        }
    }
    EXPECT_EQ(inside, 2) << "--max-room-size 2";
}

TEST_F(HostileTokens, ATokenNameMustBeADisplayName) {
    const auto room = uniqueRoom("named");
    const std::string bad = std::string(300, 'n') + "\x07" + "\u202E" + "x";
    Peer p(port());
    p.expectRefusal({{"type", "join"}, {"v", 1}, {"room", room}, {"name", "Typed"},
                     {"token", token(room, bad, false)}},
                    "invalid-token");
    p.join(room, "Typed");  // the connection carries on
}

// `parley token` refuses such a name too.
int runParley(std::vector<std::string> args) {
    const char* chosen = std::getenv("PARLEY_TEST_SERVER");
    std::string program = chosen && *chosen ? chosen : PARLEY_BIN;
    args.insert(args.begin(), program);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(HostileTokens, TheTokenCommandRefusesANameThatIsNoDisplayName) {
    EXPECT_EQ(runParley({"token", "--room", "abc", "--secret", "s", "--name", "bad\x01name"}), 2);
    EXPECT_EQ(runParley({"token", "--room", "abc", "--secret", "s", "--name", std::string(65, 'x')}), 2);
    EXPECT_EQ(runParley({"token", "--room", "abc", "--secret", "s", "--name", "Dr. Ng"}), 0);
}

// --- 9. someone waiting sees nothing of the room --------------------------------------------------

class HostileTrace : public ServerSuite<HostileTrace> {};

TEST_F(HostileTrace, SomeoneWaitingCannotReadTheRoomsTrace) {
    const auto room = uniqueRoom("knock");
    Peer host(port());
    const auto created = host.request({{"type", "join"}, {"v", 1}, {"room", room}, {"name", "Host"},
                                       {"settings", {{"admission", "knock"}}}});
    ASSERT_EQ(str(created, "type"), "joined");
    Peer waiting(port());
    const auto line = waiting.request({{"type", "join"}, {"v", 1}, {"room", room}, {"name", "W"}});
    ASSERT_EQ(str(line, "type"), "waiting");
    host.expect("queue");
    host.request({{"type", "offer"}, {"to", str(line, "you")}, {"sdp", "v=0\r\n"}});
    const auto trace = waiting.request({{"type", "trace"}});
    EXPECT_EQ(str(trace, "type"), "error") << json::serialize(trace);
    const std::string hostId = str(field(created, "you").as_object(), "id");
    EXPECT_EQ(json::serialize(trace).find(hostId), std::string::npos) << "no member id leaks";
}

// --- 10. joined comes first -------------------------------------------------------------------------

class HostileOrder : public ServerSuite<HostileOrder> {};

TEST_F(HostileOrder, JoinedIsTheFirstFrameForAGuestAndForSomeoneAdmitted) {
    const auto room = uniqueRoom("office");
    Peer host(port());
    host.request({{"type", "join"}, {"v", 1}, {"room", room}, {"name", "Host"},
                  {"settings", {{"admission", "one-at-a-time"}, {"slotSeconds", 600}}}});
    Peer guest(port());
    guest.send({{"type", "join"}, {"req", 1}, {"v", 1}, {"room", room}, {"name", "Guest"}});
    const auto first = guest.next();
    EXPECT_EQ(str(first, "type"), "joined") << json::serialize(first);
    EXPECT_FALSE(field(field(first, "state").as_object(), "slotEndsAt").is_null());

    Peer next(port());
    const auto line = next.request({{"type", "join"}, {"v", 1}, {"room", room}, {"name", "Next"}});
    ASSERT_EQ(str(line, "type"), "waiting");
    guest.request({{"type", "leave"}});
    const auto admitted = next.next();
    EXPECT_EQ(str(admitted, "type"), "joined") << json::serialize(admitted);
}

// --- the Host header ------------------------------------------------------------------------------

class HostileHost : public ServerSuite<HostileHost> {};

TEST_F(HostileHost, ANameTheServerDoesNotServeIsRefused) {
    const std::string rebound = "rebind.attacker.example:" + std::to_string(port());
    HttpCall upgrade;
    upgrade.target = "/ws";
    upgrade.headers = upgradeHeaders("http://" + rebound);
    upgrade.headers.emplace_back("Host", rebound);
    const auto refused = httpCall(port(), upgrade);
    EXPECT_EQ(refused.status, 421u) << refused.body;
    EXPECT_NE(refused.body.find("host-not-allowed"), std::string::npos) << refused.body;

    HttpCall page;
    page.headers.emplace_back("Host", rebound);
    EXPECT_EQ(httpCall(port(), page).status, 421u);
    EXPECT_EQ(httpGet(port(), "/").status, 200u) << "by address, as always";
    HttpCall local;
    local.headers.emplace_back("Host", "localhost:" + std::to_string(port()));
    EXPECT_EQ(httpCall(port(), local).status, 200u);
}

class AllowedHost : public ServerSuite<AllowedHost> {
public:
    static std::vector<std::string> serverFlags() { return {"--allowed-host", "Meet.Example.org"}; }
};

TEST_F(AllowedHost, AConfiguredNameIsServed) {
    HttpCall upgrade;
    upgrade.target = "/ws";
    upgrade.headers = upgradeHeaders("https://meet.example.org");
    upgrade.headers.emplace_back("Host", "meet.example.org");
    // The Origin is https and the Host has no port: the same origin for a TLS proxy in front.
    const auto response = httpCall(port(), upgrade);
    EXPECT_NE(response.status, 421u);
    HttpCall other;
    other.headers.emplace_back("Host", "other.example.org");
    EXPECT_EQ(httpCall(port(), other).status, 421u);
}

// --- memory after a spike -----------------------------------------------------------------------

class HostileHeap : public ServerSuite<HostileHeap> {
public:
    static std::vector<std::string> serverFlags() { return {"--max-room-size", "12", "--message-rate", "0"}; }
};

TEST_F(HostileHeap, MemoryFreedAfterASpikeGoesBackToTheSystem) {
    if (sanitizedServer()) GTEST_SKIP() << "ASan's allocator keeps freed memory (quarantine)";
    const auto room = uniqueRoom("spike");
    Peer sender(port());
    sender.join(room, "Sender");
    std::vector<std::unique_ptr<Peer>> slow;  // join, then never read again
    for (int i = 0; i < 8; ++i) {
        slow.push_back(std::make_unique<Peer>(port()));
        slow.back()->join(room, "Slow" + std::to_string(i));
    }
    for (int i = 0; i < 8; ++i) sender.expect("participant-joined");
    const auto before = residentBytes(server().pid());
    const std::string sdp(60'000, 's');
    for (int round = 0; round < 300; ++round) {
        for (auto& to : slow) sender.send({{"type", "offer"}, {"to", to->id()}, {"sdp", sdp}});
    }
    // Each slow reader's queue passes 8 MiB and it is closed (4001); since it reads nothing, not
    // even the close frame, the server cuts it 10 s later (the close timeout), and then the
    // sender hears it drop.
    int drops = 0;
    while (drops < 8) {
        const auto event = sender.next(std::chrono::seconds(30));
        if (str(event, "type") == "participant-connection" && !field(event, "connected").as_bool()) ++drops;
    }
    const auto peak = residentBytes(server().pid());
    // Newcomers take memory above what was freed, as a live server's would.
    std::vector<std::unique_ptr<Peer>> later;
    for (int i = 0; i < 3; ++i) {
        later.push_back(std::make_unique<Peer>(port()));
        later.back()->join(uniqueRoom("later"), "Later");
    }
    std::size_t now = residentBytes(server().pid());
    for (int i = 0; i < 300 && now > before + 24 * kMiB; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the trimmer runs every 10 s
        now = residentBytes(server().pid());
    }
    EXPECT_LT(now, before + 24 * kMiB) << "before " << before / kMiB << " MiB, peak " << peak / kMiB
                                       << " MiB, 30 s later " << now / kMiB << " MiB";
    sender.expectNothingPending();
}

// --- wrong admin tokens ---------------------------------------------------------------------------

class HostileAdmin : public ServerSuite<HostileAdmin> {
public:
    static std::vector<std::string> serverFlags() { return {"--admin-token", "the-right-admin-token"}; }
};

TEST_F(HostileAdmin, WrongAdminTokensAreThrottledPerAddress) {
    HttpCall wrong;
    wrong.target = "/admin/rooms/x/trace";
    wrong.from = "127.0.0.9";
    unsigned status = 0;
    int tries = 0;
    for (; tries < 50; ++tries) {
        wrong.headers = {{"Authorization", "Bearer guess-" + std::to_string(tries)}};
        status = httpCall(port(), wrong).status;
        if (status != 401) break;
    }
    EXPECT_EQ(status, 429u);
    EXPECT_LE(tries, 10);
    wrong.headers = {{"Authorization", "Bearer the-right-admin-token"}};
    EXPECT_EQ(httpCall(port(), wrong).status, 429u) << "not even compared while waiting";
    HttpCall right;
    right.target = "/admin/rooms/x/trace";
    right.from = "127.0.0.10";
    right.headers = {{"Authorization", "Bearer the-right-admin-token"}};
    EXPECT_EQ(httpCall(port(), right).status, 404u) << "another address: checked (no such room)";
}

}  // namespace
}  // namespace parley::itest
