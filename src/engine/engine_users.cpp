// People: user records, profiles (R11), the operator's powers (R12), avatars (R13).
#include "engine/engine_impl.hpp"
#include "model/validate.hpp"

namespace leandesk {
void refuse_forbidden_fields(const Json& input) {
    if (!input.is_object()) return;
    for (const auto& [key, _] : input.items()) {
        if (rules::is_forbidden_personal_field(key)) {
            throw Error(Errc::invalid_argument,
                        "R17: '" + key +
                            "' is not collected: LeanDesk never stores payment means "
                            "or postal addresses");
        }
    }
}

namespace {

const char* const kUserFieldsSql =
    "INSERT INTO users (id, email, first_name, last_name, activated_at, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";

}  // namespace

User Engine::create_user(const Json& input) {
    refuse_forbidden_fields(input);
    return impl_->write([&] {
        JsonReader in(input, "user");
        User u;
        u.id = in.opt_id("id").value_or("");
        u.email = validate::email(in.string("email", limits::email));
        u.first_name = in.opt_string("first_name", limits::name, true).value_or("");
        u.last_name = in.opt_string("last_name", limits::name, true).value_or("");
        const bool activated = in.opt_bool("activated").value_or(false);
        in.finish();
        if (u.id.empty()) u.id = impl_->new_id();
        if (impl_->find_user_by_email(u.email)) {
            throw Error(Errc::conflict, "a user with this e-mail address already exists");
        }
        u.created_at = impl_->now();
        if (activated) u.activated_at = u.created_at;
        impl_->db.prepare(kUserFieldsSql)
            .bind_all(u.id, u.email, u.first_name, u.last_name, u.activated_at, u.created_at)
            .run();
        impl_->log("user", u.id, "insert", {"email", "first_name", "last_name", "activated_at"},
                   Actor::user(u.id), std::nullopt, std::nullopt);
        return u;
    });
}

User Engine::activate_user(const Id& user_id) {
    return impl_->write([&] {
        User u = impl_->load_user(user_id);
        if (u.activated()) return u;
        u.activated_at = impl_->now();
        impl_->db.prepare("UPDATE users SET activated_at = ? WHERE id = ?")
            .bind_all(u.activated_at, u.id)
            .run();
        impl_->log("user", u.id, "update", {"activated_at"}, Actor::user(u.id), std::nullopt,
                   std::nullopt);
        return u;
    });
}

User Engine::get_user(const Actor& actor, const Id& user_id) {
    return impl_->read([&] {
        if (!actor.is_operator && actor.user_id != user_id) {
            rules::enforce(rules::edit_profile(actor, user_id));
        }
        return impl_->load_user(user_id);
    });
}

User Engine::update_profile(const Actor& actor, const Id& user_id, const Json& patch) {
    refuse_forbidden_fields(patch);
    return impl_->write([&] {
        rules::enforce(rules::edit_profile(actor, user_id));
        impl_->require_account(actor);
        User u = impl_->load_user(user_id);
        if (patch.is_object() && patch.contains("status")) {
            throw_denied("R11",
                         "a user cannot change their own status; only the operator can (R12)");
        }
        JsonReader in(patch, "profile");
        std::vector<std::string> fields;
        if (auto v = in.opt_string("first_name", limits::name, true)) {
            u.first_name = *v, fields.emplace_back("first_name");
        }
        if (auto v = in.opt_string("last_name", limits::name, true)) {
            u.last_name = *v, fields.emplace_back("last_name");
        }
        if (in.has("email")) {
            throw_invalid(
                "the e-mail address changes through request_email_change, which verifies "
                "the new address first (R11)");
        }
        if (auto v = in.opt_bool("newsletter_opt_in")) {
            u.newsletter_opt_in = *v, fields.emplace_back("newsletter_opt_in");
        }
        if (auto v = in.opt_bool("show_open_actions_on_dashboard")) {
            u.show_open_actions_on_dashboard = *v,
            fields.emplace_back("show_open_actions_on_dashboard");
        }
        in.finish();
        if (fields.empty()) return u;
        impl_->db
            .prepare(
                "UPDATE users SET first_name = ?, last_name = ?, newsletter_opt_in = ?, "
                "show_open_actions_on_dashboard = ? WHERE id = ?")
            .bind_all(u.first_name, u.last_name, u.newsletter_opt_in,
                      u.show_open_actions_on_dashboard, u.id)
            .run();
        impl_->log("user", u.id, "update", fields, actor, std::nullopt, std::nullopt);
        impl_->record("update_profile", actor, [&] {
            return Json{{"user_id", u.id}, {"patch", patch}};
        });
        return u;
    });
}

User Engine::set_user_status(const Actor& actor, const Id& user_id, UserStatus status) {
    return impl_->write([&] {
        if (!actor.is_operator) {
            throw_denied("R11", "nobody but the operator may change a user's status (R12)");
        }
        User u = impl_->load_user(user_id);
        u.status = status;
        impl_->db.prepare("UPDATE users SET status = ? WHERE id = ?")
            .bind_all(to_string(status), u.id)
            .run();
        impl_->log("user", u.id, "update", {"status"}, actor, std::nullopt, std::nullopt);
        return u;
    });
}

User Engine::set_user_deactivated(const Actor& actor, const Id& user_id, bool deactivated) {
    return impl_->write([&] {
        rules::enforce(rules::operator_power(
            actor, deactivated ? "deactivate an account" : "reactivate an account"));
        User u = impl_->load_user(user_id);
        u.deactivated = deactivated;
        impl_->db.prepare("UPDATE users SET deactivated = ? WHERE id = ?")
            .bind_all(deactivated, u.id)
            .run();
        // R12: deactivating ends every session of the user at once.
        if (deactivated)
            impl_->db.prepare("DELETE FROM sessions WHERE user_id = ?").bind(1, u.id).run();
        impl_->say(LogLevel::info,
                   std::string(deactivated ? "deactivated" : "reactivated") + " user " + u.id);
        impl_->log("user", u.id, "update", {"deactivated"}, actor, std::nullopt, std::nullopt);
        return u;
    });
}

User Engine::change_login_email(const Actor& actor, const Id& user_id, const std::string& email) {
    return impl_->write([&] {
        rules::enforce(rules::operator_power(actor, "change a login e-mail"));
        const std::string normalized = validate::email(email);
        User u = impl_->load_user(user_id);
        auto other = impl_->find_user_by_email(normalized);
        if (other && other->id != u.id) {
            throw Error(Errc::conflict, "this e-mail address is already in use");
        }
        u.email = normalized;
        impl_->db.prepare("UPDATE users SET email = ? WHERE id = ?").bind_all(u.email, u.id).run();
        impl_->log("user", u.id, "update", {"email"}, actor, std::nullopt, std::nullopt);
        return u;
    });
}

User Engine::set_avatar(const Actor& actor, const std::vector<unsigned char>& image) {
    return impl_->write([&] {
        impl_->require_user(actor);
        User u = impl_->load_user(actor.user_id);
        const auto old = u.avatar;
        if (image.empty()) {
            u.avatar.reset();
        } else {
            u.avatar = impl_->put_blob(image).first;
        }
        impl_->db.prepare("UPDATE users SET avatar = ? WHERE id = ?")
            .bind_all(u.avatar, u.id)
            .run();
        if (old && old != u.avatar) impl_->drop_unreferenced_blobs({*old});
        impl_->log("user", u.id, "update", {"avatar"}, actor, std::nullopt, std::nullopt);
        if (impl_->replica) {
            impl_->record_command("set_avatar", actor,
                                  Json{{"blob", u.avatar ? Json(*u.avatar) : Json(nullptr)}},
                                  u.avatar);
        }
        return u;
    });
}

}  // namespace leandesk
