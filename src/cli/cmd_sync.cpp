// sync init | signin | now | status: a database kept as a replica of a LeanDesk server.
#include <iostream>

#include "cli.hpp"

namespace cli {
namespace {

template <typename T>
ld::json optional_json(const std::optional<T>& v) {
    return v ? ld::json(*v) : ld::json(nullptr);
}

void init(Context& ctx, const Args& a) {
    ld::ReplicaOptions replica{a.at(0), a.get("ca").value_or(""), a.get("pin").value_or("")};
    const ld::SyncStatus status = ctx.open_replica(replica).sync_status();
    ctx.done("This database is a replica of " + status.server_url +
             "; sign in with `leandesk "
             "sync signin EMAIL`.");
}

void signin(Context& ctx, const Args& a) {
    const std::string password = read_secret("LEANDESK_PASSWORD", "Password", false);
    const ld::Session s = ld::Session::sync_sign_in(ctx.db(), a.at(0), password);
    ctx.end_stored_session();
    ctx.save_session(s);
    ctx.done("Signed in on the server as " + a.at(0) + "; run `leandesk sync now`.");
}

void now(Context& ctx, const Args&) {
    ld::Database& db = ctx.db();
    std::int64_t rejected = 0;
    db.set_rejection_handler([&](const ld::Rejection& r) {
        ++rejected;
        if (!ctx.json()) {
            std::cerr << "refused by the server: " << r.command << " (" << r.message
                      << "); undone here\n";
        }
    });
    db.sync_now(progress_bar(ctx, "Syncing"));
    db.set_rejection_handler({});
    const ld::SyncStatus status = db.sync_status();
    if (ctx.json()) {
        return Context::print_json({{"pending", status.pending},
                                    {"rejected_now", rejected},
                                    {"last_success_at", optional_json(status.last_success_at)}});
    }
    std::cout << "In sync with " << status.server_url << "; " << status.pending
              << " command(s) waiting, " << rejected << " refused.\n";
}

void status(Context& ctx, const Args&) {
    const ld::SyncStatus s = ctx.db().sync_status();
    if (ctx.json()) {
        ld::json last_error = nullptr;
        if (s.last_error)
            last_error = {{"code", s.last_error->code}, {"message", s.last_error->message}};
        return Context::print_json({{"server_url", s.server_url},
                                    {"user_id", optional_json(s.user_id)},
                                    {"signed_in", s.signed_in},
                                    {"pending", s.pending},
                                    {"rejected", s.rejected},
                                    {"last_success_at", optional_json(s.last_success_at)},
                                    {"last_error", last_error}});
    }
    print_table({{"SERVER", "SIGNED IN", "PENDING", "REFUSED", "LAST ERROR"},
                 {s.server_url, s.signed_in ? "yes" : "no", std::to_string(s.pending),
                  std::to_string(s.rejected), s.last_error ? s.last_error->message : ""}});
}

}  // namespace

void add_sync_commands(std::vector<Command>& commands) {
    commands.push_back({"sync init",
                        "https://SERVER",
                        "Make the database a replica of a LeanDesk server.",
                        "Only https is accepted and the certificate is always checked; --ca gives "
                        "the PEM file of an intranet CA, --pin a public-key pin (sha256//...).",
                        {{"ca", "FILE", "PEM file of the CA that signed the server's certificate"},
                         {"pin", "PIN", "the server's public-key pin, sha256//BASE64"}},
                        1,
                        1,
                        init});
    commands.push_back({"sync signin",
                        "EMAIL",
                        "Sign in on the replica's server (password from $LEANDESK_PASSWORD or "
                        "the terminal).",
                        "",
                        {},
                        1,
                        1,
                        signin});
    commands.push_back({"sync now",
                        "",
                        "Push local changes, then pull what changed on the server.",
                        "Commands the server refuses are undone here and listed on stderr.",
                        {},
                        0,
                        0,
                        now});
    commands.push_back(
        {"sync status", "", "Show pending commands and the last sync.", "", {}, 0, 0, status});
}

}  // namespace cli
