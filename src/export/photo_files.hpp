// Naming of photo files inside a backup folder: "photos/<64 hex>.<ext>", the extension from the
// photo's type. Restore accepts exactly this shape, so no name can point outside the folder.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace leandesk::exports {

/// "jpg", "png", "webp" or "heic" for the engine's photo types; nullopt for anything else.
std::optional<std::string> photo_extension(const std::string& mime);

/// "photos/<hash>.<ext>".
std::string photo_file_name(const std::string& sha256, const std::string& mime);

/// Lower-case hex SHA-256 of bytes.
std::string sha256_hex(const unsigned char* data, std::size_t size);

/// Reads a regular file (never through a symbolic link) of at most `max_bytes`; throws
/// Error(corrupt) naming `shown_name` otherwise.
std::vector<unsigned char> read_backup_file(const std::filesystem::path& path,
                                            const std::string& shown_name, std::uint64_t max_bytes);

}  // namespace leandesk::exports
