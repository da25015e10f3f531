// What the two sync fuzz targets share: the world's photo and the restore of a database from the
// copy taken when the world was built.
#pragma once

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace leandesk::fuzz {

/// A valid 1x1 PNG: the worlds' photo, and the bytes an input can upload.
inline const std::vector<unsigned char> kTinyPng = {
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};

/// Copies a whole database with SQLite's backup API; aborts the run if it cannot.
inline void copy_database(sqlite3* from, sqlite3* to) {
    sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
    if (b == nullptr) {
        std::fprintf(stderr, "fuzz: backup: %s\n", sqlite3_errmsg(to));
        std::abort();
    }
    const int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        std::fprintf(stderr, "fuzz: backup step: %d\n", rc);
        std::abort();
    }
}

}  // namespace leandesk::fuzz
