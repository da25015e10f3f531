// `leandesk`: the command-line tool for scripts and operators. Parses the global flags, finds the
// command, parses its options, runs it, and turns failures into documented exit codes
// (docs/cli.md).
#include <iostream>
#include <sstream>

#include "cli.hpp"

namespace {

using cli::Args;
using cli::Command;

const char* const kGlobalHelp =
    "Global options:\n"
    "  --db PATH        the database file (default: $LEANDESK_DB)\n"
    "  --session FILE   where the session token is kept (default:\n"
    "                   $XDG_CONFIG_HOME/leandesk/session or ~/.config/leandesk/session)\n"
    "  --json           machine-readable output (JSON on stdout; errors as JSON on stderr)\n"
    "  --help           help for the tool or for a command\n";

std::vector<Command> all_commands() {
    std::vector<Command> commands;
    cli::add_account_commands(commands);
    cli::add_group_commands(commands);
    cli::add_project_commands(commands);
    cli::add_action_commands(commands);
    cli::add_operator_commands(commands);
    cli::add_file_commands(commands);
    cli::add_sync_commands(commands);
    return commands;
}

std::vector<std::string> words_of(const std::string& name) {
    std::istringstream in(name);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    return words;
}

std::string usage_line(const Command& c) {
    std::string line = "leandesk " + c.name;
    if (!c.options.empty()) line += " [options]";
    if (!c.arguments.empty()) line += " " + c.arguments;
    return line;
}

void print_command_help(const Command& c) {
    std::cout << "Usage: " << usage_line(c) << "\n\n" << c.summary << "\n";
    if (!c.details.empty()) std::cout << "\n" << c.details << "\n";
    if (!c.options.empty()) {
        std::cout << "\nOptions:\n";
        for (const auto& o : c.options) {
            std::string left = "  --" + o.name + (o.value.empty() ? "" : " " + o.value);
            if (left.size() < 24) left.resize(24, ' ');
            std::cout << left << " " << o.help << "\n";
        }
    }
    std::cout << "\n" << kGlobalHelp;
}

// The command list, of everything or of the commands under `prefix` ("group").
void print_overview(const std::vector<Command>& commands, const std::string& prefix) {
    std::cout << "Usage: leandesk [--db PATH] [--json] "
              << (prefix.empty() ? "COMMAND" : prefix + " SUBCOMMAND") << " [ARGS...]\n\n";
    if (prefix.empty()) {
        std::cout << "LeanDesk from the command line: accounts, groups, projects, actions and the\n"
                     "operator's tasks. `leandesk COMMAND --help` tells more about each.\n\n";
    }
    std::cout << "Commands:\n";
    for (const auto& c : commands) {
        if (!prefix.empty() && c.name.rfind(prefix + " ", 0) != 0) continue;
        std::cout << "  " << usage_line(c) << "\n      " << c.summary << "\n";
    }
    std::cout << "\n"
              << kGlobalHelp
              << "\nExit codes: 0 ok, 1 other failure, 2 usage, 3 permission denied, "
              << "4 not found,\n5 invalid input, 6 not signed in or authentication failed "
                 "(docs/cli.md).\n";
}

// Takes the global flags out of `argv`, wherever they are.
std::vector<std::string> take_globals(int argc, char** argv, cli::Globals& g) {
    std::vector<std::string> rest;
    bool options_ended = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](const std::string& flag) -> std::string {
            if (a.size() > flag.size() && a.compare(0, flag.size() + 1, flag + "=") == 0) {
                return a.substr(flag.size() + 1);
            }
            if (i + 1 >= argc) throw cli::UsageError(flag + " needs a value");
            return argv[++i];
        };
        if (options_ended || a == "--") {  // "--" itself goes on, so commands see it too
            options_ended = true;
            rest.push_back(a);
        } else if (a == "--json") {
            g.json = true;
        } else if (a == "--help" || a == "-h") {
            g.help = true;
        } else if (a == "--db" || a.rfind("--db=", 0) == 0) {
            g.db = value("--db");
        } else if (a == "--session" || a.rfind("--session=", 0) == 0) {
            g.session_file = value("--session");
        } else {
            rest.push_back(a);
        }
    }
    return rest;
}

// Parses a command's own options and positional arguments.
Args parse_args(const Command& c, const std::vector<std::string>& words) {
    Args args;
    bool options_ended = false;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (options_ended || w.size() < 2 || w.compare(0, 2, "--") != 0) {
            args.positional.push_back(w);
            continue;
        }
        if (w == "--") {
            options_ended = true;
            continue;
        }
        std::string name = w.substr(2);
        std::optional<std::string> inline_value;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name.resize(eq);
        }
        const cli::Option* option = nullptr;
        for (const auto& o : c.options) {
            if (o.name == name) option = &o;
        }
        if (option == nullptr) throw cli::UsageError("unknown option --" + name);
        if (option->value.empty()) {
            if (inline_value) throw cli::UsageError("--" + name + " takes no value");
            args.flags.insert(name);
        } else if (inline_value) {
            args.values[name] = *inline_value;
        } else if (i + 1 < words.size()) {
            args.values[name] = words[++i];
        } else {
            throw cli::UsageError("--" + name + " needs a value (" + option->value + ")");
        }
    }
    if (args.positional.size() < c.min_args) throw cli::UsageError("missing arguments");
    if (args.positional.size() > c.max_args) {
        throw cli::UsageError("unexpected argument '" + args.positional[c.max_args] + "'");
    }
    return args;
}

int exit_code_of(int ld_code) {
    switch (ld_code) {
        case LD_EPERM:
            return cli::kPermission;
        case LD_ENOTFOUND:
            return cli::kNotFound;
        case LD_EINVAL:
        case LD_ECONFLICT:
            return cli::kInvalid;
        case LD_EAUTH:
        case LD_ENOTSIGNEDIN:
        case LD_ESESSION:
        case LD_ERATELIMIT:
            return cli::kAuth;
        default:
            return cli::kOther;
    }
}

void report(bool json, const std::string& kind, int code, const std::string& message) {
    if (json) {
        ld::json error = {{"kind", kind}, {"message", message}};
        if (code != 0) error["code"] = code;
        std::cerr << ld::json{{"error", error}}.dump() << "\n";
    } else {
        std::cerr << "leandesk: " << kind << ": " << message << "\n";
    }
}

}  // namespace

int main(int argc, char** argv) {
    cli::Globals globals;
    bool json = false;
    const Command* command = nullptr;
    const std::vector<Command> commands = all_commands();  // outlives `command`, used on failure
    try {
        ld::check_version();
        std::vector<std::string> rest = take_globals(argc, argv, globals);
        json = globals.json;

        // The longest command name that the leading words spell.
        std::size_t used = 0;
        for (const auto& c : commands) {
            const auto words = words_of(c.name);
            if (words.size() <= rest.size() && words.size() > used &&
                std::equal(words.begin(), words.end(), rest.begin())) {
                command = &c;
                used = words.size();
            }
        }
        if (command == nullptr) {
            // Nothing, or a family name alone ("group"): the list of its commands.
            const std::string first = rest.empty() ? std::string() : rest.front();
            bool family = false;
            for (const auto& c : commands) family = family || c.name.rfind(first + " ", 0) == 0;
            if (rest.empty() || (family && (rest.size() == 1 || globals.help)) || globals.help) {
                print_overview(commands, family ? first : "");
                return globals.help ? cli::kOk : cli::kUsage;
            }
            const std::string what = family ? first + " " + rest[1] : first;
            throw cli::UsageError("unknown command '" + what + "' (see leandesk --help)");
        }
        if (globals.help) {
            print_command_help(*command);
            return cli::kOk;
        }
        const Args args = parse_args(
            *command,
            std::vector<std::string>(rest.begin() + static_cast<std::ptrdiff_t>(used), rest.end()));
        cli::Context context(globals);
        command->run(context, args);
        return cli::kOk;
    } catch (const cli::UsageError& e) {
        report(json, "usage", 0, e.what());
        if (command != nullptr && !json) std::cerr << "usage: " << usage_line(*command) << "\n";
        return cli::kUsage;
    } catch (const ld::Error& e) {
        report(json, e.name(), e.code(), e.what());
        return exit_code_of(e.code());
    } catch (const std::exception& e) {
        report(json, "error", 0, e.what());
        return cli::kOther;
    }
}
