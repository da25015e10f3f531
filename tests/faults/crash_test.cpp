// Crashes: a child process (crash_driver) runs commands on a database file and acknowledges each
// one on a pipe; this parent kills it with SIGKILL at a random moment (seeded), again and again.
// After every kill the database, reopened, must pass `PRAGMA integrity_check` and hold exactly the
// state of a prefix of the command sequence that includes every acknowledged command — at most
// one more (a command that committed but was killed before its acknowledgement). The next child
// continues from there, so the file lives through every kill, WAL checkpoints included.
//
// Two kinds of moments, alternating, so the kills land everywhere whatever the machine's speed:
// a random time after the start (start-up, recovery of the last kill, the first commands), and a
// random sub-millisecond delay after a random number (0-40) of acknowledgements (in the middle of
// the command stream: commits and checkpoints).
//
//   crash_test <crash_driver> [--iterations N] [--seed S]
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <leandesk/leandesk.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "crash_script.hpp"
#include "db_check.hpp"

namespace {

namespace lf = leandesk::faults;
constexpr const char* kEmail = "crash@example.com";
constexpr const char* kPassword = "crash-test-password";
constexpr const char* kOptions = "{\"password_opslimit\":1,\"password_memlimit\":8192}";

using lf::action_id;
using lf::expected_state;

std::map<std::string, std::string> actual_state(sqlite3* db, const std::string& project) {
    std::map<std::string, std::string> actions;
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT id, title FROM actions WHERE project_id = ?", -1, &s, nullptr);
    sqlite3_bind_text(s, 1, project.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(s) == SQLITE_ROW) {
        actions[reinterpret_cast<const char*>(sqlite3_column_text(s, 0))] =
            reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
    }
    sqlite3_finalize(s);
    return actions;
}

int keep_code(const char* mail_json, void* userdata) {
    // The activation code is the text line that starts with four spaces.
    const std::string mail(mail_json);
    const auto at = mail.find("\\n    ");
    if (at == std::string::npos) return 1;
    const auto end = mail.find("\\n", at + 6);
    *static_cast<std::string*>(userdata) = mail.substr(at + 6, end - at - 6);
    return 0;
}

/// A database with one activated account, a group and a project; returns the project id.
std::string set_up(const std::string& path) {
    ld_db* db = nullptr;
    ld_session* s = nullptr;
    std::string code;
    char* out = nullptr;
    std::string project;
    const auto ok = [&](int rc, const char* what) {
        if (rc != LD_OK) throw std::runtime_error(std::string(what) + ": " + ld_last_error());
    };
    ok(ld_db_open(&db, path.c_str(), kOptions), "open");
    ok(ld_db_set_mail_sender(db, keep_code, &code, nullptr), "mail");
    ok(ld_account_sign_up(
           &out, db,
           "{\"first_name\":\"Crash\",\"last_name\":\"Test\",\"email\":\"crash@example.com\","
           "\"password\":\"crash-test-password\"}"),
       "sign up");
    ld_string_free(out);
    ok(ld_account_activate(&out, db, code.c_str()), "activate");
    ld_string_free(out);
    ok(ld_session_sign_in(&s, db, kEmail, kPassword), "sign in");
    ok(ld_group_create(&out, s, "{\"name\":\"Crash group\"}"), "group");
    const std::string group = out;
    ld_string_free(out);
    const auto id_of = [](const std::string& json) {
        const auto at = json.find("\"id\":\"") + 6;
        return json.substr(at, json.find('"', at) - at);
    };
    ok(ld_project_create(
           &out, s, ("{\"group_id\":\"" + id_of(group) + "\",\"name\":\"Crash project\"}").c_str()),
       "project");
    project = id_of(out);
    ld_string_free(out);
    ld_session_free(s);
    ld_db_close(db);
    return project;
}

struct Run {
    long last_ack = -1;  // highest acknowledged command number, -1 when none
    bool killed = false;
    std::string problem;
};

/// When to kill: `delay` after the start, or, when `after_acks` > 0, `delay` after that many
/// acknowledgements (or 5 s, whichever comes first).
struct KillAt {
    int after_acks = 0;
    std::chrono::microseconds delay{0};
};

Run run_child(const std::string& driver, const std::string& path, const std::string& project,
              long first, KillAt when) {
    int fds[2];
    Run r;
    if (pipe(fds) != 0) {
        r.problem = "pipe failed";
        return r;
    }
    const std::string first_text = std::to_string(first);
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl(driver.c_str(), driver.c_str(), path.c_str(), project.c_str(), first_text.c_str(),
              static_cast<char*>(nullptr));
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
    if (!r.killed) r.problem = "the driver ended by itself (status " + std::to_string(status) + ")";
    // Whatever the child wrote before it died is still in the pipe.
    while ((n = read(fds[0], buf, sizeof buf)) > 0) acks.append(buf, static_cast<std::size_t>(n));
    close(fds[0]);
    std::istringstream in(acks);
    std::string line;
    long expect = first;
    while (std::getline(in, line)) {
        if (in.eof()) break;  // a line cut by the kill was never a whole acknowledgement
        if (std::stol(line) != expect) r.problem = "acknowledgements out of order";
        r.last_ack = expect++;
    }
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: crash_test <crash_driver> [--iterations N] [--seed S]\n");
        return 2;
    }
    const std::string driver = argv[1];
    long iterations = 200;
    unsigned seed = 20260302;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--iterations") == 0)
            iterations = std::atol(argv[i + 1]);
        else if (std::strcmp(argv[i], "--seed") == 0)
            seed = static_cast<unsigned>(std::atol(argv[i + 1]));
    }
    lf::TempDir dir("crash");
    const std::string path = dir.file("crash.db");
    const std::string project = set_up(path);
    lf::Checks checks;
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> start_delay_us(0, 60000);
    std::uniform_int_distribution<int> acks_before(1, 40);
    std::uniform_int_distribution<int> late_delay_us(0, 800);

    long committed = 0;  // commands 0..committed-1 are in the database
    long acknowledged = 0, extra = 0;
    for (long it = 0; it < iterations; ++it) {
        KillAt when;
        if (it % 2 == 0) {
            when.delay = std::chrono::microseconds(start_delay_us(rng));
        } else {
            when.after_acks = acks_before(rng);
            when.delay = std::chrono::microseconds(late_delay_us(rng));
        }
        const Run r = run_child(driver, path, project, committed, when);
        const std::string label = "kill " + std::to_string(it);
        checks.expect(r.killed && r.problem.empty(), label + ": " + r.problem);
        const long acked = r.last_ack + 1 > committed ? r.last_ack + 1 : committed;
        acknowledged += acked - committed;

        auto db = lf::open_plain(path, "unix");
        const std::string check = lf::integrity(db.get());
        checks.expect(check == "ok", label + ": integrity_check: " + check);
        const auto actual = actual_state(db.get(), project);
        if (actual == expected_state(acked)) {
            committed = acked;
        } else if (actual == expected_state(acked + 1)) {
            committed = acked + 1;  // committed, killed before it was acknowledged
            ++extra;
        } else {
            checks.expect(false, label + ": the database is not the state after the " +
                                     std::to_string(acked) +
                                     " acknowledged commands (nor one more)");
            break;
        }
        checks.expect(true, label);
    }
    std::printf(
        "crash iterations: %ld kills, %ld commands acknowledged and all kept, %ld more "
        "committed before their acknowledgement\n",
        iterations, acknowledged, extra);
    return checks.summary();
}
