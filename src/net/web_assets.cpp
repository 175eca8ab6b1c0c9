#include "net/web_assets.hpp"

#include <algorithm>
#include <system_error>

#include "net/content_type.hpp"
#include "net/embedded_web.hpp"

namespace parley::net {

WebAssets WebAssets::embedded() {
    WebAssets assets;
    for (const auto& file : embeddedWebFiles()) {
        assets.embedded_.emplace(
            file.path, std::string_view(reinterpret_cast<const char*>(file.bytes), file.size));
    }
    return assets;
}

WebAssets WebAssets::fromDirectory(std::filesystem::path root) {
    WebAssets assets;
    std::error_code error;
    auto canonical = std::filesystem::canonical(root, error);
    assets.root_ = error ? std::move(root) : std::move(canonical);
    return assets;
}

namespace {

// True when `file` (canonical) lies inside `root` (canonical): a symlink in the web root must
// not serve, say, /etc/passwd.
bool isInside(const std::filesystem::path& file, const std::filesystem::path& root) {
    const auto [rootEnd, fileAt] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
    return rootEnd == root.end() && fileAt != file.end();
}

}  // namespace

std::optional<WebAsset> WebAssets::find(std::string_view path) const {
    if (root_) {
        // The path is already free of ".." and backslashes; relative_path drops the leading '/'.
        std::error_code error;
        auto file = std::filesystem::canonical(*root_ / std::filesystem::path(path).relative_path(),
                                               error);
        if (error || !isInside(file, *root_) || !std::filesystem::is_regular_file(file, error)) {
            return std::nullopt;
        }
        return WebAsset{contentTypeFor(path), std::move(file)};
    }
    const auto found = embedded_.find(path);
    if (found == embedded_.end()) return std::nullopt;
    return WebAsset{contentTypeFor(path), found->second};
}

}  // namespace parley::net
