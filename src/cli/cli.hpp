// The `leandesk` command-line tool: shared declarations. The tool is written on the public C++
// wrapper (leandesk/leandesk.hpp) like any integrator's program; it never sees the engine.
#pragma once

#include <leandesk/leandesk.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace cli {

/// Exit codes (docs/cli.md).
enum Exit : int {
    kOk = 0,
    kOther = 1,
    kUsage = 2,
    kPermission = 3,
    kNotFound = 4,
    kInvalid = 5,
    kAuth = 6,
};

/// A mistake in the command line: exit code 2 with the command's usage.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// An option a command accepts (`--name VALUE` or the flag `--name`).
struct Option {
    std::string name;   ///< without the leading "--"
    std::string value;  ///< placeholder of its value ("DATE"); empty for a flag
    std::string help;   ///< one line
};

/// A parsed command line: positional arguments, option values and flags.
struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> values;
    std::set<std::string> flags;

    bool has(const std::string& name) const { return values.count(name) + flags.count(name) > 0; }
    std::optional<std::string> get(const std::string& name) const {
        const auto it = values.find(name);
        if (it == values.end()) return std::nullopt;
        return it->second;
    }
    const std::string& at(std::size_t i) const { return positional.at(i); }
};

class Context;

/// One command ("group create"): its help and the function that runs it.
struct Command {
    std::string name;             ///< the words that select it
    std::string arguments;        ///< "GROUP_ID EMAIL"
    std::string summary;          ///< one line for the command list
    std::string details;          ///< more help text (may be empty)
    std::vector<Option> options;  ///< the command's own options
    std::size_t min_args = 0;     ///< fewest positional arguments
    std::size_t max_args = 0;     ///< most positional arguments
    std::function<void(Context&, const Args&)> run;
};

/// Global flags, valid before or after the command words.
struct Globals {
    std::optional<std::string> db;            ///< --db, else $LEANDESK_DB
    std::optional<std::string> session_file;  ///< --session
    bool json = false;                        ///< --json
    bool help = false;                        ///< --help
};

/// What a running command works with: the database, the stored session, the output mode.
class Context {
  public:
    explicit Context(Globals globals) : globals_(std::move(globals)) {}

    /// Whether --json was given.
    bool json() const { return globals_.json; }
    /// The database (opened on first use, with a mail sender that prints mails to stderr).
    ld::Database& db();
    /// Opens the database as a replica of a server (creating it if needed); db() then returns it.
    ld::Database& open_replica(const ld::ReplicaOptions& replica);
    /// The session stored by `signin` or `operator signin`; exit 6 when there is none.
    ld::Session session();
    /// Signs out the session the session file holds, if it still lives (before a new sign-in
    /// replaces it, so no forgotten session lingers).
    void end_stored_session();
    /// Stores the session's token in the session file (mode 0600).
    void save_session(const ld::Session& session) const;
    /// Removes the session file; false when there was none.
    bool forget_session() const;
    /// The session file's path.
    std::string session_path() const;

    /// Prints `j` on stdout (indented JSON; used in --json mode).
    static void print_json(const ld::json& j);
    /// Prints a confirmation: `message` for people, {"ok": true} in --json mode.
    void done(const std::string& message) const;

  private:
    /// --db, else $LEANDESK_DB; a usage error without either.
    std::string database_path() const;
    /// $LEANDESK_DB_OPTIONS as a JSON object (empty without it).
    static ld::json open_options();

    Globals globals_;
    std::optional<ld::Database> db_;
};

/// Reads a secret from the environment variable `env`, else from the terminal without echo
/// (asking twice when `confirm`), else one line of stdin. Never echoes or logs it.
std::string read_secret(const char* env, const std::string& prompt, bool confirm);

/// A progress bar on stderr for long work when stderr is a terminal (and not in --json mode);
/// otherwise an empty ld::Progress. The bar ends its line when the last copy of it goes.
ld::Progress progress_bar(const Context& ctx, const std::string& label);

/// Prints rows as aligned columns; the first row is the header.
void print_table(const std::vector<std::vector<std::string>>& rows);
/// "" for an unset optional, else its value.
std::string or_empty(const std::optional<std::string>& v);

/// Resolves a user argument: a user id as is, or an e-mail address among `people`.
std::string resolve_person(const std::string& arg, const std::vector<ld::Person>& people);

// The command families, one file each.
void add_account_commands(std::vector<Command>& commands);   // signup, activate, signin, signout
void add_group_commands(std::vector<Command>& commands);     // group ...
void add_project_commands(std::vector<Command>& commands);   // project ...
void add_action_commands(std::vector<Command>& commands);    // action ..., dashboard
void add_operator_commands(std::vector<Command>& commands);  // operator ..., user ..., users ...
void add_file_commands(
    std::vector<Command>& commands);  // group export/backup/restore, project report
void add_sync_commands(std::vector<Command>& commands);  // sync ...

}  // namespace cli
