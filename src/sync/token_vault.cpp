#include "sync/token_vault.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <vector>

#include "common/error.hpp"

namespace leandesk::sync {
namespace {

using Key = std::array<unsigned char, crypto_secretbox_KEYBYTES>;
constexpr const char* kPrefix = "v1:";
constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;

void init_sodium() {
    if (sodium_init() < 0) throw Error(Errc::internal, "libsodium could not be initialised");
}

/// For in-memory databases: one key per process, never written anywhere.
const Key& process_key() {
    static const Key key = [] {
        init_sodium();
        Key k{};
        randombytes_buf(k.data(), k.size());
        return k;
    }();
    return key;
}

/// Reads the key file; nothing when it is missing or not a key.
std::optional<Key> read_key(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return std::nullopt;
    Key key{};
    std::array<unsigned char, crypto_secretbox_KEYBYTES + 1> buf{};
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(key.size())) return std::nullopt;
    std::memcpy(key.data(), buf.data(), key.size());
    sodium_memzero(buf.data(), buf.size());
    return key;
}

/// The key file, made (0600, exclusively: two processes never make two keys) when missing.
Key key_for_sealing(const std::string& path) {
    if (auto key = read_key(path)) return *key;
    Key key{};
    randombytes_buf(key.data(), key.size());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        // Made by another process meanwhile: use that one.
        if (errno == EEXIST) {
            if (auto theirs = read_key(path)) return *theirs;
        }
        throw Error(Errc::io,
                    "cannot create the sync key file " + path + ": " + std::strerror(errno));
    }
    const bool ok =
        ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
        ::unlink(path.c_str());
        throw Error(Errc::io, "cannot write the sync key file " + path);
    }
    return key;
}

}  // namespace

TokenVault::TokenVault(std::string database_path) {
    init_sodium();
    if (!database_path.empty() && database_path != ":memory:" &&
        database_path.rfind("file::memory:", 0) != 0) {
        key_path_ = std::move(database_path) + ".sync-key";
    }
}

bool TokenVault::is_sealed(const std::string& stored) {
    return stored.rfind(kPrefix, 0) == 0;
}

std::string TokenVault::seal(const std::string& token) const {
    Key key = key_path_.empty() ? process_key() : key_for_sealing(key_path_);
    std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                   token.size());
    randombytes_buf(box.data(), crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box.data() + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                          box.data(), key.data());
    sodium_memzero(key.data(), key.size());
    std::string text(sodium_base64_ENCODED_LEN(box.size(), kVariant), '\0');
    sodium_bin2base64(text.data(), text.size(), box.data(), box.size(), kVariant);
    text.resize(std::strlen(text.c_str()));
    return kPrefix + text;
}

std::optional<std::string> TokenVault::open(const std::string& stored) const {
    if (!is_sealed(stored)) return std::nullopt;
    const std::string_view text = std::string_view(stored).substr(std::strlen(kPrefix));
    std::vector<unsigned char> box(text.size());
    std::size_t len = 0;
    if (sodium_base642bin(box.data(), box.size(), text.data(), text.size(), nullptr, &len, nullptr,
                          kVariant) != 0 ||
        len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
        return std::nullopt;
    }
    std::optional<Key> key;
    if (key_path_.empty()) {
        key = process_key();
    } else {
        key = read_key(key_path_);
    }
    if (!key) return std::nullopt;
    std::string token(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    const int rc = crypto_secretbox_open_easy(
        reinterpret_cast<unsigned char*>(token.data()), box.data() + crypto_secretbox_NONCEBYTES,
        len - crypto_secretbox_NONCEBYTES, box.data(), key->data());
    sodium_memzero(key->data(), key->size());
    if (rc != 0) return std::nullopt;
    return token;
}

}  // namespace leandesk::sync
