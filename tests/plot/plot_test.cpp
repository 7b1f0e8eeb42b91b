// The plots (plot/): the SVG's structure, its ticks on linear and log axes, the data it refuses,
// and the PNG that librsvg rasterises from it. tests/plot/check_svg.py checks the example's files
// as XML.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "plot/plot.hpp"
#include "plot/png.hpp"
#include "plot/ticks.hpp"
#include "plot/write.hpp"

using namespace plan::plot;
using Catch::Matchers::Contains;

TEST_CASE("SVG plots have axes, series and a legend", "[grid][svg]") {
    Plot p;
    p.title = "loss <vs> compute";
    p.x_label = "compute";
    p.y_label = "loss";
    p.series.push_back({"small", {1e9, 1e10, 1e11}, {4.0, 3.0, 2.5}, false, true, -1});
    p.series.push_back({"frontier", {1e9, 1e11}, {4.0, 2.5}, true, false, -1});
    std::string svg = render_svg(p);
    CHECK(svg.rfind("<?xml", 0) == 0);
    CHECK_THAT(svg, Contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    CHECK_THAT(svg, Contains("loss &lt;vs&gt; compute"));  // escaped
    CHECK_THAT(svg, Contains("compute (log scale)"));
    CHECK_THAT(svg, Contains(">1e10</text>"));  // a decade tick
    CHECK_THAT(svg, Contains("class=\"legend\""));
    CHECK_THAT(svg, Contains("<polyline"));
    size_t circles = 0;
    for (size_t at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1)) ++circles;
    CHECK(circles == 4);  // three points + one legend marker
    CHECK(svg.substr(svg.size() - 7) == "</svg>\n");
    CHECK(render_svg(p) == svg);  // deterministic

    Plot bad = p;
    bad.series[0].y[1] = 0;
    CHECK_THROWS_WITH(render_svg(bad), Contains("not positive"));
    CHECK_THROWS_WITH(write_plot(p, "/nonexistent-dir/plot.svg"), Contains("cannot write '/nonexistent-dir/plot.svg': its folder does not exist"));
}

// The y axis of a tiny grid's loss plot spans 4.3 to 5.5: too narrow for decade ticks (it had one
// tick, "5"); it gets evenly spaced ones instead. Wide ranges keep their decades.
TEST_CASE("a narrow log axis gets several evenly spaced ticks", "[grid][svg]") {
    auto y_ticks = [](const std::vector<double>& y) {
        Plot p;
        p.series.push_back({"runs", {1e9, 1e10, 1e11}, y, false, true, -1});
        std::string svg = render_svg(p);
        std::vector<std::string> labels;
        const std::string mark = "text-anchor=\"end\">";
        for (size_t at = svg.find(mark); at != std::string::npos; at = svg.find(mark, at + 1)) {
            size_t from = at + mark.size();
            labels.push_back(svg.substr(from, svg.find('<', from) - from));
        }
        return labels;
    };
    CHECK(y_ticks({4.3, 4.9, 5.5}) == std::vector<std::string>{"4.4", "4.6", "4.8", "5", "5.2", "5.4"});
    CHECK(y_ticks({1.0, 10.0, 1000.0}) == std::vector<std::string>{"1", "10", "100", "1000"});
}

TEST_CASE("a linear axis through zero labels its ticks plainly", "[grid][svg]") {
    Plot p;
    p.log_x = p.log_y = false;
    p.series.push_back({"line", {-2e4, 0, 3e4}, {-1, 0, 1}, true, true, -1});
    std::string svg = render_svg(p);
    CHECK_THAT(svg, Contains(">0</text>"));
    CHECK_THAT(svg, Contains(">-2e4</text>"));
    CHECK_THAT(svg, Contains(">-0.5</text>"));
}

// Ticks are 1-2-5 steps on a linear axis, decades (2 and 5 between them on narrow ranges) on a
// log axis, and never print rounding noise (0.30000000000000004) or a negative zero.
TEST_CASE("ticks are readable on linear and log axes", "[plot]") {
    CHECK(linear_ticks(0, 1) == std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1});
    CHECK(linear_ticks(-0.35, 0.35) == std::vector<double>{-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3});
    CHECK(linear_ticks(4.3, 5.5) == std::vector<double>{4.4, 4.6, 4.8, 5, 5.2, 5.4});
    CHECK(linear_ticks(0, 37) == std::vector<double>{0, 5, 10, 15, 20, 25, 30, 35});
    CHECK(linear_ticks(2.03, 3.78) == std::vector<double>{2.2, 2.4, 2.6, 2.8, 3, 3.2, 3.4, 3.6});  // a frontier's loss
    CHECK(linear_ticks(0, 95) == std::vector<double>{0, 20, 40, 60, 80});
    CHECK(tick_label(linear_ticks(-0.35, 0.35)[2]) == "-0.1");
    CHECK(tick_label(0.3) == "0.3");
    CHECK(tick_label(1e22) == "1e22");
    CHECK(tick_label(2.5e5) == "2.5e5");
    CHECK(tick_label(1500) == "1500");
    // A log axis over 1e18 .. 1e23: every decade.
    Axis wide = make_axis(true, 1e18, 1e23);
    CHECK(wide.ticks() == std::vector<double>{1e18, 1e19, 1e20, 1e21, 1e22, 1e23});
    // Over under 2.5 decades: 1, 2, 5 in each.
    Axis narrow = make_axis(true, 1, 100);
    CHECK(narrow.ticks() == std::vector<double>{1, 2, 5, 10, 20, 50, 100});
    // Over 30 decades, every 5th decade only.
    Axis huge = make_axis(true, 1e-10, 1e20);
    CHECK(huge.ticks() == std::vector<double>{1e-10, 1e-5, 1, 1e5, 1e10, 1e15, 1e20});
}

TEST_CASE("a plot refuses data it cannot draw, naming the series", "[plot]") {
    Plot p;
    p.log_x = false;
    p.series.push_back({"ok", {1, 2}, {1, 2}, true, false, -1});
    p.series.push_back({"short", {1, 2, 3}, {1, 2}, true, false, -1});
    try {
        render_svg(p);
        FAIL("no error");
    } catch (const PlotError& e) {
        CHECK(e.series == 1);
        CHECK(std::string(e.what()) == "series 'short' has 3 x values and 2 y values");
    }
    p.series[1] = {"negative", {1, 2}, {-1, 2}, true, false, -1};
    CHECK_THROWS_WITH(render_svg(p), "series 'negative': point 1 has y = -1, not positive and finite (the y axis is logarithmic)");
    p.log_y = false;
    CHECK_NOTHROW(render_svg(p));
    p.width = 100;
    CHECK_THROWS_WITH(render_svg(p), "a plot is 200 to 4096 pixels wide and high, not 100 x 480");
    CHECK_THROWS_WITH(write_plot(Plot{}, "plot.jpg"), "'plot.jpg' does not end in .svg or .png, so its format is unknown");
    CHECK(format_of("a/b.SVG") == "svg");
    CHECK(format_of("b.png") == "png");
    CHECK(format_of("b.svg.txt").empty());
}

namespace {
uint32_t be32(const std::string& s, size_t at) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(s[at + i]);
    return v;
}
}  // namespace

TEST_CASE("a PNG is the SVG rasterised at its size", "[plot][png]") {
    if (!png_supported()) {
        CHECK_THROWS_WITH(svg_to_png("<svg/>"), Contains("no PNG support"));
        return;
    }
    Plot p;
    p.width = 640;
    p.height = 400;
    p.series.push_back({"a", {1e9, 1e10, 1e11}, {4.0, 3.0, 2.5}, true, true, -1});
    std::string png = svg_to_png(render_svg(p));
    REQUIRE(png.size() > 1000);
    CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    CHECK(png.substr(12, 4) == "IHDR");
    CHECK(be32(png, 16) == 640);
    CHECK(be32(png, 20) == 400);
    CHECK_THROWS_WITH(svg_to_png("not svg"), Contains("librsvg cannot"));
}
