#include "media/byte_io.hpp"

#include <gtest/gtest.h>

using parley::media::ByteReader;
using parley::media::ByteWriter;

TEST(ByteIo, WriterAndReaderAgreeOnBigEndianFields) {
    std::vector<std::uint8_t> out;
    ByteWriter w(out);
    w.u8(0x01);
    w.u16(0x0203);
    w.u24(0x040506);
    w.u32(0x0708090a);
    w.u64(0x0b0c0d0e0f101112);
    EXPECT_EQ(out.size(), 18u);
    EXPECT_EQ(out[1], 0x02);
    EXPECT_EQ(out[17], 0x12);

    ByteReader r(out);
    EXPECT_EQ(r.u8(), 0x01);
    EXPECT_EQ(r.u16(), 0x0203);
    EXPECT_EQ(r.u24(), 0x040506u);
    EXPECT_EQ(r.u32(), 0x0708090au);
    EXPECT_EQ(r.u64(), 0x0b0c0d0e0f101112u);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.remaining(), 0u);
}

TEST(ByteIo, AShortReadFailsTheReaderAndYieldsNothing) {
    const std::vector<std::uint8_t> in{0xaa, 0xbb, 0xcc};
    ByteReader r(in);
    EXPECT_EQ(r.u16(), 0xaabb);
    EXPECT_EQ(r.u16(), 0);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.remaining(), 0u);
    EXPECT_TRUE(r.bytes(1).empty());
    EXPECT_EQ(r.u8(), 0);  // stays failed even though one byte was left
}

TEST(ByteIo, BytesAndSkipMoveThePosition) {
    const std::vector<std::uint8_t> in{1, 2, 3, 4, 5};
    ByteReader r(in);
    r.skip(1);
    const auto two = r.bytes(2);
    ASSERT_EQ(two.size(), 2u);
    EXPECT_EQ(two[0], 2);
    EXPECT_EQ(r.position(), 3u);
    r.skip(3);
    EXPECT_FALSE(r.ok());
}

TEST(ByteIo, PatchRewritesALengthWrittenEarlier) {
    std::vector<std::uint8_t> out;
    ByteWriter w(out);
    w.u16(0);
    w.zeros(3);
    w.patchU16(0, static_cast<std::uint16_t>(w.size()));
    EXPECT_EQ(out[0], 0);
    EXPECT_EQ(out[1], 5);
    EXPECT_THROW(w.patchU16(4, 1), std::out_of_range);
}
