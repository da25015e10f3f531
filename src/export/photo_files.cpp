#include "export/photo_files.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>

#include "common/error.hpp"

namespace leandesk::exports {

std::optional<std::string> photo_extension(const std::string& mime) {
    if (mime == "image/jpeg") return "jpg";
    if (mime == "image/png") return "png";
    if (mime == "image/webp") return "webp";
    if (mime == "image/heic") return "heic";
    return std::nullopt;
}

std::string photo_file_name(const std::string& sha256, const std::string& mime) {
    return "photos/" + sha256 + "." + photo_extension(mime).value_or("bin");
}

std::string sha256_hex(const unsigned char* data, std::size_t size) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), data, size);
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return hex.data();
}

std::vector<unsigned char> read_backup_file(const std::filesystem::path& path,
                                            const std::string& shown_name,
                                            std::uint64_t max_bytes) {
    // O_NOFOLLOW: a symbolic link planted in the backup could point anywhere on the machine.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        throw Error(Errc::corrupt, "backup: " + shown_name + " is missing or not a plain file");
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        throw Error(Errc::corrupt, "backup: " + shown_name + " is not a plain file");
    }
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
        throw Error(Errc::corrupt, "backup: " + shown_name + " is too large (" +
                                       std::to_string(st.st_size) + " bytes; at most " +
                                       std::to_string(max_bytes) + ")");
    }
    std::vector<unsigned char> bytes(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < bytes.size()) {
        const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw Error(Errc::io, "backup: cannot read " + shown_name);
        got += static_cast<std::size_t>(n);
    }
    return bytes;
}

}  // namespace leandesk::exports
