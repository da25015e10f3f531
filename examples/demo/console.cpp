#include "console.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace demo {
namespace {

bool stdout_wants_colour() {
    // https://no-color.org: any non-empty NO_COLOR turns colour off.
    const char* no_colour = std::getenv("NO_COLOR");
    if (no_colour != nullptr && *no_colour != '\0') return false;
    return ::isatty(STDOUT_FILENO) == 1;
}

std::string_view ansi_code(Tone tone) {
    switch (tone) {
        case Tone::plain:
            return "";
        case Tone::strong:
            return "\033[1m";
        case Tone::muted:
            return "\033[2m";
        case Tone::accent:
            return "\033[36m";
        case Tone::good:
            return "\033[32m";
        case Tone::warn:
            return "\033[33m";
        case Tone::bad:
            return "\033[1;31m";
    }
    return "";
}

bool is_continuation_byte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

}  // namespace

Console::Console() : colour_(stdout_wants_colour()) {}

std::string Console::paint(std::string_view text, Tone tone) const {
    const std::string_view code = ansi_code(tone);
    if (!colour_ || code.empty() || text.empty()) return std::string(text);
    std::string out(code);
    out += text;
    out += "\033[0m";
    return out;
}

std::string Console::cell(std::string_view text, std::size_t width, Tone tone) const {
    return paint(fit(text, width), tone);
}

void Console::chapter(std::string_view title) {
    ++chapter_;
    const std::string heading = std::to_string(chapter_) + ". " + std::string(title);
    std::cout << '\n' << paint(heading, Tone::strong) << '\n';
}

void Console::say(std::string_view text) const {
    std::cout << "   " << text << '\n';
}

void Console::raw(std::string_view text) const {
    std::cout << text << '\n';
}

void Console::blank() const {
    std::cout << '\n';
}

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (const char c : text) {
        if (!is_continuation_byte(c)) ++width;
    }
    return width;
}

std::string fit(std::string_view text, std::size_t width) {
    const std::size_t have = display_width(text);
    if (have <= width) return std::string(text) + std::string(width - have, ' ');
    if (width == 0) return {};
    // Keep width-1 code points, cutting only on a code point boundary, and mark the cut.
    std::string out;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!is_continuation_byte(text[i]) && kept++ == width - 1) break;
        out += text[i];
    }
    return out + "…";
}

}  // namespace demo
