// HTML escaping for everything the report prints: every user-supplied string goes through it.
#pragma once

#include <string>
#include <string_view>

namespace leandesk::exports {

/// Escapes & < > " ' so the text is inert in element content and in quoted attributes.
std::string html_escape(std::string_view text);

}  // namespace leandesk::exports
