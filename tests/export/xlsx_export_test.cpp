// R10: who may export, and what an export leaves on disk when it fails or is cancelled. The
// cell-by-cell check of the workbook is test_xlsx_readback.py (openpyxl).
#include "export/group_export.hpp"
#include "export/xlsx_book.hpp"
#include "export_test_base.hpp"

namespace leandesk::testing {
namespace {

using exports::export_group_xlsx;

TEST_F(ExportTest, R10_ManagerExportsAWorkbook) {
    const auto path = dir->path() / "group.xlsx";
    std::vector<std::pair<std::int64_t, std::int64_t>> ticks;
    export_group_xlsx(*engine, f.manager, f.group.id, path.string(),
                      [&](std::int64_t d, std::int64_t t) {
                          ticks.emplace_back(d, t);
                          return true;
                      });
    const std::string bytes = read_text(path);
    ASSERT_GT(bytes.size(), 1000U);
    EXPECT_EQ(bytes.substr(0, 2), "PK");  // a zip container, as every .xlsx
    ASSERT_GE(ticks.size(), 2U);
    EXPECT_EQ(ticks.front().first, 0);
    EXPECT_EQ(ticks.back().first, ticks.back().second) << "the last report says all is done";
    for (std::size_t i = 1; i < ticks.size(); ++i) EXPECT_GE(ticks[i].first, ticks[i - 1].first);
    EXPECT_EQ(listing(),
              (std::vector<std::string>{"group.xlsx", "test.db", "test.db-shm", "test.db-wal"}));
}

TEST_F(ExportTest, R10_MemberMayNotExport) {
    const auto path = dir->path() / "group.xlsx";
    const std::string msg = expect_unchanged(Errc::permission_denied, [&] {
        export_group_xlsx(*engine, f.member, f.group.id, path.string());
    });
    EXPECT_EQ(msg.rfind("R10:", 0), 0U) << msg;
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_EQ(listing().size(), 3U) << "no temporary file is left";
}

TEST_F(ExportTest, R13_OutsiderAndOperatorMayNotExport) {
    const auto path = dir->path() / "group.xlsx";
    const std::string msg = expect_unchanged(Errc::permission_denied, [&] {
        export_group_xlsx(*engine, f.outsider, f.group.id, path.string());
    });
    EXPECT_EQ(msg.rfind("R13:", 0), 0U) << msg;
    expect_unchanged(Errc::permission_denied, [&] {
        export_group_xlsx(*engine, Actor::operator_(), f.group.id, path.string());
    });
    EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(ExportTest, R10_FormerManagerIsRefusedAfterHandingOver) {
    engine->transfer_group(f.manager, f.group.id, f.member.user_id);
    const auto path = dir->path() / "group.xlsx";
    expect_error(Errc::permission_denied,
                 [&] { export_group_xlsx(*engine, f.manager, f.group.id, path.string()); });
    export_group_xlsx(*engine, f.member, f.group.id, path.string());
    EXPECT_TRUE(std::filesystem::exists(path));
}

TEST_F(ExportTest, UnknownGroupIsNotFound) {
    expect_error(Errc::not_found, [&] {
        export_group_xlsx(*engine, f.manager, "00000000-0000-4000-8000-000000000000",
                          (dir->path() / "x.xlsx").string());
    });
}

TEST_F(ExportTest, CancelledExportLeavesNothingAndKeepsTheOldFile) {
    const auto path = dir->path() / "group.xlsx";
    write_text(path, "the previous export");
    for (int stop_at : {0, 1}) {
        int calls = 0;
        expect_error(Errc::cancelled, [&] {
            export_group_xlsx(*engine, f.manager, f.group.id, path.string(),
                              [&](std::int64_t, std::int64_t) { return calls++ < stop_at; });
        });
        EXPECT_EQ(read_text(path), "the previous export") << "stop at " << stop_at;
        EXPECT_EQ(listing(), (std::vector<std::string>{"group.xlsx", "test.db", "test.db-shm",
                                                       "test.db-wal"}));
    }
    // Completed, it replaces the old file.
    export_group_xlsx(*engine, f.manager, f.group.id, path.string());
    EXPECT_EQ(read_text(path).substr(0, 2), "PK");
}

TEST_F(ExportTest, UnwritableFolderIsAnIoError) {
    expect_error(Errc::io, [&] {
        export_group_xlsx(*engine, f.manager, f.group.id,
                          (dir->path() / "no" / "such" / "x.xlsx").string());
    });
    expect_error(Errc::invalid_argument,
                 [&] { export_group_xlsx(*engine, f.manager, f.group.id, dir->path().string()); });
}

TEST_F(ExportTest, ExportInsideABatchSeesTheBatch) {
    // The export may run inside a unit of work (the engine's transaction gives the snapshot).
    const auto path = dir->path() / "group.xlsx";
    engine->batch([&] { export_group_xlsx(*engine, f.manager, f.group.id, path.string()); });
    EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(ExcelSerial, MatchesExcelsEpoch) {
    EXPECT_DOUBLE_EQ(exports::excel_serial(0), 25569.0);               // 1970-01-01
    EXPECT_DOUBLE_EQ(exports::excel_serial(kFixtureTime), 46083.375);  // 2026-03-02 09:00
    EXPECT_DOUBLE_EQ(exports::excel_serial(86400000LL / 2), 25569.5);
}

}  // namespace
}  // namespace leandesk::testing
