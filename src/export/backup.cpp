// Writing a backup folder. group.json is streamed record by record, so a group of any size is
// written in bounded memory; each photo file is written once per distinct content.
#include "export/backup.hpp"

#include <fstream>
#include <unordered_set>

#include "engine/engine_impl.hpp"
#include "export/pending_output.hpp"
#include "export/photo_files.hpp"
#include "export/read_snapshot.hpp"
#include "leandesk/leandesk.h"

namespace leandesk::exports {
namespace fs = std::filesystem;
namespace {

template <typename T>
Json nullable(const std::optional<T>& v) {
    return v ? Json(*v) : Json(nullptr);
}

std::int64_t count(Engine::Impl& impl, const char* sql, const Id& group_id) {
    auto s = impl.db.prepare(sql);
    s.bind(1, group_id);
    s.step();
    return s.int64(0);
}

/// Streams `"name": [ {...}, {...} ]` into the manifest.
class ArrayWriter {
  public:
    ArrayWriter(std::ostream& out, const char* name, ProgressTicker& ticker)
        : out_(out), ticker_(ticker) {
        out_ << ",\n\"" << name << "\": [";
    }
    ~ArrayWriter() { out_ << (first_ ? "]" : "\n]"); }
    ArrayWriter(const ArrayWriter&) = delete;
    ArrayWriter& operator=(const ArrayWriter&) = delete;

    void add(const Json& record) {
        out_ << (first_ ? "\n" : ",\n") << record.dump();
        first_ = false;
        ticker_.advance();
    }

  private:
    std::ostream& out_;
    ProgressTicker& ticker_;
    bool first_ = true;
};

class BackupWriter {
  public:
    BackupWriter(Engine::Impl& impl, const Group& g, const fs::path& folder, ProgressTicker& ticker)
        : impl_(impl), g_(g), folder_(folder), ticker_(ticker) {}

    void write() {
        fs::create_directory(folder_ / "photos");
        std::ofstream out(folder_ / "group.json", std::ios::binary);
        if (!out) throw Error(Errc::io, "backup: cannot create group.json");
        load_members();
        out << "{\"format\": " << Json(kBackupFormat).dump() << ",\n\"version\": " << kBackupVersion
            << ",\n\"generator\": " << Json(std::string("LeanDesk ") + LD_VERSION).dump()
            << ",\n\"created_at\": " << impl_.now() << ",\n\"group\": "
            << Json{{"id", g_.id},
                    {"name", g_.name},
                    {"manager", g_.manager_id},
                    {"created_at", g_.created_at}}
                   .dump();
        people(out);
        rows(out, "members",
             "SELECT user_id, added_at FROM members WHERE group_id = ? ORDER BY added_at, user_id",
             [&](const store::Stmt& s) {
                 return Json{{"user", s.text(0)}, {"added_at", s.int64(1)}};
             });
        rows(out, "steps",
             "SELECT id, name, position, kind FROM steps WHERE group_id = ? ORDER BY position, id",
             [&](const store::Stmt& s) {
                 return Json{{"id", s.text(0)},
                             {"name", s.text(1)},
                             {"position", s.int64(2)},
                             {"kind", s.text(3)}};
             });
        rows(out, "resources",
             "SELECT id, name, url, note FROM resources WHERE group_id = ? ORDER BY name, id",
             [&](const store::Stmt& s) {
                 return Json{{"id", s.text(0)},
                             {"name", s.text(1)},
                             {"url", nullable(s.opt_text(2))},
                             {"note", nullable(s.opt_text(3))}};
             });
        rows(out, "projects",
             "SELECT id, name, description, future_state, owner_id, start_date, target_date, "
             "status, "
             "created_at FROM projects WHERE group_id = ? ORDER BY name, id",
             [&](const store::Stmt& s) {
                 return Json{{"id", s.text(0)},
                             {"name", s.text(1)},
                             {"description", s.text(2)},
                             {"future_state", s.text(3)},
                             {"owner", person(s.text(4))},
                             {"start_date", nullable(s.opt_text(5))},
                             {"target_date", nullable(s.opt_text(6))},
                             {"status", s.text(7)},
                             {"created_at", s.int64(8)}};
             });
        rows(out, "participants",
             "SELECT pa.project_id, pa.user_id, pa.added_at FROM participants pa JOIN projects p "
             "ON p.id = pa.project_id WHERE p.group_id = ? ORDER BY p.name, p.id, pa.added_at, "
             "pa.user_id",
             [&](const store::Stmt& s) {
                 return Json{{"project", s.text(0)}, {"user", s.text(1)}, {"added_at", s.int64(2)}};
             });
        rows(out, "indicators",
             "SELECT i.id, i.project_id, i.name, i.unit, i.baseline, i.target, i.created_at FROM "
             "indicators i "
             "JOIN projects p ON p.id = i.project_id WHERE p.group_id = ? ORDER BY p.name, p.id, "
             "i.name, i.id",
             [&](const store::Stmt& s) {
                 return Json{{"id", s.text(0)},         {"project", s.text(1)},
                             {"name", s.text(2)},       {"unit", s.text(3)},
                             {"baseline", s.real(4)},   {"target", s.real(5)},
                             {"created_at", s.int64(6)}};
             });
        rows(out, "indicator_values",
             "SELECT v.indicator_id, v.week, v.actual FROM indicator_values v JOIN indicators i "
             "ON i.id = v.indicator_id JOIN projects p ON p.id = i.project_id WHERE p.group_id = ? "
             "ORDER BY v.indicator_id, v.week",
             [&](const store::Stmt& s) {
                 return Json{{"indicator", s.text(0)}, {"week", s.text(1)}, {"actual", s.real(2)}};
             });
        rows(out, "actions",
             "SELECT a.id, a.project_id, a.title, a.description, a.step_id, a.owner_id, a.context, "
             "a.due_date, a.priority, a.progress, a.indicator_id, a.impact, a.position, "
             "a.created_by, "
             "a.created_at, a.updated_at, a.done_at FROM actions a JOIN projects p ON p.id = "
             "a.project_id "
             "WHERE p.group_id = ? ORDER BY a.created_at, a.id",
             [&](const store::Stmt& s) {
                 return Json{{"id", s.text(0)},
                             {"project", s.text(1)},
                             {"title", s.text(2)},
                             {"description", s.text(3)},
                             {"step", s.text(4)},
                             {"owner", person(s.opt_text(5))},
                             {"context", s.text(6)},
                             {"due_date", nullable(s.opt_text(7))},
                             {"priority", s.int64(8)},
                             {"progress", s.int64(9)},
                             {"indicator", nullable(s.opt_text(10))},
                             {"impact", nullable(s.opt_real(11))},
                             {"position", s.real(12)},
                             {"created_by", person(s.opt_text(13))},
                             {"created_at", s.int64(14)},
                             {"updated_at", s.int64(15)},
                             {"done_at", nullable(s.opt_int64(16))}};
             });
        rows(out, "comments",
             "SELECT c.id, c.action_id, c.author_id, c.body, c.created_at FROM comments c JOIN "
             "actions a "
             "ON a.id = c.action_id JOIN projects p ON p.id = a.project_id WHERE p.group_id = ? "
             "ORDER BY c.created_at, c.id",
             [&](const store::Stmt& s) {
                 return Json{{"id", s.text(0)},
                             {"action", s.text(1)},
                             {"author", person(s.opt_text(2))},
                             {"body", s.text(3)},
                             {"created_at", s.int64(4)}};
             });
        photos(out);
        out << "\n}\n";
        out.flush();
        if (!out) throw Error(Errc::io, "backup: cannot write group.json (disk full?)");
    }

  private:
    void load_members() {
        auto s = impl_.db.prepare("SELECT user_id FROM members WHERE group_id = ?");
        s.bind(1, g_.id);
        while (s.step()) members_.insert(s.text(0));
    }

    // Only members are people of the backup (R13: the manager sees their e-mail addresses, which
    // restore matches on). A reference to someone who has left the group becomes null.
    Json person(const std::optional<Id>& id) const {
        return id && members_.count(*id) ? Json(*id) : Json(nullptr);
    }

    void people(std::ostream& out) {
        ArrayWriter arr(out, "people", ticker_);
        auto s = impl_.db.prepare(
            std::string("SELECT ") + kUserColumns +
            " FROM users WHERE id IN (SELECT user_id FROM members WHERE group_id = ?) "
            "ORDER BY email");
        s.bind(1, g_.id);
        while (s.step()) {
            const User u = read_user(s);
            arr.add(Json{{"id", u.id},
                         {"email", u.email},
                         {"first_name", u.first_name},
                         {"last_name", u.last_name},
                         {"activated", u.activated()}});
        }
    }

    template <typename Fn>
    void rows(std::ostream& out, const char* name, const char* sql, Fn&& make) {
        ArrayWriter arr(out, name, ticker_);
        auto s = impl_.db.prepare(sql);
        s.bind(1, g_.id);
        while (s.step()) arr.add(make(s));
    }

    void photos(std::ostream& out) {
        ArrayWriter arr(out, "photos", ticker_);
        std::unordered_set<std::string> written;
        auto s = impl_.db.prepare(
            "SELECT ph.id, ph.action_id, ph.blob, ph.mime, ph.size, ph.caption, ph.taken_at, "
            "ph.added_by, "
            "ph.created_at FROM photos ph JOIN actions a ON a.id = ph.action_id JOIN projects p "
            "ON p.id = a.project_id WHERE p.group_id = ? ORDER BY ph.created_at, ph.id");
        s.bind(1, g_.id);
        while (s.step()) {
            const std::string hash = s.text(2);
            const std::string mime = s.text(3);
            const std::string file = photo_file_name(hash, mime);
            if (written.insert(file).second) {
                write_blob(hash, file);
                ticker_.advance();
            }
            arr.add(Json{{"id", s.text(0)},
                         {"action", s.text(1)},
                         {"file", file},
                         {"sha256", hash},
                         {"mime", mime},
                         {"size", s.int64(4)},
                         {"caption", s.text(5)},
                         {"taken_at", nullable(s.opt_int64(6))},
                         {"added_by", person(s.opt_text(7))},
                         {"created_at", s.int64(8)}});
        }
    }

    void write_blob(const std::string& hash, const std::string& file) {
        auto b = impl_.db.prepare("SELECT data FROM blobs WHERE hash = ?");
        b.bind(1, hash);
        if (!b.step()) throw Error(Errc::corrupt, "the database lacks the bytes of photo " + hash);
        const auto* data = static_cast<const char*>(sqlite3_column_blob(b.raw(), 0));
        const auto size = static_cast<std::streamsize>(sqlite3_column_bytes(b.raw(), 0));
        std::ofstream f(folder_ / file, std::ios::binary);
        if (size > 0) f.write(data, size);
        f.flush();
        if (!f) throw Error(Errc::io, "backup: cannot write " + file + " (disk full?)");
    }

    Engine::Impl& impl_;
    const Group& g_;
    fs::path folder_;
    ProgressTicker& ticker_;
    std::unordered_set<Id> members_;
};

}  // namespace

void backup_group(Engine& engine, const Actor& actor, const Id& group_id, const std::string& folder,
                  const Progress& progress) {
    auto& impl = engine.internals();
    {
        // Refuse before creating anything on disk.
        ReadSnapshot snapshot(impl);
        impl.require_user(actor);
        const Group g = impl.load_group(group_id);
        const auto role = impl.group_role(actor, g.id);
        rules::enforce(rules::read_group(role));
        rules::enforce(rules::export_group(role));
    }
    PendingOutput out(folder, PendingOutput::Kind::directory);
    {
        ReadSnapshot snapshot(impl);
        // Checked again inside the snapshot: the role may have changed in between.
        const Group g = impl.load_group(group_id);
        rules::enforce(rules::export_group(impl.group_role(actor, g.id)));
        const std::int64_t total =
            count(impl, "SELECT COUNT(*) FROM members WHERE group_id = ?", g.id) * 2 +
            count(impl, "SELECT COUNT(*) FROM steps WHERE group_id = ?", g.id) +
            count(impl, "SELECT COUNT(*) FROM resources WHERE group_id = ?", g.id) +
            count(impl, "SELECT COUNT(*) FROM projects p WHERE p.group_id = ?1", g.id) +
            count(
                impl,
                "SELECT (SELECT COUNT(*) FROM participants WHERE project_id IN (SELECT id FROM "
                "projects WHERE group_id = ?1))"
                " + (SELECT COUNT(*) FROM indicators WHERE project_id IN (SELECT id FROM projects "
                "WHERE group_id = ?1))"
                " + (SELECT COUNT(*) FROM indicator_values WHERE indicator_id IN (SELECT i.id FROM "
                "indicators i JOIN projects p ON p.id = i.project_id WHERE p.group_id = ?1))"
                " + (SELECT COUNT(*) FROM actions WHERE project_id IN (SELECT id FROM projects "
                "WHERE group_id = ?1))"
                " + (SELECT COUNT(*) FROM comments WHERE action_id IN (SELECT a.id FROM actions a "
                "JOIN projects p ON p.id = a.project_id WHERE p.group_id = ?1))"
                " + (SELECT COUNT(*) + COUNT(DISTINCT ph.blob) FROM photos ph JOIN actions a ON "
                "a.id = ph.action_id JOIN projects p ON p.id = a.project_id WHERE p.group_id = ?1)",
                g.id);
        ProgressTicker ticker(progress, total);
        BackupWriter(impl, g, out.temp_path(), ticker).write();
        ticker.finish();
    }
    out.commit();
    impl.say(LogLevel::info, "backed up group " + group_id);
}

}  // namespace leandesk::exports
