#include "protocol/validation.hpp"

#include <gtest/gtest.h>
#include <vector>

using namespace parley::protocol;

TEST(RoomId, AcceptsReadableIds) {
    for (const std::string& id : std::vector<std::string>{"abc", "brave-otter-417", "a-b", "000", std::string(64, 'x')}) {
        EXPECT_TRUE(isValidRoomId(id)) << id;
    }
}

TEST(RoomId, RejectsBadIds) {
    for (const std::string& id : std::vector<std::string>{"", "ab", "-abc", "abc-", "ABC", "a b c", "a/b/c", "..a", "room_1",
                                 "кот-кот", std::string(65, 'x')}) {
        EXPECT_FALSE(isValidRoomId(id)) << id;
    }
}

TEST(DisplayName, TrimsAndKeepsUnicode) {
    EXPECT_EQ(normalizeDisplayName("  Alice \t"), "Alice");
    EXPECT_EQ(normalizeDisplayName("Аня 👩‍💻"), "Аня 👩‍💻");
    EXPECT_EQ(normalizeDisplayName("<img src=x onerror=alert(1)>"), "<img src=x onerror=alert(1)>");
}

TEST(DisplayName, CountsCodePointsNotBytes) {
    std::string cyrillic64;
    for (int i = 0; i < 64; ++i) cyrillic64 += "ж";
    EXPECT_EQ(codePointCount(cyrillic64), 64u);
    EXPECT_TRUE(normalizeDisplayName(cyrillic64));
    EXPECT_FALSE(normalizeDisplayName(cyrillic64 + "ж"));
}

TEST(DisplayName, RejectsEmptyAndControlCharacters) {
    EXPECT_FALSE(normalizeDisplayName(""));
    EXPECT_FALSE(normalizeDisplayName("   "));
    EXPECT_FALSE(normalizeDisplayName("a\nb"));
    EXPECT_FALSE(normalizeDisplayName(std::string("a\0b", 3)));
    EXPECT_FALSE(normalizeDisplayName("a\x7f"));
    EXPECT_FALSE(normalizeDisplayName("a\xc2\x85"));         // C1 NEL
    EXPECT_FALSE(normalizeDisplayName("evil\xe2\x80\xaegnp.exe"));  // right-to-left override
}
