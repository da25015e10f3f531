// Photos and the content-addressed blob store (photos, avatars).
#include <sodium.h>

#include <array>
#include <cstring>

#include "engine/engine_impl.hpp"
#include "model/validate.hpp"

namespace leandesk {
namespace {

bool starts_with(const std::vector<unsigned char>& b, std::size_t at, const char* magic) {
    const std::size_t n = std::strlen(magic);
    return b.size() >= at + n && std::memcmp(b.data() + at, magic, n) == 0;
}

// The type is read from the bytes, never from a name or a caller's claim.
std::optional<std::string> sniff_image(const std::vector<unsigned char>& b) {
    static constexpr unsigned char kJpeg[] = {0xFF, 0xD8, 0xFF};
    static constexpr unsigned char kPng[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (b.size() >= sizeof kJpeg && std::memcmp(b.data(), kJpeg, sizeof kJpeg) == 0) {
        return "image/jpeg";
    }
    if (b.size() >= sizeof kPng && std::memcmp(b.data(), kPng, sizeof kPng) == 0)
        return "image/png";
    if (starts_with(b, 0, "RIFF") && starts_with(b, 8, "WEBP")) return "image/webp";
    if (starts_with(b, 4, "ftyp")) {
        static constexpr const char* kHeifBrands[] = {"heic", "heix", "hevc", "hevx",
                                                      "heim", "heis", "mif1", "msf1"};
        for (const char* brand : kHeifBrands) {
            if (starts_with(b, 8, brand)) return "image/heic";
        }
    }
    return std::nullopt;
}

std::string sha256_hex(const std::vector<unsigned char>& bytes) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), bytes.data(), bytes.size());
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return hex.data();
}

}  // namespace

std::pair<std::string, std::string> Engine::Impl::put_blob(
    const std::vector<unsigned char>& bytes) {
    if (bytes.size() > options.max_blob_bytes) {
        throw_invalid("the image is too large (" + std::to_string(bytes.size()) +
                      " bytes; at most " + std::to_string(options.max_blob_bytes) + ")");
    }
    const auto mime = sniff_image(bytes);
    if (!mime) throw_invalid("the file is not a JPEG, PNG, WebP or HEIC image");
    std::string hash = sha256_hex(bytes);
    auto s = db.prepare(
        "INSERT OR IGNORE INTO blobs (hash, mime, size, data, created_at) VALUES (?, ?, ?, ?, ?)");
    s.bind(1, hash).bind(2, *mime).bind(3, static_cast<std::int64_t>(bytes.size())).bind(5, now());
    if (sqlite3_bind_blob64(s.raw(), 4, bytes.data(), bytes.size(), SQLITE_TRANSIENT) !=
        SQLITE_OK) {
        db.fail(SQLITE_NOMEM, "bind blob");
    }
    s.run();
    return {hash, *mime};
}

void Engine::Impl::drop_unreferenced_blobs(const std::vector<std::string>& hashes) {
    for (const auto& h : hashes) {
        db.prepare(
              "DELETE FROM blobs WHERE hash = ?1 AND NOT EXISTS (SELECT 1 FROM photos WHERE "
              "blob = ?1) AND NOT EXISTS (SELECT 1 FROM users WHERE avatar = ?1)")
            .bind(1, h)
            .run();
    }
}

Photo Engine::add_photo(const Actor& actor, const Id& action_id,
                        const std::vector<unsigned char>& image, const Json& input) {
    return impl_->write_plan([&] {
        const Action a = impl_->load_action(action_id);
        const Project p = impl_->editable_project(actor, a.project_id);
        const Json fields =
            input.is_null() ? Json::object() : input;  // the reader keeps a reference
        JsonReader in(fields, "photo");
        Photo ph;
        ph.id = in.opt_id("id").value_or("");
        ph.caption = in.opt_string("caption", limits::short_text, true).value_or("");
        ph.taken_at = in.nullable_int("taken_at", 0, 253402300799999);  // up to 9999-12-31
        in.finish();
        auto [hash, mime] = impl_->put_blob(image);
        if (ph.id.empty()) ph.id = impl_->new_id();
        ph.action_id = a.id;
        ph.blob = hash;
        ph.mime = mime;
        ph.size = static_cast<std::int64_t>(image.size());
        ph.added_by = actor.user_id;
        ph.created_at = impl_->now();
        impl_->db
            .prepare(
                "INSERT INTO photos (id, action_id, blob, mime, size, caption, taken_at, added_by, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind_all(ph.id, ph.action_id, ph.blob, ph.mime, ph.size, ph.caption, ph.taken_at,
                      ph.added_by, ph.created_at)
            .run();
        impl_->log("photo", ph.id, "insert", {"blob", "mime", "size", "caption", "taken_at"}, actor,
                   p.group_id, p.id);
        if (impl_->replica) {
            // The bytes travel separately, by hash (docs/protocol.md, blobs).
            impl_->record_command(
                "add_photo", actor,
                Json{{"action_id", a.id}, {"input", with_id(fields, ph.id)}, {"blob", ph.blob}},
                ph.blob);
        }
        return ph;
    });
}

void Engine::remove_photo(const Actor& actor, const Id& photo_id) {
    impl_->write_plan([&] {
        const Photo ph = impl_->load_photo(photo_id);
        const Action a = impl_->load_action(ph.action_id);
        const Project p = impl_->editable_project(actor, a.project_id);
        impl_->db.prepare("DELETE FROM photos WHERE id = ?").bind(1, ph.id).run();
        impl_->drop_unreferenced_blobs({ph.blob});
        impl_->log("photo", ph.id, "delete", {}, actor, p.group_id, p.id);
        impl_->record("remove_photo", actor, [&] { return Json{{"photo_id", ph.id}}; });
    });
}

std::vector<unsigned char> Engine::read_blob(const Actor& actor, const std::string& hash) {
    return impl_->read([&] {
        if (hash.size() != 64 || hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
            throw_invalid("'hash' must be 64 lower-case hex digits");
        }
        bool visible = false;
        if (actor.is_operator) {
            // R12/R13: the operator administers accounts (avatars belong to the user records it
            // sees) and never reads group data, photos included.
            auto s = impl_->db.prepare("SELECT EXISTS (SELECT 1 FROM users WHERE avatar = ?)");
            s.bind(1, hash);
            s.step();
            visible = s.int64(0) != 0;
        } else {
            // A photo of a project the actor may read (participant, or manager of its group:
            // R7/R8), or the avatar of someone who shares a group with the actor, or their own
            // (R13).
            auto s = impl_->db.prepare(
                "SELECT EXISTS (SELECT 1 FROM photos ph JOIN actions a ON a.id = ph.action_id "
                "JOIN projects p ON p.id = a.project_id JOIN groups g ON g.id = p.group_id "
                "WHERE ph.blob = ?1 AND (g.manager_id = ?2 OR EXISTS (SELECT 1 FROM participants "
                "pa "
                "WHERE pa.project_id = p.id AND pa.user_id = ?2))) "
                "OR EXISTS (SELECT 1 FROM users u WHERE u.avatar = ?1 AND (u.id = ?2 OR EXISTS ("
                "SELECT 1 FROM members m1 JOIN members m2 ON m1.group_id = m2.group_id "
                "WHERE m1.user_id = u.id AND m2.user_id = ?2)))");
            s.bind_all(hash, actor.user_id);
            s.step();
            visible = s.int64(0) != 0;
        }
        // Not found either way: knowing a hash proves nothing and reveals nothing.
        if (!visible) throw_not_found("blob", hash);
        auto s = impl_->db.prepare("SELECT data FROM blobs WHERE hash = ?");
        s.bind(1, hash);
        if (!s.step()) throw_not_found("blob", hash);
        const auto* data = static_cast<const unsigned char*>(sqlite3_column_blob(s.raw(), 0));
        const auto size = static_cast<std::size_t>(sqlite3_column_bytes(s.raw(), 0));
        return std::vector<unsigned char>(data, data + size);
    });
}

}  // namespace leandesk
