#include "export/progress.hpp"

#include <algorithm>

#include "common/error.hpp"

namespace leandesk::exports {

ProgressTicker::ProgressTicker(Progress progress, std::int64_t total, std::int64_t every)
    : progress_(std::move(progress)),
      total_(std::max<std::int64_t>(total, 0)),
      every_(std::max<std::int64_t>(every, 1)) {
    tell();  // 0 of total: the caller learns the size of the work (and may cancel at once)
}

void ProgressTicker::advance(std::int64_t n) {
    done_ += n;
    if (done_ >= next_) tell();
}

void ProgressTicker::finish() {
    done_ = std::max(done_, total_);
    tell();
}

void ProgressTicker::tell() {
    next_ = done_ + every_;
    if (progress_ && !progress_(done_, std::max(total_, done_))) {
        throw Error(Errc::cancelled, "cancelled by the caller");
    }
}

}  // namespace leandesk::exports
