#pragma once
// RTP packets (RFC 3550) with RFC 8285 header extensions: a parsed view over a mutable datagram
// and a builder.
//
// The forwarder rewrites every packet per subscriber (sequence number, timestamp, SSRC, payload
// type, transport-wide sequence number) before SRTP-protecting it, so the view edits fields in
// place and never changes the packet's size. A view holds offsets into the span it was parsed
// from: to edit a copy, parse the copy (parsing reads only the fixed header and the extension
// block's header, so it is cheap).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace parley::media {

// The extension block's profile: which of RFC 8285's two element forms it uses.
enum class RtpExtensionForm { None, OneByte, TwoByte, Other };

struct RtpExtensionElement {
    std::uint8_t id = 0;
    std::span<const std::uint8_t> value;
};

class RtpPacket {
public:
    // nullopt unless the datagram is a whole RTP packet: version 2, the CSRC list, the extension
    // block and the padding all inside it, and a padding count that is neither 0 nor larger than
    // what follows the header.
    static std::optional<RtpPacket> parse(std::span<std::uint8_t> datagram);

    std::uint8_t payloadType() const { return bytes_[1] & 0x7f; }
    bool marker() const { return (bytes_[1] & 0x80) != 0; }
    std::uint16_t sequenceNumber() const;
    std::uint32_t timestamp() const;
    std::uint32_t ssrc() const;
    std::size_t csrcCount() const { return bytes_[0] & 0x0f; }
    std::uint32_t csrc(std::size_t index) const;  // index < csrcCount()

    // Fixed header, CSRCs and the extension block: where the payload starts.
    std::size_t headerSize() const { return headerSize_; }
    std::size_t paddingSize() const { return paddingSize_; }
    std::span<std::uint8_t> payload() const { return bytes_.subspan(headerSize_, payloadSize()); }
    std::size_t payloadSize() const { return bytes_.size() - headerSize_ - paddingSize_; }
    std::span<std::uint8_t> bytes() const { return bytes_; }

    RtpExtensionForm extensionForm() const { return extensionForm_; }
    std::uint16_t extensionProfile() const { return extensionProfile_; }
    // The "appbits" nibble of a two-byte block's profile (0x100n); 0 for other forms.
    std::uint8_t extensionAppBits() const;

    // The first element with this id (one-byte form: 1..14; two-byte form: 1..255). Elements
    // are read up to the first malformed one (or, one-byte form, an id-15 element); a two-byte
    // element may have an empty value, so an empty span is a found element.
    std::optional<std::span<const std::uint8_t>> extension(std::uint8_t id) const;
    // Every readable element in order (for logging, the fuzzer and the test peer).
    std::vector<RtpExtensionElement> extensions() const;
    // Overwrites an element's value; false when the id is absent or the length differs.
    bool setExtensionValue(std::uint8_t id, std::span<const std::uint8_t> value);

    void setPayloadType(std::uint8_t pt) { bytes_[1] = static_cast<std::uint8_t>((bytes_[1] & 0x80) | (pt & 0x7f)); }
    void setMarker(bool m) { bytes_[1] = static_cast<std::uint8_t>((bytes_[1] & 0x7f) | (m ? 0x80 : 0)); }
    void setSequenceNumber(std::uint16_t seq);
    void setTimestamp(std::uint32_t ts);
    void setSsrc(std::uint32_t ssrc);

private:
    explicit RtpPacket(std::span<std::uint8_t> bytes) : bytes_(bytes) {}
    std::optional<std::span<std::uint8_t>> findExtension(std::uint8_t id) const;
    template <typename Visit>
    void walkExtensions(Visit&& visit) const;

    std::span<std::uint8_t> bytes_;
    std::size_t headerSize_ = 0;
    std::size_t paddingSize_ = 0;
    std::size_t extensionOffset_ = 0;  // first element byte
    std::size_t extensionSize_ = 0;    // element bytes (the block's length in words × 4)
    std::uint16_t extensionProfile_ = 0;
    RtpExtensionForm extensionForm_ = RtpExtensionForm::None;
};

// What buildRtpPacket writes.
struct RtpHeaderFields {
    std::uint8_t payloadType = 0;
    bool marker = false;
    std::uint16_t sequenceNumber = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0;
    std::vector<std::uint32_t> csrcs;  // at most 15
};

struct RtpExtensionValue {
    std::uint8_t id = 0;
    std::vector<std::uint8_t> value;
};

// A whole packet: header, the extensions (one-byte form when every id is 1..14 and every value
// 1..16 bytes, else the two-byte form; zero-padded to a word), the payload, then `padding` bytes
// of RTP padding (0 = none; the last one holds the count). nullopt for more than 15 CSRCs, an id
// of 0, or a value over 255 bytes: a packet RtpPacket::parse would not read back.
std::optional<std::vector<std::uint8_t>> buildRtpPacket(const RtpHeaderFields& header,
                                                        std::span<const RtpExtensionValue> extensions,
                                                        std::span<const std::uint8_t> payload,
                                                        std::uint8_t padding = 0);

}  // namespace parley::media
