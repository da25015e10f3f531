#include "server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace demo {

ServerProcess::ServerProcess(const std::filesystem::path& binary,
                             const std::vector<std::string>& args,
                             const std::filesystem::path& log) {
    // Everything the child needs is prepared before fork: between fork and exec it may only make
    // async-signal-safe calls (the demo has other threads).
    std::vector<std::string> words{binary.string()};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    const std::string log_path = log.string();
    const pid_t parent = ::getpid();

    pid_ = ::fork();
    if (pid_ < 0) {
        pid_ = -1;
        throw std::runtime_error("cannot start " + binary.string() + ": " + std::strerror(errno));
    }
    if (pid_ == 0) {
        // Whatever happens to the demo (even SIGKILL or Ctrl-C on it alone), the server gets
        // SIGTERM and stops cleanly: it never outlives the demo.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) ::_exit(125);  // the demo died before prctl took effect
        const int in = ::open("/dev/null", O_RDONLY);
        const int out = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (in < 0 || out < 0 || ::dup2(in, STDIN_FILENO) < 0 || ::dup2(out, STDOUT_FILENO) < 0 ||
            ::dup2(out, STDERR_FILENO) < 0) {
            ::_exit(126);
        }
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
}

ServerProcess::~ServerProcess() {
    stop();
}

void ServerProcess::reap(int status) {
    if (WIFEXITED(status)) {
        ended_ = "exit " + std::to_string(WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        ended_ = "killed by signal " + std::to_string(WTERMSIG(status));
    } else {
        ended_ = "ended";
    }
}

bool ServerProcess::running() {
    if (ended_ || pid_ <= 0) return false;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) reap(status);
    return r == 0;
}

std::string ServerProcess::stop(int patience_ms) {
    if (pid_ <= 0) return "not started";
    if (ended_ || !running()) return ended_.value_or("ended");
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(patience_ms);
    int status = 0;
    for (;;) {
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) break;
        if (r < 0 && errno != EINTR) {
            ended_ = "ended";
            return *ended_;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ::kill(pid_, SIGKILL);  // it ignored SIGTERM: the demo must not leave it behind
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    reap(status);
    return *ended_;
}

}  // namespace demo
