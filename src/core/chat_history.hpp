#pragma once
// The last N chat messages of a room, handed to everyone who joins.
#include <cstdint>
#include <string>
#include <vector>

#include "core/bounded_log.hpp"
#include "core/participant.hpp"

namespace parley::core {

struct ChatMessage {
    std::uint64_t id;  // 1, 2, ... per room
    ParticipantId from;
    std::string name;  // the sender's name when sent, so history survives their leaving
    std::string text;
    std::int64_t atMs;

    bool operator==(const ChatMessage&) const = default;
};

class ChatHistory {
public:
    static constexpr std::size_t kCapacity = 100;

    explicit ChatHistory(std::size_t capacity = kCapacity) : messages_(capacity) {}
    // Carried on from a snapshot: these messages, oldest first, and numbering after `lastId`.
    ChatHistory(const std::vector<ChatMessage>& messages, std::uint64_t lastId) : ChatHistory() {
        for (const ChatMessage& m : messages) messages_.push(m);
        lastId_ = lastId;
    }

    const ChatMessage& add(ParticipantId from, std::string name, std::string text, std::int64_t atMs) {
        messages_.push(ChatMessage{++lastId_, std::move(from), std::move(name), std::move(text), atMs});
        return messages_.back();
    }
    const BoundedLog<ChatMessage>& messages() const { return messages_; }
    std::uint64_t lastId() const { return lastId_; }

private:
    std::uint64_t lastId_ = 0;
    BoundedLog<ChatMessage> messages_;
};

}  // namespace parley::core
