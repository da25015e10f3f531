// leandesk-demo: a newcomer's first look at LeanDesk. It runs the real engine on a local database
// file and tells the story of a small lean team: people, a group and its workflow, two projects,
// actions moving across steps, a write the rules refuse, a dashboard, an indicator and a summary.
//
//   leandesk-demo [DATABASE]     (default ./leandesk-demo.db, recreated on every run)
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "console.hpp"
#include "engine/engine.hpp"
#include "story.hpp"

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDefaultPath = "./leandesk-demo.db";

void print_usage(std::ostream& os) {
    os << "usage: leandesk-demo [DATABASE]\n"
          "Runs a guided walkthrough of the LeanDesk engine on DATABASE\n"
          "(default "
       << kDefaultPath << "), which is deleted and recreated first.\n";
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

}  // namespace

int main(int argc, char** argv) {
    const std::string_view first = argc > 1 ? std::string_view(argv[1]) : std::string_view();
    if (first == "-h" || first == "--help") {
        print_usage(std::cout);
        return 0;
    }
    if (argc > 2 || (!first.empty() && first.front() == '-')) {
        print_usage(std::cerr);
        return 2;
    }
    const std::string path = first.empty() ? std::string(kDefaultPath) : std::string(first);

    try {
        start_fresh(path);
        leandesk::EngineOptions options;
        options.path = path;
        // Account mails (activation codes) are kept in memory and shown by the story, as a real
        // app's SMTP sender would deliver them.
        options.mail = std::make_shared<leandesk::RecordingMailSender>();
        leandesk::Engine engine(options);
        demo::Console console;
        demo::Story(engine, console, path).run();
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
