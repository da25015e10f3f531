// leandesk-demo: a newcomer's first look at LeanDesk. It runs the real engine on a local database
// file and tells the story of a small lean team: people, a group and its workflow, two projects,
// actions moving across steps, a write the rules refuse, a dashboard, an indicator and a summary.
// Its last chapter starts a real leandesk-server on loopback and shows two replicas syncing, one
// of them offline for a while.
//
//   leandesk-demo [--server PATH] [DATABASE]   (default ./leandesk-demo.db, recreated every run)
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "console.hpp"
#include "engine/engine.hpp"
#include "story.hpp"
#include "sync_chapter.hpp"

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDefaultPath = "./leandesk-demo.db";
// Marks the sync chapter's folder as the demo's own, so that a rerun may delete it.
constexpr std::string_view kSyncMarker = ".leandesk-demo";

void print_usage(std::ostream& os) {
    os << "usage: leandesk-demo [--server PATH] [DATABASE]\n"
          "Runs a guided walkthrough of the LeanDesk engine on DATABASE\n"
          "(default "
       << kDefaultPath
       << "), which is deleted and recreated first, then shows offline sync\n"
          "against a leandesk-server started on loopback, with its files in DATABASE's folder\n"
          "(<name>-sync/, recreated too).\n"
          "  --server PATH  the leandesk-server binary (default: $LEANDESK_SERVER, else the\n"
          "                 one built with this demo); without one the sync chapter is skipped\n";
}

struct CommandLine {
    std::string database = std::string(kDefaultPath);
    std::optional<std::string> server;
};

/// The parsed arguments, or nothing when they are wrong (usage then goes to stderr).
std::optional<CommandLine> parse_command_line(int argc, char** argv) {
    CommandLine line;
    bool have_database = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--server" && i + 1 < argc) {
            line.server = argv[++i];
        } else if (arg.rfind("--server=", 0) == 0) {
            line.server = std::string(arg.substr(9));
        } else if (!arg.empty() && arg.front() != '-' && !have_database) {
            line.database = std::string(arg);
            have_database = true;
        } else {
            return std::nullopt;
        }
    }
    return line;
}

bool is_executable_file(const fs::path& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

/// The leandesk-server binary: --server, else $LEANDESK_SERVER, else the one CMake built next
/// to this demo (scripts/demo.sh builds both and passes --server).
demo::SyncSetup find_server(const CommandLine& line) {
    demo::SyncSetup setup;
    std::string from;
    fs::path candidate;
    if (line.server) {
        candidate = *line.server;
        from = "--server";
    } else if (const char* env = std::getenv("LEANDESK_SERVER"); env != nullptr && *env != '\0') {
        candidate = env;
        from = "LEANDESK_SERVER";
    } else {
#ifdef LEANDESK_DEMO_SERVER
        candidate = LEANDESK_DEMO_SERVER;
        from = "the build";
#else
        setup.missing_reason = "This build has no leandesk-server target.";
        return setup;
#endif
    }
    if (is_executable_file(candidate)) {
        setup.server = fs::absolute(candidate);
    } else {
        setup.missing_reason =
            candidate.string() + " (from " + from + ") is not an executable file.";
    }
    return setup;
}

/// True when `path` is an empty file or starts with SQLite's header. The demo deletes its
/// database at start, and must never delete someone's unrelated file given by mistake.
bool is_sqlite_or_empty(const fs::path& path) {
    if (fs::file_size(path) == 0) return true;
    constexpr std::string_view kMagic("SQLite format 3\0", 16);
    std::string head(kMagic.size(), '\0');
    std::ifstream in(path, std::ios::binary);
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    return in.gcount() == static_cast<std::streamsize>(head.size()) && head == kMagic;
}

/// Removes the database and its WAL companions so that every run starts from nothing.
void start_fresh(const fs::path& db) {
    if (fs::exists(db)) {
        if (!fs::is_regular_file(db) || !is_sqlite_or_empty(db)) {
            throw std::runtime_error(db.string() +
                                     " exists and is not a SQLite database; not deleting it");
        }
        fs::remove(db);
    }
    for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(db.string() + suffix);
}

/// The sync chapter's folder beside the database, emptied: deleted only if the demo made it.
fs::path fresh_sync_folder(const fs::path& db) {
    const fs::path folder = db.parent_path() / (db.stem().string() + "-sync");
    if (fs::exists(folder)) {
        if (!fs::is_directory(folder) || !fs::exists(folder / kSyncMarker)) {
            throw std::runtime_error(folder.string() +
                                     " exists and was not made by leandesk-demo; not deleting it");
        }
        fs::remove_all(folder);
    }
    fs::create_directories(folder);
    std::ofstream(folder / kSyncMarker)
        << "made by leandesk-demo; deleted and remade on each run\n";
    return folder;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && (std::string_view(argv[1]) == "-h" || std::string_view(argv[1]) == "--help")) {
        print_usage(std::cout);
        return 0;
    }
    const auto line = parse_command_line(argc, argv);
    if (!line) {
        print_usage(std::cerr);
        return 2;
    }
    const std::string path = line->database;

    try {
        start_fresh(path);
        // Settled before the story starts, so that a folder the demo may not use stops it early.
        demo::SyncSetup sync = find_server(*line);
        if (sync.server) sync.folder = fresh_sync_folder(path);
        leandesk::EngineOptions options;
        options.path = path;
        // Account mails (activation codes) are kept in memory and shown by the story, as a real
        // app's SMTP sender would deliver them.
        options.mail = std::make_shared<leandesk::RecordingMailSender>();
        leandesk::Engine engine(options);
        demo::Console console;
        demo::Story(engine, console, path).run();
        demo::tell_offline_sync(console, sync);
        std::cout << '\n';
        return 0;
    } catch (const leandesk::Error& e) {
        std::cout.flush();
        std::cerr << "\nleandesk-demo: the engine failed unexpectedly ("
                  << leandesk::errc_name(e.code()) << ", code " << static_cast<int>(e.code())
                  << "): " << e.what() << '\n';
    } catch (const std::exception& e) {
        std::cout.flush();
        std::cerr << "\nleandesk-demo: " << e.what() << '\n';
    }
    return 1;
}
