#include "sync_harness.hpp"

#include <unistd.h>

#include <atomic>
#include <sstream>

#include "engine/engine_impl.hpp"

namespace leandesk::synctest {
namespace {

std::string code_in(const Mail& m) {
    std::istringstream in(m.text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("    ", 0) == 0) return line.substr(4);
    }
    return {};
}

EngineOptions options(const std::string& path, const std::shared_ptr<Millis>& now,
                      std::uint64_t seed) {
    EngineOptions o(path);
    o.clock = manual_clock(now);
    o.random = seeded_random(seed);
    o.password_params = auth::PasswordParams::fastest_for_tests();
    return o;
}

}  // namespace

void SyncWorld::SetUp() {
    static std::atomic<int> counter{0};
    dir = std::filesystem::temp_directory_path() /
          ("leandesk-sync-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    EngineOptions o = options((dir / "server.db").string(), now, 1);
    o.mail = mail;
    server = std::make_unique<Engine>(std::move(o));
    authority = std::make_unique<sync::Authority>(*server);
    transport = std::make_shared<sync::InProcessTransport>(*server, *authority);
}

void SyncWorld::TearDown() {
    transport.reset();
    authority.reset();
    server.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

Id SyncWorld::account(const std::string& email, const std::string& first, const std::string& last) {
    const User u = server->sign_up(
        {{"email", email}, {"first_name", first}, {"last_name", last}, {"password", kPassword}});
    server->activate_account(code_in(mail->sent().back()));
    return u.id;
}

std::unique_ptr<Device> SyncWorld::device(const std::string& email, std::uint64_t seed) {
    auto d = std::make_unique<Device>();
    d->path = (dir / (email + ".db")).string();
    d->engine = std::make_unique<Engine>(options(d->path, now, seed));
    sync::Replica::attach(*d->engine, {"https://sync.example.test", "", ""});
    d->replica = std::make_unique<sync::Replica>(*d->engine, transport);
    Device* raw = d.get();
    d->replica->on_rejected = [raw](const sync::Rejection& r) { raw->rejections.push_back(r); };
    const Session s = d->replica->sign_in(email, kPassword);
    d->me = Actor::user(s.user_id);
    return d;
}

void SyncWorld::reopen(Device& d, std::uint64_t seed) {
    d.replica.reset();
    d.engine.reset();
    d.engine = std::make_unique<Engine>(options(d.path, now, seed));
    d.replica = std::make_unique<sync::Replica>(*d.engine, transport);
    Device* raw = &d;
    d.replica->on_rejected = [raw](const sync::Rejection& r) { raw->rejections.push_back(r); };
}

std::int64_t SyncWorld::count(Engine& e, const std::string& sql) {
    auto& impl = e.internals();
    return impl.read([&] {
        auto s = impl.db.prepare(sql);
        s.step();
        return s.int64(0);
    });
}

}  // namespace leandesk::synctest
