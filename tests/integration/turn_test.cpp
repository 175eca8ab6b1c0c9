// TURN credentials end to end: parley mints them in `joined`, a real coturn (use-auth-secret)
// grants a relay allocation with them and refuses anything else.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <gtest/gtest.h>

#include "peer.hpp"
#include "server_process.hpp"
#include "stun_message.hpp"
#include "turn_server_process.hpp"

namespace parley::itest {
namespace {

constexpr long kTtlSeconds = 600;
constexpr auto kStunLimit = std::chrono::seconds(3);

std::int64_t nowSeconds() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string tempPath(std::string_view name) {
    const char* base = std::getenv("TMPDIR");
    return std::string(base && *base ? base : "/tmp") + "/parley-turn-" + std::to_string(getpid()) + "-" +
           std::string(name);
}

// What coturn itself would compute from a secret (and what a wrong secret gives).
std::string credentialFor(std::string_view secret, std::string_view username) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(username.data()), username.size(), mac, &length);
    std::string out(4 * ((length + 2) / 3) + 1, '\0');  // EVP_EncodeBlock adds a NUL
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac, static_cast<int>(length));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

struct TurnEntry {
    std::vector<std::string> urls;
    std::string username;
    std::string credential;
};

// The one iceServers entry with credentials; fails the test if there is not exactly one.
TurnEntry turnEntryOf(const json::object& joined) {
    std::vector<TurnEntry> found;
    for (const auto& server : joined.at("iceServers").as_array()) {
        const auto& entry = server.as_object();
        if (!entry.contains("username")) continue;
        TurnEntry turn;
        for (const auto& url : entry.at("urls").as_array()) turn.urls.emplace_back(url.as_string());
        turn.username = std::string(entry.at("username").as_string());
        turn.credential = std::string(entry.at("credential").as_string());
        found.push_back(std::move(turn));
    }
    EXPECT_EQ(found.size(), 1u) << json::serialize(joined.at("iceServers"));
    return found.empty() ? TurnEntry{} : found.front();
}

class Turn : public ::testing::Test {
public:
    static void SetUpTestSuite() {
        const auto executable = TurnServerProcess::executable();
        if (!executable) {
            skipReason_ = "turnserver is not installed (Debian package coturn; script/bootstrap installs it)";
            return;
        }
        try {
            turn_ = std::make_unique<TurnServerProcess>(*executable, kSecret);
            const auto port = std::to_string(turn_->port());
            turnUrl_ = "turn:127.0.0.1:" + port + "?transport=udp";
            stunUrl_ = "stun:127.0.0.1:" + port;
            server_ = std::make_unique<ServerProcess>(
                std::vector<std::string>{"--turn-url", turnUrl_, "--stun-url", stunUrl_, "--turn-secret", kSecret,
                                         "--turn-ttl", std::to_string(kTtlSeconds)},
                logPath());
        } catch (const std::exception& e) {
            startError_ = e.what();
        }
    }
    static void TearDownTestSuite() {
        server_.reset();
        turn_.reset();
        std::filesystem::remove(logPath());
    }

protected:
    static constexpr const char* kSecret = "itest-turn-secret-5Hq2";

    void SetUp() override {
        if (!skipReason_.empty()) GTEST_SKIP() << skipReason_;
        ASSERT_TRUE(turn_ && server_) << "could not start: " << startError_;
    }
    static std::string logPath() { return tempPath("parley.log"); }

    // Allocate (RFC 5766 §6) with the long-term credential mechanism: the first request is
    // refused 401 with a realm and nonce, the second carries them with MESSAGE-INTEGRITY.
    struct Allocation {
        stun::Response response;
        std::string key;
    };
    static Allocation allocate(std::string_view username, std::string_view credential) {
        stun::UdpClient client(turn_->port());
        auto id = stun::randomTransactionId();
        auto challenge = client.exchange(stun::Request(stun::kAllocateRequest, id).requestUdp(), id, kStunLimit);
        if (!challenge) throw std::runtime_error("no answer to an unauthenticated Allocate");
        EXPECT_EQ(challenge->type, stun::kAllocateError);
        EXPECT_EQ(challenge->errorCode(), 401) << "an Allocate without credentials is challenged";
        const auto realm = challenge->attribute(stun::kRealm);
        const auto nonce = challenge->attribute(stun::kNonce);
        if (!realm || !nonce) throw std::runtime_error("the 401 has no REALM or NONCE");
        EXPECT_EQ(*realm, turn_->realm());

        const auto key = stun::longTermKey(username, *realm, credential);
        id = stun::randomTransactionId();
        stun::Request request(stun::kAllocateRequest, id);
        request.requestUdp().add(stun::kUsername, username).add(stun::kRealm, *realm).add(stun::kNonce, *nonce).sign(key);
        auto answer = client.exchange(request, id, kStunLimit);
        if (!answer) throw std::runtime_error("no answer to the authenticated Allocate");
        return {*answer, key};
    }

    static inline std::unique_ptr<TurnServerProcess> turn_;
    static inline std::unique_ptr<ServerProcess> server_;
    static inline std::string turnUrl_;
    static inline std::string stunUrl_;
    static inline std::string skipReason_;
    static inline std::string startError_;
};

TEST_F(Turn, JoinedCarriesCredentialsThatCoturnGrantsARelayFor) {
    Peer alice(server_->port());
    const auto before = nowSeconds();
    const auto joined = alice.join(uniqueRoom("turn"), "Alice");
    EXPECT_EQ(str(joined, "iceTransportPolicy"), "all");
    const auto& servers = joined.at("iceServers").as_array();
    ASSERT_EQ(servers.size(), 2u) << json::serialize(servers);
    EXPECT_EQ(json::serialize(servers[0]), R"({"urls":[")" + stunUrl_ + R"("]})");

    const auto turn = turnEntryOf(joined);
    EXPECT_EQ(turn.urls, std::vector<std::string>{turnUrl_});
    const auto colon = turn.username.find(':');
    ASSERT_NE(colon, std::string::npos) << turn.username;
    EXPECT_EQ(turn.username.substr(colon + 1), alice.id()) << "the credential names whom it was given to";
    const auto expiry = std::stoll(turn.username.substr(0, colon));
    EXPECT_GE(expiry, before + kTtlSeconds);
    EXPECT_LE(expiry, nowSeconds() + kTtlSeconds);

    const auto granted = allocate(turn.username, turn.credential);
    ASSERT_EQ(granted.response.type, stun::kAllocateSuccess)
        << "error " << granted.response.errorCode().value_or(0) << "; turnserver log:\n" << turn_->log();
    const auto relayed = granted.response.xorAddress(stun::kXorRelayedAddress);
    ASSERT_TRUE(relayed) << "a success without XOR-RELAYED-ADDRESS";
    EXPECT_EQ(relayed->ip, "127.0.0.1");
    EXPECT_GE(relayed->port, turn_->minRelayPort());
    EXPECT_LE(relayed->port, turn_->maxRelayPort());
    EXPECT_TRUE(granted.response.attribute(stun::kLifetime));
    EXPECT_TRUE(granted.response.integrityMatches(granted.key)) << "coturn signed its answer with the same key";
}

TEST_F(Turn, EveryoneGetsTheirOwnCredentialAndEachWorks) {
    const auto room = uniqueRoom("turn-two");
    Peer alice(server_->port()), bob(server_->port());
    const auto a = turnEntryOf(alice.join(room, "Alice"));
    const auto b = turnEntryOf(bob.join(room, "Bob"));
    EXPECT_NE(a.username, b.username);
    EXPECT_TRUE(b.username.ends_with(":" + bob.id()));
    EXPECT_EQ(allocate(a.username, a.credential).response.type, stun::kAllocateSuccess);
    EXPECT_EQ(allocate(b.username, b.credential).response.type, stun::kAllocateSuccess);
}

TEST_F(Turn, CoturnRefusesAWrongCredential) {
    Peer alice(server_->port()), bob(server_->port());
    const auto room = uniqueRoom("turn-wrong");
    const auto a = turnEntryOf(alice.join(room, "Alice"));
    const auto b = turnEntryOf(bob.join(room, "Bob"));
    // Signed with another secret: what a server whose --turn-secret does not match coturn gives.
    auto wrongSecret = allocate(a.username, credentialFor("not-the-secret", a.username));
    EXPECT_EQ(wrongSecret.response.type, stun::kAllocateError);
    EXPECT_EQ(wrongSecret.response.errorCode(), 401);
    // Someone else's credential under one's own name.
    auto borrowed = allocate(a.username, b.credential);
    EXPECT_EQ(borrowed.response.type, stun::kAllocateError);
    EXPECT_EQ(borrowed.response.errorCode(), 401);
    // A credential stretched to a later expiry no longer matches its HMAC.
    const auto later = std::to_string(std::stoll(a.username.substr(0, a.username.find(':'))) + 86'400) +
                       a.username.substr(a.username.find(':'));
    auto stretched = allocate(later, a.credential);
    EXPECT_EQ(stretched.response.type, stun::kAllocateError);
    EXPECT_EQ(stretched.response.errorCode(), 401);
    // The genuine one still works: the refusals above were about the credentials alone.
    EXPECT_EQ(allocate(a.username, a.credential).response.type, stun::kAllocateSuccess);
}

TEST_F(Turn, TheSecretNeverReachesTheLogOrTheClient) {
    Peer alice(server_->port());
    const auto joined = alice.join(uniqueRoom("turn-secret"), "Alice");
    EXPECT_EQ(json::serialize(joined).find(kSecret), std::string::npos);
    EXPECT_EQ(readFile(logPath()).find(kSecret), std::string::npos);
}

// Flags that cannot work are refused at start-up with a message that names the fix.
class TurnFlags : public ::testing::Test {
protected:
    // Starts parley expecting it to refuse; returns what it printed.
    static std::string refusal(std::vector<std::string> flags) {
        const auto path = tempPath("refusal.log");
        std::string printed;
        try {
            ServerProcess server(std::move(flags), path);
            ADD_FAILURE() << "parley started";
        } catch (const std::exception& e) {
            EXPECT_NE(std::string(e.what()).find("exited before listening"), std::string::npos) << e.what();
            printed = readFile(path);
        }
        std::filesystem::remove(path);
        return printed;
    }
};

TEST_F(TurnFlags, TurnWithoutSecretIsRefused) {
    // The environment must not supply one behind the test's back.
    ASSERT_EQ(std::getenv("PARLEY_TURN_SECRET"), nullptr);
    const auto printed = refusal({"--turn-url", "turn:127.0.0.1:3478"});
    EXPECT_NE(printed.find("--turn-url needs --turn-secret"), std::string::npos) << printed;
}

TEST_F(TurnFlags, MalformedTurnUrlsAreRefused) {
    EXPECT_NE(refusal({"--turn-url", "http://turn.example.org", "--turn-secret", "s"}).find("turn:"),
              std::string::npos);
    EXPECT_NE(refusal({"--turn-url", "turn:turn.example.org:99999", "--turn-secret", "s"}).find("port"),
              std::string::npos);
}

TEST_F(TurnFlags, RelayOnlyNeedsATurnServer) {
    const auto printed = refusal({"--ice-transport-policy", "relay"});
    EXPECT_NE(printed.find("needs a TURN server"), std::string::npos) << printed;
}

}  // namespace
}  // namespace parley::itest
