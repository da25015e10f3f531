// The TLS material of the demo's server, made at run time with OpenSSL: a certificate authority
// of its own and a certificate for localhost (and 127.0.0.1) that it signs. The replicas trust
// that CA through their `ca_file` option, as an app trusts an intranet server's CA; nothing is
// added to the system's trust store. EC P-256 keys: made in a millisecond, unlike RSA.
#pragma once

#include <filesystem>

namespace demo {

struct TlsFiles {
    std::filesystem::path ca_cert;      // PEM, what the clients trust
    std::filesystem::path server_cert;  // PEM, localhost, signed by the CA
    std::filesystem::path server_key;   // PEM, readable by its owner only
};

/// Writes ca.pem, server.pem and server.key into `dir` (created if needed), valid from an hour
/// ago for two days. Throws std::runtime_error with OpenSSL's reason on failure.
TlsFiles make_certificates(const std::filesystem::path& dir);

}  // namespace demo
