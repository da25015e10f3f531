// The database, the session file, secrets and output helpers shared by every command.
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.hpp"

namespace cli {
namespace {

// Prints a mail the library wants delivered: the CLI has no mail server, so the person running
// it reads activation and reset codes here.
void print_mail(const ld::Mail& m) {
    std::cerr << "--- mail to " << m.to;
    if (!m.to_name.empty()) std::cerr << " (" << m.to_name << ")";
    std::cerr << ": " << m.subject << "\n" << m.text;
    if (m.text.empty() || m.text.back() != '\n') std::cerr << "\n";
    std::cerr << "---\n";
}

// Creates the missing directories of `dir` (mode 0700, as they may hold a session).
void make_dirs(const std::string& dir) {
    if (dir.empty()) return;
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0) return;
    const auto slash = dir.find_last_of('/');
    if (slash != std::string::npos && slash > 0) make_dirs(dir.substr(0, slash));
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        throw ld::IoError("cannot create " + dir + ": " + std::strerror(errno));
    }
}

// The terminal state to restore if the user interrupts a password prompt.
struct termios g_saved_tty {};
volatile std::sig_atomic_t g_echo_off = 0;

extern "C" void restore_tty_and_exit(int sig) {
    if (g_echo_off != 0) ::tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_tty);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

// Reads one line from the terminal with echo off.
std::string read_hidden(const std::string& prompt) {
    std::cerr << prompt << std::flush;
    struct termios tty {};
    const bool is_tty = ::tcgetattr(STDIN_FILENO, &tty) == 0;
    if (is_tty) {
        g_saved_tty = tty;
        auto* previous_int = std::signal(SIGINT, restore_tty_and_exit);
        auto* previous_term = std::signal(SIGTERM, restore_tty_and_exit);
        tty.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        g_echo_off = 1;
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &tty);
        std::string line;
        std::getline(std::cin, line);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_tty);
        g_echo_off = 0;
        std::signal(SIGINT, previous_int);
        std::signal(SIGTERM, previous_term);
        std::cerr << "\n";
        return line;
    }
    std::string line;
    std::getline(std::cin, line);
    return line;
}

// Display width of UTF-8 text (code points; good enough for names and titles).
std::size_t width(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0U) != 0x80U ? 1U : 0U;
    return n;
}

}  // namespace

ld::Database& Context::db() {
    if (db_) return *db_;
    db_.emplace(database_path(), open_options());
    db_->set_mail_sender(print_mail);
    return *db_;
}

ld::Database& Context::open_replica(const ld::ReplicaOptions& replica) {
    db_.reset();
    db_.emplace(ld::Database::open_replica(database_path(), replica, open_options()));
    db_->set_mail_sender(print_mail);
    return *db_;
}

std::string Context::database_path() const {
    std::string path;
    if (globals_.db) {
        path = *globals_.db;
    } else if (const char* env = std::getenv("LEANDESK_DB"); env != nullptr && *env != '\0') {
        path = env;
    } else {
        throw UsageError("no database: pass --db PATH or set LEANDESK_DB");
    }
    return path;
}

ld::json Context::open_options() {
    ld::json options = ld::json::object();
    if (const char* env = std::getenv("LEANDESK_DB_OPTIONS"); env != nullptr && *env != '\0') {
        options = ld::json::parse(env, nullptr, false);
        if (options.is_discarded() || !options.is_object()) {
            throw UsageError("LEANDESK_DB_OPTIONS must be a JSON object");
        }
    }
    return options;
}

std::string Context::session_path() const {
    if (globals_.session_file) return *globals_.session_file;
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg == '/') {
        return std::string(xdg) + "/leandesk/session";
    }
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0') {
        throw UsageError("cannot find the session file: set HOME or pass --session FILE");
    }
    return std::string(home) + "/.config/leandesk/session";
}

ld::Session Context::session() {
    ld::Database& database = db();  // a missing database is a usage error, reported first
    const std::string path = session_path();
    std::ifstream in(path);
    std::string token;
    if (!in || !(in >> token) || token.empty()) {
        throw ld::NotSignedIn("not signed in (no session in " + path +
                              "): run `leandesk signin` first");
    }
    return ld::Session::resume(database, token);
}

void Context::end_stored_session() {
    try {
        session().sign_out();
    } catch (const ld::Error&) {  // none, expired, or of another database: nothing to end
    }
}

void Context::save_session(const ld::Session& session) const {
    const std::string path = session_path();
    const auto slash = path.find_last_of('/');
    if (slash != std::string::npos) make_dirs(path.substr(0, slash));
    // Written to a private temporary file, then renamed over the old one: never readable by
    // others, never half-written.
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) throw ld::IoError("cannot write " + tmp + ": " + std::strerror(errno));
    const std::string text = session.token() + "\n";
    const bool ok = ::fchmod(fd, 0600) == 0 &&
                    ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                    ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(ok ? errno : saved);
        ::unlink(tmp.c_str());
        throw ld::IoError("cannot write " + path + ": " + why);
    }
}

bool Context::forget_session() const {
    const std::string path = session_path();
    if (::unlink(path.c_str()) == 0) return true;
    if (errno == ENOENT) return false;
    throw ld::IoError("cannot remove " + path + ": " + std::strerror(errno));
}

void Context::print_json(const ld::json& j) {
    std::cout << j.dump(2) << "\n";
}

void Context::done(const std::string& message) const {
    if (json()) {
        print_json({{"ok", true}});
    } else {
        std::cout << message << "\n";
    }
}

std::string read_secret(const char* env, const std::string& prompt, bool confirm) {
    if (const char* v = std::getenv(env); v != nullptr) return v;
    if (::isatty(STDIN_FILENO) != 0) {
        std::string secret = read_hidden(prompt + ": ");
        if (confirm && read_hidden("Again: ") != secret) {
            throw ld::InvalidArgument("the two entries differ");
        }
        return secret;
    }
    std::string line;
    if (!std::getline(std::cin, line)) {
        throw UsageError(std::string("no ") + prompt + ": set " + env + " or pass it on stdin");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

void print_table(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        if (widths.size() < row.size()) widths.resize(row.size(), 0);
        for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
    }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(widths[i] - width(row[i]) + 2, ' ');
        }
        std::cout << line << "\n";
    }
}

std::string or_empty(const std::optional<std::string>& v) {
    return v ? *v : std::string();
}

std::string resolve_person(const std::string& arg, const std::vector<ld::Person>& people) {
    if (arg.find('@') == std::string::npos) return arg;
    std::string wanted = arg;
    for (char& c : wanted) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    for (const ld::Person& p : people) {
        if (p.email && *p.email == wanted) return p.id;
    }
    throw ld::NotFound("nobody with the e-mail " + arg + " is visible to you here; pass a user id");
}

}  // namespace cli
