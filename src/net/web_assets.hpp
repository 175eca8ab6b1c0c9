#pragma once
// The files of the browser client: the copy compiled into the binary, or (for development)
// a directory on disk read on every request so edits show up on reload.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

namespace parley::net {

struct WebAsset {
    std::string_view contentType;
    // Embedded bytes (valid for the life of the program) or a file to stream from disk.
    std::variant<std::string_view, std::filesystem::path> source;
};

class WebAssets {
public:
    static WebAssets embedded();
    static WebAssets fromDirectory(std::filesystem::path root);

    // `path` is a URL path already checked by safeRequestPath, e.g. "/css/style.css".
    std::optional<WebAsset> find(std::string_view path) const;

    std::size_t embeddedCount() const { return embedded_.size(); }
    const std::optional<std::filesystem::path>& root() const { return root_; }

private:
    std::optional<std::filesystem::path> root_;
    std::unordered_map<std::string_view, std::string_view> embedded_;
};

}  // namespace parley::net
