// The C API of include/leandesk/export.h: status codes, last errors, out parameters, progress
// callbacks with cancellation, and mail through the database's mail callback.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "leandesk/export.h"
#include "model/json.hpp"
#include "test_support.hpp"

namespace leandesk::testing {
namespace {

namespace fs = std::filesystem;

struct Mails {
    std::vector<Json> sent;
};

int record_mail(const char* mail_json, void* userdata) {
    static_cast<Mails*>(userdata)->sent.push_back(Json::parse(mail_json));
    return 0;
}

class CapiExportTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(ld_db_open(&db, dir.file("c.db").c_str(),
                             R"({"password_opslimit":1,"password_memlimit":8192})"),
                  LD_OK);
        ASSERT_EQ(ld_db_set_mail_sender(db, record_mail, &mails, nullptr), LD_OK);
        ann = account("ann@example.com", "Ann");
        bob = account("bob@example.com", "Bob");
        group_id = call(
            [&](char** out) { return ld_group_create(out, ann, R"({"name":"Group"})"); })["id"];
        bob_id = call([&](char** out) {
            return ld_group_add_member(out, ann, group_id.c_str(), "bob@example.com");
        })["id"];
        project_id = call([&](char** out) {
            return ld_project_create(
                out, bob, Json{{"group_id", group_id}, {"name", "P <1>"}}.dump().c_str());
        })["id"];
        ann_id = call([&](char** out) { return ld_session_info(out, ann); })["user_id"];
        call([&](char** out) {
            return ld_project_add_participant(out, bob, project_id.c_str(), ann_id.c_str());
        });
        call([&](char** out) {
            return ld_action_create(
                out, bob, Json{{"project_id", project_id}, {"title", "Do <it>"}}.dump().c_str());
        });
        mails.sent.clear();
    }
    void TearDown() override {
        ld_session_free(ann);
        ld_session_free(bob);
        ld_db_close(db);
    }
    template <typename Fn>
    Json call(Fn&& fn) {
        char* out = nullptr;
        const int rc = fn(&out);
        EXPECT_EQ(rc, LD_OK) << ld_last_error();
        Json j = out != nullptr ? Json::parse(out) : Json();
        ld_string_free(out);
        return j;
    }
    ld_session* account(const std::string& email, const std::string& first) {
        call([&](char** out) {
            return ld_account_sign_up(out, db,
                                      Json{{"first_name", first},
                                           {"last_name", "X"},
                                           {"email", email},
                                           {"password", "correct horse battery"}}
                                          .dump()
                                          .c_str());
        });
        std::string code;
        for (const auto& line : [&] {
                 std::vector<std::string> lines;
                 std::string text = mails.sent.back()["text"];
                 for (std::size_t s = 0, e; s < text.size(); s = e + 1) {
                     e = text.find('\n', s);
                     if (e == std::string::npos) e = text.size();
                     lines.push_back(text.substr(s, e - s));
                 }
                 return lines;
             }()) {
            if (line.rfind("    ", 0) == 0) code = line.substr(4);
        }
        call([&](char** out) { return ld_account_activate(out, db, code.c_str()); });
        ld_session* s = nullptr;
        EXPECT_EQ(ld_session_sign_in(&s, db, email.c_str(), "correct horse battery"), LD_OK)
            << ld_last_error();
        return s;
    }

    TempDir dir;
    Mails mails;
    ld_db* db = nullptr;
    ld_session* ann = nullptr;
    ld_session* bob = nullptr;
    std::string group_id, project_id, ann_id, bob_id;
};

int count_progress(int64_t, int64_t, void* userdata) {
    ++*static_cast<int*>(userdata);
    return 0;
}
int cancel_progress(int64_t, int64_t, void*) {
    return 1;
}

TEST_F(CapiExportTest, ExportIsTheManagers) {
    const std::string path = dir.file("g.xlsx");
    int calls = 0;
    EXPECT_EQ(ld_group_export_xlsx(ann, group_id.c_str(), path.c_str(), count_progress, &calls),
              LD_OK)
        << ld_last_error();
    EXPECT_TRUE(fs::exists(path));
    EXPECT_GE(calls, 2);
    const std::string other = dir.file("b.xlsx");
    EXPECT_EQ(ld_group_export_xlsx(bob, group_id.c_str(), other.c_str(), nullptr, nullptr),
              LD_EPERM);
    EXPECT_EQ(std::string(ld_last_error()).rfind("R10:", 0), 0U) << ld_last_error();
    EXPECT_EQ(ld_group_export_xlsx(ann, group_id.c_str(), other.c_str(), cancel_progress, nullptr),
              LD_ECANCELLED);
    EXPECT_FALSE(fs::exists(other));
    EXPECT_EQ(ld_group_export_xlsx(ann, group_id.c_str(), nullptr, nullptr, nullptr), LD_EINVAL);
    EXPECT_EQ(ld_group_export_xlsx(ann, group_id.c_str(), "", nullptr, nullptr), LD_EINVAL);
    EXPECT_EQ(ld_group_export_xlsx(nullptr, group_id.c_str(), path.c_str(), nullptr, nullptr),
              LD_EINVAL);
}

TEST_F(CapiExportTest, BackupAndRestore) {
    const std::string folder = dir.file("backup");
    EXPECT_EQ(ld_group_backup(bob, group_id.c_str(), folder.c_str(), nullptr, nullptr), LD_EPERM);
    EXPECT_EQ(ld_group_backup(ann, group_id.c_str(), folder.c_str(), nullptr, nullptr), LD_OK)
        << ld_last_error();
    EXPECT_EQ(ld_group_backup(ann, group_id.c_str(), folder.c_str(), nullptr, nullptr),
              LD_ECONFLICT);
    char* out = reinterpret_cast<char*>(1);
    EXPECT_EQ(ld_group_restore(&out, bob, folder.c_str(), cancel_progress, nullptr), LD_ECANCELLED);
    EXPECT_EQ(out, nullptr);
    const Json g =
        call([&](char** o) { return ld_group_restore(o, bob, folder.c_str(), nullptr, nullptr); });
    EXPECT_EQ(g["manager_id"], bob_id);
    EXPECT_NE(g["id"], group_id);
    fs::remove(fs::path(folder) / "group.json");
    EXPECT_EQ(ld_group_restore(&out, bob, folder.c_str(), nullptr, nullptr), LD_ECORRUPT);
    EXPECT_EQ(out, nullptr);
}

TEST_F(CapiExportTest, ReportAndItsMail) {
    char* html = nullptr;
    char* text = nullptr;
    ASSERT_EQ(ld_project_report(&html, &text, bob, project_id.c_str()), LD_OK) << ld_last_error();
    EXPECT_NE(std::string(html).find("P &lt;1&gt;"), std::string::npos);
    EXPECT_NE(std::string(text).find("Do <it>"), std::string::npos);
    ld_string_free(html);
    ld_string_free(text);
    EXPECT_EQ(ld_project_report(nullptr, &text, bob, project_id.c_str()), LD_EINVAL);
    EXPECT_EQ(ld_project_report_send(bob, project_id.c_str(), Json::array({ann_id}).dump().c_str()),
              LD_OK)
        << ld_last_error();
    ASSERT_EQ(mails.sent.size(), 1U);
    EXPECT_EQ(mails.sent[0]["to"], "ann@example.com");
    EXPECT_NE(std::string(mails.sent[0]["html"]).find("<h2>Actions by step</h2>"),
              std::string::npos);
    EXPECT_EQ(ld_project_report_send(bob, project_id.c_str(), "{\"a\":1}"), LD_EINVAL);
    EXPECT_EQ(ld_project_report_send(bob, project_id.c_str(), "[1]"), LD_EINVAL);
    EXPECT_EQ(ld_project_report_send(bob, project_id.c_str(), "[oops"), LD_EINVAL);
    EXPECT_EQ(mails.sent.size(), 1U);
}

}  // namespace
}  // namespace leandesk::testing
