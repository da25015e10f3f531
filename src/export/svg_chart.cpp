#include "export/svg_chart.hpp"

#include <algorithm>
#include <cstdio>

#include "export/html.hpp"
#include "export/report.hpp"

namespace leandesk::exports {
namespace {

constexpr double kWidth = 640, kHeight = 240;
constexpr double kLeft = 56, kRight = 16, kTop = 16, kBottom = 36;

std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

}  // namespace

std::string indicator_svg(const std::string& title, const std::vector<IndicatorPoint>& curve,
                          double target) {
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"" +
                      fmt(kWidth) + "\" height=\"" + fmt(kHeight) + "\" viewBox=\"0 0 " +
                      fmt(kWidth) + " " + fmt(kHeight) + "\" role=\"img\"><title>" +
                      html_escape(title) + "</title>";
    if (curve.empty()) return svg + "</svg>";
    double lo = target, hi = target;
    for (const auto& p : curve) {
        lo = std::min(lo, p.expected), hi = std::max(hi, p.expected);
        if (p.actual) lo = std::min(lo, *p.actual), hi = std::max(hi, *p.actual);
    }
    if (hi - lo < 1e-9) lo -= 1, hi += 1;
    const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
    const auto n = static_cast<double>(curve.size());
    const auto x = [&](std::size_t i) {
        return kLeft + (n <= 1 ? plot_w / 2 : plot_w * static_cast<double>(i) / (n - 1));
    };
    const auto y = [&](double v) { return kTop + plot_h * (hi - v) / (hi - lo); };

    // Axes, the bounds of the scale and of the weeks.
    svg += "<g class=\"axes\" stroke=\"#888\" stroke-width=\"1\"><line x1=\"" + fmt(kLeft) +
           "\" y1=\"" + fmt(kTop) + "\" x2=\"" + fmt(kLeft) + "\" y2=\"" + fmt(kTop + plot_h) +
           "\"/><line x1=\"" + fmt(kLeft) + "\" y1=\"" + fmt(kTop + plot_h) + "\" x2=\"" +
           fmt(kLeft + plot_w) + "\" y2=\"" + fmt(kTop + plot_h) + "\"/></g>";
    svg += "<g font-family=\"sans-serif\" font-size=\"11\" fill=\"#444\">";
    svg += "<text x=\"" + fmt(kLeft - 6) + "\" y=\"" + fmt(kTop + 4) + "\" text-anchor=\"end\">" +
           html_escape(format_number(hi)) + "</text>";
    svg += "<text x=\"" + fmt(kLeft - 6) + "\" y=\"" + fmt(kTop + plot_h) +
           "\" text-anchor=\"end\">" + html_escape(format_number(lo)) + "</text>";
    svg += "<text x=\"" + fmt(kLeft) + "\" y=\"" + fmt(kHeight - 16) + "\">" +
           html_escape(curve.front().week) + "</text>";
    svg += "<text x=\"" + fmt(kLeft + plot_w) + "\" y=\"" + fmt(kHeight - 16) +
           "\" text-anchor=\"end\">" + html_escape(curve.back().week) + "</text>";
    svg += "<text x=\"" + fmt(kLeft) + "\" y=\"" + fmt(kHeight - 3) +
           "\" fill=\"#1f5fbf\">\u2014 expected</text><text x=\"" + fmt(kLeft + 90) + "\" y=\"" +
           fmt(kHeight - 3) + "\" fill=\"#d9480f\">\u25CF actual</text></g>";

    // The target as a dashed line.
    svg += "<line class=\"target\" x1=\"" + fmt(kLeft) + "\" y1=\"" + fmt(y(target)) + "\" x2=\"" +
           fmt(kLeft + plot_w) + "\" y2=\"" + fmt(y(target)) +
           "\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>";
    // Expected: a line through every week.
    svg +=
        "<polyline class=\"expected\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\" "
        "points=\"";
    for (std::size_t i = 0; i < curve.size(); ++i) {
        svg += (i ? " " : "") + fmt(x(i)) + "," + fmt(y(curve[i].expected));
    }
    svg += "\"/>";
    // Actual: a line through the recorded weeks, and a dot on each.
    std::string line, dots;
    for (std::size_t i = 0; i < curve.size(); ++i) {
        if (!curve[i].actual) continue;
        line += (line.empty() ? "" : " ") + fmt(x(i)) + "," + fmt(y(*curve[i].actual));
        dots +=
            "<circle cx=\"" + fmt(x(i)) + "\" cy=\"" + fmt(y(*curve[i].actual)) + "\" r=\"3\"/>";
    }
    if (!line.empty()) {
        svg +=
            "<polyline class=\"actual\" fill=\"none\" stroke=\"#d9480f\" stroke-width=\"2\" "
            "points=\"" +
            line + "\"/><g fill=\"#d9480f\">" + dots + "</g>";
    }
    return svg + "</svg>";
}

}  // namespace leandesk::exports
