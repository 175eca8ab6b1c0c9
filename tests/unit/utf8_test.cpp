#include "net/utf8.hpp"

#include <gtest/gtest.h>

using parley::net::isValidUtf8;

TEST(Utf8, AcceptsAsciiAndEveryEncodingLength) {
    EXPECT_TRUE(isValidUtf8(""));
    EXPECT_TRUE(isValidUtf8("{\"type\":\"candidate\",\"to\":\"p3k9x2mq7a1c\"}"));
    EXPECT_TRUE(isValidUtf8("Привет"));                 // two bytes each
    EXPECT_TRUE(isValidUtf8("\xE2\x82\xAC"));           // € three bytes
    EXPECT_TRUE(isValidUtf8("\xF0\x9F\x91\x8B hello"));  // 👋 four bytes
    EXPECT_TRUE(isValidUtf8("\xF4\x8F\xBF\xBF"));       // U+10FFFF, the last one
}

TEST(Utf8, RefusesMalformedSequences) {
    EXPECT_FALSE(isValidUtf8("\x80"));                      // a lone continuation
    EXPECT_FALSE(isValidUtf8("abcdefgh\xC3"));              // cut short after the fast path
    EXPECT_FALSE(isValidUtf8("\xC0\xAF"));                  // overlong '/'
    EXPECT_FALSE(isValidUtf8("\xE0\x80\xAF"));              // overlong, three bytes
    EXPECT_FALSE(isValidUtf8("\xF0\x80\x80\xAF"));          // overlong, four bytes
    EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));              // a UTF-16 surrogate
    EXPECT_FALSE(isValidUtf8("\xF4\x90\x80\x80"));          // past U+10FFFF
    EXPECT_FALSE(isValidUtf8("\xF5\x80\x80\x80"));          // never a lead byte
    EXPECT_FALSE(isValidUtf8("\xE2\x28\xA1"));              // a continuation that is not one
    EXPECT_FALSE(isValidUtf8("\xFF"));
}
