// The program the Python tests drive (test_xlsx_readback.py, test_smtp.py): it builds the fixture
// group, exports, backs up and restores it, and sends mails through the SMTP sender, so that Python
// can check the results with real readers (openpyxl, the email package, an aiosmtpd server).
//
//   export_driver seed <db>                         -> {"group_id", "project1_id", ...}
//   export_driver export <db> <group_id> <email> <out.xlsx>
//   export_driver roundtrip <db> <group_id> <email> <folder>
//                            -> backup in <folder>/backup, restored group exported to
//                            <folder>/restored.xlsx,
//                               the original to <folder>/original.xlsx; prints
//                               {"restored_group_id"}
//   export_driver smtp-report <smtp_json>           seeds a fresh group and mails project 1's
//   report
//                                                    to Ann, Zoë and Dan (not activated)
//   export_driver smtp-accounts <smtp_json> <db> [code]
//                                                  through the C API with the "smtp" open option:
//                                                  without a code, sign-up (activation mail); with
//                                                  the mailed code, activation, then a password
//                                                  reset (a reset mails activated accounts only)
// Exit status 0 on success; otherwise 1 and "error <code> <message>" on stderr.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "engine/engine.hpp"
#include "engine/engine_impl.hpp"
#include "export/backup.hpp"
#include "export/group_export.hpp"
#include "export/report.hpp"
#include "fixture.hpp"
#include "leandesk/export.h"
#include "leandesk/leandesk.h"
#include "mail/smtp_sender.hpp"

using namespace leandesk;
using namespace leandesk::testing;

namespace {

struct Env {
    std::shared_ptr<Millis> now = std::make_shared<Millis>(kFixtureTime);
    std::unique_ptr<Engine> engine;

    explicit Env(const std::string& path, std::shared_ptr<MailSender> mail = nullptr) {
        EngineOptions o(path);
        o.clock = manual_clock(now);
        o.random = seeded_random(7);
        o.mail = std::move(mail);
        engine = std::make_unique<Engine>(std::move(o));
    }
    /// The driver's later runs on the same file start at "today" again, with fresh random ids.
    Env(const std::string& path, std::uint64_t seed) {
        EngineOptions o(path);
        o.clock = manual_clock(now);
        o.random = seeded_random(seed);
        engine = std::make_unique<Engine>(std::move(o));
    }
    Actor actor(const std::string& email) {
        auto& impl = engine->internals();
        std::lock_guard lock(impl.mutex);
        const auto u = impl.find_user_by_email(email);
        if (!u) throw Error(Errc::not_found, "no user " + email);
        return Actor::user(u->id);
    }
};

mail::SmtpConfig smtp_config(const std::string& text) {
    const Json j = Json::parse(text);
    mail::SmtpConfig c;
    c.url = j.at("url");
    c.from = j.at("from");
    c.from_name = j.value("from_name", "");
    c.username = j.value("username", "");
    c.password = j.value("password", "");
    c.allow_plaintext_loopback = j.value("allow_plaintext_loopback", false);
    c.ca_file = j.value("ca_file", "");
    c.timeout_ms = j.value("timeout_ms", 10000L);
    return c;
}

int run(int argc, char** argv) {
    const std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "seed" && argc == 3) {
        Env env(argv[2]);
        Millis& now = *env.now;
        const Fixture f = make_fixture(*env.engine, now);
        env.engine->checkpoint();
        std::cout << Json{{"group_id", f.group.id},          {"project1_id", f.project1.id},
                          {"project2_id", f.project2.id},    {"manager_id", f.manager.user_id},
                          {"member_id", f.member.user_id},   {"unicode_id", f.unicode.user_id},
                          {"pending_id", f.pending.user_id}, {"today", iso_date(kFixtureTime)}}
                         .dump()
                  << "\n";
        return 0;
    }
    if (cmd == "export" && argc == 6) {
        Env env(argv[2], 11);
        const Actor a = env.actor(argv[4]);
        exports::export_group_xlsx(*env.engine, a, argv[3], argv[5]);
        return 0;
    }
    if (cmd == "roundtrip" && argc == 6) {
        Env env(argv[2], 13);
        const Actor a = env.actor(argv[4]);
        const std::filesystem::path dir(argv[5]);
        exports::backup_group(*env.engine, a, argv[3], (dir / "backup").string());
        const Group g = exports::restore_group(*env.engine, a, (dir / "backup").string());
        exports::export_group_xlsx(*env.engine, a, argv[3], (dir / "original.xlsx").string());
        exports::export_group_xlsx(*env.engine, a, g.id, (dir / "restored.xlsx").string());
        env.engine->checkpoint();
        std::cout << Json{{"restored_group_id", g.id}}.dump() << "\n";
        return 0;
    }
    if (cmd == "smtp-report" && argc == 3) {
        Env env(":memory:");
        // Date and Message-ID from the test's clock and seed, so the test knows what to expect.
        mail::SmtpSender sender(smtp_config(argv[2]), manual_clock(env.now), seeded_random(3));
        const Fixture f = make_fixture(*env.engine, *env.now);
        exports::send_project_report(*env.engine, f.member, f.project1.id,
                                     {f.manager.user_id, f.unicode.user_id, f.pending.user_id},
                                     &sender);
        const auto report = exports::project_report(*env.engine, f.member, f.project1.id);
        std::cout << Json{{"subject", report.subject},
                          {"html", report.html},
                          {"text", report.text},
                          {"date_ms", *env.now}}
                         .dump()
                  << "\n";
        return 0;
    }
    if (cmd == "smtp-accounts" && (argc == 4 || argc == 5)) {
        Json options{{"smtp", Json::parse(argv[2])},
                     {"password_opslimit", 1},
                     {"password_memlimit", 8192},
                     {"product_name", "LeanDesk"}};
        ld_db* db = nullptr;
        auto check = [](int rc) {
            if (rc != LD_OK) throw Error(static_cast<Errc>(rc), ld_last_error());
        };
        check(ld_db_open(&db, argv[3], options.dump().c_str()));
        std::unique_ptr<ld_db, void (*)(ld_db*)> owned(db, ld_db_close);
        char* out = nullptr;
        if (argc == 4) {
            check(ld_account_sign_up(
                &out, db,
                R"({"first_name":"Zoë","last_name":"Ørsted-Ünal","email":"zoe@example.com",)"
                R"("password":"correct horse battery"})"));
            ld_string_free(out);
            return 0;
        }
        check(ld_account_activate(&out, db, argv[4]));
        ld_string_free(out);
        check(ld_account_request_password_reset(db, "zoe@example.com"));
        return 0;
    }
    std::cerr << "usage: see the comment at the top of export_driver.cpp\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const Error& e) {
        std::cerr << "error " << static_cast<int>(e.code()) << " " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "error -15 " << e.what() << "\n";
        return 1;
    }
}
