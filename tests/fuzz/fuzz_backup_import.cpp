// Fuzz target: backup import (ld_group_restore). The input is the backup's group.json; the folder
// also holds one valid photo file, photos/<sha256>.png, which the seed backup references, so
// inputs reach the photo checks (type, size, hash, a name that tries to leave the folder).
// Each restore runs in a rolled-back transaction on the shared world (fuzz_world.hpp).
#include <leandesk/export.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fuzz_world.hpp"

using namespace leandesk::fuzz;

namespace {

// The PNG of the seed backup (tests/fuzz/corpus/fuzz_backup_import/full_backup.json).
const unsigned char kPng[] = {0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00,
                              0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
                              0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89};
const char* const kPngName = "4ffd8bb30991e3a6f28d1d03f1aedcd02ccf8e0cc16bb9e969e7bc2bda1ddf03.png";

const std::filesystem::path& backup_folder() {
    static const std::filesystem::path dir = [] {
        namespace fs = std::filesystem;
        const fs::path d =
            fs::temp_directory_path() / ("leandesk-fuzz-backup-" + std::to_string(::getpid()));
        fs::remove_all(d);
        fs::create_directories(d / "photos");
        std::ofstream(d / "photos" / kPngName, std::ios::binary)
            .write(reinterpret_cast<const char*>(kPng), sizeof kPng);
        return d;
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    World& w = world();
    const auto& dir = backup_folder();
    std::ofstream(dir / "group.json", std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    rolled_back(w, [&] {
        char* out = nullptr;
        const int rc = ld_group_restore(&out, w.ann, dir.c_str(), nullptr, nullptr);
        check_status(rc, out);
    });
    return 0;
}
