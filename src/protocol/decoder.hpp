#pragma once
// Frame text → validated client message, or the precise reason it is refused.
#include <string_view>
#include <variant>

#include "protocol/messages.hpp"

namespace parley::protocol {

std::variant<Message, DecodeError> decode(std::string_view text);

}  // namespace parley::protocol
