// Limits and names of the sync protocol (docs/protocol.md). Both sides include this header, so a
// replica never sends what the server would refuse.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/error.hpp"

namespace leandesk::sync {

inline constexpr int kProtocolVersion = 1;

/// Commands per push request, and the largest request body the server reads.
inline constexpr std::size_t kMaxPushCommands = 500;
inline constexpr std::size_t kMaxPushBytes = std::size_t{8} * 1024 * 1024;
/// Change-log records the server walks for one pull page (the page's rows are at most this many).
inline constexpr std::size_t kDefaultPullLimit = 2000;
inline constexpr std::size_t kMaxPullLimit = 5000;
/// A pull page stops growing once its rows reach this many bytes (long texts): the replica's
/// memory stays bounded whatever the rows weigh.
inline constexpr std::size_t kMaxPageBytes = std::size_t{4} * 1024 * 1024;
/// Records a pull may ask to fetch again (after rejections) in one request.
inline constexpr std::size_t kMaxRefetch = 1000;
inline constexpr std::size_t kMaxPullRequestBytes = std::size_t{1024} * 1024;

/// How long the server remembers a pushed command id and a field's clock (docs/sync.md,
/// "Pruning"). A pushed command stamped earlier than this is refused (rejected, never applied):
/// its id may have been forgotten, so applying it could apply it twice.
inline constexpr std::int64_t kCommandRetentionMs = 90LL * 24 * 3600 * 1000;
/// The server prunes at most this often (inside a push).
inline constexpr std::int64_t kPruneEveryMs = 3600LL * 1000;

/// The commands a replica records and the server replays (Engine::execute names, plus add_photo
/// and set_avatar whose bytes travel as blobs).
bool is_sync_command(std::string_view command);

/// Bucket names: "people", "g:<group id>", "p:<project id>".
inline constexpr std::string_view kPeopleBucket = "people";

/// An error code as the server sends it (an error answer's `code`, a rejected command's `code`),
/// or nothing when it is not one of Errc's (-1 to -16): an unknown code, from a newer or a hostile
/// server, is never cast into the enum.
inline std::optional<Errc> errc_from_wire(std::int64_t code) {
    if (code > static_cast<int>(Errc::error) || code < static_cast<int>(Errc::auth_failed))
        return std::nullopt;
    return static_cast<Errc>(code);
}

}  // namespace leandesk::sync
