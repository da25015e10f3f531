// The progress bar of long work (export, backup, restore, sync), drawn on stderr only when stderr
// is a terminal: scripts and pipes get clean output, people get to see that something happens.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "cli.hpp"

namespace cli {
namespace {

constexpr int kBarWidth = 30;

/// Redraws at most every 100 ms, and once at 100 %.
class Bar {
  public:
    explicit Bar(std::string label) : label_(std::move(label)) {}
    Bar(const Bar&) = delete;
    Bar& operator=(const Bar&) = delete;
    ~Bar() {
        if (drawn_) std::fputc('\n', stderr);
    }

    void update(std::int64_t done, std::int64_t total) {
        const auto now = std::chrono::steady_clock::now();
        const bool finished = total > 0 && done >= total;
        if (drawn_ && !finished && now - last_ < std::chrono::milliseconds(100)) return;
        last_ = now;
        drawn_ = true;
        if (total > 0) {
            const double share = static_cast<double>(done) / static_cast<double>(total);
            const int filled = static_cast<int>(share * kBarWidth + 0.5);
            std::fprintf(stderr, "\r%s [%-*.*s] %3d%% (%lld/%lld)", label_.c_str(), kBarWidth,
                         filled, "##############################", static_cast<int>(share * 100),
                         static_cast<long long>(done), static_cast<long long>(total));
        } else {  // the total is not known in advance (sync): a running count
            std::fprintf(stderr, "\r%s ... %lld", label_.c_str(), static_cast<long long>(done));
        }
        std::fflush(stderr);
    }

  private:
    std::string label_;
    std::chrono::steady_clock::time_point last_{};
    bool drawn_ = false;
};

}  // namespace

ld::Progress progress_bar(const Context& ctx, const std::string& label) {
    if (ctx.json() || ::isatty(STDERR_FILENO) == 0) return {};
    auto bar = std::make_shared<Bar>(label);
    return [bar](std::int64_t done, std::int64_t total) {
        bar->update(done, total);
        return true;
    };
}

}  // namespace cli
