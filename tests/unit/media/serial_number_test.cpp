#include "media/serial_number.hpp"

#include <gtest/gtest.h>

using parley::media::serialDelta;
using parley::media::serialMask;
using parley::media::SerialUnwrapper;

TEST(SerialNumber, DeltaIsSignedAndWraps) {
    EXPECT_EQ(serialDelta(10, 12, 16), 2);
    EXPECT_EQ(serialDelta(12, 10, 16), -2);
    EXPECT_EQ(serialDelta(65535, 0, 16), 1);
    EXPECT_EQ(serialDelta(0, 65535, 16), -1);
    EXPECT_EQ(serialDelta(0xffffffffu, 5, 32), 6);
    EXPECT_EQ(serialDelta(127, 0, 7), 1);
    EXPECT_EQ(serialDelta(0, 0x8000, 16), -0x8000);  // exactly half way counts as older
}

TEST(SerialNumber, UnwrapperExtendsAcrossWrapBothWays) {
    SerialUnwrapper u(16);
    EXPECT_EQ(u.unwrap(65534), 65534);
    EXPECT_EQ(u.unwrap(65535), 65535);
    EXPECT_EQ(u.unwrap(1), 65537);
    EXPECT_EQ(u.unwrap(0), 65536);  // late packet just after the wrap
    EXPECT_EQ(u.unwrap(65533), 65533);  // late packet from before the wrap
    EXPECT_EQ(u.newest(), 65537);
    EXPECT_EQ(serialMask(u.newest(), 16), 1u);
}

TEST(SerialNumber, UnwrapperGoesBelowTheFirstValue) {
    SerialUnwrapper u(16);
    EXPECT_EQ(u.unwrap(0), 0);
    EXPECT_EQ(u.unwrap(65535), -1);
    EXPECT_EQ(u.newest(), 0);
    EXPECT_EQ(serialMask(-1, 16), 65535u);
}
