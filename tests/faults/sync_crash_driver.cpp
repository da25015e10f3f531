// The child of the sync crash test (sync_crash_test.cpp): a replica and its server in one process,
// each with its own database file, wired by the in-process transport. It runs command after
// command on the replica, from command number <first> on, and syncs after every third. After each
// command returns, it writes "<n> <command id>\n" to stdout in one write(2): that line is the
// acknowledgement the parent holds both databases to; "S\n" and "D\n" mark the start and the end of
// each sync. The parent kills this process with SIGKILL
// at a random moment, so the kill lands in a replica command, in a push (in the server's
// transaction, between the server's commit and the replica's outbox update), in a pull or in a
// checkpoint of either database.
//
//   sync_crash_driver <replica db> <server db> <user id> <project id> <first command number>
//
// Commands (as crash_driver.c; sync_crash_test.cpp's expected_state() must agree):
//   n % 5 in {0,1,2}  create action U(n) titled "a<n>" with a 300-byte description
//   n % 5 == 3        rename action U(n-3) to "e<n>"
//   n % 5 == 4        delete action U(n-3)
// Exit status: 3 cannot start, 4 a command or a sync failed, 5 the pipe, 6 a command was rejected
// (the server undid an acknowledged command: the parent reports it). Never exits on its own
// otherwise.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "auth/password.hpp"
#include "common/error.hpp"
#include "engine/engine.hpp"
#include "engine/engine_impl.hpp"
#include "sync/authority.hpp"
#include "sync/replica.hpp"
#include "sync/transport.hpp"

using namespace leandesk;

namespace {

std::string action_id(long n) {
    char id[64];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012ld", n);
    return id;
}

void run_command(Engine& e, const Actor& me, const std::string& project, long n) {
    switch (n % 5) {
        case 3:
            e.update_action(me, action_id(n - 3), {{"title", "e" + std::to_string(n)}});
            break;
        case 4:
            e.delete_action(me, action_id(n - 3));
            break;
        default:
            e.create_action(me, {{"id", action_id(n)},
                                 {"project_id", project},
                                 {"title", "a" + std::to_string(n)},
                                 {"description", std::string(300, 'x')}});
    }
}

/// The id the engine gave the command that just ran: the newest outbox row.
std::string last_command_id(Engine& e) {
    auto& impl = e.internals();
    return impl.read([&] {
        auto s = impl.db.prepare("SELECT command_id FROM sync_outbox ORDER BY seq DESC LIMIT 1");
        if (!s.step()) throw Error(Errc::internal, "the command left no outbox row");
        return s.text(0);
    });
}

EngineOptions options(const std::string& path) {
    EngineOptions o(path);
    o.password_params = auth::PasswordParams::fastest_for_tests();
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr,
                     "usage: sync_crash_driver <replica db> <server db> <user id> <project id> "
                     "<first command>\n");
        return 2;
    }
    const std::string project = argv[4];
    const Actor me = Actor::user(argv[3]);
    long n = std::atol(argv[5]);
    try {
        Engine server(options(argv[2]));
        sync::Authority authority(server);
        auto transport = std::make_shared<sync::InProcessTransport>(server, authority);
        Engine local(options(argv[1]));
        sync::Replica replica(local, transport);
        replica.on_rejected = [](const sync::Rejection& r) {
            std::fprintf(stderr, "sync_crash_driver: %s %s rejected: %s\n", r.command.c_str(),
                         r.command_id.c_str(), r.message.c_str());
            std::_Exit(6);
        };
        for (;; ++n) {
            try {
                run_command(local, me, project, n);
            } catch (const Error& e) {
                std::fprintf(stderr, "sync_crash_driver: command %ld failed: %s\n", n, e.what());
                return 4;
            }
            const std::string ack = std::to_string(n) + " " + last_command_id(local) + "\n";
            if (write(STDOUT_FILENO, ack.data(), ack.size()) != static_cast<ssize_t>(ack.size()))
                return 5;
            if (n % 3 == 2) {
                // "S" and "D" around the sync tell the parent whether its kill fell inside one.
                if (write(STDOUT_FILENO, "S\n", 2) != 2) return 5;
                replica.sync_now();
                if (write(STDOUT_FILENO, "D\n", 2) != 2) return 5;
            }
            if (n % 20 == 19) {
                local.checkpoint();
                server.checkpoint();
            }
        }
    } catch (const Error& e) {
        std::fprintf(stderr, "sync_crash_driver: %s\n", e.what());
        return 4;
    }
}
