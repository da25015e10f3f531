// Crashes during sync: a child process (sync_crash_driver) holds a replica and its server, each on
// its own database file, wired by the in-process transport; it runs commands on the replica, syncs
// after every third and acknowledges each command on a pipe. This parent kills it with SIGKILL at
// a random moment (seeded), again and again; the next child goes on from the files as they were
// left. Why one process for both sides rather than a real leandesk-server: a kill then takes the
// server down too, at any point of a push (inside its transaction, after its commit but before the
// replica settled its outbox), so both databases go through crash recovery at every kill and the
// "pushed twice" case comes up hundreds of times; and no port, TLS or server start-up per kill,
// which keeps 200 kills well inside two minutes. The HTTP path and a server killed on its own are
// covered by tests/sync/sync_kill_test.cpp.
//
// After every kill:
//  * both databases pass PRAGMA integrity_check;
//  * the replica holds exactly the state after a prefix of the command stream that includes every
//    acknowledged command (at most one more: committed, killed before its acknowledgement);
//  * every acknowledged command is still there: in the replica's outbox or applied on the server
//    (sync_commands); the outbox and the server's commands together are exactly the commands
//    committed, none rejected;
//  * the server applied each command at most once: its actions are exactly the state after the
//    prefix of the commands it applied, and its change log has at most one insert, one update and
//    one delete per action;
//  * a clean sync of copies of both files empties the outbox and leaves the replica and the
//    server with the same actions, the state after every committed command, each applied once.
//
//   sync_crash_test <sync_crash_driver> [--iterations N] [--seed S]
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "auth/mail.hpp"
#include "auth/password.hpp"
#include "crash_script.hpp"
#include "db_check.hpp"
#include "engine/engine.hpp"
#include "sync/authority.hpp"
#include "sync/replica.hpp"
#include "sync/transport.hpp"

using namespace leandesk;
namespace lf = leandesk::faults;

namespace {

constexpr const char* kEmail = "sync-crash@example.com";
constexpr const char* kPassword = "sync-crash-password";

using lf::action_id;
using lf::expected_state;

/// Runs a query whose rows are text columns; each row joined with '|'.
std::vector<std::string> rows(sqlite3* db, const std::string& sql, const std::string& param = {}) {
    std::vector<std::string> out;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
        out.push_back(std::string("query failed: ") + sqlite3_errmsg(db));
        return out;
    }
    if (!param.empty()) sqlite3_bind_text(s, 1, param.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(s) == SQLITE_ROW) {
        std::string row;
        for (int c = 0; c < sqlite3_column_count(s); ++c) {
            if (c != 0) row += '|';
            const auto* t = sqlite3_column_text(s, c);
            row += t == nullptr ? "NULL" : reinterpret_cast<const char*>(t);
        }
        out.push_back(std::move(row));
    }
    sqlite3_finalize(s);
    return out;
}

std::map<std::string, std::string> actions_of(sqlite3* db, const std::string& project) {
    std::map<std::string, std::string> actions;
    for (const auto& r : rows(db, "SELECT id, title FROM actions WHERE project_id = ?", project)) {
        const auto bar = r.find('|');
        actions[r.substr(0, bar)] = bar == std::string::npos ? "" : r.substr(bar + 1);
    }
    return actions;
}

std::set<std::string> as_set(const std::vector<std::string>& v) {
    return {v.begin(), v.end()};
}

/// Actions with more than one insert, update or delete in the server's change log.
std::vector<std::string> applied_twice(sqlite3* server) {
    return rows(server,
                "SELECT entity_id || ' ' || op || ' x' || COUNT(*) FROM changes "
                "WHERE entity = 'action' GROUP BY entity_id, op HAVING COUNT(*) > 1");
}

EngineOptions options(const std::string& path) {
    EngineOptions o(path);
    o.password_params = auth::PasswordParams::fastest_for_tests();
    return o;
}

std::string code_in(const Mail& m) {
    std::istringstream in(m.text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("    ", 0) == 0) return line.substr(4);
    }
    return {};
}

struct Setup {
    std::string user, project;
    std::set<std::string> setup_commands;  // create group, create project
};

/// The server with one account, the replica signed in, a group and a project made on the replica
/// and synced.
Setup set_up(const std::string& replica_path, const std::string& server_path) {
    Setup out;
    EngineOptions so = options(server_path);
    auto mail = std::make_shared<RecordingMailSender>();
    so.mail = mail;
    Engine server(std::move(so));
    server.sign_up({{"email", kEmail},
                    {"first_name", "Sync"},
                    {"last_name", "Crash"},
                    {"password", kPassword}});
    server.activate_account(code_in(mail->sent().back()));
    sync::Authority authority(server);
    auto transport = std::make_shared<sync::InProcessTransport>(server, authority);
    Engine local(options(replica_path));
    sync::Replica::attach(local, {"https://sync.example.test", "", ""});
    sync::Replica replica(local, transport);
    const Session s = replica.sign_in(kEmail, kPassword);
    out.user = s.user_id;
    const Actor me = Actor::user(s.user_id);
    const Id group = local.create_group(me, {{"name", "Sync crash group"}}).id;
    out.project = local.create_project(me, {{"group_id", group}, {"name", "Sync crash"}}).id;
    replica.sync_now();
    return out;
}

struct Run {
    std::vector<std::pair<long, std::string>> acks;  // command number, command id
    bool killed = false;
    bool in_sync = false;  // the kill fell between the start and the end of a sync
    std::string problem;
};

/// When to kill: `delay` after the start, or, when `after_acks` > 0, `delay` after that many
/// acknowledgements (or 5 s, whichever comes first).
struct KillAt {
    int after_acks = 0;
    std::chrono::microseconds delay{0};
};

Run run_child(const std::vector<std::string>& args, long first, KillAt when) {
    int fds[2];
    Run r;
    if (pipe(fds) != 0) {
        r.problem = "pipe failed";
        return r;
    }
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(fds[1]);
    std::string acks;
    char buf[4096];
    ssize_t n;
    if (when.after_acks > 0) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        long lines = 0;
        while (lines < when.after_acks && std::chrono::steady_clock::now() < deadline) {
            pollfd p{fds[0], POLLIN, 0};
            if (poll(&p, 1, 50) <= 0) continue;
            if ((n = read(fds[0], buf, sizeof buf)) <= 0) break;
            acks.append(buf, static_cast<std::size_t>(n));
            lines = static_cast<long>(std::count(acks.begin(), acks.end(), '\n'));
        }
    }
    std::this_thread::sleep_for(when.delay);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    r.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    if (!r.killed) {
        r.problem = "the driver ended by itself (exit status " +
                    std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
    }
    // Whatever the child wrote before it died is still in the pipe.
    while ((n = read(fds[0], buf, sizeof buf)) > 0) acks.append(buf, static_cast<std::size_t>(n));
    close(fds[0]);
    std::istringstream in(acks);
    std::string line;
    long expect = first;
    while (std::getline(in, line)) {
        if (in.eof()) break;  // a line cut by the kill was never a whole acknowledgement
        if (line == "S" || line == "D") {
            r.in_sync = line == "S";
            continue;
        }
        const auto space = line.find(' ');
        if (space == std::string::npos || std::stol(line.substr(0, space)) != expect) {
            r.problem = "acknowledgements out of order";
            break;
        }
        r.acks.emplace_back(expect++, line.substr(space + 1));
    }
    return r;
}

void copy_with_wal(const std::string& from, const std::string& to) {
    namespace fs = std::filesystem;
    lf::copy_database(from, to);
    if (fs::exists(from + "-wal")) {
        fs::copy_file(from + "-wal", to + "-wal", fs::copy_options::overwrite_existing);
    }
    // The replica's server session is sealed with the key beside its database (token_vault.hpp).
    if (fs::exists(from + ".sync-key")) {
        fs::copy_file(from + ".sync-key", to + ".sync-key", fs::copy_options::overwrite_existing);
    }
}

/// Syncs copies of both files to the end and checks they agree on the state after `committed`
/// commands, each applied once. Returns the problem, empty when none.
std::string clean_sync(const std::string& replica_path, const std::string& server_path,
                       const lf::TempDir& dir, const Setup& setup, long committed) {
    const std::string rcopy = dir.file("replica-copy.db");
    const std::string scopy = dir.file("server-copy.db");
    copy_with_wal(replica_path, rcopy);
    copy_with_wal(server_path, scopy);
    try {
        Engine server(options(scopy));
        sync::Authority authority(server);
        auto transport = std::make_shared<sync::InProcessTransport>(server, authority);
        Engine local(options(rcopy));
        sync::Replica replica(local, transport);
        std::string rejected;
        replica.on_rejected = [&](const sync::Rejection& r) { rejected += " " + r.command; };
        replica.sync_now();
        if (!rejected.empty()) return "the clean sync rejected:" + rejected;
    } catch (const Error& e) {
        return std::string("the clean sync failed: ") + e.what();
    }
    auto rdb = lf::open_plain(rcopy, "unix");
    auto sdb = lf::open_plain(scopy, "unix");
    const auto want = expected_state(committed);
    if (actions_of(rdb.get(), setup.project) != want) return "after a clean sync: replica differs";
    if (actions_of(sdb.get(), setup.project) != want) return "after a clean sync: server differs";
    if (!rows(rdb.get(), "SELECT command_id FROM sync_outbox").empty())
        return "after a clean sync: the outbox is not empty";
    const auto applied =
        rows(sdb.get(), "SELECT command_id FROM sync_commands WHERE outcome = 'applied'");
    if (static_cast<long>(applied.size()) !=
        committed + static_cast<long>(setup.setup_commands.size()))
        return "after a clean sync: " + std::to_string(applied.size()) + " commands applied";
    const auto twice = applied_twice(sdb.get());
    if (!twice.empty()) return "after a clean sync: applied twice: " + twice.front();
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr,
                     "usage: sync_crash_test <sync_crash_driver> [--iterations N] [--seed S]\n");
        return 2;
    }
    const std::string driver = argv[1];
    long iterations = 200;
    unsigned seed = 20261127;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--iterations") == 0)
            iterations = std::atol(argv[i + 1]);
        else if (std::strcmp(argv[i], "--seed") == 0)
            seed = static_cast<unsigned>(std::atol(argv[i + 1]));
    }
    lf::TempDir dir("sync-crash");
    const std::string replica_path = dir.file("replica.db");
    const std::string server_path = dir.file("server.db");
    Setup setup = set_up(replica_path, server_path);
    {
        auto sdb = lf::open_plain(server_path, "unix");
        setup.setup_commands = as_set(rows(sdb.get(), "SELECT command_id FROM sync_commands"));
    }
    lf::Checks checks;
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> start_delay_us(0, 80000);
    std::uniform_int_distribution<int> acks_before(1, 30);
    std::uniform_int_distribution<int> late_delay_us(0, 4000);

    std::map<long, std::string> acked_ids;  // every acknowledged command: number -> id
    long committed = 0;                     // commands 0..committed-1 are in the replica
    long acknowledged = 0, extra = 0, pending_at_kill = 0, pushed_not_settled = 0, in_sync = 0;
    const auto started = std::chrono::steady_clock::now();
    long kills = 0;
    for (long it = 0; it < iterations; ++it) {
        KillAt when;
        if (it % 2 == 0) {
            when.delay = std::chrono::microseconds(start_delay_us(rng));
        } else {
            when.after_acks = acks_before(rng);
            when.delay = std::chrono::microseconds(late_delay_us(rng));
        }
        const Run r = run_child({driver, replica_path, server_path, setup.user, setup.project,
                                 std::to_string(committed)},
                                committed, when);
        const std::string label = "kill " + std::to_string(it);
        ++kills;
        checks.expect(r.killed && r.problem.empty(), label + ": " + r.problem);
        for (const auto& [n, id] : r.acks) acked_ids[n] = id;
        const long acked =
            r.acks.empty() ? committed : std::max(committed, r.acks.back().first + 1);
        acknowledged += static_cast<long>(r.acks.size());
        if (r.in_sync) ++in_sync;

        auto rdb = lf::open_plain(replica_path, "unix");
        auto sdb = lf::open_plain(server_path, "unix");
        const std::string rcheck = lf::integrity(rdb.get());
        const std::string scheck = lf::integrity(sdb.get());
        checks.expect(rcheck == "ok", label + ": replica integrity_check: " + rcheck);
        checks.expect(scheck == "ok", label + ": server integrity_check: " + scheck);

        // The replica: the state after every acknowledged command, at most one more.
        const auto local = actions_of(rdb.get(), setup.project);
        if (local == expected_state(acked)) {
            committed = acked;
        } else if (local == expected_state(acked + 1)) {
            committed = acked + 1;
            ++extra;
        } else {
            checks.expect(false, label + ": the replica is not the state after the " +
                                     std::to_string(acked) +
                                     " acknowledged commands (nor one more)");
            break;
        }

        // Every acknowledged command is in the outbox or applied on the server; together they are
        // exactly the commands committed.
        const auto outbox = as_set(rows(rdb.get(), "SELECT command_id FROM sync_outbox"));
        std::set<std::string> applied;
        for (const auto& id : rows(sdb.get(),
                                   "SELECT command_id FROM sync_commands WHERE outcome "
                                   "= 'applied'")) {
            if (setup.setup_commands.count(id) == 0) applied.insert(id);
        }
        const auto rejected = rows(sdb.get(),
                                   "SELECT command_id FROM sync_commands WHERE outcome "
                                   "<> 'applied'");
        checks.expect(rejected.empty(), label + ": the server rejected a command");
        long lost = 0;
        for (const auto& [n, id] : acked_ids) {
            if (outbox.count(id) == 0 && applied.count(id) == 0) ++lost;
        }
        checks.expect(lost == 0, label + ": " + std::to_string(lost) +
                                     " acknowledged commands neither in the outbox nor applied");
        std::set<std::string> all = outbox;
        all.insert(applied.begin(), applied.end());
        checks.expect(static_cast<long>(all.size()) == committed,
                      label + ": outbox and server hold " + std::to_string(all.size()) +
                          " commands, " + std::to_string(committed) + " were committed");
        if (!outbox.empty()) ++pending_at_kill;
        for (const auto& id : outbox) {
            if (applied.count(id) != 0) {
                ++pushed_not_settled;  // applied on the server, the replica did not hear of it
                break;
            }
        }

        // The server applied each command once, in order.
        const auto server_actions = actions_of(sdb.get(), setup.project);
        checks.expect(server_actions == expected_state(static_cast<long>(applied.size())),
                      label + ": the server is not the state after the " +
                          std::to_string(applied.size()) + " commands it applied");
        const auto twice = applied_twice(sdb.get());
        checks.expect(twice.empty(), label + ": applied twice on the server: " +
                                         (twice.empty() ? "" : twice.front()));
        rdb.reset();
        sdb.reset();

        const std::string agree = clean_sync(replica_path, server_path, dir, setup, committed);
        checks.expect(agree.empty(), label + ": " + agree);
        if (checks.failures() > 20) break;
    }
    const double seconds =
        static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - started)
                                .count()) /
        1000.0;
    std::printf(
        "sync crash iterations: %ld kills (%ld inside a sync) in %.1f s; %ld commands "
        "acknowledged, "
        "each checked after every later kill, %s; %ld more committed before their "
        "acknowledgement; %ld kills left commands in the outbox, %ld of them with commands the "
        "server had applied but the replica had not settled (pushed again: applied once)\n",
        kills, in_sync, seconds, acknowledged,
        checks.failures() == 0 ? "all kept" : "NOT all kept (see the failures above)", extra,
        pending_at_kill, pushed_not_settled);
    return checks.summary();
}
