// The server's configuration file (JSON; docs/sync.md, "Running a server"). Every key is checked:
// an unknown key or a bad value stops the server at start-up with a message naming it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/engine.hpp"

namespace leandesk::server {

struct Config {
    std::string listen_address = "127.0.0.1";
    int port = 8443;
    std::string tls_cert;  // PEM certificate chain
    std::string tls_key;   // PEM private key
    std::string database;  // SQLite file of the authority
    Millis session_lifetime = 30LL * 24 * 3600 * 1000;
    Millis session_idle_timeout = 14LL * 24 * 3600 * 1000;
    int requests_per_minute = 600;  // per client address; 429 with Retry-After beyond
    int max_failed_sign_ins = 5;    // per (address tried, client address); docs/accounts.md
    int max_failed_sign_ins_per_client = 100;  // per client address, whatever the address tried
    int max_mails_per_recipient_per_hour = 5;  // account mails (activation, reset, ...)
    std::size_t max_body_bytes = 16U * 1024U * 1024U;
    int threads = 8;  // worker threads running the requests (engine, Argon2id, SQLite)
    // The HTTPS transport (server/http_server.hpp, docs/server.md): event-driven I/O threads,
    // deadlines, connection caps and request-size limits.
    int io_threads = 1;
    int max_connections = 10000;            // open connections overall; beyond: refused
    int max_connections_per_address = 256;  // per client IP address; beyond: refused
    int max_queued_requests = 256;          // waiting for a worker; beyond: 503 + Retry-After
    int handshake_timeout_ms = 10000;       // TCP accept to TLS handshake done
    int header_timeout_ms = 10000;          // first byte of a request to its header's end
    int body_timeout_ms = 60000;            // header's end to the body's end
    int idle_timeout_ms = 30000;            // keep-alive: answer sent to next request's first byte
    int write_timeout_ms = 60000;           // sending one answer
    int shutdown_timeout_ms = 10000;        // SIGTERM: bound on finishing requests in flight
    std::size_t max_header_bytes = 16384;   // request line and header fields together
    std::size_t max_header_fields = 100;    // header fields per request
    std::size_t max_header_line_bytes = 8192;  // one header field (name, value) or request target
    std::string link_base;                     // prefix of the links in account mails
    // Mail: an SMTP relay, or a pickup directory (one .eml file per mail) for tests and for
    // relays that watch a directory; one of them, never both (server/mail_setup.hpp).
    std::string smtp_url;   // "smtps://mail.example.com:465" or "smtp://...:587" (STARTTLS)
    std::string smtp_user;  // empty: no authentication
    std::string smtp_password_file;  // holds the password; required with smtp_user, never logged
    std::string smtp_ca_file;        // PEM bundle of the relay's CA; empty: the system's store
    bool smtp_allow_plaintext_loopback = false;  // smtp:// without TLS, to a relay on loopback only
    long smtp_timeout_ms = 30000;
    std::string mail_from = "LeanDesk <no-reply@localhost>";  // "Name <address>" or "address"
    std::string mail_pickup_dir;
    std::string operator_secret_file;  // read at start-up; sets the operator credential once
    std::string log_level = "info";
    // How far ahead of the server's clock a pushed command's stamp may be (1 s to 5 min; beyond:
    // the push is refused, docs/protocol.md "Clocks").
    std::int64_t max_clock_skew_ms = 5LL * 60 * 1000;
    // Argon2id cost (defaults: the library's interactive parameters); tests lower them.
    std::uint64_t password_opslimit = 0;
    std::size_t password_memlimit = 0;
    // Test only (tests/sync/sync_kill_test.cpp): each push sleeps this long at this phase
    // ("before_commit": inside its transaction; "after_commit": before its answer), so a test can
    // kill the server there. 0 (the default) in production.
    int test_push_delay_ms = 0;
    std::string test_push_delay_phase = "before_commit";
};

/// Reads and checks a configuration file; throws Error(invalid_argument) naming the problem.
Config load_config(const std::string& path);

}  // namespace leandesk::server
