// How long one sign-in takes with the default Argon2id parameters (issue 3 asks for 50 ms – 1 s on
// this machine): the hash verification dominates, by design. Prints one line per sign-in and the
// median. Usage: leandesk_signin_bench [COUNT]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "engine/engine.hpp"

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
    const auto path = std::filesystem::temp_directory_path() / "leandesk-signin-bench.db";
    std::filesystem::remove(path);
    leandesk::EngineOptions options(path.string());
    auto mail = std::make_shared<leandesk::RecordingMailSender>();
    options.mail = mail;
    leandesk::Engine engine(options);  // default password parameters: t = 2, m = 64 MiB
    engine.sign_up({{"email", "bench@example.com"},
                    {"first_name", "Bench"},
                    {"last_name", "Mark"},
                    {"password", "a long enough password"}});
    // A sign-up is a claim until the mailed code comes back (docs/accounts.md): activate it. The
    // code is the mail's indented line.
    const std::string& text = mail->sent().back().text;
    const auto at = text.find("\n    ");
    engine.activate_account(text.substr(at + 5, text.find('\n', at + 5) - (at + 5)));
    std::vector<double> ms;
    for (int i = 0; i < count; ++i) {
        const auto start = std::chrono::steady_clock::now();
        engine.sign_in("bench@example.com", "a long enough password");
        const std::chrono::duration<double, std::milli> took =
            std::chrono::steady_clock::now() - start;
        ms.push_back(took.count());
        std::printf("sign-in %d: %.1f ms\n", i + 1, took.count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("median sign-in: %.1f ms over %d (Argon2id t=%llu, m=%zu MiB)\n", ms[ms.size() / 2],
                count, options.password_params.opslimit, options.password_params.memlimit >> 20U);
    std::filesystem::remove(path);
    std::filesystem::remove(path.string() + "-wal");
    std::filesystem::remove(path.string() + "-shm");
    return 0;
}
