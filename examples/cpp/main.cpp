// The LeanDesk C++ API in one page: open a database, create two accounts, plan a project, watch
// the changes, and see a rule refuse a write. Build: see examples/cpp/CMakeLists.txt; run:
//   leandesk-example-cpp [DATABASE]        (default: a temporary in-memory database)
#include <leandesk/leandesk.hpp>

#include <iostream>
#include <regex>
#include <string>

namespace {

// Mails would go to a mail server; here we keep the last one to read its activation code.
std::string last_mail;

std::string code_in(const std::string& mail) {
    std::smatch m;
    std::regex_search(mail, m, std::regex("[A-Za-z0-9_-]{43}"));
    return m.str();
}

// Signs a person up, activates the account with the mailed code, and signs them in.
ld::Session join(const ld::Database& db, const std::string& first, const std::string& email) {
    const std::string password = "a long password for " + first;
    db.account_sign_up(ld::SignUp{first, "Example", email, password});
    db.account_activate(code_in(last_mail));
    return ld::Session::sign_in(db, email, password);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        ld::check_version();  // the library serves code built against this header
        std::cout << "LeanDesk " << ld::version() << "\n";

        // Cheap password hashing keeps the example fast; real apps keep the defaults.
        ld::Database db(argc > 1 ? argv[1] : ":memory:",
                        {{"password_opslimit", 1}, {"password_memlimit", 8192}});
        db.set_mail_sender([](const ld::Mail& mail) { last_mail = mail.text; });

        ld::Session ana = join(db, "Ana", "ana@example.com");
        ld::Session ben = join(db, "Ben", "ben@example.com");

        // Every committed write is announced to observers while the token lives.
        ld::ObserverToken watch = db.add_observer([](const std::vector<ld::Change>& changes) {
            std::cout << "  changed:";
            for (const ld::Change& c : changes) std::cout << " " << c.entity;
            std::cout << "\n";
        });

        // Ana creates a group (she manages it) and adds Ben; Ben starts a project in it.
        const ld::Group team = ana.group_create({{"name", "Front desk"}});
        ana.group_add_member(team.id, "ben@example.com");
        const ld::Project queues = ben.project_create(
            {{"group_id", team.id}, {"name", "Shorter queues"}, {"target_date", "2026-06-30"}});
        const ld::Action desk = ben.action_create({{"project_id", queues.id},
                                                   {"title", "Open a second desk"},
                                                   {"due_date", "2026-03-02"}});
        watch.remove();  // enough change notices

        // Rules are enforced on every write: Ana manages the group but does not take part in
        // Ben's project, so she may read it (R7) but not change its actions (R9).
        try {
            ana.action_update(desk.id, {{"progress", 50}});
        } catch (const ld::PermissionDenied& e) {
            std::cout << "Refused: " << e.what() << "\n";
        }

        // Typed results: the review lists every workflow step with its actions.
        const ld::ProjectReview review = ana.project_review(queues.id);
        std::cout << review.project.name << ", target " << review.project.target_date.value_or("-")
                  << "\n";
        for (const ld::StepActions& step : review.steps) {
            std::cout << "  " << step.step.name << ":";
            for (const ld::Action& a : step.actions) std::cout << " " << a.title;
            std::cout << "\n";
        }
        return 0;
    } catch (const ld::Error& e) {
        std::cerr << "leandesk error " << e.name() << ": " << e.what() << "\n";
        return 1;
    }
}
