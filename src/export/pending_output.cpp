#include "export/pending_output.hpp"

#include <stdlib.h>  // mkstemps, mkdtemp (POSIX)
#include <unistd.h>

#include <string>
#include <system_error>
#include <vector>

#include "common/error.hpp"

namespace leandesk::exports {
namespace fs = std::filesystem;

namespace {

[[noreturn]] void io_error(const std::string& what, const fs::path& p, int err) {
    throw Error(Errc::io, what + " '" + p.string() + "': " + std::generic_category().message(err));
}

}  // namespace

PendingOutput::PendingOutput(fs::path final_path, Kind kind)
    : final_(std::move(final_path)), kind_(kind) {
    if (final_.empty()) throw_invalid("the output path is empty");
    if (final_.filename().empty()) final_ = final_.parent_path();
    std::error_code ec;
    if (kind_ == Kind::directory && fs::exists(fs::symlink_status(final_, ec))) {
        throw Error(Errc::conflict,
                    "'" + final_.string() + "' already exists: choose a new folder");
    }
    if (kind_ == Kind::file && fs::is_directory(final_, ec)) {
        throw_invalid("'" + final_.string() + "' is a folder, not a file name");
    }
    // "<name>.XXXXXX.part": unique, beside the final path, recognisable if a crash leaves it.
    std::string pattern = final_.string() + (kind_ == Kind::file ? ".XXXXXX.part" : ".XXXXXX");
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (kind_ == Kind::file) {
        const int fd = mkstemps(buf.data(), 5);
        if (fd < 0) io_error("cannot create a file beside", final_, errno);
        ::close(fd);
    } else if (mkdtemp(buf.data()) == nullptr) {
        io_error("cannot create a folder beside", final_, errno);
    }
    temp_ = fs::path(buf.data());
}

PendingOutput::~PendingOutput() {
    if (committed_) return;
    std::error_code ec;
    fs::remove_all(temp_, ec);  // best effort: nothing to report from a destructor
}

void PendingOutput::commit() {
    std::error_code ec;
    if (kind_ == Kind::directory && fs::exists(fs::symlink_status(final_, ec))) {
        throw Error(Errc::conflict,
                    "'" + final_.string() + "' appeared while the backup was written");
    }
    // rename(2): atomic replacement of a file; a folder only moves onto a path that is free.
    fs::rename(temp_, final_, ec);
    if (ec) io_error("cannot move the output into place at", final_, ec.value());
    committed_ = true;
}

}  // namespace leandesk::exports
