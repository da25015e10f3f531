// The replica's server session token at rest: sealed (XSalsa20-Poly1305, libsodium's secretbox)
// with a key kept outside the database, so a copy of the database file alone (a backup, a file
// shared for support, a stolen SD card image) does not let anyone act on the server as its user.
#pragma once

#include <optional>
#include <string>

namespace leandesk::sync {

class TokenVault {
  public:
    /// The vault of the database at `database_path`. Its key lives in `<database_path>.sync-key`
    /// (32 random bytes, mode 0600, made at the first seal); an in-memory database (":memory:",
    /// or an empty path) uses a key held by this process only.
    explicit TokenVault(std::string database_path);

    /// "v1:" + base64(nonce || box): what the database stores. Creates the key file when there
    /// is none yet. Throws Error(io) when the key file cannot be written.
    [[nodiscard]] std::string seal(const std::string& token) const;

    /// The token, or nothing when `stored` cannot be opened with this key (the key file was lost
    /// or replaced, or the value was tampered with): the app then signs in again.
    [[nodiscard]] std::optional<std::string> open(const std::string& stored) const;

    /// True when `stored` is a sealed value (anything else is a token stored in clear by an
    /// earlier version, to be sealed again).
    static bool is_sealed(const std::string& stored);

  private:
    std::string key_path_;  // empty: the process's in-memory key
};

}  // namespace leandesk::sync
