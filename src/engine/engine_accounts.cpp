// Accounts: sign-up and activation, sessions, passwords, e-mail changes, account deletion,
// the operator's credential and powers (R12), privacy-policy versions and usage figures (R17).
//
// Password hashing is slow on purpose (Argon2id), so it runs outside the engine's lock: a sign-in
// does not stall every other caller of the same engine.
#include <algorithm>

#include "auth/token.hpp"
#include "engine/engine_impl.hpp"
#include "model/validate.hpp"

namespace leandesk {
namespace {

struct Credential {
    Id user_id;
    std::string password_hash;
    std::int64_t failed = 0;
    std::optional<Millis> window_start;
};

std::optional<Credential> find_credential(Engine::Impl& impl, const Id& user_id) {
    auto s = impl.db.prepare(
        "SELECT user_id, password_hash, failed_sign_ins, failed_window_start FROM credentials "
        "WHERE user_id = ?");
    s.bind(1, user_id);
    if (!s.step()) return std::nullopt;
    return Credential{s.text(0), s.text(1), s.int64(2), s.opt_int64(3)};
}

void require_mail(const Engine::Impl& impl) {
    if (!impl.options.mail) {
        throw Error(Errc::io, "no mail sender is configured: account mails cannot be sent");
    }
}

std::string link(const Engine::Impl& impl, const char* path, const std::string& token) {
    const auto& base = impl.options.accounts.link_base;
    return base.empty() ? token : base + path + "?token=" + token;
}

// Makes a single-use token for `purpose`, stores its hash, and returns the token (to be mailed).
std::string issue_token(Engine::Impl& impl, const Id& user_id, const char* purpose, Millis lifetime,
                        const std::optional<std::string>& new_email = std::nullopt) {
    // One live token per purpose: a new one replaces the old.
    impl.db.prepare("DELETE FROM account_tokens WHERE user_id = ? AND purpose = ?")
        .bind_all(user_id, purpose)
        .run();
    std::string token = auth::new_token(impl.options.random);
    impl.db
        .prepare(
            "INSERT INTO account_tokens (token_hash, user_id, purpose, new_email, expires_at) "
            "VALUES (?, ?, ?, ?, ?)")
        .bind_all(auth::token_hash(token), user_id, purpose, new_email, impl.now() + lifetime)
        .run();
    return token;
}

struct ConsumedToken {
    Id user_id;
    std::string purpose;
    std::optional<std::string> new_email;
};

// Looks a token up by hash, checks purpose and expiry, and deletes it (single use).
ConsumedToken consume_token(Engine::Impl& impl, const std::string& token,
                            std::initializer_list<const char*> purposes) {
    if (!auth::looks_like_token(token)) throw Error(Errc::auth_failed, "this code is not valid");
    const std::string hash = auth::token_hash(token);
    auto s = impl.db.prepare(
        "SELECT token_hash, user_id, purpose, new_email, expires_at FROM account_tokens "
        "WHERE token_hash = ?");
    s.bind(1, hash);
    if (!s.step() || !auth::same_hash(s.text(0), hash)) {
        throw Error(Errc::auth_failed, "this code is not valid or was already used");
    }
    ConsumedToken t{s.text(1), s.text(2), s.opt_text(3)};
    const Millis expires = s.int64(4);
    bool purpose_ok = false;
    for (const char* p : purposes) purpose_ok = purpose_ok || t.purpose == p;
    if (!purpose_ok) throw Error(Errc::auth_failed, "this code is not valid or was already used");
    impl.db.prepare("DELETE FROM account_tokens WHERE token_hash = ?").bind(1, hash).run();
    if (expires <= impl.now())
        throw Error(Errc::auth_failed, "this code has expired; ask for a new one");
    return t;
}

constexpr Millis kHour = 3600LL * 1000;

// At most max_mails_per_recipient_per_hour account mails go to one address in an hour, so nobody
// can flood someone else's mailbox through sign-up, resend or reset. Returns false (a mail to drop)
// when the share is used up; otherwise counts the mail about to be sent, in the caller's
// transaction (a mail that fails rolls its count back with everything else).
bool may_mail(Engine::Impl& impl, const std::string& address) {
    const std::string key = auth::token_hash(address);
    const Millis now = impl.now();
    impl.db.prepare("DELETE FROM account_mails WHERE sent_at <= ?").bind(1, now - kHour).run();
    auto s = impl.db.prepare("SELECT COUNT(*) FROM account_mails WHERE recipient = ?");
    s.bind(1, key);
    s.step();
    if (s.int64(0) >= impl.options.accounts.max_mails_per_recipient_per_hour) {
        impl.say(LogLevel::warning, "account mail dropped: its recipient had this hour's share");
        return false;
    }
    impl.db.prepare("INSERT INTO account_mails (recipient, sent_at) VALUES (?, ?)")
        .bind_all(key, now)
        .run();
    return true;
}

// The names of a sign-up are not verified yet: neither the header nor the text of the activation
// mail shows them (someone else may have typed them, to be read by the address's owner).
void send_activation(Engine::Impl& impl, const std::string& email, const std::string& token) {
    const auto& policy = impl.options.accounts;
    Mail m;
    m.to = email;
    m.subject = "Activate your " + policy.product_name + " account";
    m.text = "Hello,\n\nWelcome to " + policy.product_name +
             ". To activate your account, use this code:\n\n    " + link(impl, "activate", token) +
             "\n\nIt is valid for " + std::to_string(policy.activation_token_lifetime / 3600000) +
             " hours. If you did not sign up, ignore this mail: nothing happens without it.\n";
    impl.options.mail->send(m);
}

// A sign-up for an address that already has an account: its owner hears about it, the one who
// tried learns nothing.
void send_sign_up_attempt(Engine::Impl& impl, const User& owner) {
    const auto& policy = impl.options.accounts;
    Mail m;
    m.to = owner.email;
    m.to_name = owner.activated() ? owner.display_name() : "";
    m.subject = "Someone tried to sign up with your " + policy.product_name + " address";
    m.text = "Someone, perhaps you, tried to create a new " + policy.product_name +
             " account with this e-mail address, which already has one. Nothing was changed.\n\n"
             "If it was you, sign in with your password, or ask for a password reset if you "
             "forgot it. If it was not you, you may ignore this mail.\n";
    impl.options.mail->send(m);
}

void send_reset(Engine::Impl& impl, const User& u) {
    const auto& policy = impl.options.accounts;
    const std::string token = issue_token(impl, u.id, "reset", policy.reset_token_lifetime);
    Mail m;
    m.to = u.email;
    m.to_name = u.activated() ? u.display_name() : "";
    m.subject = "Reset your " + policy.product_name + " password";
    m.text = "To choose a new password, use this code:\n\n    " + link(impl, "reset", token) +
             "\n\nIt is valid for " + std::to_string(policy.reset_token_lifetime / 60000) +
             " minutes. If you did not ask for it, ignore this mail: your password is unchanged.\n";
    impl.options.mail->send(m);
}

void end_sessions(Engine::Impl& impl, const Id& user_id,
                  const std::optional<std::string>& keep_hash) {
    impl.db.prepare("DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2")
        .bind_all(user_id, keep_hash)
        .run();
}

Session open_session(Engine::Impl& impl, const std::optional<Id>& user_id) {
    const auto& policy = impl.options.accounts;
    Session session;
    session.token = auth::new_token(impl.options.random);
    session.user_id = user_id.value_or("");
    const Millis now = impl.now();
    session.expires_at = now + policy.session_lifetime;
    impl.db
        .prepare(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?)")
        .bind_all(auth::token_hash(session.token), user_id, now, now, session.expires_at)
        .run();
    return session;
}

std::optional<PolicyVersion> latest_policy(Engine::Impl& impl) {
    auto s = impl.db.prepare(
        "SELECT version, summary, published_at FROM policy_versions ORDER BY version DESC LIMIT 1");
    if (!s.step()) return std::nullopt;
    return PolicyVersion{s.int64(0), s.text(1), s.int64(2)};
}

void check_usage_field(const char* field, const std::string& value) {
    validate::text(field, value, 64, true);
}

}  // namespace

User Engine::sign_up(const Json& input) {
    refuse_forbidden_fields(input);
    JsonReader in(input, "sign-up");
    const std::string email = validate::email(in.string("email", limits::email));
    const std::string first = in.string("first_name", limits::name);
    const std::string last = in.string("last_name", limits::name);
    const Json* pw = in.opt_raw("password");
    in.finish();
    if (pw == nullptr || !pw->is_string())
        throw_invalid("'password' is required and must be a string");
    const std::string& password = pw->get_ref<const std::string&>();
    auth::check_new_password(password, email);
    require_mail(*impl_);
    const std::string hash = auth::hash_password(password, impl_->options.password_params);
    return impl_->write([&] {
        const Millis now = impl_->now();
        const auto existing = impl_->find_user_by_email(email);
        // What the caller gets back is the same whether the address is free, pending or taken: the
        // account as it will be once the code comes back (not activated, display name = e-mail).
        User answer;
        answer.email = email;
        answer.first_name = first;
        answer.last_name = last;
        answer.created_at = now;
        if (existing && (existing->activated() || existing->deactivated)) {
            // Taken: nothing is created; the owner hears that someone tried. The id answered is
            // fresh and names nothing.
            answer.id = impl_->new_id();
            if (may_mail(*impl_, email)) send_sign_up_attempt(*impl_, *existing);
            impl_->say(LogLevel::info, "sign-up for an address that has an account; owner told");
            return answer;
        }
        if (existing) {
            // R16: someone added by e-mail before having an account, or a sign-up still pending.
            // Their record is claimed only once the address is verified (activate_account).
            answer.id = existing->id;
            answer.created_at = existing->created_at;
        } else {
            // A new record, not activated, without names until a verified claim gives it some.
            answer.id = impl_->new_id();
            impl_->db
                .prepare(
                    "INSERT INTO users (id, email, first_name, last_name, created_at) "
                    "VALUES (?, ?, '', '', ?)")
                .bind_all(answer.id, email, now)
                .run();
            impl_->log("user", answer.id, "insert", {"email"}, Actor::user(answer.id), std::nullopt,
                       std::nullopt);
        }
        impl_->db.prepare("DELETE FROM signup_claims WHERE user_id = ? AND expires_at <= ?")
            .bind_all(answer.id, now)
            .run();
        // A claim whose code cannot be mailed could never be verified: none is kept.
        if (!may_mail(*impl_, email)) return answer;
        const std::string token = auth::new_token(impl_->options.random);
        impl_->db
            .prepare(
                "INSERT INTO signup_claims (token_hash, user_id, first_name, last_name, "
                "password_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind_all(auth::token_hash(token), answer.id, first, last, hash, now,
                      now + impl_->options.accounts.activation_token_lifetime)
            .run();
        // Sent inside the transaction: if the mail cannot go, the claim is not recorded either.
        send_activation(*impl_, email, token);
        impl_->say(LogLevel::info, "sign-up claim recorded for user " + answer.id);
        return answer;
    });
}

void Engine::resend_activation(const std::string& email) {
    const std::string address = validate::email(email);
    require_mail(*impl_);
    impl_->write([&] {
        auto u = impl_->find_user_by_email(address);
        if (!u || u->activated() || u->deactivated) return;
        std::string old_hash;
        {
            auto s = impl_->db.prepare(
                "SELECT token_hash FROM signup_claims WHERE user_id = ? "
                "ORDER BY created_at DESC, token_hash LIMIT 1");
            s.bind(1, u->id);
            if (!s.step()) return;
            old_hash = s.text(0);
        }
        if (!may_mail(*impl_, address)) return;
        const std::string token = auth::new_token(impl_->options.random);
        impl_->db
            .prepare("UPDATE signup_claims SET token_hash = ?, expires_at = ? WHERE token_hash = ?")
            .bind_all(auth::token_hash(token),
                      impl_->now() + impl_->options.accounts.activation_token_lifetime, old_hash)
            .run();
        send_activation(*impl_, address, token);
    });
}

namespace {

struct Claim {
    Id user_id;
    std::string first_name;
    std::string last_name;
    std::string password_hash;
    Millis expires_at = 0;
};

std::optional<Claim> find_claim(Engine::Impl& impl, const std::string& token) {
    if (!auth::looks_like_token(token)) return std::nullopt;
    const std::string hash = auth::token_hash(token);
    auto s = impl.db.prepare(
        "SELECT token_hash, user_id, first_name, last_name, password_hash, expires_at "
        "FROM signup_claims WHERE token_hash = ?");
    s.bind(1, hash);
    if (!s.step() || !auth::same_hash(s.text(0), hash)) return std::nullopt;
    return Claim{s.text(1), s.text(2), s.text(3), s.text(4), s.int64(5)};
}

// The verified claim becomes the account: its names, its password. Every other claim on the
// address dies with its code, and so does any session or code the record had before.
User verify_claim(Engine::Impl& impl, const Claim& claim) {
    if (claim.expires_at <= impl.now())
        throw Error(Errc::auth_failed, "this code has expired; ask for a new one");
    User u = impl.load_user(claim.user_id);
    if (u.activated() || u.deactivated)
        throw Error(Errc::auth_failed, "this code is not valid or was already used");
    u.first_name = claim.first_name;
    u.last_name = claim.last_name;
    u.activated_at = impl.now();
    auto& db = impl.db;
    db.prepare("UPDATE users SET first_name = ?, last_name = ?, activated_at = ? WHERE id = ?")
        .bind_all(u.first_name, u.last_name, u.activated_at, u.id)
        .run();
    db.prepare(
          "INSERT INTO credentials (user_id, password_hash) VALUES (?1, ?2) ON CONFLICT (user_id) "
          "DO UPDATE SET password_hash = ?2, failed_sign_ins = 0, failed_window_start = NULL")
        .bind_all(u.id, claim.password_hash)
        .run();
    db.prepare("DELETE FROM signup_claims WHERE user_id = ?").bind(1, u.id).run();
    db.prepare("DELETE FROM account_tokens WHERE user_id = ?").bind(1, u.id).run();
    db.prepare("DELETE FROM sessions WHERE user_id = ?").bind(1, u.id).run();
    impl.log("user", u.id, "update", {"first_name", "last_name", "activated_at"}, Actor::user(u.id),
             std::nullopt, std::nullopt);
    impl.say(LogLevel::info, "activated the account of user " + u.id);
    return u;
}

}  // namespace

User Engine::activate_account(const std::string& token) {
    return impl_->write([&] {
        if (const auto claim = find_claim(*impl_, token)) return verify_claim(*impl_, *claim);
        const ConsumedToken t = consume_token(*impl_, token, {"email_change"});
        User u = impl_->load_user(t.user_id);
        std::vector<std::string> fields;
        if (t.new_email) {
            if (auto other = impl_->find_user_by_email(*t.new_email); other && other->id != u.id) {
                throw Error(Errc::conflict, "this e-mail address is already in use");
            }
            u.email = *t.new_email;
            fields.emplace_back("email");
        }
        if (!u.activated()) {
            u.activated_at = impl_->now();
            fields.emplace_back("activated_at");
        }
        impl_->db.prepare("UPDATE users SET email = ?, activated_at = ? WHERE id = ?")
            .bind_all(u.email, u.activated_at, u.id)
            .run();
        if (!fields.empty()) {
            impl_->log("user", u.id, "update", fields, Actor::user(u.id), std::nullopt,
                       std::nullopt);
        }
        impl_->say(LogLevel::info, "verified the e-mail address of user " + u.id);
        return u;
    });
}

namespace {

// Throttling of failed sign-ins (docs/accounts.md, "Throttling"). Failures are counted per
// (address tried, client) and per client, for known and unknown addresses alike, so the answer
// says nothing about an account, and an attacker's guesses slow the attacker's client, never the
// owner signing in from elsewhere.
struct FailureCount {
    std::int64_t failures = 0;
    Millis first_at = 0;
    Millis last_at = 0;
};

std::optional<FailureCount> failure_count(Engine::Impl& impl, const std::string& scope,
                                          const std::string& client) {
    auto s = impl.db.prepare(
        "SELECT failures, first_at, last_at FROM sign_in_failures WHERE scope = ? AND client = ?");
    s.bind_all(scope, client);
    if (!s.step()) return std::nullopt;
    return FailureCount{s.int64(0), s.int64(1), s.int64(2)};
}

constexpr int kMaxBackoffDoublings = 6;  // the longest wait: 64 windows

// When a pair that reached the limit may try again: the window after its last failure, doubled
// for every failure beyond the limit.
Millis pair_wait_end(const FailureCount& c, const AccountPolicy& policy) {
    const auto doublings =
        std::clamp<std::int64_t>(c.failures - policy.max_failed_sign_ins, 0, kMaxBackoffDoublings);
    return c.last_at + policy.failed_sign_in_window * (Millis{1} << doublings);
}

// The pair's count as it stands at `now`: forgotten after a quiet window (below the limit: a window
// since its first failure; at the limit: a window after its wait ended).
std::optional<FailureCount> live_pair(const std::optional<FailureCount>& c, Millis now,
                                      const AccountPolicy& policy) {
    if (!c) return std::nullopt;
    if (c->failures < policy.max_failed_sign_ins) {
        if (now - c->first_at >= policy.failed_sign_in_window) return std::nullopt;
    } else if (now >= pair_wait_end(*c, policy) + policy.failed_sign_in_window) {
        return std::nullopt;
    }
    return c;
}

// How many passwords the pair may have checked right now (attempts in flight included).
std::int64_t pair_allowance(const std::optional<FailureCount>& c, Millis now,
                            const AccountPolicy& policy) {
    if (!c) return policy.max_failed_sign_ins;
    if (c->failures < policy.max_failed_sign_ins) return policy.max_failed_sign_ins - c->failures;
    return now < pair_wait_end(*c, policy) ? 0 : 1;
}

bool client_exhausted(const std::optional<FailureCount>& c, Millis now,
                      const AccountPolicy& policy) {
    return c && now - c->first_at < policy.failed_sign_in_window &&
           c->failures >= policy.max_failed_sign_ins_per_client;
}

void record_failure(Engine::Impl& impl, const std::string& scope, const std::string& client,
                    Millis now) {
    const auto& policy = impl.options.accounts;
    // Counts nobody needs any more (their longest wait and a window are over) go.
    impl.db.prepare("DELETE FROM sign_in_failures WHERE last_at < ?")
        .bind(1, now - policy.failed_sign_in_window * (Millis{2} << kMaxBackoffDoublings))
        .run();
    const auto upsert = [&](const std::string& key, const std::optional<FailureCount>& live) {
        const FailureCount next = live ? FailureCount{live->failures + 1, live->first_at, now}
                                       : FailureCount{1, now, now};
        impl.db
            .prepare(
                "INSERT INTO sign_in_failures (scope, client, failures, first_at, last_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (scope, client) DO UPDATE SET "
                "failures = ?3, first_at = ?4, last_at = ?5")
            .bind_all(key, client, next.failures, next.first_at, next.last_at)
            .run();
    };
    upsert(scope, live_pair(failure_count(impl, scope, client), now, policy));
    auto total = failure_count(impl, "*", client);
    if (total && now - total->first_at >= policy.failed_sign_in_window) total.reset();
    upsert("*", total);
}

}  // namespace

Session Engine::sign_in(const std::string& email, const std::string& password,
                        const std::string& client) {
    static const char* const kFailed =
        "wrong e-mail address or password (or the account is not activated yet)";
    const std::string address = validate::email(email);
    if (password.size() > auth::kMaxPasswordBytes) throw Error(Errc::auth_failed, kFailed);
    const auto& policy = impl_->options.accounts;
    const std::string scope = auth::token_hash(address);
    const std::string flight_key = scope + "|" + client;

    // 1. Under the lock: find the account (only an activated one has a credential) and check the
    //    throttle, counting the attempts whose password is being checked right now as
    //    failures-to-be. That is what makes the limit hold against parallel guesses. Nothing is
    //    written here, so a sign-in still changes the database in one write (step 3).
    std::optional<User> user;
    std::optional<Credential> cred;
    const Millis now = impl_->now();
    bool limited = false;
    impl_->read([&] {
        const auto pair = live_pair(failure_count(*impl_, scope, client), now, policy);
        const auto flying = impl_->sign_ins_in_flight.find(flight_key);
        const int in_flight = flying == impl_->sign_ins_in_flight.end() ? 0 : flying->second;
        if (in_flight >= pair_allowance(pair, now, policy) ||
            client_exhausted(failure_count(*impl_, "*", client), now, policy)) {
            limited = true;
            return;
        }
        ++impl_->sign_ins_in_flight[flight_key];
        user = impl_->find_user_by_email(address);
        if (user) cred = find_credential(*impl_, user->id);
    });
    if (limited) {
        impl_->say(LogLevel::warning, "sign-in throttled for a client");
        throw Error(Errc::rate_limited, "too many failed sign-ins; try again later");
    }
    // The attempt stops counting as in flight when this function returns, however it returns.
    struct InFlight {
        Engine::Impl& impl;
        const std::string& key;
        InFlight(Engine::Impl& i, const std::string& k) : impl(i), key(k) {}
        InFlight(const InFlight&) = delete;
        InFlight& operator=(const InFlight&) = delete;
        ~InFlight() {
            try {
                impl.read([&] {
                    if (--impl.sign_ins_in_flight[key] <= 0) impl.sign_ins_in_flight.erase(key);
                });
            } catch (...) {  // locking failed: the count stays one too high, which only errs safe
            }
        }
    } const in_flight{*impl_, flight_key};

    // 2. Outside the lock: the slow hash (a dummy one for an address without an account, so both
    //    take the same time).
    const bool known = user && cred;
    if (!known) auth::burn_verification_time(impl_->options.password_params);
    const bool ok = known && auth::verify_password(cred->password_hash, password);
    const bool rehash =
        ok && auth::needs_rehash(cred->password_hash, impl_->options.password_params);
    const std::string fresh_hash =
        rehash ? auth::hash_password(password, impl_->options.password_params) : "";

    // 3. Under the lock again: record the outcome. Counts are read and written in one write
    //    transaction, so attempts finishing together (or in another process) all count.
    if (!ok) {
        impl_->write([&] { record_failure(*impl_, scope, client, now); });
        impl_->say(LogLevel::info, known ? "sign-in failed for user " + user->id
                                         : std::string("sign-in failed: no such account"));
        throw Error(Errc::auth_failed, kFailed);
    }
    if (user->deactivated) {
        throw Error(Errc::permission_denied,
                    "R12: this account has been deactivated by the operator");
    }
    return impl_->write([&] {
        impl_->db.prepare("DELETE FROM sign_in_failures WHERE scope = ? AND client = ?")
            .bind_all(scope, client)
            .run();
        if (rehash) {
            impl_->db.prepare("UPDATE credentials SET password_hash = ? WHERE user_id = ?")
                .bind_all(fresh_hash, user->id)
                .run();
        }
        impl_->db.prepare("UPDATE users SET last_active_at = ? WHERE id = ?")
            .bind_all(now, user->id)
            .run();
        Session session = open_session(*impl_, user->id);
        const auto policy_now = latest_policy(*impl_);
        if (policy_now) {
            session.policy_version = policy_now->version;
            session.policy_notice_required = user->accepted_policy_version < policy_now->version;
        }
        impl_->say(LogLevel::info,
                   "signed in user " + user->id + (rehash ? " (password rehashed)" : ""));
        return session;
    });
}

Session Engine::Impl::open_local_session(const Id& user_id) {
    return open_session(*this, user_id);
}

void Engine::sign_out(const std::string& token) {
    if (!auth::looks_like_token(token)) return;
    impl_->write([&] {
        impl_->db.prepare("DELETE FROM sessions WHERE token_hash = ?")
            .bind(1, auth::token_hash(token))
            .run();
    });
}

Session Engine::describe_session(const std::string& token) {
    const Actor actor = authenticate(token);
    return impl_->read([&] {
        Session session;
        session.user_id = actor.user_id;
        auto s = impl_->db.prepare("SELECT expires_at FROM sessions WHERE token_hash = ?");
        s.bind(1, auth::token_hash(token));
        if (s.step()) session.expires_at = s.int64(0);
        if (const auto policy = latest_policy(*impl_); policy && !actor.is_operator) {
            session.policy_version = policy->version;
            session.policy_notice_required =
                impl_->load_user(actor.user_id).accepted_policy_version < policy->version;
        }
        return session;
    });
}

Actor Engine::authenticate(const std::string& token) {
    if (!auth::looks_like_token(token)) throw Error(Errc::not_signed_in, "not signed in");
    const std::string hash = auth::token_hash(token);
    struct Found {
        std::optional<Id> user_id;
        Millis last_seen = 0;
        Millis expires = 0;
    };
    // Read first: most calls only need to look. A write happens only to end an expired session or
    // to record activity (at a one-minute grain), so reads do not take the write lock.
    const auto found = impl_->read([&]() -> std::optional<Found> {
        auto s = impl_->db.prepare(
            "SELECT token_hash, user_id, last_seen_at, expires_at FROM sessions WHERE token_hash = "
            "?");
        s.bind(1, hash);
        if (!s.step() || !auth::same_hash(s.text(0), hash)) return std::nullopt;
        return Found{s.opt_text(1), s.int64(2), s.int64(3)};
    });
    // Ended sessions are deleted: an unknown well-formed token is an ended session.
    if (!found) throw Error(Errc::session_expired, "this session has ended; sign in again");
    const Millis now = impl_->now();
    const auto& policy = impl_->options.accounts;
    if (now >= found->expires || now - found->last_seen >= policy.session_idle_timeout) {
        impl_->write([&] {
            impl_->db.prepare("DELETE FROM sessions WHERE token_hash = ?").bind(1, hash).run();
        });
        throw Error(Errc::session_expired, "this session has expired; sign in again");
    }
    if (now - found->last_seen >= 60000) {
        impl_->write([&] {
            impl_->db.prepare("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
                .bind_all(now, hash)
                .run();
            if (found->user_id) {
                impl_->db.prepare("UPDATE users SET last_active_at = ? WHERE id = ?")
                    .bind_all(now, *found->user_id)
                    .run();
            }
        });
    }
    return found->user_id ? Actor::user(*found->user_id) : Actor::operator_();
}

void Engine::change_password(const std::string& session_token, const std::string& current,
                             const std::string& replacement) {
    const Actor actor = authenticate(session_token);
    if (actor.is_operator)
        throw_invalid("the operator changes its secret with set_operator_secret");
    std::optional<Credential> cred;
    std::string email;
    impl_->read([&] {
        cred = find_credential(*impl_, actor.user_id);
        email = impl_->load_user(actor.user_id).email;
    });
    if (!cred || !auth::verify_password(cred->password_hash, current)) {
        throw Error(Errc::auth_failed, "the current password is wrong");
    }
    auth::check_new_password(replacement, email);
    const std::string hash = auth::hash_password(replacement, impl_->options.password_params);
    impl_->write([&] {
        impl_->db.prepare("UPDATE credentials SET password_hash = ? WHERE user_id = ?")
            .bind_all(hash, actor.user_id)
            .run();
        end_sessions(*impl_, actor.user_id, auth::token_hash(session_token));
        impl_->say(LogLevel::info, "changed the password of user " + actor.user_id);
    });
}

void Engine::request_password_reset(const std::string& email) {
    const std::string address = validate::email(email);
    require_mail(*impl_);
    // The answer is the same for every address: a mail that cannot be sent is logged, not
    // reported (reporting it would tell that the address has an account).
    try {
        impl_->write([&] {
            auto u = impl_->find_user_by_email(address);
            if (!u || !find_credential(*impl_, u->id) || u->deactivated) return;
            if (!may_mail(*impl_, address)) return;
            send_reset(*impl_, *u);
        });
    } catch (const Error& e) {
        if (e.code() != Errc::io && e.code() != Errc::network) throw;
        impl_->say(LogLevel::error, std::string("password-reset mail not sent: ") + e.what());
    }
}

void Engine::reset_password(const std::string& token, const std::string& replacement) {
    if (replacement.size() > auth::kMaxPasswordBytes) auth::check_new_password(replacement, "");
    // Check the token first (cheaply, without consuming it) so a bad code costs no hashing.
    std::optional<User> user;
    impl_->read([&] {
        if (!auth::looks_like_token(token)) return;
        auto s = impl_->db.prepare(
            "SELECT user_id FROM account_tokens WHERE token_hash = ? AND purpose = 'reset'");
        s.bind(1, auth::token_hash(token));
        if (s.step()) user = impl_->load_user(s.text(0));
    });
    if (!user) throw Error(Errc::auth_failed, "this code is not valid or was already used");
    auth::check_new_password(replacement, user->email);
    const std::string hash = auth::hash_password(replacement, impl_->options.password_params);
    impl_->write([&] {
        const ConsumedToken t = consume_token(*impl_, token, {"reset"});
        impl_->db
            .prepare(
                "UPDATE credentials SET password_hash = ?, failed_sign_ins = 0, "
                "failed_window_start = NULL WHERE user_id = ?")
            .bind_all(hash, t.user_id)
            .run();
        end_sessions(*impl_, t.user_id, std::nullopt);
        impl_->say(LogLevel::info, "reset the password of user " + t.user_id);
    });
}

void Engine::request_email_change(const Actor& actor, const std::string& new_email) {
    const std::string address = validate::email(new_email);
    require_mail(*impl_);
    impl_->write([&] {
        rules::enforce(rules::edit_profile(actor, actor.user_id));
        impl_->require_account(actor);
        const User u = impl_->load_user(actor.user_id);
        if (address == u.email) throw_invalid("this is already your e-mail address");
        if (impl_->find_user_by_email(address)) {
            throw Error(Errc::conflict, "this e-mail address is already in use");
        }
        const std::string token =
            issue_token(*impl_, u.id, "email_change",
                        impl_->options.accounts.activation_token_lifetime, address);
        Mail m;
        m.to = address;
        m.to_name = u.display_name();
        m.subject = "Confirm your new " + impl_->options.accounts.product_name + " e-mail address";
        m.text = "To confirm this address for your account, use this code:\n\n    " +
                 link(*impl_, "confirm-email", token) +
                 "\n\nUntil then, your account keeps its current address.\n";
        impl_->options.mail->send(m);
    });
}

void Engine::delete_account(const Actor& actor, const std::string& password) {
    if (actor.is_operator) throw_invalid("the operator has no account to delete");
    std::optional<Credential> cred;
    impl_->read([&] { cred = find_credential(*impl_, actor.user_id); });
    if (!cred || !auth::verify_password(cred->password_hash, password)) {
        throw Error(Errc::auth_failed, "the password is wrong");
    }
    impl_->write([&] {
        const User u = impl_->load_user(actor.user_id);
        auto& db = impl_->db;
        {
            auto s = db.prepare("SELECT COUNT(*) FROM groups WHERE manager_id = ?");
            s.bind(1, u.id);
            s.step();
            if (s.int64(0) > 0) {
                throw_denied("R3",
                             "hand over the manager role of your groups (or delete them) "
                             "before deleting your account");
            }
        }
        std::vector<Id> groups;
        {
            auto s = db.prepare("SELECT group_id FROM members WHERE user_id = ?");
            s.bind(1, u.id);
            while (s.step()) groups.push_back(s.text(0));
        }
        for (const Id& gid : groups) detach_member(*impl_, actor, impl_->load_group(gid), u.id);
        // Whatever still points at the user (created_by, comment authors) loses the link via
        // ON DELETE SET NULL; credentials, sessions and tokens go with the row.
        db.prepare("DELETE FROM users WHERE id = ?").bind(1, u.id).run();
        if (u.avatar) impl_->drop_unreferenced_blobs({*u.avatar});
        impl_->log("user", u.id, "delete", {}, actor, std::nullopt, std::nullopt);
        impl_->say(LogLevel::info, "deleted the account of user " + u.id);
    });
}

User Engine::acknowledge_policy(const Actor& actor, std::int64_t version) {
    return impl_->write([&] {
        rules::enforce(rules::edit_profile(actor, actor.user_id));
        const auto latest = latest_policy(*impl_);
        if (!latest || version < 1 || version > latest->version) {
            throw_invalid("no privacy-policy version " + std::to_string(version) +
                          " was published");
        }
        User u = impl_->load_user(actor.user_id);
        if (version <= u.accepted_policy_version) return u;
        u.accepted_policy_version = version;
        impl_->db.prepare("UPDATE users SET accepted_policy_version = ? WHERE id = ?")
            .bind_all(version, u.id)
            .run();
        impl_->log("user", u.id, "update", {"accepted_policy_version"}, actor, std::nullopt,
                   std::nullopt);
        return u;
    });
}

// ---- the operator -----------------------------------------------------------------------------

void Engine::set_operator_secret(const std::string& current, const std::string& replacement) {
    std::optional<std::string> existing;
    impl_->read([&] {
        auto s = impl_->db.prepare("SELECT secret_hash FROM operator_credential WHERE id = 1");
        if (s.step()) existing = s.text(0);
    });
    if (existing && !auth::verify_password(*existing, current)) {
        throw Error(Errc::auth_failed, "the current operator secret is wrong");
    }
    if (replacement.size() < 16)
        throw_invalid("the operator secret must have at least 16 characters");
    auth::check_new_password(replacement, "");
    const std::string hash = auth::hash_password(replacement, impl_->options.password_params);
    impl_->write([&] {
        impl_->db
            .prepare(
                "INSERT INTO operator_credential (id, secret_hash) VALUES (1, ?1) "
                "ON CONFLICT (id) DO UPDATE SET secret_hash = ?1")
            .bind(1, hash)
            .run();
        // A new secret ends every operator session.
        impl_->db.prepare("DELETE FROM sessions WHERE user_id IS NULL").run();
        impl_->say(LogLevel::info, "operator secret set");
    });
}

Session Engine::operator_sign_in(const std::string& secret) {
    std::optional<std::string> existing;
    impl_->read([&] {
        auto s = impl_->db.prepare("SELECT secret_hash FROM operator_credential WHERE id = 1");
        if (s.step()) existing = s.text(0);
    });
    if (!existing || !auth::verify_password(*existing, secret)) {
        if (!existing) auth::burn_verification_time(impl_->options.password_params);
        impl_->say(LogLevel::warning, "operator sign-in failed");
        throw Error(Errc::auth_failed, "wrong operator secret");
    }
    return impl_->write([&] {
        impl_->say(LogLevel::info, "operator signed in");
        return open_session(*impl_, std::nullopt);
    });
}

void Engine::operator_reset_password(const Actor& actor, const Id& user_id) {
    require_mail(*impl_);
    impl_->write([&] {
        rules::enforce(rules::operator_power(actor, "reset a user's password"));
        const User u = impl_->load_user(user_id);
        if (!find_credential(*impl_, u.id))
            throw_invalid("this user has no account (never signed up)");
        end_sessions(*impl_, u.id, std::nullopt);
        send_reset(*impl_, u);
        impl_->say(LogLevel::info, "operator reset the password of user " + u.id);
    });
}

PolicyVersion Engine::publish_policy(const Actor& actor, const std::string& summary) {
    return impl_->write([&] {
        rules::enforce(rules::operator_power(actor, "publish a privacy-policy version"));
        validate::text("summary", summary, limits::long_text, false, true);
        const auto latest = latest_policy(*impl_);
        PolicyVersion v{latest ? latest->version + 1 : 1, summary, impl_->now()};
        impl_->db
            .prepare(
                "INSERT INTO policy_versions (version, summary, published_at) VALUES (?, ?, ?)")
            .bind_all(v.version, v.summary, v.published_at)
            .run();
        return v;
    });
}

std::optional<PolicyVersion> Engine::current_policy() {
    return impl_->read([&] { return latest_policy(*impl_); });
}

std::vector<User> Engine::recently_active_users(const Actor& actor) {
    return impl_->read([&] {
        rules::enforce(rules::operator_power(actor, "list recently active users"));
        std::vector<User> out;
        auto s = impl_->db.prepare(std::string("SELECT ") + kUserColumns +
                                   " FROM users WHERE last_active_at >= ? ORDER BY email");
        s.bind(1, impl_->now() - impl_->options.accounts.active_user_window);
        while (s.step()) out.push_back(read_user(s));
        return out;
    });
}

std::vector<User> Engine::newsletter_recipients(const Actor& actor) {
    return impl_->read([&] {
        rules::enforce(rules::operator_power(actor, "list newsletter recipients"));
        std::vector<User> out;
        auto s = impl_->db.prepare(std::string("SELECT ") + kUserColumns +
                                   " FROM users WHERE newsletter_opt_in = 1 AND deactivated = 0 "
                                   "AND activated_at IS NOT NULL ORDER BY email");
        while (s.step()) out.push_back(read_user(s));
        return out;
    });
}

// ---- usage figures ----------------------------------------------------------------------------

void Engine::record_usage(const UsageEvent& e) {
    check_usage_field("event", e.event);
    check_usage_field("platform", e.platform);
    check_usage_field("os_version", e.os_version);
    check_usage_field("app_version", e.app_version);
    check_usage_field("device_class", e.device_class);
    if (e.event.empty()) throw_invalid("'event' must not be empty");
    impl_->write([&] {
        if (!usage_enabled()) return;
        impl_->db
            .prepare(
                "INSERT INTO usage_counts (event, platform, os_version, app_version, device_class, "
                "count) VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT DO UPDATE SET count = count + 1")
            .bind_all(e.event, e.platform, e.os_version, e.app_version, e.device_class)
            .run();
    });
}

void Engine::set_usage_enabled(bool enabled) {
    impl_->write([&] {
        impl_->db
            .prepare(
                "INSERT INTO meta (key, value) VALUES ('usage_enabled', ?1) "
                "ON CONFLICT (key) DO UPDATE SET value = ?1")
            .bind(1, enabled ? "1" : "0")
            .run();
    });
}

bool Engine::usage_enabled() {
    return impl_->read([&] {
        auto s = impl_->db.prepare("SELECT value FROM meta WHERE key = 'usage_enabled'");
        return !s.step() || s.text(0) == "1";
    });
}

std::vector<UsageCount> Engine::usage_report(const Actor& actor) {
    return impl_->read([&] {
        rules::enforce(rules::operator_power(actor, "read the usage figures"));
        std::vector<UsageCount> out;
        auto s = impl_->db.prepare(
            "SELECT event, platform, os_version, app_version, device_class, count FROM "
            "usage_counts "
            "ORDER BY event, platform, os_version, app_version, device_class");
        while (s.step()) {
            out.push_back(
                UsageCount{{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4)}, s.int64(5)});
        }
        return out;
    });
}

}  // namespace leandesk
