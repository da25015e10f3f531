// Terminal output for the demo: chapter titles, narration and aligned columns. Colour is used only
// when a person is watching (stdout is a terminal and NO_COLOR is unset), so that piped or logged
// output stays plain text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace demo {

/// What a piece of text means; the console turns it into a colour, or into nothing.
enum class Tone { plain, strong, muted, accent, good, warn, bad };

class Console {
  public:
    Console();

    /// The text wrapped in the tone's colour when colour is on, else the text unchanged.
    [[nodiscard]] std::string paint(std::string_view text, Tone tone) const;
    /// `text` fitted to `width` columns, then painted: colour codes never upset the alignment.
    [[nodiscard]] std::string cell(std::string_view text, std::size_t width,
                                   Tone tone = Tone::plain) const;

    /// A numbered chapter of the walkthrough.
    void chapter(std::string_view title);
    /// One line of narration, indented under the chapter.
    void say(std::string_view text) const;
    /// A line printed as given (already indented and painted by the caller).
    void raw(std::string_view text) const;
    void blank() const;

  private:
    bool colour_;
    int chapter_ = 0;
};

/// Columns a UTF-8 text takes on a terminal (one per code point: the demo prints no wide glyphs).
std::size_t display_width(std::string_view text);

/// The text padded with spaces, or cut with "…", to exactly `width` columns.
std::string fit(std::string_view text, std::size_t width);

}  // namespace demo
