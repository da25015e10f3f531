// An inline SVG line chart of an indicator: the expected curve (from the actions' impacts) and
// the recorded actual values, week by week. Plain SVG 1.1 shapes and text, so it prints and shows
// in mail clients and browsers without scripts or external files.
#pragma once

#include <string>
#include <vector>

#include "model/entities.hpp"

namespace leandesk::exports {

/// The chart as an <svg> element; `title` (escaped here) labels it for screen readers.
std::string indicator_svg(const std::string& title, const std::vector<IndicatorPoint>& curve,
                          double target);

}  // namespace leandesk::exports
