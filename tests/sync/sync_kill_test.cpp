// The two crash scenarios of DESIGN §9 with real processes: (a) the server SIGKILLed while a push
// is in flight (inside its transaction, and after its commit but before its answer), restarted,
// synced again; (b) a replica app (sync_kill_driver) SIGKILLed in the middle of ld_sync_now, during
// a push and during a pull, reopened, synced again. Afterwards nothing acknowledged is lost, no
// command is applied twice, and every database passes PRAGMA integrity_check.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "kill_server.hpp"

namespace {

using namespace leandesk::killtest;

// One run of the driver, its stdout on a pipe.
class Driver {
  public:
    explicit Driver(const std::vector<std::string>& args) {
        int fds[2];
        if (::pipe(fds) != 0) return;
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(fds[1], 1);
            ::close(fds[0]);
            ::close(fds[1]);
            std::vector<char*> argv;
            argv.push_back(const_cast<char*>(KILL_DRIVER_BIN));
            for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            ::execv(KILL_DRIVER_BIN, argv.data());
            _exit(127);
        }
        ::close(fds[1]);
        out_ = fds[0];
    }
    ~Driver() {
        if (pid_ > 0) kill();
        if (out_ >= 0) ::close(out_);
    }
    /// Reads stdout until a line equal to `line` (true) or the end (false).
    bool wait_line(const std::string& line) {
        std::string current;
        char c = 0;
        while (::read(out_, &c, 1) == 1) {
            if (c != '\n') {
                current += c;
                continue;
            }
            lines_.push_back(current);
            if (current == line) return true;
            current.clear();
        }
        return false;
    }
    /// Waits for the end: the exit code, or -signal when a signal ended it.
    int wait() {
        std::string rest;
        char c = 0;
        while (::read(out_, &c, 1) == 1) rest += c;
        if (!rest.empty()) lines_.push_back(rest.substr(0, rest.find('\n')));
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
    }
    int kill() {
        ::kill(pid_, SIGKILL);
        return wait();
    }
    [[nodiscard]] std::string first_line() const { return lines_.empty() ? "" : lines_.front(); }

  private:
    pid_t pid_ = -1;
    int out_ = -1;
    std::vector<std::string> lines_;
};

class KillTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(server.ok());
        ASSERT_TRUE(server.start());
        ASSERT_TRUE(server.account("ann@example.com"));
    }
    std::vector<std::string> args(const std::string& db, std::vector<std::string> more) {
        std::vector<std::string> a{(server.dir() / db).string(), server.url(), server.ca(),
                                   "ann@example.com"};
        a.insert(a.end(), more.begin(), more.end());
        return a;
    }
    /// Runs the driver to its end; returns its exit code.
    int drive(const std::string& db, std::vector<std::string> more, std::string* first = nullptr) {
        Driver d(args(db, std::move(more)));
        const int rc = d.wait();
        if (first != nullptr) *first = d.first_line();
        return rc;
    }
    std::string db(const std::string& name) { return (server.dir() / name).string(); }
    std::int64_t server_titles(const std::string& prefix, bool distinct) {
        return query_int(server.database(),
                         std::string("SELECT COUNT(") + (distinct ? "DISTINCT title" : "*") +
                             ") FROM actions WHERE title LIKE '" + prefix + "%'");
    }

    ServerProcess server{fs::temp_directory_path() /
                         ("leandesk-kill-" + std::to_string(::getpid()))};
};

TEST_F(KillTest, TheServerKilledInAPushAndRestartedAppliesEachCommandOnce) {
    std::string project;
    ASSERT_EQ(drive("dev.db", {"setup"}, &project), 0);
    ASSERT_EQ(project.size(), 36U);
    ASSERT_EQ(drive("dev.db", {"queue", project, "300", "S"}), 0);

    // Killed inside the push's transaction: nothing of it is kept, the replica keeps its outbox.
    server.kill(SIGTERM);
    ASSERT_TRUE(server.start(4000, "before_commit"));
    int seen = server.events("test_push_delay");
    {
        Driver sync(args("dev.db", {"sync"}));
        ASSERT_TRUE(server.wait_event("test_push_delay", seen, 30));
        server.kill(SIGKILL);
        EXPECT_EQ(sync.wait(), 1);  // the app is told of a network failure
    }
    EXPECT_EQ(integrity(server.database()), "ok");
    EXPECT_EQ(server_titles("S", false), 0);
    EXPECT_EQ(query_int(db("dev.db"), "SELECT COUNT(*) FROM sync_outbox"), 300);

    // Killed after the commit, before the answer: applied but not acknowledged.
    ASSERT_TRUE(server.start(4000, "after_commit"));
    seen = server.events("test_push_delay");
    {
        Driver sync(args("dev.db", {"sync"}));
        ASSERT_TRUE(server.wait_event("test_push_delay", seen, 30));
        server.kill(SIGKILL);
        EXPECT_EQ(sync.wait(), 1);
    }
    EXPECT_EQ(integrity(server.database()), "ok");
    EXPECT_EQ(server_titles("S", false), 300);
    EXPECT_EQ(query_int(db("dev.db"), "SELECT COUNT(*) FROM sync_outbox"), 300);

    // Back up: the push is repeated, every command is a duplicate, nothing is applied twice.
    ASSERT_TRUE(server.start());
    ASSERT_EQ(drive("dev.db", {"sync"}), 0);
    EXPECT_EQ(server_titles("S", false), 300);
    EXPECT_EQ(server_titles("S", true), 300);
    EXPECT_EQ(query_int(db("dev.db"), "SELECT COUNT(*) FROM sync_outbox"), 0);
    EXPECT_EQ(query_int(db("dev.db"), "SELECT COUNT(*) FROM actions WHERE title LIKE 'S%'"), 300);
    EXPECT_EQ(integrity(db("dev.db")), "ok");
}

TEST_F(KillTest, AReplicaKilledInASyncLosesNothingAndDoublesNothing) {
    std::string project;
    ASSERT_EQ(drive("dev.db", {"setup"}, &project), 0);
    ASSERT_EQ(project.size(), 36U);
    ASSERT_EQ(drive("dev.db", {"queue", project, "1500", "Q"}), 0);

    // Killed by itself in the push, right after the first batch of 500 was settled.
    EXPECT_EQ(drive("dev.db", {"sync", "1"}), -SIGKILL);
    EXPECT_EQ(integrity(db("dev.db")), "ok");
    EXPECT_EQ(query_int(db("dev.db"), "SELECT COUNT(*) FROM sync_outbox"), 1000);
    EXPECT_EQ(server_titles("Q", false), 500);

    // Killed from outside at moments that fall in a push or a pull, wherever they fall.
    for (const int ms : {30, 120}) {
        Driver sync(args("dev.db", {"sync"}));
        ASSERT_TRUE(sync.wait_line("syncing"));
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        sync.kill();
        EXPECT_EQ(integrity(db("dev.db")), "ok") << ms;
    }
    ASSERT_EQ(drive("dev.db", {"sync"}), 0);
    EXPECT_EQ(server_titles("Q", false), 1500);
    EXPECT_EQ(server_titles("Q", true), 1500);
    EXPECT_EQ(query_int(db("dev.db"), "SELECT COUNT(*) FROM sync_outbox"), 0);
    EXPECT_EQ(query_int(db("dev.db"), "SELECT COUNT(*) FROM actions WHERE title LIKE 'Q%'"), 1500);

    // A second device of hers killed while it downloads the project, then synced to the end.
    ASSERT_EQ(drive("second.db", {"signin"}), 0);
    for (const int ms : {20, 80, 200}) {
        Driver sync(args("second.db", {"sync"}));
        ASSERT_TRUE(sync.wait_line("syncing"));
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        sync.kill();
        EXPECT_EQ(integrity(db("second.db")), "ok") << ms;
    }
    ASSERT_EQ(drive("second.db", {"sync"}), 0);
    EXPECT_EQ(query_int(db("second.db"), "SELECT COUNT(*) FROM actions WHERE title LIKE 'Q%'"),
              1500);
    EXPECT_EQ(query_int(db("second.db"),
                        "SELECT COUNT(DISTINCT title) FROM actions WHERE title LIKE 'Q%'"),
              1500);
    EXPECT_EQ(integrity(db("second.db")), "ok");
    EXPECT_EQ(integrity(server.database()), "ok");
}

}  // namespace
