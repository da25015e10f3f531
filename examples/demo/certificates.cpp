#include "certificates.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace demo {
namespace {

namespace fs = std::filesystem;

template <auto Free>
struct Deleter {
    template <typename T>
    void operator()(T* p) const noexcept {
        Free(p);
    }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO_free_all>>;

[[noreturn]] void fail(const std::string& what) {
    char reason[256] = "unknown error";
    if (const unsigned long e = ERR_get_error(); e != 0)
        ERR_error_string_n(e, reason, sizeof reason);
    ERR_clear_error();
    throw std::runtime_error("making the demo's TLS certificates: " + what + ": " + reason);
}

Key new_key() {
    Key key(EVP_EC_gen("P-256"));
    if (!key) fail("new EC key");
    return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    const Extension ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) fail(std::string("extension ") + value);
}

/// A v3 certificate for `key` named `common_name`, signed by `issuer` (itself when null).
Cert new_certificate(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key) {
    Cert cert(X509_new());
    if (!cert) fail("new certificate");
    X509* c = cert.get();
    const Bignum serial(BN_new());
    if (!serial || BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(c)) == nullptr) {
        fail("serial number");
    }
    X509_NAME* name = X509_get_subject_name(c);
    const auto* cn = reinterpret_cast<const unsigned char*>(common_name);
    if (X509_set_version(c, 2) != 1 ||  // 2 means v3, the version with extensions
        X509_gmtime_adj(X509_getm_notBefore(c), -3600) == nullptr ||
        X509_gmtime_adj(X509_getm_notAfter(c), 2L * 24 * 3600) == nullptr ||
        X509_set_pubkey(c, key) != 1 ||
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, cn, -1, -1, 0) != 1 ||
        X509_set_issuer_name(c, issuer != nullptr ? X509_get_subject_name(issuer) : name) != 1) {
        fail(std::string("certificate fields of ") + common_name);
    }
    X509* signer = issuer != nullptr ? issuer : c;
    add_extension(c, signer, NID_subject_key_identifier, "hash");
    add_extension(c, signer, NID_authority_key_identifier, "keyid:always");
    if (issuer == nullptr) {
        add_extension(c, signer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
        add_extension(c, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_extension(c, signer, NID_basic_constraints, "critical,CA:FALSE");
        add_extension(c, signer, NID_key_usage, "critical,digitalSignature");
        add_extension(c, signer, NID_ext_key_usage, "serverAuth");
        add_extension(c, signer, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    }
    if (X509_sign(c, issuer_key, EVP_sha256()) == 0) fail(std::string("signing ") + common_name);
    return cert;
}

void write_certificate(const fs::path& path, X509* cert) {
    const Bio out(BIO_new_file(path.c_str(), "w"));
    if (!out || PEM_write_bio_X509(out.get(), cert) != 1) fail("writing " + path.string());
}

void write_private_key(const fs::path& path, EVP_PKEY* key) {
    {  // Created empty and owner-only first, so the key is never readable by others.
        const Bio create(BIO_new_file(path.c_str(), "w"));
        if (!create) fail("creating " + path.string());
    }
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
    const Bio out(BIO_new_file(path.c_str(), "w"));
    if (!out ||
        PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        fail("writing " + path.string());
}

}  // namespace

TlsFiles make_certificates(const fs::path& dir) {
    fs::create_directories(dir);
    const Key ca_key = new_key();
    const Cert ca = new_certificate(ca_key.get(), "LeanDesk demo CA", nullptr, ca_key.get());
    const Key server_key = new_key();
    const Cert server = new_certificate(server_key.get(), "localhost", ca.get(), ca_key.get());

    TlsFiles files{dir / "ca.pem", dir / "server.pem", dir / "server.key"};
    write_certificate(files.ca_cert, ca.get());
    write_certificate(files.server_cert, server.get());
    write_private_key(files.server_key, server_key.get());
    return files;
}

}  // namespace demo
