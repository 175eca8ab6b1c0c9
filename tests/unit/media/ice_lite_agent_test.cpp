#include "media/ice_lite_agent.hpp"

#include <gtest/gtest.h>

using namespace parley::media;

namespace ice_lite_agent_test {

const IceCredentials kServer{"srvUfrag", "server-pwd-0123456789abc"};
const std::string kBrowserUfrag = "brUf";
const TransportAddress kWifi = TransportAddress::ipv4({192, 168, 1, 20}, 50000);
const TransportAddress kLte = TransportAddress::ipv6(
    {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42}, 61000);

// A controlling full agent (the browser), driving the server's agent with checks.
struct Browser {
    std::string localUfrag = kBrowserUfrag;
    IceCredentials server = kServer;
    bool controlling = true;

    std::vector<std::uint8_t> check(bool useCandidate) const {
        BindingRequestParams p;
        p.username = server.ufrag + ":" + localUfrag;
        p.password = server.pwd;
        p.priority = 1845501695;
        p.controlling = controlling;
        p.tieBreaker = 0x1122334455667788;
        p.useCandidate = useCandidate;
        return buildBindingRequest(randomTransactionId(), p);
    }
};

IceLiteAgent::Outcome send(IceLiteAgent& agent, const std::vector<std::uint8_t>& datagram,
                           const TransportAddress& from, std::int64_t nowMs) {
    const auto message = parseStunMessage(datagram);
    EXPECT_TRUE(message);
    if (!message) return {};
    return agent.handle(*message, datagram, from, nowMs);
}

std::optional<int> errorCodeOf(const std::vector<std::uint8_t>& reply) {
    const auto m = parseStunMessage(reply);
    if (!m || !m->errorCode) return std::nullopt;
    return m->errorCode->code;
}

}  // namespace ice_lite_agent_test

using namespace ice_lite_agent_test;

TEST(IceLiteAgent, AValidCheckGetsASignedSuccessWithTheSourceAddress) {
    IceLiteAgent agent(kServer, kBrowserUfrag, 0);
    const Browser browser;
    const auto request = browser.check(false);
    const auto out = send(agent, request, kWifi, 10);
    EXPECT_TRUE(out.authenticated);
    EXPECT_FALSE(out.nominated);
    EXPECT_FALSE(agent.selectedAddress());

    const auto reply = parseStunMessage(out.reply);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->messageClass, StunClass::SuccessResponse);
    EXPECT_EQ(reply->transactionId, parseStunMessage(request)->transactionId);
    EXPECT_EQ(reply->xorMappedAddress, kWifi);
    EXPECT_TRUE(verifyMessageIntegrity(out.reply, kServer.pwd));
    EXPECT_TRUE(verifyFingerprint(out.reply));
}

TEST(IceLiteAgent, UseCandidateSelectsAndTheLatestNominationWins) {
    IceLiteAgent agent(kServer, kBrowserUfrag, 0);
    const Browser browser;
    auto out = send(agent, browser.check(true), kWifi, 100);
    EXPECT_TRUE(out.nominated);
    EXPECT_EQ(agent.selectedAddress(), kWifi);

    // A plain check from another address does not move the media...
    out = send(agent, browser.check(false), kLte, 200);
    EXPECT_TRUE(out.authenticated);
    EXPECT_FALSE(out.nominated);
    EXPECT_EQ(agent.selectedAddress(), kWifi);
    // ...a nomination from it does (network change).
    out = send(agent, browser.check(true), kLte, 300);
    EXPECT_TRUE(out.nominated);
    EXPECT_EQ(agent.selectedAddress(), kLte);
    EXPECT_EQ(parseStunMessage(out.reply)->xorMappedAddress, kLte);
}

TEST(IceLiteAgent, MissingUsernameOrIntegrityIs400) {
    IceLiteAgent agent(kServer, kBrowserUfrag, 0);
    const auto tid = randomTransactionId();
    const auto noIntegrity = StunMessageBuilder(StunClass::Request, kStunMethodBinding, tid)
                                 .addUsername("srvUfrag:brUf")
                                 .addIceControlling(1)
                                 .addUseCandidate()
                                 .addFingerprint()
                                 .take();
    auto out = send(agent, noIntegrity, kWifi, 0);
    EXPECT_EQ(errorCodeOf(out.reply), 400);
    EXPECT_FALSE(out.authenticated);
    EXPECT_FALSE(agent.selectedAddress());
    EXPECT_EQ(parseStunMessage(out.reply)->transactionId, tid);

    const auto noUsername = StunMessageBuilder(StunClass::Request, kStunMethodBinding, tid)
                                .addIceControlling(1)
                                .addMessageIntegrity(kServer.pwd)
                                .take();
    EXPECT_EQ(errorCodeOf(send(agent, noUsername, kWifi, 0).reply), 400);
}

TEST(IceLiteAgent, WrongUsernameOrPasswordIs401WithoutIntegrity) {
    IceLiteAgent agent(kServer, kBrowserUfrag, 0);
    Browser wrongPwd;
    wrongPwd.server.pwd = "not-the-server-password!";
    Browser wrongLocal;
    wrongLocal.server.ufrag = "otherSrv";
    Browser wrongRemote;
    wrongRemote.localUfrag = "zzzz";
    for (const Browser& b : {wrongPwd, wrongLocal, wrongRemote}) {
        const auto out = send(agent, b.check(true), kWifi, 0);
        EXPECT_EQ(errorCodeOf(out.reply), 401);
        EXPECT_FALSE(out.authenticated);
        EXPECT_FALSE(out.nominated);
        EXPECT_FALSE(parseStunMessage(out.reply)->messageIntegrityOffset);
    }
    const auto garbled = StunMessageBuilder(StunClass::Request, kStunMethodBinding, randomTransactionId())
                             .addUsername("srvUfragbrUf")
                             .addMessageIntegrity(kServer.pwd)
                             .take();
    EXPECT_EQ(errorCodeOf(send(agent, garbled, kWifi, 0).reply), 401);
    EXPECT_FALSE(agent.selectedAddress());
}

TEST(IceLiteAgent, AControlledPeerGets487SignedAndSelectsNothing) {
    IceLiteAgent agent(kServer, kBrowserUfrag, 0);
    Browser confused;
    confused.controlling = false;
    const auto out = send(agent, confused.check(true), kWifi, 0);
    EXPECT_EQ(errorCodeOf(out.reply), 487);
    EXPECT_TRUE(verifyMessageIntegrity(out.reply, kServer.pwd));
    EXPECT_FALSE(out.nominated);
    EXPECT_FALSE(agent.selectedAddress());
}

TEST(IceLiteAgent, UnknownComprehensionRequiredAttributeIs420) {
    IceLiteAgent agent(kServer, kBrowserUfrag, 0);
    const auto request = StunMessageBuilder(StunClass::Request, kStunMethodBinding, randomTransactionId())
                             .addUsername("srvUfrag:brUf")
                             .addIceControlling(1)
                             .addAttribute(0x0031, std::vector<std::uint8_t>{0, 0, 0, 0})
                             .addUseCandidate()
                             .addMessageIntegrity(kServer.pwd)
                             .addFingerprint()
                             .take();
    const auto out = send(agent, request, kWifi, 0);
    EXPECT_EQ(errorCodeOf(out.reply), 420);
    EXPECT_FALSE(agent.selectedAddress());
}

TEST(IceLiteAgent, NonRequestsAndBadFingerprintsGetNothing) {
    IceLiteAgent agent(kServer, kBrowserUfrag, 0);
    const auto tid = randomTransactionId();
    // Binding indication (a keepalive), a response, another method.
    for (const auto& bytes : {StunMessageBuilder(StunClass::Indication, kStunMethodBinding, tid).addFingerprint().take(),
                              buildBindingSuccess(tid, kWifi, kServer.pwd),
                              StunMessageBuilder(StunClass::Request, 0x003, tid).addFingerprint().take()}) {
        const auto out = send(agent, bytes, kWifi, 0);
        EXPECT_TRUE(out.reply.empty());
        EXPECT_FALSE(out.authenticated);
    }
    auto request = Browser().check(true);
    request.back() ^= 1;
    const auto out = send(agent, request, kWifi, 0);
    EXPECT_TRUE(out.reply.empty());
    EXPECT_FALSE(agent.selectedAddress());
}

TEST(IceLiteAgent, ConsentExpiresThirtySecondsAfterTheLastCheckOnTheSelectedPair) {
    IceLiteAgent agent(kServer, kBrowserUfrag, 0);
    const Browser browser;
    EXPECT_FALSE(agent.consentExpired(1'000'000));  // nothing selected, nothing to expire
    send(agent, browser.check(true), kWifi, 1'000);
    EXPECT_FALSE(agent.consentExpired(30'999));
    EXPECT_TRUE(agent.consentExpired(31'000));

    send(agent, browser.check(false), kWifi, 25'000);  // consent refresh
    EXPECT_FALSE(agent.consentExpired(54'999));
    // Checks on another pair, or that fail, do not refresh it.
    send(agent, browser.check(false), kLte, 50'000);
    Browser stale;
    stale.server.pwd = "stale-password-xxxxxxxxx";
    send(agent, stale.check(false), kWifi, 50'000);
    EXPECT_TRUE(agent.consentExpired(55'000));
}

TEST(IceLiteAgent, ConnectTimeoutUntilTheFirstNomination) {
    IceLiteAgent agent(kServer, kBrowserUfrag, 1'000, {.consentMs = 30'000, .connectMs = 10'000});
    EXPECT_FALSE(agent.connectTimedOut(10'999));
    EXPECT_TRUE(agent.connectTimedOut(11'000));
    send(agent, Browser().check(true), kWifi, 11'500);
    EXPECT_FALSE(agent.connectTimedOut(100'000));
}

TEST(IceLiteAgent, RestartSwapsCredentialsAndKeepsMediaUntilRenominated) {
    IceLiteAgent agent(kServer, kBrowserUfrag, 0);
    const Browser before;
    send(agent, before.check(true), kWifi, 1'000);

    const IceCredentials fresh = generateIceCredentials();
    agent.restart(fresh, "newB", 2'000);
    EXPECT_EQ(agent.localCredentials(), fresh);
    EXPECT_EQ(agent.remoteUfrag(), "newB");
    EXPECT_EQ(agent.selectedAddress(), kWifi);
    EXPECT_FALSE(agent.connectTimedOut(31'999));
    EXPECT_TRUE(agent.connectTimedOut(32'000));

    // The old credentials are refused now.
    EXPECT_EQ(errorCodeOf(send(agent, before.check(true), kLte, 3'000).reply), 401);
    EXPECT_EQ(agent.selectedAddress(), kWifi);

    Browser after;
    after.server = fresh;
    after.localUfrag = "newB";
    const auto out = send(agent, after.check(true), kLte, 4'000);
    EXPECT_TRUE(out.nominated);
    EXPECT_EQ(agent.selectedAddress(), kLte);
    EXPECT_TRUE(verifyMessageIntegrity(out.reply, fresh.pwd));
    EXPECT_FALSE(agent.connectTimedOut(100'000));
    EXPECT_FALSE(agent.consentExpired(33'999));
    EXPECT_TRUE(agent.consentExpired(34'000));
}

TEST(IceLiteAgent, AClosedTcpPathIsNoLongerSelectedAndTheConnectTimeoutRestarts) {
    IceLiteAgent agent(kServer, kBrowserUfrag, 0, {.consentMs = 30'000, .connectMs = 10'000});
    const TransportAddress tcp = kWifi.withProtocol(TransportAddress::Protocol::Tcp);
    send(agent, Browser().check(true), tcp, 100);
    ASSERT_EQ(agent.selectedAddress(), tcp);
    agent.pathClosed(kWifi, 200);  // the UDP address with the same numbers is another path
    EXPECT_EQ(agent.selectedAddress(), tcp);
    agent.pathClosed(tcp, 1'000);
    EXPECT_FALSE(agent.selectedAddress());
    EXPECT_FALSE(agent.connectTimedOut(10'999));
    EXPECT_TRUE(agent.connectTimedOut(11'000));
    send(agent, Browser().check(true), kWifi, 2'000);
    EXPECT_EQ(agent.selectedAddress(), kWifi);
    EXPECT_FALSE(agent.connectTimedOut(50'000));
}
