#pragma once
// Big-endian field access for the media parsers and builders (STUN, RTP, RTCP, ...).
//
// A ByteReader never reads past the end of its span: a read that does not fit marks the reader
// failed and yields zero, so a parser reads a whole header and checks ok() once, instead of a
// bounds check before every field. A ByteWriter appends to a vector and can patch a field
// written earlier (a length known only at the end).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace parley::media {

class ByteReader {
public:
    explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    bool ok() const { return ok_; }
    std::size_t position() const { return position_; }
    std::size_t remaining() const { return ok_ ? bytes_.size() - position_ : 0; }

    std::uint8_t u8() { return static_cast<std::uint8_t>(read(1)); }
    std::uint16_t u16() { return static_cast<std::uint16_t>(read(2)); }
    std::uint32_t u24() { return static_cast<std::uint32_t>(read(3)); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(read(4)); }
    std::uint64_t u64() { return read(8); }

    // The next n bytes (empty, and the reader failed, when fewer remain).
    std::span<const std::uint8_t> bytes(std::size_t n) {
        if (!take(n)) return {};
        return bytes_.subspan(position_ - n, n);
    }
    void skip(std::size_t n) { take(n); }

private:
    bool take(std::size_t n) {
        if (!ok_ || n > bytes_.size() - position_) {
            ok_ = false;
            return false;
        }
        position_ += n;
        return true;
    }
    std::uint64_t read(std::size_t n) {
        if (!take(n)) return 0;
        std::uint64_t value = 0;
        for (std::size_t i = position_ - n; i < position_; ++i) value = (value << 8) | bytes_[i];
        return value;
    }

    std::span<const std::uint8_t> bytes_;
    std::size_t position_ = 0;
    bool ok_ = true;
};

class ByteWriter {
public:
    explicit ByteWriter(std::vector<std::uint8_t>& out) : out_(out) {}

    std::size_t size() const { return out_.size(); }

    void u8(std::uint8_t v) { out_.push_back(v); }
    void u16(std::uint16_t v) { write(v, 2); }
    void u24(std::uint32_t v) { write(v, 3); }
    void u32(std::uint32_t v) { write(v, 4); }
    void u64(std::uint64_t v) { write(v, 8); }
    void bytes(std::span<const std::uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
    void zeros(std::size_t n) { out_.insert(out_.end(), n, 0); }

    // Overwrites a 16-bit field written earlier at byte offset `at`.
    void patchU16(std::size_t at, std::uint16_t v) {
        out_.at(at) = static_cast<std::uint8_t>(v >> 8);
        out_.at(at + 1) = static_cast<std::uint8_t>(v);
    }

private:
    void write(std::uint64_t v, std::size_t n) {
        for (std::size_t i = n; i-- > 0;) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }

    std::vector<std::uint8_t>& out_;
};

}  // namespace parley::media
