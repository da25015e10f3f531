// Output written under a temporary name beside its final path and renamed into place only when
// complete, so a failed or cancelled export, backup or report never leaves a partial file behind
// (nor replaces a good one with half of a new one).
#pragma once

#include <filesystem>

namespace leandesk::exports {

class PendingOutput {
  public:
    enum class Kind { file, directory };

    /// Creates the temporary file or folder (a unique name in the same folder as `final_path`, so
    /// the final rename stays on one file system and is atomic). A folder's final path must not
    /// exist yet (conflict); a file's may, and is replaced at commit(). Throws Error(io) when the
    /// folder cannot be written, invalid_argument for an empty path.
    PendingOutput(std::filesystem::path final_path, Kind kind);
    ~PendingOutput();
    PendingOutput(const PendingOutput&) = delete;
    PendingOutput& operator=(const PendingOutput&) = delete;

    /// Where to write now.
    [[nodiscard]] const std::filesystem::path& temp_path() const { return temp_; }
    [[nodiscard]] const std::filesystem::path& final_path() const { return final_; }

    /// Renames the temporary output to its final path. Throws Error(io/conflict).
    void commit();

  private:
    std::filesystem::path final_;
    std::filesystem::path temp_;
    Kind kind_;
    bool committed_ = false;
};

}  // namespace leandesk::exports
