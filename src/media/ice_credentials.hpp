#pragma once
// ICE credentials (RFC 8445 section 5.3, RFC 8839 section 5.4): the ufrag names an agent in
// the USERNAME of connectivity checks, the pwd keys their MESSAGE-INTEGRITY. Both are drawn
// from ice-char (ALPHA / DIGIT / "+" / "/"); the ufrag needs at least 24 bits of randomness
// and 4 characters, the pwd 128 bits and 22 characters. A new pair means an ICE restart.
#include <optional>
#include <string>
#include <string_view>

namespace parley::media {

struct IceCredentials {
    std::string ufrag;
    std::string pwd;

    friend bool operator==(const IceCredentials&, const IceCredentials&) = default;
};

// 8-character ufrag (48 bits) and 24-character pwd (144 bits) from OpenSSL's RAND_bytes
// (throws std::runtime_error if it fails).
IceCredentials generateIceCredentials();

// The two halves of a check's USERNAME, "<receiver's ufrag>:<sender's ufrag>". Because ':'
// is not an ice-char the first colon splits them. nullopt unless both halves are non-empty.
// The views point into `username`.
struct StunUsername {
    std::string_view local;   // the ufrag of the agent receiving the check
    std::string_view remote;  // the ufrag of the agent that sent it
};
std::optional<StunUsername> parseStunUsername(std::string_view username);

}  // namespace parley::media
