#pragma once
// The few primitives access control needs, over OpenSSL.
#include <string>
#include <string_view>

namespace parley::auth {

std::string hmacSha256(std::string_view key, std::string_view data);
std::string hmacSha1(std::string_view key, std::string_view data);

std::string base64(std::string_view bytes);
std::string base64url(std::string_view bytes);  // no padding (JWT)
// Returns false on characters outside the base64url alphabet.
bool base64urlDecode(std::string_view text, std::string& out);

// Compares secrets in time independent of where they differ.
bool constantTimeEquals(std::string_view a, std::string_view b);

std::string randomHex(std::size_t bytes);

}  // namespace parley::auth
