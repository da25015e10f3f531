#include "auth/password.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>

#include "common/error.hpp"
#include "model/validate.hpp"

namespace leandesk::auth {
namespace {

void init_sodium() {
    if (sodium_init() < 0) throw Error(Errc::internal, "libsodium could not be initialised");
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace

PasswordParams PasswordParams::fastest_for_tests() {
    return PasswordParams{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

void check_new_password(std::string_view password, std::string_view email) {
    if (password.size() > kMaxPasswordBytes) {
        throw_invalid("the password is too long (at most " + std::to_string(kMaxPasswordBytes) +
                      " bytes)");
    }
    if (!validate::is_valid_utf8(password) || password.find('\0') != std::string_view::npos) {
        throw_invalid("the password must be valid UTF-8 text without NUL characters");
    }
    std::size_t chars = 0;
    for (unsigned char c : password) chars += (c & 0xC0U) != 0x80U ? 1U : 0U;
    if (chars < kMinPasswordChars) {
        throw_invalid("the password is too short (at least " + std::to_string(kMinPasswordChars) +
                      " characters)");
    }
    if (lower(password) == lower(email))
        throw_invalid("the password must not be the e-mail address");
}

std::string hash_password(std::string_view password, const PasswordParams& params) {
    init_sodium();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), params.opslimit,
                          params.memlimit) != 0) {
        throw Error(Errc::no_memory, "not enough memory to hash the password");
    }
    return out;
}

bool verify_password(const std::string& encoded, std::string_view password) {
    init_sodium();
    return crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(const std::string& encoded, const PasswordParams& params) {
    init_sodium();
    return crypto_pwhash_str_needs_rehash(encoded.c_str(), params.opslimit, params.memlimit) != 0;
}

void burn_verification_time(const PasswordParams& params) {
    // A fixed dummy hash made once with the current parameters; verifying against it costs the
    // same.
    static thread_local std::string dummy;
    static thread_local PasswordParams dummy_params{0, 0};
    if (dummy.empty() || dummy_params.opslimit != params.opslimit ||
        dummy_params.memlimit != params.memlimit) {
        dummy = hash_password("leandesk-dummy-password", params);
        dummy_params = params;
    }
    (void)verify_password(dummy, "not-the-password");
}

}  // namespace leandesk::auth
