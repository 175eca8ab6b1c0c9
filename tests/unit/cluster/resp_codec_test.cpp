#include "cluster/resp_codec.hpp"

#include <gtest/gtest.h>

using namespace parley::cluster;

namespace {

// Every reply in `bytes`, fed in pieces of `step` bytes; fails the test on a protocol error.
std::vector<RespValue> decodeAll(std::string_view bytes, std::size_t step) {
    RespDecoder decoder;
    std::vector<RespValue> replies;
    for (std::size_t i = 0; i < bytes.size(); i += step) {
        decoder.feed(bytes.substr(i, step));
        while (true) {
            auto next = decoder.next();
            if (std::holds_alternative<std::monostate>(next)) break;
            if (auto* error = std::get_if<RespProtocolError>(&next)) {
                ADD_FAILURE() << error->message;
                return replies;
            }
            replies.push_back(std::get<RespValue>(std::move(next)));
        }
    }
    return replies;
}

std::optional<std::string> protocolError(std::string_view bytes) {
    RespDecoder decoder;
    decoder.feed(bytes);
    auto next = decoder.next();
    if (auto* error = std::get_if<RespProtocolError>(&next)) return error->message;
    return std::nullopt;
}

}  // namespace

TEST(RespCodec, EncodesCommandsAsArraysOfBulkStrings) {
    EXPECT_EQ(encodeCommand({"PING"}), "*1\r\n$4\r\nPING\r\n");
    EXPECT_EQ(encodeCommand({"SET", "k", "", "PX", "6000"}),
              "*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n$2\r\nPX\r\n$4\r\n6000\r\n");
    // Binary-safe: CR, LF and NUL inside an argument are counted, not interpreted.
    EXPECT_EQ(encodeCommand({"SET", std::string("a\r\n\0b", 5)}), std::string("*2\r\n$3\r\nSET\r\n$5\r\na\r\n\0b\r\n", 24));
    EXPECT_THROW(encodeCommand({}), std::invalid_argument);
}

TEST(RespCodec, DecodesEveryReplyKind) {
    const std::string bytes = "+OK\r\n-ERR wrong\r\n:42\r\n:-7\r\n$5\r\nhello\r\n$0\r\n\r\n$-1\r\n*-1\r\n*0\r\n";
    const auto replies = decodeAll(bytes, bytes.size());
    ASSERT_EQ(replies.size(), 9u);
    EXPECT_EQ(replies[0], RespValue::status("OK"));
    EXPECT_EQ(replies[1], RespValue::error("ERR wrong"));
    EXPECT_TRUE(replies[1].isError());
    EXPECT_EQ(replies[2], RespValue::number(42));
    EXPECT_EQ(replies[3], RespValue::number(-7));
    EXPECT_EQ(replies[4], RespValue::bulk("hello"));
    EXPECT_EQ(replies[5], RespValue::bulk(""));
    EXPECT_EQ(replies[6], RespValue::nil());
    EXPECT_EQ(replies[7], RespValue::nil());
    EXPECT_EQ(replies[8], RespValue::array({}));
}

TEST(RespCodec, DecodesNestedArraysSplitAnywhere) {
    const std::string bytes =
        "*3\r\n:1\r\n*2\r\n$3\r\nfoo\r\n*2\r\n$-1\r\n-ERR in\r\n$3\r\nbar\r\n+PONG\r\n";
    const RespValue expected = RespValue::array(
        {RespValue::number(1),
         RespValue::array({RespValue::bulk("foo"), RespValue::array({RespValue::nil(), RespValue::error("ERR in")})}),
         RespValue::bulk("bar")});
    for (std::size_t step = 1; step <= bytes.size(); ++step) {
        const auto replies = decodeAll(bytes, step);
        ASSERT_EQ(replies.size(), 2u) << "step " << step;
        EXPECT_EQ(replies[0], expected) << "step " << step << ": " << describe(replies[0]);
        EXPECT_EQ(replies[1], RespValue::status("PONG"));
    }
}

TEST(RespCodec, BulkStringsAreBinarySafe) {
    const std::string payload("a\r\n\0z", 5);
    const auto replies = decodeAll("$5\r\n" + payload + "\r\n", 1);
    ASSERT_EQ(replies.size(), 1u);
    EXPECT_EQ(replies[0].text, payload);
}

TEST(RespCodec, WaitsForTheRestOfAReply) {
    RespDecoder decoder;
    decoder.feed("*2\r\n$3\r\nfoo\r\n");
    EXPECT_TRUE(std::holds_alternative<std::monostate>(decoder.next()));
    decoder.feed(":9\r");
    EXPECT_TRUE(std::holds_alternative<std::monostate>(decoder.next()));
    decoder.feed("\n");
    auto next = decoder.next();
    ASSERT_TRUE(std::holds_alternative<RespValue>(next));
    EXPECT_EQ(std::get<RespValue>(next), RespValue::array({RespValue::bulk("foo"), RespValue::number(9)}));
}

TEST(RespCodec, ProtocolErrorsAreClearAndFinal) {
    const auto wrongType = protocolError("?what\r\n");
    ASSERT_TRUE(wrongType);
    EXPECT_NE(wrongType->find("Protocol error"), std::string::npos) << *wrongType;
    EXPECT_TRUE(protocolError(":12x\r\n"));        // not an integer
    EXPECT_TRUE(protocolError("$abc\r\n"));        // not a length
    EXPECT_TRUE(protocolError("*-5\r\n"));         // no array is shorter than nil
    // Deeper than hiredis's reader goes (7 levels).
    EXPECT_TRUE(protocolError("*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n"));

    RespDecoder decoder;
    decoder.feed("+OK\r\n!\r\n+OK\r\n");
    EXPECT_TRUE(std::holds_alternative<RespValue>(decoder.next()));
    EXPECT_TRUE(std::holds_alternative<RespProtocolError>(decoder.next()));
    // Once broken, always broken: the stream cannot be realigned.
    decoder.feed("+OK\r\n");
    EXPECT_TRUE(std::holds_alternative<RespProtocolError>(decoder.next()));
}

TEST(RespCodec, DescribesValuesForLogs) {
    EXPECT_EQ(describe(RespValue::array({RespValue::status("OK"), RespValue::nil(), RespValue::number(3),
                                         RespValue::bulk("x"), RespValue::error("ERR e")})),
              "[+OK, (nil), :3, \"x\", -ERR e]");
}
