#include "media/tcp_framing.hpp"

namespace parley::media {

bool appendTcpFrame(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> packet) {
    if (packet.empty() || packet.size() > 0xffff) return false;
    out.push_back(static_cast<std::uint8_t>(packet.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(packet.size()));
    out.insert(out.end(), packet.begin(), packet.end());
    return true;
}

void TcpFrameReassembler::push(std::span<const std::uint8_t> bytes) {
    if (broken_) return;
    // Frames handed out earlier are dropped only now, so next()'s span lived until this call.
    if (consumed_ > 0) {
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(consumed_));
        consumed_ = 0;
    }
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

std::optional<std::span<const std::uint8_t>> TcpFrameReassembler::next() {
    if (broken_) return std::nullopt;
    const std::size_t available = buffer_.size() - consumed_;
    if (available < 2) return std::nullopt;
    const std::size_t length = (std::size_t{buffer_[consumed_]} << 8) | buffer_[consumed_ + 1];
    if (length == 0 || length > maxFrameSize_) {
        broken_ = true;
        buffer_.clear();
        consumed_ = 0;
        return std::nullopt;
    }
    if (available < 2 + length) return std::nullopt;
    const std::span<const std::uint8_t> frame(buffer_.data() + consumed_ + 2, length);
    consumed_ += 2 + length;
    return frame;
}

}  // namespace parley::media
