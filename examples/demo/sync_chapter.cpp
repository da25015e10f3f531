#include "sync_chapter.hpp"

#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include "calendar.hpp"
#include "leandesk/leandesk.hpp"
#include "local_server.hpp"

namespace demo {
namespace {

namespace fs = std::filesystem;

const char* const kGroupName = "Plant 2 — Lean team";
const char* const kProjectName = "Line 3 changeover (SMED)";
const char* const kActionTitle = "Pre-stage tools on a shadow board";
const char* const kComment = "Shadow board is up; the 13 mm wrench was missing, ordered.";
constexpr int kProgressOffline = 60;
constexpr std::size_t kLabelWidth = 17;  // "Pierre ⇄ server" and a space

struct Person {
    std::string first;
    std::string last;
    std::string email;
    std::string password;
    [[nodiscard]] std::string name() const { return first + " " + last; }
};

/// One person's phone: a replica of the server in a database file of its own, signed in.
struct Phone {
    Person person;
    fs::path file;
    ld::Database db;
    ld::Session session;
};

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string plural(std::int64_t n, const std::string& word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

class SyncChapter {
  public:
    SyncChapter(Console& out, const SyncSetup& setup)
        : out_(out), setup_(setup), server_(*setup.server, setup.folder) {}

    void run() {
        start_the_server();
        create_the_accounts();
        open_the_phones();
        marie_shares_the_plan();
        pierre_receives_it();
        pierre_works_offline();
        back_online();
        stop_the_server();
    }

  private:
    void start_the_server() {
        out_.say("So far the team shared one database file. Now Marie and Pierre each carry a");
        out_.say("replica on their phone, and a leandesk-server keeps the replicas in step.");
        out_.say(muted("Made for this run: a certificate authority and a TLS certificate for"));
        out_.say(muted("localhost, in " + server_.tls().ca_cert.parent_path().string() + "."));
        server_.start();
        out_.say("leandesk-server is up at " + out_.paint(server_.url(), Tone::accent) + " (pid " +
                 std::to_string(server_.pid()) + ", log " + server_.log_file().string() + ").");
    }

    void create_the_accounts() {
        out_.blank();
        for (const Person* person : {&marie_, &pierre_}) {
            const Person& p = *person;
            const ActivationMail mail = server_.sign_up(p.email, p.first, p.last, p.password);
            server_.activate(mail.code);
            if (person == &marie_) {
                out_.say(p.name() + " signs up on the server; its mail folder receives:");
                out_.say(muted("  | " + mail.file.filename().string() + "  " + mail.subject));
                out_.say(muted("  | code " + mail.code.substr(0, 10) +
                               "…  (she activates her account with it)"));
            } else {
                out_.say(p.name() + " signs up and activates his account the same way.");
            }
        }
    }

    void open_the_phones() {
        out_.say("Each opens a replica of the server on their phone and signs in:");
        marie_phone_ = open_phone(marie_, "marie.db");
        pierre_phone_ = open_phone(pierre_, "pierre.db");
    }

    std::unique_ptr<Phone> open_phone(const Person& person, const std::string& file) {
        const fs::path path = setup_.folder / file;
        ld::Database db = ld::Database::open_replica(
            path.string(), ld::ReplicaOptions{server_.url(), server_.tls().ca_cert.string(), {}});
        ld::Session session = ld::Session::sync_sign_in(db, person.email, person.password);
        out_.raw("      " + out_.cell(person.name(), kLabelWidth) + muted(path.string()));
        return std::make_unique<Phone>(Phone{person, path, std::move(db), std::move(session)});
    }

    void marie_shares_the_plan() {
        out_.blank();
        const ld::Session& s = marie_phone_->session;
        const ld::Group group = s.group_create({{"name", kGroupName}});
        s.group_add_member(group.id, pierre_.email);
        const ld::Project project =
            s.project_create({{"group_id", group.id}, {"name", kProjectName}});
        out_.say("On her phone Marie creates the group, adds Pierre and starts " +
                 quoted(kProjectName) + ":");
        out_.say("done at once, without waiting for the network; " + pending_text(*marie_phone_) +
                 ".");
        sync(*marie_phone_);

        // The server sent back the group's members: her replica now knows Pierre's account.
        const std::string pierre_id = member_id(s, group.id, pierre_);
        for (const ld::Step& step : s.step_list(group.id)) step_names_[step.id] = step.name;
        s.project_add_participant(project.id, pierre_id);
        const ld::Action action = s.action_create({{"project_id", project.id},
                                                   {"title", kActionTitle},
                                                   {"owner_id", pierre_id},
                                                   {"due_date", date_in(now_ms(), 5)},
                                                   {"step_id", step_id("To do")}});
        action_id_ = action.id;
        group_id_ = group.id;
        out_.say("She makes Pierre a participant and plans an action for him, then syncs again:");
        sync(*marie_phone_);
    }

    void pierre_receives_it() {
        out_.blank();
        out_.say("Pierre syncs. His replica receives the group, the project and his action:");
        sync(*pierre_phone_);
        show_action(*pierre_phone_);
    }

    void pierre_works_offline() {
        out_.blank();
        const std::string how = server_.stop();
        if (how != "exit 0")
            throw std::runtime_error("leandesk-server did not stop cleanly: " + how);
        out_.say("The server goes down (SIGTERM, " + how +
                 "). Pierre is on the shop floor, offline.");
        const ld::Session& s = pierre_phone_->session;
        s.action_move(action_id_, step_id("In progress"));
        s.action_update(action_id_, {{"progress", kProgressOffline}});
        s.comment_add(action_id_, {{"body", kComment}});
        out_.say("He moves the action to In progress, sets it " + std::to_string(kProgressOffline) +
                 " % done and comments. Each edit");
        out_.say("applies on his phone at once and waits in its outbox:");
        show_action(*pierre_phone_);
        const ld::SyncStatus status = pierre_phone_->db.sync_status();
        out_.raw("      " + out_.cell("sync status", kLabelWidth, Tone::muted) +
                 out_.paint(plural(status.pending, "command") + " pending", Tone::warn) +
                 muted("  (last sync " +
                       (status.last_success_at ? leandesk_time(*status.last_success_at) : "never") +
                       ")"));
        if (status.pending != 3) throw std::runtime_error("the offline edits are not all queued");
    }

    void back_online() {
        out_.blank();
        server_.start();
        out_.say("The server is back (pid " + std::to_string(server_.pid()) +
                 ", same database). Pierre's phone syncs:");
        sync(*pierre_phone_);

        out_.say("Marie syncs; her phone hears of each change as it arrives:");
        for (const ld::Change& c : sync(*marie_phone_)) {
            out_.raw("        " + muted("↳ live  " + describe(marie_phone_->session, c)));
        }
        show_action(*marie_phone_);

        // The demo checks what it tells: Pierre's offline edit is on Marie's phone.
        const ld::ActionDetail detail = marie_phone_->session.action_get(action_id_);
        if (step_names_.at(detail.action.step_id) != "In progress" ||
            detail.action.progress != kProgressOffline || detail.comments.size() != 1 ||
            detail.comments[0].body != kComment) {
            throw std::runtime_error("Pierre's offline edit did not reach Marie's replica");
        }
    }

    void stop_the_server() {
        out_.blank();
        const std::string how = server_.stop();
        if (how != "exit 0")
            throw std::runtime_error("leandesk-server did not stop cleanly: " + how);
        out_.say("The server stops cleanly (SIGTERM, " + how +
                 "): requests in flight finish, the database is");
        out_.say("checkpointed. Both phones keep their replica, ready for the next sync.");
    }

    // ---- helpers --------------------------------------------------------------------------------

    /// Syncs a phone, says what went each way, and returns the changes its replica received (as
    /// an app's live view hears of them).
    std::vector<ld::Change> sync(Phone& phone) {
        const std::int64_t before = phone.db.sync_status().pending;
        std::vector<ld::Change> received;
        {
            const ld::ObserverToken token =
                phone.db.add_observer([&received](const std::vector<ld::Change>& changes) {
                    received.insert(received.end(), changes.begin(), changes.end());
                });
            phone.db.sync_now();
        }
        const std::int64_t after = phone.db.sync_status().pending;
        out_.raw("      " + out_.cell(phone.person.first + " ⇄ server", kLabelWidth, Tone::accent) +
                 plural(before - after, "command") + " sent, " +
                 plural(static_cast<std::int64_t>(received.size()), "change") + " received" +
                 muted("  · " + std::to_string(after) + " pending"));
        return received;
    }

    void show_action(const Phone& phone) {
        const ld::ActionDetail detail = phone.session.action_get(action_id_);
        const ld::Action& a = detail.action;
        std::string owner = "unassigned";
        for (const ld::Person& p : phone.session.group_members(group_id_)) {
            if (a.owner_id && p.id == *a.owner_id) owner = p.display_name;
        }
        out_.raw("      " + out_.cell(phone.person.first + "'s phone", kLabelWidth, Tone::muted) +
                 out_.cell(a.title, 36) + out_.cell(step_names_.at(a.step_id), 13, Tone::accent) +
                 out_.cell(std::to_string(a.progress) + " %", 6) +
                 muted(owner + ", due " + relative_to_today(now_ms(), a.due_date.value_or("?"))));
        for (const ld::Comment& c : detail.comments) {
            out_.raw("      " + out_.cell("", kLabelWidth) + muted("“" + c.body + "”"));
        }
    }

    /// One received change, with names instead of ids, as a live view would show it.
    [[nodiscard]] std::string describe(const ld::Session& s, const ld::Change& c) const {
        std::string what = c.entity;
        if (c.entity == "action" && c.entity_id == action_id_) what += " " + quoted(kActionTitle);
        if (c.entity == "comment") what += " on " + quoted(kActionTitle);
        if (c.entity == "user") {
            for (const ld::Person& p : s.group_members(group_id_)) {
                if (p.id == c.entity_id) what += " " + p.display_name;
            }
        }
        // A received record is written as it stands on the server, so the replica logs it as an
        // update whatever the command was; "changed" says no more than that.
        const char* done = c.op == "delete" ? "deleted" : c.op == "insert" ? "added" : "changed";
        std::string fields;
        for (const auto& f : c.fields) fields += (fields.empty() ? "" : ", ") + f;
        return what + " " + done + (fields.empty() ? "" : ": " + fields);
    }

    std::string member_id(const ld::Session& s, const std::string& group, const Person& p) const {
        for (const ld::Person& m : s.group_members(group)) {
            if ((m.email && *m.email == p.email) || m.display_name == p.name()) return m.id;
        }
        throw std::runtime_error(p.name() + " is not among the group's members after the sync");
    }

    [[nodiscard]] const std::string& step_id(const std::string& name) const {
        for (const auto& [id, step] : step_names_) {
            if (step == name) return id;
        }
        throw std::runtime_error("the group has no step " + name);
    }

    [[nodiscard]] std::string pending_text(Phone& phone) const {
        return plural(phone.db.sync_status().pending, "command") + " wait in her outbox";
    }

    static std::string leandesk_time(std::int64_t ms) {
        const std::time_t t = static_cast<std::time_t>(ms / 1000);
        std::tm tm{};
        localtime_r(&t, &tm);
        char buf[16];
        std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
        return buf;
    }

    [[nodiscard]] std::string muted(const std::string& text) const {
        return out_.paint(text, Tone::muted);
    }
    static std::string quoted(const std::string& text) { return "'" + text + "'"; }

    Console& out_;
    const SyncSetup& setup_;
    LocalServer server_;  // declared before the phones: they close first, then it stops
    Person marie_{"Marie", "Curie", "marie.curie@example.com", "demo password Marie"};
    Person pierre_{"Pierre", "Martin", "pierre.martin@example.com", "demo password Pierre"};
    std::unique_ptr<Phone> marie_phone_;
    std::unique_ptr<Phone> pierre_phone_;
    std::map<std::string, std::string> step_names_;  // by id
    std::string group_id_;
    std::string action_id_;
};

}  // namespace

void tell_offline_sync(Console& out, const SyncSetup& setup) {
    out.chapter("Offline sync with leandesk-server");
    if (!setup.server) {
        out.say(out.paint("Skipped: no leandesk-server to run.", Tone::warn) + " " +
                setup.missing_reason);
        out.say(
            "Build it with `ninja -C build leandesk-server` (scripts/demo.sh does), or give its");
        out.say(
            "path with --server PATH or LEANDESK_SERVER. The local walkthrough above is complete.");
        return;
    }
    SyncChapter(out, setup).run();
}

}  // namespace demo
